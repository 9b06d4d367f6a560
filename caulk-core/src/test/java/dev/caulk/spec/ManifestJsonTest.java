package dev.caulk.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.caulk.digest.Digest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestJsonTest {
  @Test
  void helperMethodsAreNotSerialised() {
    Descriptor cfg = Descriptor.of(MediaType.DOCKER_CONFIG, Digest.sha256("{}"), 2);
    String json = new String(SpecJson.write(Manifest.of(true, cfg, List.of(), null)), StandardCharsets.UTF_8);
    assertEquals("{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.DOCKER_MANIFEST + "\",\"config\":{\"mediaType\":\""
        + MediaType.DOCKER_CONFIG + "\",\"digest\":\"" + cfg.digest() + "\",\"size\":2}}", json);
  }
}
