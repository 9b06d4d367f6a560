package dev.caulk.location;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageLocationTest {
  @Test
  void ociLayout() {
    ImageLocation.OciLayout l =
        assertInstanceOf(ImageLocation.OciLayout.class, ImageLocation.parse("oci:out/dir:stats"));
    assertEquals(Path.of("out/dir"), l.dir());
    assertEquals("stats", l.tag());
    assertNull(((ImageLocation.OciLayout) ImageLocation.parse("oci:/tmp/x")).tag());
  }

  @Test
  void ociLayoutByDigest() {
    String hex = "a".repeat(64);
    var l =
        assertInstanceOf(
            ImageLocation.OciLayout.class, ImageLocation.parse("oci:out/dir@sha256:" + hex));
    assertEquals(Path.of("out/dir"), l.dir());
    assertEquals("@sha256:" + hex, l.tag());
    assertEquals("oci:out/dir@sha256:" + hex, l.toString());
    var bad =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> ImageLocation.parse("oci:out@sha256:abc"));
    org.junit.jupiter.api.Assertions.assertTrue(
        bad.getMessage().startsWith("invalid location 'oci:out@sha256:abc'"), bad.getMessage());
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> ImageLocation.parse("oci:@sha256:" + hex));
  }

  /**
   * Credentials in a reference are refused without echoing them; a URL scheme is refused with the
   * right spelling.
   */
  @Test
  void credentialsAndUrlSchemesAreRefusedWithoutEchoingAPassword() {
    for (String loc :
        new String[] {
          "docker://user:S3cretPass@127.0.0.1:5000/repo:tag",
          "user:S3cretPass@registry.example/app:1",
          "docker://S3cretPass@host/app"
        }) {
      var e =
          org.junit.jupiter.api.Assertions.assertThrows(
              IllegalArgumentException.class, () -> ImageLocation.parse(loc));
      org.junit.jupiter.api.Assertions.assertFalse(
          e.getMessage().contains("S3cretPass"), e.getMessage());
      org.junit.jupiter.api.Assertions.assertTrue(
          e.getMessage().contains("--creds"), e.getMessage());
    }
    var url =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> ImageLocation.parse("https://registry.example/app:1"));
    org.junit.jupiter.api.Assertions.assertTrue(
        url.getMessage().contains("write docker://HOST/REPO:TAG"), url.getMessage());
    // digests still parse
    assertInstanceOf(
        ImageLocation.Registry.class, ImageLocation.parse("alpine@sha256:" + "a".repeat(64)));
    assertInstanceOf(
        ImageLocation.Registry.class,
        ImageLocation.parse("docker://127.0.0.1:5000/app@sha256:" + "b".repeat(64)));
  }

  @Test
  void dockerArchive() {
    var a =
        assertInstanceOf(
            ImageLocation.DockerArchive.class,
            ImageLocation.parse("docker-archive:img.tar:app:v1"));
    assertEquals(Path.of("img.tar"), a.file());
    assertEquals("app:v1", a.reference());
    assertEquals(
        "@1",
        ((ImageLocation.DockerArchive) ImageLocation.parse("docker-archive:img.tar:@1"))
            .reference());
  }

  @Test
  void registry() {
    var r =
        assertInstanceOf(
            ImageLocation.Registry.class, ImageLocation.parse("docker://127.0.0.1:5000/app:v1"));
    assertEquals("127.0.0.1:5000/app:v1", r.reference().toString());
    var bare = assertInstanceOf(ImageLocation.Registry.class, ImageLocation.parse("alpine"));
    assertEquals("docker.io/library/alpine:latest", bare.reference().toString());
    assertEquals("docker://docker.io/library/alpine:latest", bare.toString());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "oci:",
        "oci::tag",
        "docker:alpine",
        "docker-archive:x.tar:@x",
        "docker-archive:x.tar:BAD",
        "oci-archive:x.tar",
        "dir:/tmp/x",
        "Upper/Case"
      })
  void rejects(String bad) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ImageLocation.parse(bad));
    assertTrue(!e.getMessage().contains("\n"));
  }
}
