package dev.caulk.verbs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.digest.Digest;
import dev.caulk.image.Artifact;
import dev.caulk.image.Image;
import dev.caulk.image.ImageIndex;
import dev.caulk.layout.MediaFixtures;
import dev.caulk.location.ImageLocation;
import dev.caulk.spec.Platform;
import dev.caulk.testing.RegistryTest;
import dev.caulk.testing.TestRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Copy}, {@link DigestOf} and {@link Tags} between a real registry, OCI layouts and docker
 * archives.
 */
@RegistryTest(TestRegistry.Mode.PLAIN)
class CopyTest {
  static final Platform ARM64 = Platform.parse("linux/arm64");
  @TempDir Path tmp;
  final Session session = Session.defaults(null);

  private ImageIndex twoPlatforms() throws IOException {
    Path blobs = tmp.resolve("blobs");
    Files.createDirectories(blobs);
    Image amd = MediaFixtures.image(blobs, Platform.LINUX_AMD64, false, "amd.txt");
    Image arm = MediaFixtures.image(blobs, ARM64, false, "arm.txt");
    return MediaFixtures.index(amd, arm);
  }

  @Test
  void copiesThroughARegistryIntoAnArchiveKeepingTheDigest(TestRegistry registry) throws Exception {
    Image img = MediaFixtures.image(Files.createDirectories(tmp.resolve("b")), "a.txt");
    ImageLocation layout = ImageLocation.parse("oci:" + tmp.resolve("src") + ":v1");
    layout.write(Artifact.of(img), session.destination());

    ImageLocation remote = ImageLocation.parse("docker://" + registry.host() + "/copy/app:v1");
    Copy.Result up = Copy.run(Copy.options().source(layout).destination(remote).build(), session);
    assertEquals(img.digest(), up.digest());
    assertEquals(registry.host() + "/copy/app:v1@" + img.digest(), up.pinned());

    ImageLocation archive =
        ImageLocation.parse("docker-archive:" + tmp.resolve("app.tar") + ":app:v1");
    Copy.Result down =
        Copy.run(Copy.options().source(remote).destination(archive).build(), session);
    assertEquals(img.digest(), down.digest());
    assertEquals(
        img.digest(),
        archive.open(session.source()).digest(),
        "the archive holds the same manifest");
    assertEquals(
        "docker-archive:" + tmp.resolve("app.tar") + ":app:v1@" + img.digest(), down.pinned());

    assertEquals(List.of("v1"), Tags.run(Tags.options().location(remote).build(), session).tags());
    assertEquals(
        List.of("app:v1"), Tags.run(Tags.options().location(archive).build(), session).tags());
    assertEquals(List.of("v1"), Tags.run(Tags.options().location(layout).build(), session).tags());
  }

  @Test
  void picksOnePlatformUnlessAllAndDigestSaysWhich(TestRegistry registry) throws Exception {
    ImageIndex index = twoPlatforms();
    ImageLocation src = ImageLocation.parse("oci:" + tmp.resolve("multi") + ":m");
    Digest indexDigest = src.write(Artifact.of(index), session.destination());

    ImageLocation whole = ImageLocation.parse(registry.host() + "/copy/multi:all");
    assertEquals(
        indexDigest,
        Copy.run(Copy.options().source(src).destination(whole).all(true).build(), session)
            .digest());
    assertTrue(whole.open(session.source()).isIndex());

    ImageLocation one = ImageLocation.parse(registry.host() + "/copy/multi:arm");
    Digest arm =
        Copy.run(Copy.options().source(src).destination(one).platform(ARM64).build(), session)
            .digest();
    assertEquals(index.image(ARM64).digest(), arm);
    assertFalse(one.open(session.source()).isIndex());

    DigestOf.Result ofIndex = DigestOf.run(DigestOf.options().location(whole).build(), session);
    assertEquals(indexDigest, ofIndex.digest());
    assertEquals(registry.host() + "/copy/multi:all@" + indexDigest, ofIndex.pinned());
    DigestOf.Result ofArm =
        DigestOf.run(DigestOf.options().location(whole).platform(ARM64).build(), session);
    assertEquals(arm, ofArm.digest());
    assertNotEquals(ofIndex.digest(), ofArm.digest());
  }

  @Test
  void aDockerImageIntoALayoutIsConvertedUnlessDigestsArePreserved() throws Exception {
    Image docker =
        MediaFixtures.image(
            Files.createDirectories(tmp.resolve("d")), Platform.LINUX_AMD64, true, "d.txt");
    ImageLocation archive = ImageLocation.parse("docker-archive:" + tmp.resolve("d.tar"));
    archive.write(Artifact.of(docker), session.destination());
    ImageLocation layout = ImageLocation.parse("oci:" + tmp.resolve("conv") + ":x");

    Digest converted =
        Copy.run(Copy.options().source(archive).destination(layout).build(), session).digest();
    assertNotEquals(docker.digest(), converted);
    ImageLocation strict = ImageLocation.parse("oci:" + tmp.resolve("strict") + ":x");
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                Copy.run(
                    Copy.options()
                        .source(archive)
                        .destination(strict)
                        .preserveDigests(true)
                        .build(),
                    session));
    assertTrue(e.getMessage().contains("digest"), e.getMessage());
  }

  @Test
  void anIndexDoesNotGoIntoAnArchive() throws Exception {
    ImageLocation src = ImageLocation.parse("oci:" + tmp.resolve("i") + ":m");
    src.write(Artifact.of(twoPlatforms()), session.destination());
    ImageLocation archive = ImageLocation.parse("docker-archive:" + tmp.resolve("i.tar"));
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                Copy.run(
                    Copy.options().source(src).destination(archive).all(true).build(), session));
    assertTrue(e.getMessage().startsWith("docker-archive holds single images"), e.getMessage());
    assertFalse(Files.exists(tmp.resolve("i.tar")), "nothing written");
  }

  @Test
  void optionsAreChecked() {
    ImageLocation l = ImageLocation.parse("oci:x");
    assertEquals(
        "copy: a source location is required",
        assertThrows(InvalidOptionsException.class, () -> Copy.options().destination(l).build())
            .getMessage());
    assertEquals(
        "copy: a destination location is required",
        assertThrows(InvalidOptionsException.class, () -> Copy.options().source(l).build())
            .getMessage());
    assertThrows(
        InvalidOptionsException.class,
        () -> Copy.options().source(l).destination(l).platform(null).build());
    assertEquals(
        "digest: a location is required",
        assertThrows(InvalidOptionsException.class, () -> DigestOf.options().build()).getMessage());
    assertEquals(
        "tags: a repository location is required",
        assertThrows(InvalidOptionsException.class, () -> Tags.options().build()).getMessage());
    Copy.Options o = Copy.options().source(l).destination(ImageLocation.parse("oci:y")).build();
    assertEquals(Platform.LINUX_AMD64, o.platform(), "default platform");
    assertFalse(o.all());
  }
}
