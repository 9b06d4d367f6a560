package dev.caulk.scan.catalog;

import static dev.caulk.scan.catalog.CatalogTesting.TreeFile.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.caulk.scan.ecosystem.Ecosystems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class OsReleaseTest {
  @Test
  void parsesQuotingAndEscapes() {
    OsRelease os =
        OsRelease.parseOsRelease(
            CatalogTesting.utf8(
                """
        # comment
        NAME='Debian GNU/Linux'
        PRETTY_NAME="Say \\"hi\\" \\$HOME"
        ID=Debian
        ID_LIKE="ubuntu debian"
        VERSION_ID="12"
        VERSION_CODENAME=bookworm
        junk line
        """),
            "/etc/os-release");
    assertEquals("debian", os.id());
    assertEquals("Debian GNU/Linux", os.name());
    assertEquals("Say \"hi\" $HOME", os.prettyName());
    assertEquals(List.of("ubuntu", "debian"), os.idLike());
    assertEquals("12", os.versionId());
    assertEquals("bookworm", os.versionCodename());
    assertEquals("debian-12", os.distroQualifier());
    assertEquals("/etc/os-release", os.evidence());
  }

  @Test
  void etcWinsOverUsrLibAndReleaseFilesAreFallbacks() throws IOException {
    Inventory both =
        CatalogTesting.pass(
            Ecosystems.catalog(),
            List.of(
                of("/usr/lib/os-release", "ID=alpine\nVERSION_ID=3.19.0\n"),
                of("/etc/os-release", "ID=wolfi\nVERSION_ID=20230201\n")));
    assertEquals("wolfi", both.os().id());
    Inventory usr =
        CatalogTesting.pass(
            Ecosystems.catalog(),
            List.of(
                of("/usr/lib/os-release", "ID=ubuntu\nVERSION_ID=24.04\n"),
                of("/etc/debian_version", "trixie/sid\n")));
    assertEquals("ubuntu-24.04", usr.os().distroQualifier());
    Inventory deb =
        CatalogTesting.pass(Ecosystems.catalog(), List.of(of("/etc/debian_version", "12.5\n")));
    assertEquals("debian", deb.os().id());
    assertEquals("12", deb.os().versionId());
    assertEquals("/etc/debian_version", deb.os().evidence());
    Inventory sid =
        CatalogTesting.pass(
            Ecosystems.catalog(), List.of(of("/etc/debian_version", "trixie/sid\n")));
    assertNull(sid.os().versionId());
    assertEquals("debian-trixie", sid.os().distroQualifier());
    assertFalse(sid.os().distroless());
    assertEquals(
        OsRelease.UNKNOWN,
        CatalogTesting.pass(Ecosystems.catalog(), List.of(of("/etc/hostname", "x"))).os());
  }

  @Test
  void distrolessNeedsStatusDWithoutStatus() throws IOException {
    String stanza = "Package: a\nVersion: 1\n";
    Inventory withStatus =
        CatalogTesting.pass(
            Ecosystems.catalog(),
            List.of(
                of("/var/lib/dpkg/status.d/a", stanza),
                of(
                    "/var/lib/dpkg/status",
                    "Package: b\nStatus: install ok installed\nVersion: 1\n")));
    assertFalse(withStatus.os().distroless());
    assertEquals(2, withStatus.packages().size());
  }

  @Test
  void thisMachine() throws IOException {
    Path p = Path.of("/etc/os-release");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(p));
    OsRelease os = OsRelease.parseOsRelease(Files.readAllBytes(p), p.toString());
    assertEquals(true, os.isKnown());
  }
}
