package dev.caulk.scan.vuln;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.report.Severity;
import dev.caulk.scan.catalog.Inventory;
import dev.caulk.scan.catalog.OsRelease;
import dev.caulk.scan.catalog.Package;
import dev.caulk.scan.catalog.PackageType;
import dev.caulk.scan.catalog.Purl;
import dev.caulk.scan.db.VulnDb;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Matching an inventory against OSV records written here in the real schema: Debian and Alpine by
 * source name and source version with their own orderings, release scoping, Go semver
 * (+incompatible, pseudo-versions, stdlib), Maven ordering, explicit version lists, last_affected,
 * withdrawn records, and folding of one vulnerability reported through several records.
 */
class ScannerTest {
  static final OsRelease DEBIAN_12 =
      OsRelease.parseOsRelease(
          "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n"
              .getBytes(StandardCharsets.UTF_8),
          "/etc/os-release");
  static final OsRelease ALPINE =
      OsRelease.parseOsRelease(
          "ID=alpine\nVERSION_ID=3.19.1\n".getBytes(StandardCharsets.UTF_8), "/etc/os-release");
  static final String CRITICAL = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H";
  static final String HIGH = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H";

  @TempDir static Path dir;
  static VulnDb db;

  @BeforeAll
  static void records() throws Exception {
    Path osv = dir.resolve("osv");
    // openssl: one CVE through three Debian records; Debian 11 has another fix line that must not
    // leak into 12.
    Osv.record("DEBIAN-CVE-2023-5678")
        .upstream("CVE-2023-5678")
        .summary("openssl: excessive time spent in DH checks")
        .affected(
            "Debian:12",
            "openssl",
            List.of(),
            "low",
            "introduced",
            "0",
            "fixed",
            "3.0.13-1~deb12u1")
        .affected("Debian:11", "openssl", List.of(), "low", "introduced", "0", "fixed", "9.9.9-1")
        .into(osv);
    Osv.record("DSA-5600-1")
        .upstream("CVE-2023-5678")
        .summary("openssl security update")
        .affected("Debian:12", "openssl", "introduced", "0", "fixed", "3.0.13-1~deb12u1")
        .into(osv);
    Osv.record("DEBIAN-CVE-2024-0001")
        .upstream("CVE-2024-0001")
        .cvss3(HIGH)
        .affected("Debian:12", "openssl", "introduced", "0", "fixed", "3.0.11-1~deb12u3")
        .into(osv);
    Osv.record("DSA-5700-1")
        .upstream("CVE-2023-5678", "CVE-2024-0001")
        .summary("several openssl issues")
        .affected("Debian:12", "openssl", "introduced", "0", "fixed", "3.0.13-1~deb12u1")
        .into(osv);
    // unfixed in Debian 12
    Osv.record("DEBIAN-CVE-2024-0002")
        .upstream("CVE-2024-0002")
        .summary("openssl: not fixed yet")
        .affected("Debian:12", "openssl", List.of(), "unimportant", "introduced", "0")
        .into(osv);
    // samba: libldb2's binary version 2:2.6.2 is far below both fixes; only the source version
    // decides.
    Osv.record("DEBIAN-CVE-2024-1000")
        .upstream("CVE-2024-1000")
        .affected("Debian:12", "samba", "introduced", "0", "fixed", "2:4.17.10+dfsg-0+deb12u1")
        .into(osv);
    Osv.record("DEBIAN-CVE-2024-1001")
        .upstream("CVE-2024-1001")
        .affected("Debian:12", "samba", "introduced", "0", "fixed", "2:4.17.12+dfsg-0+deb12u2")
        .into(osv);
    // attr binNMU: binary 1:2.5.1-4+b1 from source 1:2.5.1-4; fixed exactly at the source version.
    Osv.record("DEBIAN-CVE-2024-2000")
        .upstream("CVE-2024-2000")
        .affected("Debian:12", "attr", "introduced", "0", "fixed", "1:2.5.1-4")
        .into(osv);
    // the kernel
    Osv.record("DEBIAN-CVE-2024-3000")
        .upstream("CVE-2024-3000")
        .affected("Debian:12", "linux", "introduced", "0", "fixed", "6.1.99-1")
        .into(osv);
    // Alpine: libcrypto3 comes from origin openssl
    Osv.record("ALPINE-CVE-2024-4000")
        .aliases("CVE-2024-4000")
        .affected("Alpine:v3.19", "openssl", "introduced", "0", "fixed", "3.1.4-r1")
        .affected("Alpine:v3.18", "openssl", "introduced", "0", "fixed", "3.1.9-r0")
        .into(osv);
    // Go
    Osv.record("GO-2024-0100")
        .aliases("CVE-2024-0100", "GHSA-aaaa-bbbb-cccc")
        .summary("docker: auth bypass")
        .cvss3(CRITICAL)
        .affected("Go", "github.com/docker/docker", "introduced", "0", "fixed", "20.10.27")
        .into(osv);
    Osv.record("GO-2024-0101")
        .aliases("CVE-2024-0101")
        .summary("x/net: HTTP/2 rapid reset")
        .affected("Go", "golang.org/x/net", "introduced", "0", "fixed", "0.17.0")
        .into(osv);
    Osv.record("GO-2024-0102")
        .aliases("CVE-2024-0102")
        .summary("net/http: memory exhaustion")
        .affected("Go", "stdlib", "introduced", "0", "fixed", "1.21.6")
        .into(osv);
    Osv.record("GO-2024-0103")
        .summary("no fix, last affected")
        .affected("Go", "example.com/lib", "introduced", "0", "last_affected", "1.2.3")
        .into(osv);
    Osv.record("GO-2024-0104")
        .summary("withdrawn")
        .withdrawn()
        .affected("Go", "example.com/lib", "introduced", "0")
        .into(osv);
    // Maven
    Osv.record("GHSA-jfh8-c2jp-5v3q")
        .aliases("CVE-2021-44228")
        .summary("Log4Shell")
        .cvss3(CRITICAL)
        .affected(
            "Maven",
            "org.apache.logging.log4j:log4j-core",
            "introduced",
            "2.0-beta9",
            "fixed",
            "2.15.0")
        .into(osv);
    Osv.record("GHSA-spring-0001")
        .aliases("CVE-2022-22965")
        .summary("Spring4Shell")
        .affected("Maven", "org.springframework:spring-beans", "introduced", "0", "fixed", "5.3.18")
        .into(osv);
    Osv.record("GHSA-list-0001")
        .aliases("CVE-2022-1111")
        .summary("listed versions only")
        .affected("Maven", "com.example:listed", List.of("1.0", "1.1"), null)
        .into(osv);
    db = Osv.store(dir);
  }

