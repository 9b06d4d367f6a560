package dev.caulk.scan.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Metadata shaped to overflow a backtracking regex's stack; each parses in linear time. */
class HostileCatalogTest {
  private static final Duration LIMIT = Duration.ofSeconds(10);

  @Test
  void debianVersionOfManyParts() {
    String v = "1." .repeat(5_000) + "1";
    OsRelease os = assertTimeoutPreemptively(LIMIT, () -> OsRelease.fromDebianVersion((v + "\n").getBytes(StandardCharsets.UTF_8), "/etc/debian_version"));
    assertEquals("debian", os.id());
    assertEquals("1", os.versionId());
    OsRelease alpine = assertTimeoutPreemptively(LIMIT, () -> OsRelease.fromAlpineRelease((v + "\n").getBytes(StandardCharsets.UTF_8), "/etc/alpine-release"));
    assertEquals("alpine", alpine.id());
  }

  @Test
  void manifestVendorIdOfManyParts() throws Exception {
    String vendor = "a." .repeat(5_000) + "a";
    byte[] jar = CatalogTesting.zip(JavaArchiveCatalogerTest.entries("META-INF/MANIFEST.MF",
        "Manifest-Version: 1.0\nImplementation-Title: lib\nImplementation-Version: 1.0\nImplementation-Vendor-Id: " + vendor + "\n"), false);
    Cataloger c = JavaArchiveCatalogerTest.cataloger();
    List<Package> pkgs = assertTimeoutPreemptively(LIMIT, () -> {
      JavaArchiveCatalogerTest.feed(c, "/app/lib.jar", jar);
      return c.packages(OsRelease.UNKNOWN);
    });
    assertEquals(1, pkgs.size(), pkgs::toString);
    assertEquals("lib", pkgs.get(0).name());
    assertEquals(vendor, pkgs.get(0).groupId());
  }
}
