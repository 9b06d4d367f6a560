package dev.caulk.scan.sbom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.digest.Digest;
import dev.caulk.scan.catalog.Inventory;
import dev.caulk.scan.catalog.Package;
import dev.caulk.scan.catalog.PackageType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Reading SBOMs back: caulk's own CycloneDX and SPDX documents round-trip everything matching needs
 * (purl, source package and version, arch, coordinates, main module, first location), and
 * Syft/Trivy-style documents give their source packages too.
 */
class SbomReaderTest {
  static final Inventory INVENTORY = SbomWriterTest.inventory();

  /** What vulnerability matching and the SBOM need of a package, without owned files. */
  static String identity(Package p) {
    return String.join(
        "|",
        p.type().name(),
        p.name(),
        String.valueOf(p.version()),
        p.purl().toString(),
        String.valueOf(p.sourceName()),
        String.valueOf(p.sourceVersion()),
        String.valueOf(p.arch()),
        String.valueOf(p.groupId()),
        String.valueOf(p.artifactId()),
        String.valueOf(p.mainModule()),
        p.locations().isEmpty() ? "" : p.locations().get(0),
        p.cataloger());
  }

  static List<String> identities(Inventory inv) {
    return inv.packages().stream().map(SbomReaderTest::identity).toList();
  }

  @Test
  void cycloneDxRoundTrips() throws Exception {
    byte[] doc =
        SbomWriterTest.WRITER.write(SbomFormat.CYCLONEDX, SbomWriterTest.SUBJECT, INVENTORY);
    Sbom back = SbomReader.read(doc, "sbom.cdx.json");
    assertEquals(SbomFormat.CYCLONEDX, back.format());
    assertEquals(SbomWriterTest.SUBJECT, back.subject());
    assertEquals("debian", back.inventory().os().id());
    assertEquals("12", back.inventory().os().versionId());
    assertEquals("bookworm", back.inventory().os().versionCodename());
    assertEquals(identities(INVENTORY), identities(back.inventory()));
    Package app =
        back.inventory().packages().stream().filter(Package::mainModule).findFirst().orElseThrow();
    assertEquals("go1.22.1", app.properties().get("go.toolchain"));
    assertEquals(
        List.of("Apache-2.0 OR MIT"),
        back.inventory().packages().stream()
            .filter(p -> p.type() == PackageType.MAVEN)
            .findFirst()
            .orElseThrow()
            .licenses());
    byte[] again =
        SbomWriterTest.WRITER.write(SbomFormat.CYCLONEDX, back.subject(), back.inventory());
    assertEquals(
        identities(back.inventory()),
        identities(SbomReader.read(again, "again").inventory()),
        "stable on a second trip");
  }

  @Test
  void spdxRoundTrips() throws Exception {
    byte[] doc = SbomWriterTest.WRITER.write(SbomFormat.SPDX, SbomWriterTest.SUBJECT, INVENTORY);
    Sbom back = SbomReader.read(doc, "sbom.spdx.json");
    assertEquals(SbomFormat.SPDX, back.format());
    assertEquals(SbomWriterTest.SUBJECT.digest(), back.subject().digest());
    assertEquals("12", back.inventory().os().versionId());
    assertEquals(identities(INVENTORY), identities(back.inventory()));
  }