  @AfterAll
  static void close() throws Exception {
    db.close();
  }

  static Package deb(String name, String version, String src, String srcVersion) {
    Purl purl =
        Purl.of("deb", "debian", name, version)
            .withQualifier("arch", "amd64")
            .withQualifier("distro", "debian-12");
    return Package.builder(PackageType.DEB, name, version)
        .purl(purl)
        .source(src, srcVersion)
        .arch("amd64")
        .cataloger("dpkg-db")
        .location("/var/lib/dpkg/status")
        .build();
  }

  static Package apk(String name, String version, String origin) {
    return Package.builder(PackageType.APK, name, version)
        .purl(Purl.of("apk", "alpine", name, version))
        .source(origin, version)
        .cataloger("apk-db")
        .location("/lib/apk/db/installed")
        .build();
  }

  static Package go(String module, String version) {
    int slash = module.lastIndexOf('/');
    Purl purl =
        Purl.of(
            "golang",
            slash > 0 ? module.substring(0, slash) : null,
            module.substring(slash + 1),
            version);
    return Package.builder(PackageType.GOLANG, module, version)
        .purl(purl)
        .cataloger("go-binary")
        .location("/usr/bin/app")
        .build();
  }

  static Package maven(String group, String artifact, String version) {
    return Package.builder(PackageType.MAVEN, artifact, version)
        .purl(Purl.of("maven", group, artifact, version))
        .maven(group, artifact)
        .cataloger("java-archive")
        .location("/app/app.jar")
        .build();
  }

  static ScanResult scan(OsRelease os, ScanOptions o, Package... packages) throws Exception {
    return Scanner.scan(new Inventory(os, List.of(packages), List.of()), db, o);
  }

