package dev.caulk.scan.vuln;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.scan.catalog.OsRelease;
import dev.caulk.scan.catalog.Package;
import dev.caulk.scan.catalog.PackageType;
import dev.caulk.scan.catalog.Purl;
import dev.caulk.scan.ecosystem.OsvTarget;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Which OSV ecosystem, name and version each kind of package is looked up with. */
class OsvTargetTest {
  static OsRelease os(String text) {
    return OsRelease.parseOsRelease(text.getBytes(StandardCharsets.UTF_8), "/etc/os-release");
  }

  static Package deb(String vendor, String distro) {
    return Package.builder(PackageType.DEB, "libssl3", "3.0.2-0ubuntu1.15")
        .purl(
            Purl.of("deb", vendor, "libssl3", "3.0.2-0ubuntu1.15").withQualifier("distro", distro))
        .source("openssl", "3.0.2-0ubuntu1.15")
        .cataloger("t")
        .build();
  }

  static String target(Package p, OsRelease os) {
    OsvTarget t = OsvTarget.of(p, os);
    return t.isSkipped()
        ? "skip: " + t.skipped()
        : t.ecosystem() + " " + t.name() + " " + t.version();
  }

  @Test
  void distributionsAndReleases() {
    Package p = deb("ubuntu", null);
    assertEquals(
        "Ubuntu:22.04 openssl 3.0.2-0ubuntu1.15",
        target(p, os("ID=ubuntu\nVERSION_ID=\"22.04\"\n")));
    assertEquals(
        "Debian:13 openssl 3.0.2-0ubuntu1.15",
        target(p, os("ID=debian\nVERSION_CODENAME=trixie\n")),
        "testing has only a codename");
    assertEquals(
        "Debian:12 openssl 3.0.2-0ubuntu1.15", target(p, os("ID=debian\nVERSION_ID=12.5\n")));
    assertEquals(
        "Ubuntu:22.04 openssl 3.0.2-0ubuntu1.15",
        target(deb("ubuntu", "ubuntu-22.04"), OsRelease.UNKNOWN),
        "from the purl (Syft style)");
    assertEquals(
        "Debian:12 openssl 3.0.2-0ubuntu1.15",
        target(deb("debian", "bookworm"), OsRelease.UNKNOWN),
        "scalibr's codename");
    assertEquals(
        "Debian:12 openssl 3.0.2-0ubuntu1.15",
        target(deb("debian", "12.5"), OsRelease.UNKNOWN),
        "Trivy's bare number");
    assertTrue(
        target(p, os("ID=raspbian\nVERSION_ID=12\n"))
            .startsWith("skip: no advisories for distribution 'raspbian'"));
  }

  @Test
  void alpineFamily() {
    Package apk =
        Package.builder(PackageType.APK, "libcrypto3", "3.3.2-r0")
            .purl(Purl.of("apk", "alpine", "libcrypto3", "3.3.2-r0"))
            .source("openssl", "3.3.2-r0")
            .cataloger("t")
            .build();
    assertEquals(
        "Alpine:v3.20 openssl 3.3.2-r0", target(apk, os("ID=alpine\nVERSION_ID=3.20.3\n")));
    assertEquals(
        "Alpine:v3.21 openssl 3.3.2-r0",
        target(apk, os("ID=alpine\nVERSION_ID=3.21.0_alpha20240807\n")));
    assertEquals("Wolfi openssl 3.3.2-r0", target(apk, os("ID=wolfi\n")));
    assertEquals("skip: Alpine release unknown", target(apk, os("ID=alpine\n")));
  }

  @Test
  void languagePackages() {
    Package go =
        Package.builder(PackageType.GOLANG, "github.com/a/b", "v1.2.3")
            .purl(Purl.of("golang", "github.com/a", "b", "v1.2.3"))
            .cataloger("t")
            .build();
    assertEquals("Go github.com/a/b v1.2.3", target(go, OsRelease.UNKNOWN));
    Package cla =
        Package.builder(PackageType.GOLANG, "command-line-arguments", "v0.0.0")
            .purl(Purl.of("golang", null, "x", "v0.0.0"))
            .cataloger("t")
            .build();
    assertTrue(target(cla, OsRelease.UNKNOWN).startsWith("skip:"));
    Package noVersion =
        Package.builder(PackageType.MAVEN, "x", null)
            .purl(Purl.of("maven", "g", "x", null))
            .maven("g", "x")
            .cataloger("t")
            .build();
    assertEquals("skip: no version", target(noVersion, OsRelease.UNKNOWN));
  }
}
