package dev.caulk.verbs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caulk.event.Event;
import dev.caulk.image.Artifact;
import dev.caulk.layout.OciLayout;
import dev.caulk.location.ImageLocation;
import dev.caulk.location.Locations;
import dev.caulk.registry.RegistryOptions;
import dev.caulk.sign.SigningKeys;
import dev.caulk.tar.TestTars;
import dev.caulk.testing.RegistryTest;
import dev.caulk.testing.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scan --vex-from-registry --key PUB}: an OpenVEX document made by hand, attached to the
 * image with the {@link Attest} verb (in the real registry, both schemes, and in an OCI layout),
 * suppresses the finding it states not_affected; one signed with another key does not count.
 */
@RegistryTest(TestRegistry.Mode.PLAIN)
class ScanVexFromRegistryTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final char[] PASSWORD = "vex key".toCharArray();
  static final String VEX =
      "{\"@context\":\"https://openvex.dev/ns/v0.2.0\",\"@id\":\"https://example.com/vex/7\","
          + "\"author\":\"a person\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"version\":1,"
          + "\"statements\":[{\"vulnerability\":{\"name\":\"CVE-2024-0002\"},"
          + "\"products\":[{\"@id\":\"pkg:deb/debian/libssl3\"}],"
          + "\"status\":\"not_affected\",\"justification\":\"vulnerable_code_not_present\"}]}";

  @TempDir Path tmp;
  Path db;
  Path key;
  Path pub;
  Path otherKey;
  Path otherPub;
  Artifact image;
  final List<Event> events = new ArrayList<>();
  Session session;

  @BeforeEach
  void setUp() throws Exception {
    session = Session.defaults(events::add);
    SigningKeys.write(SigningKeys.generate(), PASSWORD.clone(), tmp.resolve("vex"));
    SigningKeys.write(SigningKeys.generate(), PASSWORD.clone(), tmp.resolve("other"));
    key = tmp.resolve("vex.key");
    pub = tmp.resolve("vex.pub");
    otherKey = tmp.resolve("other.key");
    otherPub = tmp.resolve("other.pub");
    byte[] tar =
        TestTars.tar()
            .file("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n")
            .file(
                "var/lib/dpkg/status",
                "Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\n"
                    + "Source: openssl\nVersion: 3.0.11-1~deb12u2\n\n")
            .bytes();
    image = Artifact.of(TestTars.image(tar));
    Path records = Files.createDirectories(tmp.resolve("osv"));
    for (String id : List.of("CVE-2023-5678", "CVE-2024-0002")) {
      Files.writeString(
          records.resolve(id + ".json"),
          "{\"schema_version\":\"1.6.0\",\"id\":\"DEBIAN-"
              + id
              + "\",\"modified\":\"2026-01-10T00:00:00Z\",\"upstream\":[\""
              + id
              + "\"],\"affected\":[{\"package\":{\"ecosystem\":\"Debian:12\",\"name\":\"openssl\"},"
              + "\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"}]}]}]}");
    }
    db = tmp.resolve("db");
    Db.importFrom(Db.options().directory(db).source(records).build());
  }

  private void attest(ImageLocation where, Path signingKey, boolean referrers) throws Exception {
    Path predicate = Files.writeString(tmp.resolve("hand.openvex.json"), VEX);
    Attest.run(
        Attest.options()
            .location(where)
            .key(signingKey)
            .password(PASSWORD.clone())
            .type("openvex")
            .predicate(predicate)
            .subjectName("example.test/app")
            .referrers(referrers)
            .build(),
        session);
  }

  private Set<String> findings(ImageLocation where, Path verifyWith) throws Exception {
    Scan.Result r =
        Scan.run(
            Scan.options()
                .target(where.toString())
                .database(db)
                .format("json")
                .vexFromRegistry(true)
                .vexKey(verifyWith)
                .build(),
            session);
    Set<String> ids = new TreeSet<>();
    for (JsonNode f : JSON.readTree(r.document()).path("findings")) {
      ids.add(f.path("id").asText());
    }
    return ids;
  }

  private boolean warned(String part) {
    return events.stream()
        .anyMatch(
            e ->
                e instanceof Event.Log l
                    && l.level() == Event.Level.WARN
                    && l.message().contains(part));
  }

  @Test
  void aVerifiedAttachedOpenVexSuppressesAFindingInTheRegistry(TestRegistry registry)
      throws Exception {
    ImageLocation loc = ImageLocation.parse(registry.host() + "/vex/app:v1");
    Locations.write(image, loc, RegistryOptions.defaults());
    assertEquals(Set.of("CVE-2023-5678", "CVE-2024-0002"), findings(loc, pub), "nothing attached");

    attest(loc, key, true);
    assertEquals(Set.of("CVE-2023-5678"), findings(loc, pub), "tag scheme and referrer both read");

    events.clear();
    assertEquals(
        Set.of("CVE-2023-5678", "CVE-2024-0002"),
        findings(loc, otherPub),
        "an attestation that does not verify with --key is not applied");
    assertTrue(warned("does not verify"), events.toString());
  }

  @Test
  void onlyAttestationsSignedWithTheKeyCountInALayout() throws Exception {
    Path layout = tmp.resolve("layout");
    OciLayout.create(layout).write(image, "app", e -> {});
    ImageLocation loc = ImageLocation.parse("oci:" + layout + ":app");
    attest(loc, otherKey, false);
    assertEquals(Set.of("CVE-2023-5678", "CVE-2024-0002"), findings(loc, pub));
    assertTrue(warned("not applied as VEX"), events.toString());
    attest(loc, key, false);
    assertEquals(Set.of("CVE-2023-5678"), findings(loc, pub));
  }

  @Test
  void usageMistakes() throws Exception {
    String noKey =
        assertThrows(
                InvalidOptionsException.class,
                () -> Scan.options().target("x").database(db).vexFromRegistry(true).build())
            .getMessage();
    assertTrue(noKey.startsWith("--vex-from-registry needs --key PUB"), noKey);
    String keyAlone =
        assertThrows(
                InvalidOptionsException.class,
                () -> Scan.options().target("x").database(db).vexKey(pub).build())
            .getMessage();
    assertEquals(
        "--key is the public key of --vex-from-registry; add --vex-from-registry", keyAlone);
    Path sbom = Files.writeString(tmp.resolve("app.cdx.json"), "{\"bomFormat\":\"CycloneDX\"}");
    String file =
        assertThrows(
                InvalidOptionsException.class,
                () ->
                    Scan.run(
                        Scan.options()
                            .target(sbom.toString())
                            .database(db)
                            .vexFromRegistry(true)
                            .vexKey(pub)
                            .build(),
                        session))
            .getMessage();
    assertTrue(
        file.startsWith("--vex-from-registry reads attestations attached to an image"), file);
  }
}
