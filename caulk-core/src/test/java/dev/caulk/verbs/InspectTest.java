package dev.caulk.verbs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caulk.image.Artifact;
import dev.caulk.image.Image;
import dev.caulk.image.Images;
import dev.caulk.image.Layer;
import dev.caulk.layout.MediaFixtures;
import dev.caulk.location.ImageLocation;
import dev.caulk.spec.ConfigFile;
import dev.caulk.spec.ContainerConfig;
import dev.caulk.spec.Platform;
import dev.caulk.testing.RegistryTest;
import dev.caulk.testing.TestRegistry;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Inspect} and {@link Open}: what an image is, from its manifest and config only. */
@RegistryTest(TestRegistry.Mode.PLAIN)
class InspectTest {
  static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  @TempDir Path tmp;
  final Session session = Session.defaults(null);

  private Image withEnv(Path dir, Platform platform) throws Exception {
    Image base = MediaFixtures.image(dir, platform, false, "a.txt", "b.txt");
    ContainerConfig run =
        new ContainerConfig(
            "app",
            null,
            List.of("AWS_SECRET_ACCESS_KEY=" + SECRET, "MODE=prod"),
            List.of("/app"),
            null,
            null,
            "/srv",
            Map.of("team", "core"),
            null,
            null,
            null,
            null,
            null);
    ConfigFile cfg = base.config().withConfig(run);
    List<Layer> layers = base.layers();
    return Images.of(cfg, layers, false, null);
  }

  @Test
  void readsConfigAndLayersFromARegistryAndMasksSecrets(TestRegistry registry) throws Exception {
    Image img = withEnv(Files.createDirectories(tmp.resolve("b")), Platform.LINUX_AMD64);
    ImageLocation remote = ImageLocation.parse(registry.host() + "/inspect/app:v1");
    remote.write(Artifact.of(img), session.destination());

    Inspect.Result r = Inspect.run(Inspect.options().location(remote).build(), session);
    assertTrue(r.containerImage());
    assertEquals(img.digest(), r.digest());
    assertNull(r.index());
    assertEquals(2, r.layers().size());
    assertEquals(img.layers().get(1).diffId(), r.layers().get(1).diffId());
    assertEquals(img.layers().get(0).size() + img.layers().get(1).size(), r.compressedSize());
    List<String> env = r.config().runConfig().env();
    assertFalse(env.get(0).contains(SECRET), "the secret value is masked: " + env.get(0));
    assertTrue(env.get(0).startsWith("AWS_SECRET_ACCESS_KEY="), env.get(0));
    assertEquals("MODE=prod", env.get(1));

    JsonNode json = new ObjectMapper().readTree(r.toJson());
    assertEquals(img.digest().toString(), json.get("digest").asText());
    assertEquals("linux/amd64", json.get("platform").asText());
    assertEquals("/srv", json.at("/config/config/WorkingDir").asText());
    assertEquals(2, json.get("layers").size());
    assertFalse(r.toJson().contains(SECRET));
    assertFalse(json.has("index"));
  }

  @Test
  void anImageOfAnIndexNamesTheIndex() throws Exception {
    Path blobs = Files.createDirectories(tmp.resolve("blobs"));
    Image amd = withEnv(blobs, Platform.LINUX_AMD64);
    Image arm = MediaFixtures.image(blobs, Platform.parse("linux/arm64"), false, "arm.txt");
    var index = MediaFixtures.index(amd, arm);
    ImageLocation layout = ImageLocation.parse("oci:" + tmp.resolve("multi") + ":m");
    layout.write(Artifact.of(index), session.destination());

    Inspect.Result r =
        Inspect.run(
            Inspect.options().location(layout).platform(Platform.parse("linux/arm64")).build(),
            session);
    assertEquals(arm.digest(), r.digest());
    assertEquals(index.digest(), r.index().digest());
    assertEquals(2, r.index().manifests().size());
    JsonNode json = new ObjectMapper().readTree(r.toJson());
    assertEquals(index.digest().toString(), json.at("/index/digest").asText());
    assertEquals(2, json.at("/index/manifests").size());

    Open.Target t = Open.image(layout, Platform.LINUX_AMD64, session);
    assertTrue(t.artifact().isIndex());
    assertEquals(amd.digest(), t.image().digest());
    assertEquals(Platform.LINUX_AMD64, t.platform());
  }

  @Test
  void aSecretConfigsRulesMaskToo() throws Exception {
    String acme = "acme_q7w2k9x4m1p8z3r6t5y0u2i9o4a7s1d3";
    Image base = MediaFixtures.image(Files.createDirectories(tmp.resolve("s")), "a.txt");
    ConfigFile cfg =
        base.config()
            .withConfig(
                new ContainerConfig(
                    null,
                    null,
                    List.of("ENDPOINT=" + acme),
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null));
    ImageLocation layout = ImageLocation.parse("oci:" + tmp.resolve("custom") + ":c");
    layout.write(Artifact.of(Images.of(cfg, base.layers(), false, null)), session.destination());

    Inspect.Result builtIn = Inspect.run(Inspect.options().location(layout).build(), session);
    assertEquals("ENDPOINT=" + acme, builtIn.config().runConfig().env().get(0));

    Path config =
        Files.writeString(
            tmp.resolve("secrets.yaml"),
            "rules:\n  - id: acme-api-key\n    regex: 'acme_[a-z0-9]{32}'\n    keywords: [acme_]\n");
    Inspect.Result custom =
        Inspect.run(Inspect.options().location(layout).secretConfig(config).build(), session);
    String env = custom.config().runConfig().env().get(0);
    assertTrue(env.startsWith("ENDPOINT="), env);
    assertFalse(env.contains(acme), "masked by the configured rule: " + env);
    assertFalse(custom.toJson().contains(acme));

    Path dir = Files.createDirectories(tmp.resolve("project/.caulk"));
    Files.copy(config, dir.resolve("secrets.yaml"));
    Inspect.Result found =
        Inspect.run(
            Inspect.options().location(layout).searchSecretConfigIn(dir.getParent()).build(),
            session);
    assertFalse(found.config().runConfig().env().get(0).contains(acme));

    Path bad = Files.writeString(tmp.resolve("bad.yaml"), "rules: 3\n");
    assertThrows(
        InvalidOptionsException.class,
        () -> Inspect.options().location(layout).secretConfig(bad).build());
  }

  @Test
  void aMissingLayoutAndBadOptionsAreErrors() {
    ImageLocation none = ImageLocation.parse("oci:" + tmp.resolve("none"));
    assertThrows(
        NoSuchFileException.class,
        () -> Inspect.run(Inspect.options().location(none).build(), session));
    assertEquals(
        "inspect: a location is required",
        assertThrows(InvalidOptionsException.class, () -> Inspect.options().build()).getMessage());
    assertThrows(
        InvalidOptionsException.class,
        () -> Inspect.options().location(none).platform(null).build());
    assertThrows(InvalidOptionsException.class, () -> Open.image(none, null, session));
    assertThrows(InvalidOptionsException.class, () -> Open.artifact(null, session));
  }
}