  @Test
  void syftAndTrivyDocumentsGiveSourcePackages() throws Exception {
    String syft =
        """
        {"bomFormat":"CycloneDX","specVersion":"1.5","version":1,
         "metadata":{"component":{"type":"container","name":"debian","version":"sha256:%s"}},
         "components":[
          {"type":"library","name":"libldb2","version":"2:2.6.2+samba4.17.12+dfsg-0+deb12u1",
           "purl":"pkg:deb/debian/libldb2@2:2.6.2%%2Bsamba4.17.12%%2Bdfsg-0%%2Bdeb12u1?arch=amd64&upstream=samba%%402:4.17.12%%2Bdfsg-0%%2Bdeb12u1&distro=debian-12",
           "properties":[{"name":"syft:package:foundBy","value":"dpkg-db-cataloger"},{"name":"syft:location:0:path","value":"/var/lib/dpkg/status"}]},
          {"type":"library","name":"left-pad","version":"1.3.0","purl":"pkg:npm/left-pad@1.3.0"},
          {"type":"operating-system","name":"debian","version":"12"}]}
        """
            .formatted("a".repeat(64));
    Sbom s = SbomReader.read(syft.getBytes(StandardCharsets.UTF_8), "syft.json");
    Package ldb = s.inventory().packages().get(0);
    assertEquals("samba", ldb.sourceName());
    assertEquals("2:4.17.12+dfsg-0+deb12u1", ldb.sourceVersion());
    assertEquals("dpkg-db-cataloger", ldb.cataloger());
    assertEquals("/var/lib/dpkg/status", ldb.locations().get(0));
    assertEquals(Digest.parse("sha256:" + "a".repeat(64)), s.subject().digest());
    assertEquals(1, s.inventory().problems().size(), "the npm package is named as not matched");
    assertTrue(s.inventory().problems().get(0).reason().contains("npm"));

    String trivy =
        """
        {"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[
          {"type":"library","name":"libssl3","version":"3.0.11-1~deb12u2","purl":"pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12.5",
           "properties":[{"name":"aquasecurity:trivy:SrcName","value":"openssl"},{"name":"aquasecurity:trivy:SrcVersion","value":"3.0.11"},
                         {"name":"aquasecurity:trivy:SrcRelease","value":"1~deb12u2"},{"name":"aquasecurity:trivy:SrcEpoch","value":"0"}]}]}
        """;
    Package ssl =
        SbomReader.read(trivy.getBytes(StandardCharsets.UTF_8), "trivy.json")
            .inventory()
            .packages()
            .get(0);
    assertEquals("openssl", ssl.sourceName());
    assertEquals("3.0.11-1~deb12u2", ssl.sourceVersion());

    String spdx =
        """
        {"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT","name":"x","packages":[
          {"SPDXID":"SPDXRef-1","name":"libc6","versionInfo":"2.36-9+deb12u4","sourceInfo":"built package from: glibc 2.36-9+deb12u4",
           "externalRefs":[{"referenceCategory":"PACKAGE-MANAGER","referenceType":"purl","referenceLocator":"pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64"}]},
          {"SPDXID":"SPDXRef-2","name":"log4j-core","versionInfo":"2.14.1",
           "externalRefs":[{"referenceCategory":"PACKAGE_MANAGER","referenceType":"purl","referenceLocator":"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"}]},
          {"SPDXID":"SPDXRef-3","name":"no purl","versionInfo":"1"}]}
        """;
    Sbom sp = SbomReader.read(spdx.getBytes(StandardCharsets.UTF_8), "x.spdx.json");
    Map<String, Package> byName =
        sp.inventory().packages().stream().collect(Collectors.toMap(Package::name, p -> p));
    assertEquals("glibc", byName.get("libc6").sourceName());
    assertEquals("org.apache.logging.log4j", byName.get("log4j-core").groupId());
    assertEquals(2, byName.size());
    assertFalse(sp.inventory().os().isKnown());
    assertEquals(
        Digest.sha256(spdx.getBytes(StandardCharsets.UTF_8)),
        sp.subject().digest(),
        "no image digest: the document's own");
  }

  @Test
  void notAnSbomIsAOneLineError() {
    assertTrue(
        assertThrows(
                SbomFormatException.class,
                () -> SbomReader.read("{\"a\":".getBytes(StandardCharsets.UTF_8), "x.json"))
            .getMessage()
            .startsWith("x.json: not valid JSON"));
    assertTrue(
        assertThrows(
                SbomFormatException.class,
                () -> SbomReader.read("{\"a\":1}".getBytes(StandardCharsets.UTF_8), "x.json"))
            .getMessage()
            .contains("neither CycloneDX"));
    assertTrue(
        assertThrows(
                SbomFormatException.class,
                () -> SbomReader.read("[1]".getBytes(StandardCharsets.UTF_8), "x.json"))
            .getMessage()
            .contains("not a JSON object"));
    String deep =
        "{\"bomFormat\":\"CycloneDX\",\"components\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
    assertThrows(
        SbomFormatException.class,
        () -> SbomReader.read(deep.getBytes(StandardCharsets.UTF_8), "deep.json"));
    assertTrue(
        SbomReader.looksLikeSbom(
            "  {\"bomFormat\":\"CycloneDX\"".getBytes(StandardCharsets.UTF_8)));
    assertFalse(SbomReader.looksLikeSbom("oci:dir".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void badComponentsAreSkippedNotFatal() throws Exception {
    String doc =
        """
        {"bomFormat":"CycloneDX","specVersion":"1.6","components":[
          {"type":"library","name":"x","purl":"not a purl"},
          {"type":"library","name":"y"},
          {"type":"library","name":"bash","version":"5.2","purl":"pkg:deb/debian/bash@5.2","components":[
             {"type":"library","name":"nested","version":"1","purl":"pkg:golang/example.com/nested@v1.0.0"}]}]}
        """;
    Inventory inv = SbomReader.read(doc.getBytes(StandardCharsets.UTF_8), "d.json").inventory();
    assertEquals(
        List.of("bash", "example.com/nested"), inv.packages().stream().map(Package::name).toList());
    Package bash = inv.packages().get(0);
    assertEquals("bash", bash.sourceName(), "no source given: the binary is its own source");
    assertEquals("5.2", bash.sourceVersion());
    assertNull(bash.arch());
  }
}