  static Set<String> ids(ScanResult r, String pkg) {
    return r.vulnerabilities().stream()
        .filter(v -> v.pkg().name().equals(pkg))
        .map(Vulnerability::id)
        .collect(Collectors.toSet());
  }

  @Test
  void binaryPackagesMatchTheirSourcePackagesAdvisories() throws Exception {
    ScanResult r =
        scan(
            DEBIAN_12,
            ScanOptions.defaults(),
            deb("libssl3", "3.0.11-1~deb12u2", "openssl", "3.0.11-1~deb12u2"),
            deb("openssl", "3.0.11-1~deb12u2", "openssl", "3.0.11-1~deb12u2"),
            deb(
                "libopenssl-unrelated",
                "3.0.11-1~deb12u2",
                "libopenssl-unrelated",
                "3.0.11-1~deb12u2"));
    Set<String> expected = Set.of("CVE-2023-5678", "CVE-2024-0001", "CVE-2024-0002");
    assertEquals(expected, ids(r, "libssl3"), "libssl3 is looked up as openssl");
    assertEquals(expected, ids(r, "openssl"));
    assertEquals(Set.of(), ids(r, "libopenssl-unrelated"));
    Vulnerability v =
        r.vulnerabilities().stream()
            .filter(x -> x.id().equals("CVE-2023-5678") && x.pkg().name().equals("libssl3"))
            .findFirst()
            .orElseThrow();
    assertEquals(
        Optional.of("3.0.13-1~deb12u1"), v.fixedVersion(), "Debian 12's fix, not Debian 11's");
    assertEquals("Debian:12", v.ecosystem());
    assertEquals("openssl", v.matchedName());
    assertTrue(
        v.aliases().containsAll(List.of("DEBIAN-CVE-2023-5678", "DSA-5600-1")),
        v.aliases().toString());
    assertEquals(Severity.LOW, v.severity(), "Debian urgency 'low'");
    assertEquals(
        Severity.HIGH,
        r.vulnerabilities().stream()
            .filter(x -> x.id().equals("CVE-2024-0001"))
            .findFirst()
            .orElseThrow()
            .severity());
    assertFalse(
        r.vulnerabilities().stream().anyMatch(x -> x.id().startsWith("DSA-5700")),
        "a DSA whose CVEs are all reported is folded away");
  }

  @Test
  void aPackageFixedInALaterRevisionIsAffectedUntilThatRevision() throws Exception {
    ScanResult before =
        scan(
            DEBIAN_12,
            ScanOptions.defaults(),
            deb("libssl3", "3.0.11-1~deb12u2", "openssl", "3.0.11-1~deb12u2"));
    Vulnerability v =
        before.vulnerabilities().stream()
            .filter(x -> x.id().equals("CVE-2024-0001"))
            .findFirst()
            .orElseThrow();
    assertEquals(Optional.of("3.0.11-1~deb12u3"), v.fixedVersion());
    ScanResult after =
        scan(
            DEBIAN_12,
            ScanOptions.defaults(),
            deb("libssl3", "3.0.11-1~deb12u3", "openssl", "3.0.11-1~deb12u3"));
    assertFalse(ids(after, "libssl3").contains("CVE-2024-0001"), "deb12u3 is the fix");
    assertTrue(ids(after, "libssl3").contains("CVE-2023-5678"), "still below 3.0.13");
  }

  @Test
  void theSourceVersionDecidesNotTheBinaryVersion() throws Exception {
    ScanResult r =
        scan(
            DEBIAN_12,
            ScanOptions.defaults(),
            deb(
                "libldb2",
                "2:2.6.2+samba4.17.12+dfsg-0+deb12u1",
                "samba",
                "2:4.17.12+dfsg-0+deb12u1"),
            deb("attr", "1:2.5.1-4+b1", "attr", "1:2.5.1-4"));
    assertEquals(
        Set.of("CVE-2024-1001"),
        ids(r, "libldb2"),
        "source samba 2:4.17.12 is past the 2:4.17.10 fix (binary 2:2.6.2 would be a false positive) and below 2:4.17.12…u2");
    assertEquals(Set.of(), ids(r, "attr"), "binNMU +b1 of the fixed source version is fixed");
  }

