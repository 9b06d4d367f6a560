package dev.caulk.scan.sbom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.caulk.digest.Digest;
import dev.caulk.scan.catalog.Inventory;
import dev.caulk.scan.catalog.OsRelease;
import dev.caulk.scan.catalog.Package;
import dev.caulk.scan.catalog.PackageType;
import dev.caulk.scan.catalog.Purl;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.cyclonedx.Version;
import org.cyclonedx.exception.ParseException;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.Test;

/**
 * SBOM writers, validated by the formats' own schemas: CycloneDX 1.6 through cyclonedx-core-java's
 * bundled schema, SPDX 2.3 through the official JSON schema (shipped in org.spdx:tools-java, a
 * test-only dependency) with networknt json-schema-validator.
 */
class SbomWriterTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Digest DIGEST = Digest.sha256("an image manifest");
  static final SbomSubject SUBJECT =
      new SbomSubject("docker.io/library/debian", "12", DIGEST, "amd64");
  static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-01-15T10:00:00.123456Z"), ZoneOffset.UTC);
  static final SbomWriter WRITER = SbomWriter.create("0.1.0", CLOCK);

  static final OsRelease DEBIAN =
      OsRelease.parseOsRelease(
          "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"
              .getBytes(java.nio.charset.StandardCharsets.UTF_8),
          "/etc/os-release");

  static Inventory inventory() {
    List<Package> p = new ArrayList<>();
    p.add(
        Package.builder(PackageType.DEB, "libssl3", "3.0.11-1~deb12u2")
            .purl(
                Purl.of("deb", "debian", "libssl3", "3.0.11-1~deb12u2")
                    .withQualifier("arch", "amd64")
                    .withQualifier("distro", "debian-12")
                    .withQualifier("upstream", "openssl"))
            .source("openssl", "3.0.11-1~deb12u2")
            .arch("amd64")
            .cataloger("dpkg-db")
            .location("/var/lib/dpkg/status")
            .location("/usr/lib/x86_64-linux-gnu/libssl.so.3")
            .build());
    p.add(
        Package.builder(PackageType.DEB, "tzdata", "2024a-0+deb12u1")
            .purl(
                Purl.of("deb", "debian", "tzdata", "2024a-0+deb12u1").withQualifier("arch", "all"))
            .source("tzdata", "2024a-0+deb12u1")
            .arch("all")
            .cataloger("dpkg-db")
            .location("/var/lib/dpkg/status")
            .build());
    p.add(
        Package.builder(PackageType.APK, "busybox", "1.36.1-r29")
            .purl(Purl.of("apk", "alpine", "busybox", "1.36.1-r29"))
            .source("busybox", "1.36.1-r29")
            .license("GPL-2.0-only")
            .cataloger("apk-db")
            .location("/lib/apk/db/installed")
            .build());
    p.add(
        Package.builder(PackageType.APK, "weird", "1-r0")
            .purl(Purl.of("apk", "alpine", "weird", "1-r0"))
            .source("weird", "1-r0")
            .license("MIT BSD-2-Clause")
            .cataloger("apk-db")
            .location("/lib/apk/db/installed")
            .build());
    p.add(
        Package.builder(PackageType.GOLANG, "example.com/app", "(devel)")
            .purl(Purl.of("golang", "example.com", "app", "(devel)"))
            .mainModule(true)
            .cataloger("go-binary")
            .location("/app/server")
            .property("go.toolchain", "go1.22.1")
            .build());
    p.add(
        Package.builder(PackageType.GOLANG, "stdlib", "1.22.1")
            .purl(Purl.of("golang", null, "stdlib", "1.22.1"))
            .cataloger("go-binary")
            .location("/app/server")
            .build());
    p.add(
        Package.builder(PackageType.GOLANG, "stdlib", "1.22.1")
            .purl(Purl.of("golang", null, "stdlib", "1.22.1"))
            .cataloger("go-binary")
            .location("/app/other")
            .build());
    p.add(
        Package.builder(PackageType.MAVEN, "log4j-core", "2.14.1")
            .purl(Purl.of("maven", "org.apache.logging.log4j", "log4j-core", "2.14.1"))
            .maven("org.apache.logging.log4j", "log4j-core")
            .license("Apache-2.0 OR MIT")
            .cataloger("java-archive")
            .location("/app/app.jar:BOOT-INF/lib/log4j-core-2.14.1.jar")
            .build());
    return new Inventory(DEBIAN, p, List.of());
  }

  @Test
  void cycloneDxIsValidAgainstTheBundled16Schema() throws IOException {
    byte[] bom = WRITER.write(SbomFormat.CYCLONEDX, SUBJECT, inventory());
    List<ParseException> errors = new JsonParser().validate(bom, Version.VERSION_16);
    assertEquals(List.of(), errors.stream().map(Throwable::getMessage).toList());
    JsonNode root = JSON.readTree(bom);
    assertEquals("1.6", root.path("specVersion").asText());
    assertEquals(
        "urn:uuid:" + DocumentIds.uuid5("caulk:cyclonedx:" + DIGEST),
        root.path("serialNumber").asText());
    assertTrue(
        root.path("serialNumber")
            .asText()
            .matches(
                "urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
    JsonNode md = root.path("metadata");
    assertEquals("2026-01-15T10:00:00Z", md.path("timestamp").asText());
    assertEquals("caulk", md.path("tools").path("components").path(0).path("name").asText());
    assertEquals("container", md.path("component").path("type").asText());
    assertEquals(DIGEST.toString(), md.path("component").path("version").asText());
    assertEquals(
        "pkg:oci/debian@"
            + DIGEST
            + "?arch=amd64&repository_url=docker.io%2Flibrary%2Fdebian&tag=12",
        md.path("component").path("purl").asText());

    JsonNode comps = root.path("components");
    assertEquals(9, comps.size());
    assertEquals("operating-system", comps.path(0).path("type").asText());
    assertEquals("debian", comps.path(0).path("name").asText());
    Set<String> refs = new HashSet<>();
    for (JsonNode c : comps)
      assertTrue(refs.add(c.path("bom-ref").asText()), "duplicate bom-ref " + c.path("bom-ref"));
    JsonNode ssl = find(comps, "name", "libssl3");
    assertEquals("library", ssl.path("type").asText());
    assertEquals("openssl", property(ssl, "caulk:package:sourceName"));
    assertEquals("/var/lib/dpkg/status", property(ssl, "caulk:location:0:path"));
    assertEquals(
        "GPL-2.0-only",
        find(comps, "name", "busybox")
            .path("licenses")
            .path(0)
            .path("license")
            .path("id")
            .asText());
    assertEquals(
        "MIT BSD-2-Clause",
        find(comps, "name", "weird")
            .path("licenses")
            .path(0)
            .path("license")
            .path("name")
            .asText());
    assertEquals("application", find(comps, "name", "example.com/app").path("type").asText());
    assertEquals(
        "org.apache.logging.log4j", find(comps, "name", "log4j-core").path("group").asText());

    JsonNode deps = root.path("dependencies");
    assertEquals("image", deps.path(0).path("ref").asText());
    assertEquals("os:debian@12", deps.path(1).path("ref").asText());
    assertEquals(4, deps.path(1).path("dependsOn").size());
    assertEquals(5, deps.path(0).path("dependsOn").size());
  }

  @Test
  void spdxIsValidAgainstTheOfficial23Schema() throws IOException {
    byte[] doc = WRITER.write(SbomFormat.SPDX, SUBJECT, inventory());
    JsonNode root = JSON.readTree(doc);
    assertEquals(Set.of(), spdxSchemaErrors(root));
    assertEquals("SPDX-2.3", root.path("spdxVersion").asText());
    assertEquals("2026-01-15T10:00:00Z", root.path("creationInfo").path("created").asText());
    assertEquals("Tool: caulk-0.1.0", root.path("creationInfo").path("creators").path(0).asText());
    assertEquals(
        "https://caulk.dev/spdxdocs/docker.io-library-debian-"
            + DocumentIds.uuid5("caulk:spdx:" + DIGEST),
        root.path("documentNamespace").asText());
    JsonNode pkgs = root.path("packages");
    assertEquals(10, pkgs.size());
    Set<String> ids = new HashSet<>();
    for (JsonNode p : pkgs) {
      assertTrue(ids.add(p.path("SPDXID").asText()), "duplicate " + p.path("SPDXID"));
      // The 2.3.1 schema's SPDXID pattern; the released 2.3 schema used above does not check it.
      assertTrue(
          p.path("SPDXID").asText().matches("^SPDXRef-[a-zA-Z0-9.-]+$"), p.path("SPDXID").asText());
      assertEquals(
          "NOASSERTION".equals(p.path("downloadLocation").asText())
              || "NONE".equals(p.path("downloadLocation").asText()),
          true);
      if (!"OPERATING_SYSTEM".equals(p.path("primaryPackagePurpose").asText())) {
        JsonNode ref = p.path("externalRefs").path(0);
        assertEquals("PACKAGE-MANAGER", ref.path("referenceCategory").asText());
        assertEquals("purl", ref.path("referenceType").asText());
        Purl.parse(ref.path("referenceLocator").asText());
      }
    }
    JsonNode ssl = find(pkgs, "name", "libssl3");
    assertEquals("built package from: openssl 3.0.11-1~deb12u2", ssl.path("sourceInfo").asText());
    assertEquals("GPL-2.0-only", find(pkgs, "name", "busybox").path("licenseDeclared").asText());
    assertEquals("NOASSERTION", find(pkgs, "name", "weird").path("licenseDeclared").asText());
    assertEquals(
        "as declared: MIT BSD-2-Clause",
        find(pkgs, "name", "weird").path("licenseComments").asText());
    assertEquals(
        "Apache-2.0 OR MIT",
        find(pkgs, "name", "org.apache.logging.log4j:log4j-core").path("licenseDeclared").asText());

    JsonNode rels = root.path("relationships");
    assertEquals("SPDXRef-DOCUMENT", rels.path(0).path("spdxElementId").asText());
    assertEquals("DESCRIBES", rels.path(0).path("relationshipType").asText());
    assertEquals("SPDXRef-Image", rels.path(0).path("relatedSpdxElement").asText());
    assertEquals(1 + 1 + 8, rels.size());
    for (JsonNode r : rels) {
      if (!r.path("spdxElementId").asText().equals("SPDXRef-DOCUMENT"))
        assertTrue(ids.contains(r.path("spdxElementId").asText()));
      assertTrue(ids.contains(r.path("relatedSpdxElement").asText()));
    }
    String osId = find(pkgs, "primaryPackagePurpose", "OPERATING_SYSTEM").path("SPDXID").asText();
    long osContains = 0;
    for (JsonNode r : rels) if (r.path("spdxElementId").asText().equals(osId)) osContains++;
    assertEquals(4, osContains);
  }

  @Test
  void theSchemaCheckIsNotVacuous() throws IOException {
    ObjectNode root =
        (ObjectNode) JSON.readTree(WRITER.write(SbomFormat.SPDX, SUBJECT, inventory()));
    ((ObjectNode) root.path("packages").path(2)).remove("downloadLocation");
    ((ObjectNode) root.path("packages").path(1)).put("primaryPackagePurpose", "OPERATING-SYSTEM");
    ((ObjectNode) root.path("creationInfo")).remove("creators");
    assertEquals(3, spdxSchemaErrors(root).size(), spdxSchemaErrors(root).toString());

    ObjectNode bom =
        (ObjectNode) JSON.readTree(WRITER.write(SbomFormat.CYCLONEDX, SUBJECT, inventory()));
    ((ObjectNode) bom.path("components").path(1)).put("type", "not-a-type");
    assertFalse(
        new JsonParser().validate(JSON.writeValueAsBytes(bom), Version.VERSION_16).isEmpty());
  }

  @Test
  void outputIsDeterministic() throws IOException {
    Inventory a = inventory();
    List<Package> shuffled = new ArrayList<>(a.packages());
    Collections.reverse(shuffled);
    Inventory b = new Inventory(a.os(), shuffled, List.of());
    for (SbomFormat f : SbomFormat.values()) {
      assertArrayEquals(
          WRITER.write(f, SUBJECT, a),
          SbomWriter.create("0.1.0", CLOCK).write(f, SUBJECT, b),
          f.toString());
    }
    byte[] other =
        WRITER.write(
            SbomFormat.CYCLONEDX,
            new SbomSubject("docker.io/library/debian", "12", Digest.sha256("other"), "amd64"),
            a);
    assertFalse(
        JSON.readTree(other)
            .path("serialNumber")
            .equals(
                JSON.readTree(WRITER.write(SbomFormat.CYCLONEDX, SUBJECT, a))
                    .path("serialNumber")));
  }

  @Test
  void emptyImageWithUnknownOs() throws IOException {
    Inventory empty = new Inventory(OsRelease.UNKNOWN, List.of(), List.of());
    SbomSubject local = new SbomSubject("oci:build/layout", null, DIGEST, null);
    byte[] bom = WRITER.write(SbomFormat.CYCLONEDX, local, empty);
    assertEquals(
        List.of(),
        new JsonParser()
            .validate(bom, Version.VERSION_16).stream().map(Throwable::getMessage).toList());
    assertEquals(
        "pkg:oci/layout@" + DIGEST,
        JSON.readTree(bom).path("metadata").path("component").path("purl").asText());
    JsonNode spdx = JSON.readTree(WRITER.write(SbomFormat.SPDX, local, empty));
    assertEquals(Set.of(), spdxSchemaErrors(spdx));
    assertEquals(1, spdx.path("packages").size());
  }

  @Test
  void formatNames() {
    assertEquals(SbomFormat.CYCLONEDX, SbomFormat.parse("CycloneDX"));
    assertEquals(SbomFormat.SPDX, SbomFormat.parse("spdx-json"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SbomFormat.parse("swid"));
    assertEquals("unknown SBOM format 'swid': expected cyclonedx or spdx", e.getMessage());
  }

  @Test
  void licenseExpressions() {
    assertEquals("MIT", Licenses.expression(List.of("mit")));
    assertEquals(
        "(MIT OR Apache-2.0) AND GPL-2.0-only WITH Classpath-exception-2.0",
        Licenses.expression(
            List.of("(MIT OR Apache-2.0)", "GPL-2.0-only WITH Classpath-exception-2.0")));
    assertEquals(
        "(MIT OR Apache-2.0) AND BSD-3-Clause",
        Licenses.expression(List.of("MIT or Apache-2.0", "bsd-3-clause")));
    assertEquals(
        "GPL-2.0-only WITH Classpath-exception-2.0",
        Licenses.expression(List.of("GPL-2.0-only with classpath-exception-2.0")));
    assertEquals("LicenseRef-custom", Licenses.expression(List.of("LicenseRef-custom")));
    assertEquals(null, Licenses.expression(List.of("MIT BSD-2-Clause")));
    assertEquals(null, Licenses.expression(List.of("GPL")));
    assertEquals(null, Licenses.expression(List.of("(MIT")));
    assertEquals(null, Licenses.expression(List.of()));
  }

  static Set<ValidationMessage> spdxSchemaErrors(JsonNode doc) throws IOException {
    try (InputStream schema =
        SbomWriterTest.class.getResourceAsStream("/resources/spdx-schema-v2.3.json")) {
      if (schema == null)
        throw new AssertionError("SPDX 2.3 schema missing: test dependency org.spdx:tools-java");
      JsonSchema s =
          JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V201909).getSchema(schema);
      return s.validate(doc);
    }
  }

  static JsonNode find(JsonNode array, String field, String value) {
    for (JsonNode n : array) if (value.equals(n.path(field).asText())) return n;
    throw new AssertionError("no element with " + field + "=" + value);
  }

  static String property(JsonNode component, String name) {
    for (JsonNode p : component.path("properties"))
      if (name.equals(p.path("name").asText())) return p.path("value").asText();
    return null;
  }
}
