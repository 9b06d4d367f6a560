package dev.caulk.scan.catalog;

import static dev.caulk.scan.catalog.CatalogTesting.TreeFile.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.scan.ecosystem.Ecosystems;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ApkCatalogerTest {
  static final String DB =
      """
      C:Q1myMNfd7u5v5UTgNHeq1e31qTjZU=
      P:alpine-baselayout
      V:3.6.5-r0
      A:x86_64
      S:8515
      I:315392
      T:Alpine base dir structure and init scripts
      L:GPL-2.0-only
      o:alpine-baselayout
      m:Natanael Copa <ncopa@alpinelinux.org>
      D:alpine-baselayout-data=3.6.5-r0 /bin/sh
      F:
      R:.profile
      F:etc
      R:motd
      a:0:0:644
      Z:Q11Q7hNe8QpDS531guqCdrXBzoA/o=
      F:etc/profile.d
      R:color_prompt.sh.disabled

      P:libcrypto3
      V:3.3.2-r0
      A:x86_64
      L:Apache-2.0
      o:openssl
      F:lib
      R:libcrypto.so.3
      F:usr/lib/ossl-modules
      R:legacy.so
      """;

  static final String OS =
      "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.20.3\nPRETTY_NAME=\"Alpine Linux v3.20\"\n";

  @Test
  void readsPackagesOriginsLicensesAndFiles() throws IOException {
    Inventory inv =
        CatalogTesting.pass(
            Ecosystems.catalog(),
            List.of(of("/lib/apk/db/installed", DB), of("/etc/os-release", OS)));
    assertEquals(List.of(), inv.problems());
    Map<String, Package> by =
        inv.packages().stream().collect(Collectors.toMap(Package::name, p -> p));
    Package base = by.get("alpine-baselayout");
    assertEquals("3.6.5-r0", base.version());
    assertEquals(
        "pkg:apk/alpine/alpine-baselayout@3.6.5-r0?arch=x86_64&distro=alpine-3.20.3",
        base.purl().toString());
    assertEquals(List.of("GPL-2.0-only"), base.licenses());
    assertEquals(
        List.of(
            "/lib/apk/db/installed",
            "/.profile",
            "/etc/motd",
            "/etc/profile.d/color_prompt.sh.disabled"),
        base.locations());
    Package crypto = by.get("libcrypto3");
    assertEquals("openssl", crypto.sourceName());
    assertEquals("3.3.2-r0", crypto.sourceVersion());
    assertEquals(
        "pkg:apk/alpine/libcrypto3@3.3.2-r0?arch=x86_64&distro=alpine-3.20.3&upstream=openssl",
        crypto.purl().toString());
    assertEquals(
        List.of("/lib/apk/db/installed", "/lib/libcrypto.so.3", "/usr/lib/ossl-modules/legacy.so"),
        crypto.locations());
    assertEquals("alpine", inv.os().id());
    assertEquals("Alpine Linux v3.20", inv.os().prettyName());
  }

  @Test
  void linesLongerThan64KiBAreRead() throws IOException {
    StringBuilder provides = new StringBuilder("p:");
    for (int i = 0; provides.length() < 200_000; i++)
      provides.append("cmd:tool").append(i).append("=1.0 ");
    String db =
        "P:coq\nV:8.20.0-r0\nA:aarch64\n"
            + provides
            + "\nL:LGPL-2.1-only\no:coq\n\nP:after\nV:1-r0\n";
    List<Package> pkgs =
        CatalogTesting.feed(
            Catalogers.apk(CatalogLimits.defaults()),
            "/usr/lib/apk/db/installed",
            CatalogTesting.utf8(db),
            false);
    assertEquals(List.of("after", "coq"), pkgs.stream().map(Package::name).toList());
    Package coq = pkgs.get(1);
    assertEquals(List.of("LGPL-2.1-only"), coq.licenses());
    assertEquals("aarch64", coq.arch());
    assertEquals("pkg:apk/alpine/coq@8.20.0-r0?arch=aarch64", coq.purl().toString());
  }

  @Test
  void alpineReleaseFileAloneIdentifiesTheOs() throws IOException {
    Inventory inv =
        CatalogTesting.pass(
            Ecosystems.catalog(),
            List.of(
                of("/lib/apk/db/installed", "P:musl\nV:1.2.5-r0\nA:x86_64\n"),
                of("/etc/alpine-release", "3.20.3\n")));
    assertEquals(
        "pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64&distro=alpine-3.20.3",
        inv.packages().get(0).purl().toString());
  }

  @Test
  void databaseOverTheBoundIsAProblem() throws IOException {
    Cataloger c = Catalogers.apk(CatalogLimits.defaults().withMaxDatabaseBytes(64));
    byte[] db = CatalogTesting.utf8(DB);
    // Declared size within the bound but a longer stream still stops at the bound.
    c.accept("/lib/apk/db/installed", new java.io.ByteArrayInputStream(db), 10);
    assertEquals(List.of(), c.packages(OsRelease.UNKNOWN));
    assertTrue(
        c.problems().get(0).reason().contains("larger than 64 bytes"), c.problems().toString());
  }
}
