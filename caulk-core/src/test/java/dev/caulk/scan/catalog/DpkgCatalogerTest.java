package dev.caulk.scan.catalog;

import static dev.caulk.scan.catalog.CatalogTesting.TreeFile.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.pkgdb.DpkgDatabase;
import dev.caulk.scan.catalog.CatalogTesting.TreeFile;
import dev.caulk.scan.ecosystem.Ecosystems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DpkgCatalogerTest {
  static final String OS_RELEASE =
      """
      PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
      NAME="Debian GNU/Linux"
      VERSION_ID="12"
      VERSION="12 (bookworm)"
      VERSION_CODENAME=bookworm
      ID=debian
      """;

  static final String STATUS =
      """
      Package: libacl1
      Status: install ok installed
      Priority: optional
      Architecture: amd64
      Multi-Arch: same
      Source: acl (2.2.52-3)
      Version: 2.2.52-3+b1
      Description: access control list - shared library
       This package contains the shared library.
       .
       It spans several continuation lines: Status: deinstall ok config-files
      Maintainer: Guillem Jover <guillem@debian.org>

      Package: removed-pkg
      Status: deinstall ok config-files
      Architecture: amd64
      Version: 1.0-1

      Package: half
      Status: install reinstreq half-installed
      Architecture: amd64
      Version: 2.0-1

      Package: libssl3
      Status: install ok installed
      Architecture: amd64
      Source: openssl
      Version: 3.0.11-1~deb12u2
      Conffiles:
       /etc/ssl/openssl.cnf 1234567890abcdef1234567890abcdef

      Package: tzdata
      Status: hold ok installed
      Architecture: all
      Version: 2024a-0+deb12u1

      Package: libldb2
      Status: install ok installed
      Architecture: amd64
      Source: samba (2:4.17.12+dfsg-0+deb12u1)
      Version: 2:2.6.2+samba4.17.12+dfsg-0+deb12u1
      """;

  static List<Package> run(List<TreeFile> files) throws IOException {
    Inventory inv = CatalogTesting.pass(Ecosystems.catalog(), files);
    assertEquals(List.of(), inv.problems());
    return inv.packages();
  }

  @Test
  void statusFileKeepsInstalledPackagesWithSourcesAndOwnedFiles() throws IOException {
    List<Package> pkgs =
        run(
            List.of(
                of(
                    "/var/lib/dpkg/info/libacl1:amd64.list",
                    "/.\n/usr\n/usr/lib\n/usr/lib/x86_64-linux-gnu\n"
                        + "/usr/lib/x86_64-linux-gnu/libacl.so.1.1.0\n/usr/lib/x86_64-linux-gnu/libacl.so.1\n/usr/share/doc/libacl1\n"
                        + "/usr/share/doc/libacl1/copyright\n"),
                of(
                    "/var/lib/dpkg/info/libacl1:amd64.md5sums",
                    "0123456789abcdef0123456789abcdef  usr/lib/x86_64-linux-gnu/libacl.so.1.1.0\n"),
                of(
                    "/var/lib/dpkg/info/libssl3.md5sums",
                    "0123456789abcdef0123456789abcdef  usr/lib/libssl.so.3\n"),
                of("/var/lib/dpkg/info/removed-pkg.list", "/usr/bin/gone\n"),
                of("/var/lib/dpkg/status", STATUS),
                of("/etc/os-release", OS_RELEASE)));
    Map<String, Package> by = pkgs.stream().collect(Collectors.toMap(Package::name, p -> p));
    assertEquals(
        List.of("libacl1", "libldb2", "libssl3", "tzdata"),
        pkgs.stream().map(Package::name).toList());

    Package acl = by.get("libacl1");
    assertEquals("2.2.52-3+b1", acl.version());
    assertEquals("acl", acl.sourceName());
    assertEquals("2.2.52-3", acl.sourceVersion());
    assertEquals("amd64", acl.arch());
    assertEquals(
        "pkg:deb/debian/libacl1@2.2.52-3%2Bb1?arch=amd64&distro=debian-12&upstream=acl%402.2.52-3",
        acl.purl().toString());
    assertEquals(
        List.of(
            "/var/lib/dpkg/status",
            "/usr/lib/x86_64-linux-gnu/libacl.so.1",
            "/usr/lib/x86_64-linux-gnu/libacl.so.1.1.0",
            "/usr/share/doc/libacl1/copyright"),
        acl.locations());
    assertEquals("Guillem Jover <guillem@debian.org>", acl.properties().get("maintainer"));

    Package ssl = by.get("libssl3");
    assertEquals("openssl", ssl.sourceName());
    assertEquals("3.0.11-1~deb12u2", ssl.sourceVersion());
    assertEquals(
        "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12&upstream=openssl",
        ssl.purl().toString());
    assertEquals(List.of("/var/lib/dpkg/status", "/usr/lib/libssl.so.3"), ssl.locations());

    Package tz = by.get("tzdata");
    assertEquals("tzdata", tz.sourceName());
    assertEquals(
        "pkg:deb/debian/tzdata@2024a-0%2Bdeb12u1?arch=all&distro=debian-12", tz.purl().toString());

    Package ldb = by.get("libldb2");
    assertEquals("samba", ldb.sourceName());
    assertEquals("2:4.17.12+dfsg-0+deb12u1", ldb.sourceVersion());
    assertEquals(
        "pkg:deb/debian/libldb2@2:2.6.2%2Bsamba4.17.12%2Bdfsg-0%2Bdeb12u1?arch=amd64&distro=debian-12"
            + "&upstream=samba%402:4.17.12%2Bdfsg-0%2Bdeb12u1",
        ldb.purl().toString());
    assertTrue(
        pkgs.stream()
            .allMatch(p -> p.type() == PackageType.DEB && p.cataloger().equals("dpkg-db")));
  }

  @Test
  void installedStatusRules() {
    assertTrue(DpkgDatabase.installed("install ok installed", false));
    assertTrue(DpkgDatabase.installed("hold ok installed", false));
    assertFalse(DpkgDatabase.installed("deinstall ok config-files", false));
    assertFalse(DpkgDatabase.installed("purge ok not-installed", false));
    assertFalse(DpkgDatabase.installed("install ok unpacked", false));
    assertFalse(DpkgDatabase.installed("install reinstreq half-installed", false));
    assertFalse(DpkgDatabase.installed(null, false));
    assertTrue(DpkgDatabase.installed(null, true));
  }

  @Test
  void distrolessStatusDirectory() throws IOException {
    Inventory inv =
        CatalogTesting.pass(
            Ecosystems.catalog(),
            List.of(
                of(
                    "/etc/os-release",
                    OS_RELEASE.replace("Debian GNU/Linux 12 (bookworm)", "Distroless")),
                of(
                    "/var/lib/dpkg/status.d/base-files",
                    """
            Package: base-files
            Version: 12.4+deb12u5
            Architecture: amd64
            Maintainer: Santiago Vila <sanvila@debian.org>
            """),
                of(
                    "/var/lib/dpkg/status.d/base-files.md5sums",
                    "0123456789abcdef0123456789abcdef  etc/debian_version\n"),
                of(
                    "/var/lib/dpkg/status.d/libc6",
                    """
            Package: libc6
            Version: 2.36-9+deb12u4
            Architecture: amd64
            Source: glibc

            Package: libc-bin
            Version: 2.36-9+deb12u4
            Architecture: amd64
            Source: glibc
            """),
                of(
                    "/var/lib/dpkg/status.d/libc6.md5sums",
                    "0123456789abcdef0123456789abcdef  lib/x86_64-linux-gnu/libc.so.6\n")));
    assertTrue(inv.os().distroless());
    assertEquals("debian", inv.os().id());
    assertEquals("Distroless", inv.os().prettyName());
    assertEquals(List.of(), inv.problems());
    Map<String, Package> by =
        inv.packages().stream().collect(Collectors.toMap(Package::name, p -> p));
    assertEquals(Set3.of("base-files", "libc-bin", "libc6"), by.keySet());
    assertEquals(
        List.of("/var/lib/dpkg/status.d/base-files", "/etc/debian_version"),
        by.get("base-files").locations());
    assertEquals(
        List.of("/var/lib/dpkg/status.d/libc6", "/lib/x86_64-linux-gnu/libc.so.6"),
        by.get("libc6").locations());
    assertEquals("glibc", by.get("libc-bin").sourceName());
    assertEquals(
        "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12&upstream=glibc",
        by.get("libc6").purl().toString());
  }

  /** Sets compared as sorted lists, so a failure shows both sides in order. */
  static final class Set3 {
    static java.util.Set<String> of(String... s) {
      return new java.util.TreeSet<>(List.of(s));
    }
  }

  @Test
  void deletedStatusFileMeansNoPackagesEvenWithInfoLeftBehind() throws IOException {
    // The pass offers final files only: a status whited out by a later layer never arrives.
    List<Package> pkgs =
        run(
            List.of(
                of("/var/lib/dpkg/info/libc6:amd64.list", "/lib/libc.so.6\n"),
                of("/etc/os-release", OS_RELEASE)));
    assertEquals(List.of(), pkgs);
  }

  @Test
  void ubuntuNamespaceAndUnknownOs() throws IOException {
    String status =
        "Package: bash\nStatus: install ok installed\nArchitecture: arm64\nVersion: 5.1-6ubuntu1\n";
    List<Package> ubuntu =
        run(
            List.of(
                of("/var/lib/dpkg/status", status),
                of(
                    "/usr/lib/os-release",
                    "ID=ubuntu\nID_LIKE=debian\nVERSION_ID=\"22.04\"\nVERSION_CODENAME=jammy\n"),
                of("/etc/debian_version", "bookworm/sid\n")));
    assertEquals(
        "pkg:deb/ubuntu/bash@5.1-6ubuntu1?arch=arm64&distro=ubuntu-22.04",
        ubuntu.get(0).purl().toString());
    List<Package> unknown = run(List.of(of("/var/lib/dpkg/status", status)));
    assertEquals("pkg:deb/debian/bash@5.1-6ubuntu1?arch=arm64", unknown.get(0).purl().toString());
  }

  @Test
  void ownedFilesAreBounded() throws IOException {
    StringBuilder list = new StringBuilder();
    for (int i = 0; i < 50; i++) list.append("/usr/share/x/f").append(i).append('\n');
    Cataloger c = Catalogers.dpkg(CatalogLimits.defaults().withMaxLocationsPerPackage(10));
    CatalogTesting.feed(
        c, "/var/lib/dpkg/info/big.list", CatalogTesting.utf8(list.toString()), false);
    List<Package> pkgs =
        CatalogTesting.feed(
            c,
            "/var/lib/dpkg/status",
            CatalogTesting.utf8("Package: big\nStatus: install ok installed\nVersion: 1\n"),
            false);
    assertEquals(11, pkgs.get(0).locations().size());
    assertEquals("true", pkgs.get(0).properties().get("locations.truncated"));
  }

  @Test
  void oversizedDatabaseIsSkippedWithAReason() throws IOException {
    Cataloger c = Catalogers.dpkg(CatalogLimits.defaults().withMaxDatabaseBytes(100));
    byte[] big = CatalogTesting.utf8(STATUS);
    assertEquals(List.of(), CatalogTesting.feed(c, "/var/lib/dpkg/status", big, false));
    assertEquals(1, c.problems().size());
    assertTrue(
        c.problems()
            .get(0)
            .reason()
            .startsWith("skipped: " + big.length + " bytes is over the 100-byte bound"));
  }

  @Test
  void readsThisMachinesRealStatusFile() throws IOException {
    Path status = Path.of("/var/lib/dpkg/status");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(status), "not a dpkg system");
    Cataloger c = Catalogers.dpkg(CatalogLimits.defaults());
    CatalogTesting.stream(c, "/var/lib/dpkg/status", status, false);
    List<Package> pkgs = c.packages(OsRelease.UNKNOWN);
    assertEquals(List.of(), c.problems());
    assertTrue(pkgs.size() > 50, "packages: " + pkgs.size());
    assertTrue(pkgs.stream().anyMatch(p -> p.name().equals("dpkg")));
    assertTrue(pkgs.stream().anyMatch(p -> !p.sourceName().equals(p.name())));
    Path query = CatalogTesting.which("dpkg-query");
    if (query == null) return;
    // dpkg itself is the oracle for which packages are installed and for their source name and
    // version.
    String out =
        CatalogTesting.run(
            List.of(
                query.toString(),
                "-W",
                "-f",
                "${db:Status-Status} ${Package} ${Architecture} ${Version} ${source:Package} ${source:Version}\\n"),
            null,
            null,
            60);
    java.util.Set<String> expected =
        out.lines()
            .filter(l -> l.startsWith("installed "))
            .map(l -> l.substring("installed ".length()))
            .collect(Collectors.toCollection(java.util.TreeSet::new));
    java.util.Set<String> actual =
        pkgs.stream()
            .map(
                p ->
                    p.name()
                        + " "
                        + p.arch()
                        + " "
                        + p.version()
                        + " "
                        + p.sourceName()
                        + " "
                        + p.sourceVersion())
            .collect(Collectors.toCollection(java.util.TreeSet::new));
    assertEquals(expected, actual);
  }
}
