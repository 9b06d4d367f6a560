package dev.caulk.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.caulk.digest.Digest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestJsonTest {
  /**
   * Helper methods stay out of the JSON; layers is always present (image-spec: REQUIRED, even when
   * empty).
   */
  @Test
  void helperMethodsAreNotSerialised() {
    Descriptor cfg = Descriptor.of(MediaType.DOCKER_CONFIG, Digest.sha256("{}"), 2);
    String json =
        new String(SpecJson.write(Manifest.of(true, cfg, List.of(), null)), StandardCharsets.UTF_8);
    assertEquals(
        "{\"schemaVersion\":2,\"mediaType\":\""
            + MediaType.DOCKER_MANIFEST
            + "\",\"config\":{\"mediaType\":\""
            + MediaType.DOCKER_CONFIG
            + "\",\"digest\":\""
            + cfg.digest()
            + "\",\"size\":2},\"layers\":[]}",
        json);
  }

  @Test
  void historyWithoutEmptyLayerParses() throws InvalidSpecException {
    String json =
        "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},"
            + "\"history\":[{\"created_by\":\"umoci repack\"},{\"created_by\":\"x\",\"empty_layer\":true}]}";
    ConfigFile c = SpecJson.config(json.getBytes(StandardCharsets.UTF_8), "test");
    assertEquals(false, c.history().get(0).emptyLayer());
    assertEquals(true, c.history().get(1).emptyLayer());
    String out = new String(SpecJson.write(c.history().get(1)), StandardCharsets.UTF_8);
    assertEquals("{\"created_by\":\"x\",\"empty_layer\":true}", out);
  }

  /** Errors speak of documents and JSON values, never of caulk's Java types. */
  @Test
  void errorsNameNoJavaTypes() {
    for (String doc :
        new String[] {
          "[]",
          "\"x\"",
          "{\"schemaVersion\":2,\"manifests\":{}}",
          "{\"schemaVersion\":2,\"manifests\":[[]]}"
        }) {
      InvalidSpecException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              InvalidSpecException.class,
              () -> SpecJson.index(doc.getBytes(StandardCharsets.UTF_8), "idx"));
      org.junit.jupiter.api.Assertions.assertFalse(
          e.getMessage().matches("(?s).*(dev\\.caulk|java\\.).*"), e.getMessage());
    }
    InvalidSpecException raw =
        org.junit.jupiter.api.Assertions.assertThrows(
            InvalidSpecException.class,
            () -> SpecJson.read("[]".getBytes(StandardCharsets.UTF_8), Index.class, "idx"));
    org.junit.jupiter.api.Assertions.assertTrue(
        raw.getMessage().contains("image index") && !raw.getMessage().contains("dev.caulk"),
        raw.getMessage());
    assertEquals(
        "Cannot map `integer` from `Thing`",
        SpecJson.plainTypes("Cannot map `java.lang.Long` from `dev.caulk.other.Thing`"));
  }
}