  @Test
  void kernelPackagesAreSkippedUnlessAsked() throws Exception {
    Package headers = deb("linux-libc-dev", "6.1.90-1", "linux", "6.1.90-1");
    ScanResult r = scan(DEBIAN_12, ScanOptions.defaults(), headers);
    assertEquals(List.of(), r.vulnerabilities());
    assertEquals(1, r.skipped().values().stream().mapToInt(Integer::intValue).sum());
    ScanResult all = scan(DEBIAN_12, ScanOptions.defaults().withIncludeKernel(true), headers);
    assertEquals(Set.of("CVE-2024-3000"), ids(all, "linux-libc-dev"));
  }

  @Test
  void alpineMatchesByOriginAndReleaseWithApkOrdering() throws Exception {
    ScanResult r =
        scan(
            ALPINE,
            ScanOptions.defaults(),
            apk("libcrypto3", "3.1.4-r0", "openssl"),
            apk("libssl3", "3.1.4-r1", "openssl"));
    assertEquals(Set.of("CVE-2024-4000"), ids(r, "libcrypto3"));
    assertEquals("Alpine:v3.19", r.vulnerabilities().get(0).ecosystem());
    assertEquals(
        Optional.of("3.1.4-r1"),
        r.vulnerabilities().get(0).fixedVersion(),
        "v3.18's fix does not apply");
    assertEquals(Set.of(), ids(r, "libssl3"), "-r1 is the fix");
  }

  @Test
  void goModulesBySemverIncludingIncompatibleAndPseudoVersions() throws Exception {
    Package main =
        Package.builder(PackageType.GOLANG, "example.com/app", "(devel)")
            .purl(Purl.of("golang", "example.com", "app", "(devel)"))
            .mainModule(true)
            .cataloger("go-binary")
            .location("/usr/bin/app")
            .build();
    ScanResult r =
        scan(
            OsRelease.UNKNOWN,
            ScanOptions.defaults(),
            go("github.com/docker/docker", "v20.10.11+incompatible"),
            go("golang.org/x/net", "v0.0.0-20211112202133-69e39bad7dc2"),
            go("stdlib", "1.21.5"),
            go("example.com/lib", "v1.2.3"),
            main);
    assertEquals(Set.of("CVE-2024-0100"), ids(r, "github.com/docker/docker"));
    assertEquals(
        Set.of("CVE-2024-0101"), ids(r, "golang.org/x/net"), "a pseudo-version before the fix");
    assertEquals(Set.of("CVE-2024-0102"), ids(r, "stdlib"));
    assertEquals(
        Set.of("GO-2024-0103"),
        ids(r, "example.com/lib"),
        "last_affected is inclusive; the withdrawn record is not used");
    Vulnerability docker =
        r.vulnerabilities().stream()
            .filter(v -> v.id().equals("CVE-2024-0100"))
            .findFirst()
            .orElseThrow();
    assertEquals(Severity.CRITICAL, docker.severity());
    assertEquals(10.0, docker.rating().score().getAsDouble());
    assertEquals(Optional.of("20.10.27"), docker.fixedVersion());
    assertEquals(List.of("GHSA-aaaa-bbbb-cccc", "GO-2024-0100"), docker.aliases());
    assertTrue(
        r.skipped().keySet().stream().anyMatch(k -> k.contains("(devel)")), r.skipped().toString());
    ScanResult fixed =
        scan(
            OsRelease.UNKNOWN,
            ScanOptions.defaults(),
            go("github.com/docker/docker", "v20.10.27+incompatible"),
            go("stdlib", "1.21.6"));
    assertEquals(List.of(), fixed.vulnerabilities());
  }

