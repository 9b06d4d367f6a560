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
    ImageLocation.OciLayout l = assertInstanceOf(ImageLocation.OciLayout.class, ImageLocation.parse("oci:out/dir:stats"));
    assertEquals(Path.of("out/dir"), l.dir());
    assertEquals("stats", l.tag());
    assertNull(((ImageLocation.OciLayout) ImageLocation.parse("oci:/tmp/x")).tag());
  }

  @Test
  void ociLayoutByDigest() {
    String hex = "a".repeat(64);
    var l = assertInstanceOf(ImageLocation.OciLayout.class, ImageLocation.parse("oci:out/dir@sha256:" + hex));
    assertEquals(Path.of("out/dir"), l.dir());
    assertEquals("@sha256:" + hex, l.tag());
    assertEquals("oci:out/dir@sha256:" + hex, l.toString());
    var bad = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> ImageLocation.parse("oci:out@sha256:abc"));
    org.junit.jupiter.api.Assertions.assertTrue(bad.getMessage().startsWith("invalid location 'oci:out@sha256:abc'"), bad.getMessage());
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> ImageLocation.parse("oci:@sha256:" + hex));
  }

  @Test
  void dockerArchive() {
    var a = assertInstanceOf(ImageLocation.DockerArchive.class, ImageLocation.parse("docker-archive:img.tar:app:v1"));
    assertEquals(Path.of("img.tar"), a.file());
    assertEquals("app:v1", a.reference());
    assertEquals("@1", ((ImageLocation.DockerArchive) ImageLocation.parse("docker-archive:img.tar:@1")).reference());
  }

  @Test
  void registry() {
    var r = assertInstanceOf(ImageLocation.Registry.class, ImageLocation.parse("docker://127.0.0.1:5000/app:v1"));
    assertEquals("127.0.0.1:5000/app:v1", r.reference().toString());
    var bare = assertInstanceOf(ImageLocation.Registry.class, ImageLocation.parse("alpine"));
    assertEquals("docker.io/library/alpine:latest", bare.reference().toString());
    assertEquals("docker://docker.io/library/alpine:latest", bare.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "oci:", "oci::tag", "docker:alpine", "docker-archive:x.tar:@x", "docker-archive:x.tar:BAD", "oci-archive:x.tar",
      "dir:/tmp/x", "Upper/Case"})
  void rejects(String bad) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageLocation.parse(bad));
    assertTrue(!e.getMessage().contains("\n"));
  }
}
