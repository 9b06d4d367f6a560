package dev.caulk.location;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.image.Artifact;
import dev.caulk.image.Image;
import dev.caulk.layout.MediaFixtures;
import dev.caulk.name.Reference;
import dev.caulk.registry.RegistryOptions;
import dev.caulk.testing.RegistryTest;
import dev.caulk.testing.TestRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each location kind names, opens, writes and lists itself; callers never ask which kind they hold.
 */
@RegistryTest(TestRegistry.Mode.PLAIN)
class LocationKindsTest {
  @TempDir Path tmp;
  final RegistryOptions opts = RegistryOptions.defaults();

  @Test
  void namesAndReferences() {
    ImageLocation reg = ImageLocation.parse("docker://127.0.0.1:5000/app");
    assertEquals("127.0.0.1:5000/app:latest", reg.displayName());
    assertTrue(reg.isRegistry());
    assertEquals(Optional.of("latest"), reg.requestedTag());
    assertEquals(reg.registryReference(), reg.imageReference());
    assertEquals(
        Optional.empty(),
        ImageLocation.parse("app@sha256:" + "a".repeat(64)).requestedTag(),
        "a digest pins");
    assertEquals(
        "docker://127.0.0.1:5000/app:sha256-x.sig",
        reg.sibling("sha256-x.sig").orElseThrow().toString());
    assertFalse(reg.holdsSeveral());

    ImageLocation oci = ImageLocation.parse("oci:out:v1");
    assertEquals("oci:out:v1", oci.displayName());
    assertFalse(oci.isRegistry());
    assertEquals(Optional.empty(), oci.imageReference());
    assertEquals(Optional.of("v1"), oci.requestedTag());
    assertEquals(
        Optional.empty(), ImageLocation.parse("oci:out@sha256:" + "b".repeat(64)).requestedTag());
    assertEquals(Optional.of(Path.of("out")), oci.layoutDirectory());
    assertEquals("oci:out:other", oci.sibling("other").orElseThrow().toString());
    assertTrue(oci.holdsSeveral());

    ImageLocation tar = ImageLocation.parse("docker-archive:a.tar:app:v2");
    assertEquals("docker-archive:a.tar:app:v2", tar.displayName());
    assertEquals(Optional.of(Reference.parse("app:v2")), tar.imageReference());
    assertEquals(Optional.of("v2"), tar.requestedTag());
    assertEquals(Optional.empty(), ImageLocation.parse("docker-archive:a.tar:@1").imageReference());
    assertEquals(Optional.empty(), tar.sibling("x"), "an archive is written whole");
    assertEquals(Optional.empty(), tar.layoutDirectory());
    assertEquals(Optional.empty(), tar.registryReference());
  }

  @Test
  void openIfPresentTellsNothingThereFromAFailure(TestRegistry registry) throws Exception {
    assertEquals(
        Optional.empty(),
        ImageLocation.parse("oci:" + tmp.resolve("none") + ":x").openIfPresent(opts));
    assertEquals(
        Optional.empty(),
        ImageLocation.parse("docker-archive:" + tmp.resolve("none.tar")).openIfPresent(opts));
    assertEquals(
        Optional.empty(),
        ImageLocation.parse(registry.host() + "/kinds/none:x").openIfPresent(opts));

    Image img = MediaFixtures.image(Files.createDirectories(tmp.resolve("b")), "a.txt");
    ImageLocation layout = ImageLocation.parse("oci:" + tmp.resolve("l") + ":here");
    layout.write(Artifact.of(img), opts);
    assertEquals(img.digest(), layout.openIfPresent(opts).orElseThrow().digest());
    assertEquals(Optional.empty(), layout.sibling("absent").orElseThrow().openIfPresent(opts));
    ImageLocation remote = ImageLocation.parse(registry.host() + "/kinds/app:v1");
    remote.write(Artifact.of(img), opts);
    assertEquals(img.digest(), remote.openIfPresent(opts).orElseThrow().digest());
    assertEquals(List.of("v1"), remote.tags(opts));

    ImageLocation corrupt =
        ImageLocation.parse(
            "docker-archive:" + Files.writeString(tmp.resolve("bad.tar"), "not a tar"));
    assertThrows(
        IOException.class,
        () -> corrupt.openIfPresent(opts),
        "a broken archive is a failure, not an absence");
  }

  @Test
  void writeAllTagsALayoutAndFillsAnArchiveButNotARegistry() throws Exception {
    Path blobs = Files.createDirectories(tmp.resolve("b"));
    Image a = MediaFixtures.image(blobs, "a.txt");
    Image b = MediaFixtures.image(blobs, "b.txt");
    List<ImageLocation.Named> two =
        List.of(
            new ImageLocation.Named("a", Reference.parse("team/a:v1"), Artifact.of(a)),
            new ImageLocation.Named("b", Reference.parse("team/b:v1"), Artifact.of(b)));

    ImageLocation layout = ImageLocation.parse("oci:" + tmp.resolve("all"));
    layout.writeAll(two, opts);
    assertEquals(List.of("a", "b"), layout.tags(opts));
    assertEquals(b.digest(), layout.sibling("b").orElseThrow().open(opts).digest());

    ImageLocation archive = ImageLocation.parse("docker-archive:" + tmp.resolve("all.tar"));
    archive.writeAll(two, opts);
    assertEquals(2, archive.tags(opts).size());
    assertEquals(
        a.digest(),
        ImageLocation.parse("docker-archive:" + tmp.resolve("all.tar") + ":team/a:v1")
            .open(opts)
            .digest());

    ImageLocation reg = ImageLocation.parse("127.0.0.1:1/x:y");
    IOException e = assertThrows(IOException.class, () -> reg.writeAll(two, opts));
    assertTrue(e.getMessage().contains("names one image"), e.getMessage());
  }
}
