package dev.caulk.scan.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Metadata shaped to overflow a backtracking regex's stack; each parses in linear time. */
class HostileCatalogTest {
  private static final Duration LIMIT = Duration.ofSeconds(10);

  @Test
  void debianVersionOfManyParts() {
    String v = "1.".repeat(5_000) + "1";
    OsRelease os =
        assertTimeoutPreemptively(
            LIMIT,
            () ->
                OsRelease.fromDebianVersion(
                    (v + "\n").getBytes(StandardCharsets.UTF_8), "/etc/debian_version"));
    assertEquals("debian", os.id());
    assertEquals("1", os.versionId());
    OsRelease alpine =
        assertTimeoutPreemptively(
            LIMIT,
            () ->
                OsRelease.fromAlpineRelease(
                    (v + "\n").getBytes(StandardCharsets.UTF_8), "/etc/alpine-release"));
    assertEquals("alpine", alpine.id());
  }

  @Test
  void manifestVendorIdOfManyParts() throws Exception {
    String vendor = "a.".repeat(5_000) + "a";
    byte[] jar =
        CatalogTesting.zip(
            JavaArchiveCatalogerTest.entries(
                "META-INF/MANIFEST.MF",
                "Manifest-Version: 1.0\nImplementation-Title: lib\nImplementation-Version: 1.0\nImplementation-Vendor-Id: "
                    + vendor
                    + "\n"),
            false);
    Cataloger c = JavaArchiveCatalogerTest.cataloger();
    List<Package> pkgs =
        assertTimeoutPreemptively(
            LIMIT,
            () -> {
              JavaArchiveCatalogerTest.feed(c, "/app/lib.jar", jar);
              return c.packages(OsRelease.UNKNOWN);
            });
    assertEquals(1, pkgs.size(), pkgs::toString);
    assertEquals("lib", pkgs.get(0).name());
    assertEquals(vendor, pkgs.get(0).groupId());
  }

  /**
   * A database of more package records than the budget: the database is skipped with a problem
   * naming it.
   */
  @Test
  void packageRecordsHaveABudget() throws Exception {
    StringBuilder dpkg = new StringBuilder();
    StringBuilder apk = new StringBuilder();
    for (int i = 0; i < 1_000; i++) {
      dpkg.append("Package: p")
          .append(i)
          .append("\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.0\n\n");
      apk.append("P:p").append(i).append("\nV:1.0-r0\nA:x86_64\n\n");
    }
    CatalogLimits limits = CatalogLimits.defaults().withMaxPackageRecords(500);
    Cataloger d = Catalogers.dpkg(limits);
    CatalogTesting.feed(
        d, "/var/lib/dpkg/status", dpkg.toString().getBytes(StandardCharsets.UTF_8), false);
    assertEquals(1, d.problems().size(), d.problems()::toString);
    assertTrue(
        d.problems().get(0).reason().contains("more than 500 dpkg package records in the image"),
        d.problems()::toString);
    Cataloger a = Catalogers.apk(limits);
    CatalogTesting.feed(
        a, "/lib/apk/db/installed", apk.toString().getBytes(StandardCharsets.UTF_8), false);
    assertTrue(
        a.problems().get(0).reason().contains("more than 500 apk package records in the image"),
        a.problems()::toString);
    // the default is far above any real image
    Cataloger ok = Catalogers.dpkg(CatalogLimits.defaults());
    assertEquals(
        1_000,
        CatalogTesting.feed(
                ok, "/var/lib/dpkg/status", dpkg.toString().getBytes(StandardCharsets.UTF_8), false)
            .size());
  }

  @Test
  void packageRecordBudgetIsASetting() {
    try {
      System.setProperty(CatalogLimits.PACKAGE_RECORDS_PROPERTY, "250000");
      assertEquals(250_000, CatalogLimits.defaults().maxPackageRecords());
      System.setProperty(CatalogLimits.PACKAGE_RECORDS_PROPERTY, "lots");
      IllegalArgumentException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              IllegalArgumentException.class, CatalogLimits::defaults);
      assertTrue(
          e.getMessage().contains("invalid caulk.budget.package-records 'lots'"), e.getMessage());
    } finally {
      System.clearProperty(CatalogLimits.PACKAGE_RECORDS_PROPERTY);
    }
    assertEquals(
        CatalogLimits.DEFAULT_MAX_PACKAGE_RECORDS, CatalogLimits.defaults().maxPackageRecords());
  }
}