  @Test
  void mavenByComparableVersionAndExplicitVersionLists() throws Exception {
    ScanResult r =
        scan(
            OsRelease.UNKNOWN,
            ScanOptions.defaults(),
            maven("org.apache.logging.log4j", "log4j-core", "2.14.1"),
            maven("org.springframework", "spring-beans", "5.3.18.RELEASE"),
            maven("org.springframework", "spring-beans", "5.3.17"),
            maven("com.example", "listed", "1.1"),
            maven("com.example", "listed", "1.2"));
    List<Vulnerability> log4j =
        r.vulnerabilities().stream().filter(v -> v.pkg().name().equals("log4j-core")).toList();
    assertEquals("CVE-2021-44228", log4j.get(0).id());
    assertEquals(Severity.CRITICAL, log4j.get(0).severity());
    assertEquals("org.apache.logging.log4j:log4j-core", log4j.get(0).matchedName());
    assertEquals(
        1,
        r.vulnerabilities().stream().filter(v -> v.pkg().name().equals("spring-beans")).count(),
        "5.3.18.RELEASE equals the fix 5.3.18 (Maven 3.9); 5.3.17 is affected");
    assertEquals(
        1, r.vulnerabilities().stream().filter(v -> v.pkg().name().equals("listed")).count());
    Package noGroup =
        Package.builder(PackageType.MAVEN, "mystery", "1.0")
            .purl(Purl.of("maven", null, "mystery", "1.0"))
            .cataloger("java-archive")
            .build();
    assertEquals(1, scan(OsRelease.UNKNOWN, ScanOptions.defaults(), noGroup).skipped().size());
  }

  @Test
  void filtersForUnfixedAndSeverities() throws Exception {
    Package ssl = deb("libssl3", "3.0.11-1~deb12u2", "openssl", "3.0.11-1~deb12u2");
    assertEquals(
        Set.of("CVE-2023-5678", "CVE-2024-0001"),
        ids(scan(DEBIAN_12, ScanOptions.defaults().withIgnoreUnfixed(true), ssl), "libssl3"));
    assertEquals(
        Set.of("CVE-2024-0001"),
        ids(
            scan(
                DEBIAN_12,
                ScanOptions.defaults().withSeverities(Set.of(Severity.HIGH, Severity.CRITICAL)),
                ssl),
            "libssl3"));
  }

  @Test
  void ecosystemsWithoutDataAreReportedAsIncomplete(@TempDir Path other) throws Exception {
    Osv.record("GO-2024-9")
        .affected("Go", "golang.org/x/net", "introduced", "0", "fixed", "0.17.0")
        .into(other.resolve("osv"));
    try (VulnDb goOnly = Osv.store(other)) {
      ScanResult r =
          Scanner.scan(
              new Inventory(
                  DEBIAN_12,
                  List.of(
                      deb("bash", "5.2.15-2+b2", "bash", "5.2.15-2"),
                      go("golang.org/x/net", "v0.10.0")),
                  List.of()),
              goOnly,
              ScanOptions.defaults());
      assertEquals(Set.of("Debian"), r.missingEcosystems());
      assertEquals(Set.of("Debian", "Go"), r.ecosystems());
      assertFalse(r.isComplete());
      assertEquals(1, r.vulnerabilities().size());
    }
  }

  @Test
  void distributionAndReleaseComeFromThePurlWhenTheOsIsUnknown() throws Exception {
    ScanResult r =
        scan(
            OsRelease.UNKNOWN,
            ScanOptions.defaults(),
            deb("libssl3", "3.0.11-1~deb12u2", "openssl", "3.0.11-1~deb12u2"));
    assertEquals(Set.of("CVE-2023-5678", "CVE-2024-0001", "CVE-2024-0002"), ids(r, "libssl3"));
    Package noRelease =
        Package.builder(PackageType.DEB, "libssl3", "3.0.11-1~deb12u2")
            .purl(Purl.of("deb", "debian", "libssl3", "3.0.11-1~deb12u2"))
            .source("openssl", "3.0.11-1~deb12u2")
            .cataloger("sbom")
            .build();
    ScanResult unknown = scan(OsRelease.UNKNOWN, ScanOptions.defaults(), noRelease);
    assertEquals(
        List.of(),
        unknown.vulnerabilities(),
        "without a release, other releases' advice must not be applied");
    assertEquals(Set.of("Debian release unknown"), unknown.skipped().keySet());
  }

  @Test
  void invalidVersionsAreUndeterminedNotSilentlyClean() throws Exception {
    ScanResult r =
        scan(OsRelease.UNKNOWN, ScanOptions.defaults(), go("golang.org/x/net", "not-a-version"));
    assertEquals(List.of(), r.vulnerabilities());
    assertEquals(1, r.undetermined().size());
    assertTrue(r.undetermined().get(0).contains("GO-2024-0101"), r.undetermined().toString());
  }
}
