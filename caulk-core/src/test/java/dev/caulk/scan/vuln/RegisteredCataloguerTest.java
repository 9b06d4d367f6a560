package dev.caulk.scan.vuln;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.image.Artifact;
import dev.caulk.image.Image;
import dev.caulk.location.ImageLocation;
import dev.caulk.location.Locations;
import dev.caulk.registry.RegistryOptions;
import dev.caulk.scan.catalog.Cataloger;
import dev.caulk.scan.catalog.Inventory;
import dev.caulk.scan.catalog.OsRelease;
import dev.caulk.scan.catalog.Package;
import dev.caulk.scan.catalog.PackageType;
import dev.caulk.scan.catalog.Problem;
import dev.caulk.scan.catalog.Purl;
import dev.caulk.scan.db.VulnDb;
import dev.caulk.scan.ecosystem.EcosystemSpec;
import dev.caulk.scan.ecosystem.Ecosystems;
import dev.caulk.scan.ecosystem.OsvEcosystem;
import dev.caulk.scan.ecosystem.OsvTarget;
import dev.caulk.scan.sbom.SbomReader;
import dev.caulk.scan.version.VersionScheme;
import dev.caulk.tar.TestTars;
import dev.caulk.verbs.Sbom;
import dev.caulk.verbs.Session;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adding a cataloguer is its own file and one registration: an rpm-like ecosystem that exists only
 * here (its cataloguer, version scheme, package type, OSV ecosystem and target rule are all in this
 * file) is registered with {@link Ecosystems#register} and then found by the real image pass behind
 * the {@code sbom} verb, written to and read back from the SBOM with its own package type, and
 * matched by {@code scan} with its own version ordering. Nothing else names it; once the
 * registration is closed, none of it happens.
 */
class RegisteredCataloguerTest {
  /** The package type the rpm-like packages carry, made by this file alone. */
  static final PackageType RPM = PackageType.of("rpm", true);

  /** Reads {@code name version} lines from {@code /var/lib/rpmlike/packages}. */
  static final class RpmLikeCataloger implements Cataloger {
    static final String DB = "/var/lib/rpmlike/packages";
    private final List<Package> found = new ArrayList<>();

    @Override
    public String name() {
      return "rpmlike-db";
    }

    @Override
    public boolean wants(String path, long size, boolean executable) {
      return path.equals(DB);
    }

    @Override
    public void accept(String path, InputStream content, long size) throws IOException {
      for (String line : new String(content.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String[] f = line.strip().split(" ");
        if (f.length == 2) {
          found.add(
              Package.builder(RPM, f[0], f[1])
                  .purl(Purl.of("rpm", "fedora", f[0], f[1]))
                  .cataloger(name())
                  .location(path)
                  .build());
        }
      }
    }

    @Override
    public List<Package> packages(OsRelease os) {
      return List.copyOf(found);
    }

    @Override
    public List<Problem> problems() {
      return List.of();
    }
  }

  /**
   * Dot-separated numbers compared as numbers ({@code 1.9 < 1.10}, which string order gets wrong),
   * so a match shows the registered scheme was used.
   */
  static final class NumericScheme implements VersionScheme {
    @Override
    public String name() {
      return "rpmlike";
    }

    @Override
    public boolean isValid(String version) {
      return version.matches("[0-9]+(\\.[0-9]+)*");
    }

    @Override
    public int compare(String a, String b) {
      String[] x = a.split("\\.");
      String[] y = b.split("\\.");
      for (int i = 0; i < Math.max(x.length, y.length); i++) {
        long p = i < x.length ? Long.parseLong(x[i]) : 0;
        long q = i < y.length ? Long.parseLong(y[i]) : 0;
        if (p != q) {
          return Long.compare(p, q);
        }
      }
      return 0;
    }
  }

  /** The one registration. */
  static final EcosystemSpec SPEC =
      EcosystemSpec.of(
          "rpmlike",
          RPM,
          limits -> new RpmLikeCataloger(),
          EcosystemSpec.Feed.DATABASE,
          (p, os) -> OsvTarget.of("RpmLike", p.name(), p.version()),
          OsvEcosystem.of("RpmLike", new NumericScheme(), false));

  @TempDir static Path tmp;
  static ImageLocation image;
  static Image img;

  @BeforeAll
  static void images() throws IOException {
    byte[] l0 =
        TestTars.tar()
            .file("etc/os-release", "ID=fedora\nVERSION_ID=40\n")
            .file("var/lib/rpmlike/packages", "ed 1.9\nbash 5.2\n")
            .bytes();
    // a later layer replaces the database: the pass must catalogue the final one only
    byte[] l1 = TestTars.tar().file("var/lib/rpmlike/packages", "ed 1.9\n").bytes();
    img = TestTars.image(l0, l1);
    image = new ImageLocation.OciLayout(tmp.resolve("oci"), "1");
    Locations.write(Artifact.of(img), image, RegistryOptions.defaults());
  }

  static Sbom.Result sbom(String format, Path out) throws IOException {
    return Sbom.run(
        Sbom.options().location(image).format(format).output(out).build(),
        Session.defaults(e -> {}));
  }

  static List<String> rpm(Inventory inv) {
    return inv.packages().stream()
        .filter(p -> p.type() == RPM)
        .map(p -> p.name() + " " + p.version() + " " + p.purl() + " " + p.locations())
        .toList();
  }

  @Test
  void aRegisteredCataloguerIsUsedByTheImagePassTheSbomAndTheScan() throws Exception {
    List<String> expected = List.of("ed 1.9 pkg:rpm/fedora/ed@1.9 [" + RpmLikeCataloger.DB + "]");
    Osv.record("RPMLIKE-2026-1")
        .summary("ed: overflow")
        .affected("RpmLike", "ed", "introduced", "0", "fixed", "1.10")
        .into(tmp.resolve("osv"));
    Osv.record("RPMLIKE-2026-2")
        .summary("ed: fixed long ago")
        .affected("RpmLike", "ed", "introduced", "0", "fixed", "1.2")
        .into(tmp.resolve("osv"));
    try (Ecosystems.Registration r = Ecosystems.register(SPEC)) {
      assertEquals(SPEC, r.spec());
      assertEquals(SPEC, Ecosystems.forType(RPM).orElseThrow());

      // the image pass behind the sbom verb runs it, on the final database only
      for (String format : List.of("cyclonedx", "spdx")) {
        Path out = tmp.resolve("sbom." + format + ".json");
        Sbom.Result made = sbom(format, out);
        assertEquals(expected, rpm(made.inventory()), format);
        String doc = new String(made.document(), StandardCharsets.UTF_8);
        assertTrue(doc.contains("pkg:rpm/fedora/ed@1.9"), doc);
        assertFalse(doc.contains("bash"), "the replaced database's packages are gone");
        // and the SBOM reads back with the registered package type
        var read = SbomReader.read(made.document(), out.toString());
        assertEquals(expected, rpm(read.inventory()), format + " read back");
        assertEquals(List.of(), read.inventory().problems(), format);
      }

      // the scan looks ed up where the registration says and orders versions by its scheme:
      // 1.9 < 1.10 (affected), 1.9 > 1.2 (fixed)
      try (VulnDb db = Osv.store(tmp)) {
        ScanResult result = Scanner.scan(Scanner.catalog(img), db, ScanOptions.defaults());
        assertEquals(
            List.of("RPMLIKE-2026-1"),
            result.vulnerabilities().stream().map(Vulnerability::id).toList());
        assertEquals(List.of(), result.undetermined());
      }
    }

    // closed: the pass no longer runs it and SBOM readers skip rpm purls
    assertTrue(Ecosystems.forType(RPM).isEmpty());
    assertEquals(List.of(), rpm(sbom("cyclonedx", tmp.resolve("after.json")).inventory()));
    var again = SbomReader.read(Files.readAllBytes(tmp.resolve("sbom.cyclonedx.json")), "again");
    assertEquals(List.of(), rpm(again.inventory()));
  }

  @Test
  void aSecondRegistrationOfTheSameIdTypeOrOsvNameIsRefused() {
    try (Ecosystems.Registration r = Ecosystems.register(SPEC)) {
      IllegalArgumentException sameId =
          assertThrows(IllegalArgumentException.class, () -> Ecosystems.register(SPEC));
      assertEquals("ecosystem rpmlike is already registered", sameId.getMessage());
      EcosystemSpec sameType =
          EcosystemSpec.of(
              "other",
              RPM,
              limits -> new RpmLikeCataloger(),
              EcosystemSpec.Feed.DATABASE,
              (p, os) -> OsvTarget.skip("x"));
      assertEquals(
          "package type rpm is already registered by rpmlike",
          assertThrows(IllegalArgumentException.class, () -> Ecosystems.register(sameType))
              .getMessage());
      EcosystemSpec builtInName =
          EcosystemSpec.advisoriesOnly(
              "debian2", OsvEcosystem.of("debian", VersionScheme.dpkg(), false));
      assertEquals(
          "OSV ecosystem debian is already registered by deb",
          assertThrows(IllegalArgumentException.class, () -> Ecosystems.register(builtInName))
              .getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> PackageType.of("rpm", false));
    assertThrows(IllegalArgumentException.class, () -> PackageType.of("RPM!", true));
  }
}
