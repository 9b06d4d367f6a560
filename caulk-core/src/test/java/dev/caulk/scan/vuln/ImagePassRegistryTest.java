package dev.caulk.scan.vuln;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.fs.FileTree;
import dev.caulk.image.Image;
import dev.caulk.scan.catalog.CatalogLimits;
import dev.caulk.scan.catalog.Cataloger;
import dev.caulk.scan.catalog.Inventory;
import dev.caulk.scan.catalog.OsRelease;
import dev.caulk.scan.catalog.Package;
import dev.caulk.scan.catalog.PackageType;
import dev.caulk.scan.catalog.Problem;
import dev.caulk.scan.catalog.Purl;
import dev.caulk.scan.ecosystem.EcosystemSpec;
import dev.caulk.scan.ecosystem.Ecosystems;
import dev.caulk.scan.ecosystem.OsvEcosystem;
import dev.caulk.scan.ecosystem.OsvTarget;
import dev.caulk.scan.version.VersionScheme;
import dev.caulk.tar.TestTars;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The image pass runs every registered cataloguer: a minimal ecosystem that exists only in this
 * test, registered and nowhere else named, is found on an image, through both feeds, with the final
 * tree's rules (replaced and deleted files).
 */
class ImagePassRegistryTest {
  /**
   * Reads {@code name version} lines, from one database file or from each {@code .fake} file alone.
   */
  static final class FakeCataloger implements Cataloger {
    private final String id;
    private final boolean database;
    private final List<Package> found = new ArrayList<>();

    FakeCataloger(String id, boolean database) {
      this.id = id;
      this.database = database;
    }

    @Override
    public String name() {
      return id;
    }

    @Override
    public boolean wants(String path, long size, boolean executable) {
      return database ? path.equals("/var/lib/fake/db") : path.endsWith(".fake");
    }

    @Override
    public void accept(String path, InputStream content, long size) throws IOException {
      for (String line : new String(content.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String[] f = line.strip().split(" ");
        if (f.length != 2) {
          continue;
        }
        found.add(
            Package.builder(PackageType.MAVEN, f[0], f[1])
                .purl(Purl.of("generic", null, f[0], f[1]))
                .cataloger(id)
                .location(path)
                .build());
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

  static final EcosystemSpec FAKE_DB =
      EcosystemSpec.of(
          "fake-db",
          PackageType.MAVEN,
          limits -> new FakeCataloger("fake-db", true),
          EcosystemSpec.Feed.DATABASE,
          (p, os) -> OsvTarget.skip("fake"),
          OsvEcosystem.of("FakeDb", VersionScheme.semver(), false));
  static final EcosystemSpec FAKE_FILES =
      EcosystemSpec.of(
          "fake-files",
          PackageType.MAVEN,
          limits -> new FakeCataloger("fake-files", false),
          EcosystemSpec.Feed.STANDALONE,
          (p, os) -> OsvTarget.skip("fake"));

  static Image image() throws Exception {
    byte[] l0 =
        TestTars.tar()
            .file("var/lib/fake/db", "alpha 1\nbeta 2\n")
            .file("opt/kept.fake", "kept 1.0\n")
            .file("opt/gone.fake", "gone 1.0\n")
            .file("var/lib/dpkg/status", ImagePassTest.stanza("bash", "5.2.15-2+b2", null))
            .bytes();
    byte[] l1 =
        TestTars.tar().file("var/lib/fake/db", "alpha 2\n").file("opt/.wh.gone.fake", "").bytes();
    return TestTars.image(l0, l1);
  }

  static Inventory pass(Image image, List<EcosystemSpec> registry) throws Exception {
    ImagePass pass =
        new ImagePass(CatalogLimits.defaults(), ImagePass.MAX_CAPTURED_BYTES, registry);
    FileTree tree = FileTree.build(image, FileTree.Options.defaults(), pass);
    return pass.finish(tree);
  }

  static List<String> names(Inventory inv, String cataloger) {
    return inv.packages().stream()
        .filter(p -> p.cataloger().equals(cataloger))
        .map(p -> p.name() + " " + p.version() + " " + p.locations())
        .sorted()
        .toList();
  }

  @Test
  void aRegisteredEcosystemIsCataloguedWithNoOtherEdit() throws Exception {
    List<EcosystemSpec> registry = new ArrayList<>(Ecosystems.ALL);
    registry.add(FAKE_DB);
    registry.add(FAKE_FILES);
    Inventory inv = pass(image(), registry);
    assertEquals(
        List.of("alpha 2 [/var/lib/fake/db]"), names(inv, "fake-db"), "the final database only");
    assertEquals(
        List.of("kept 1.0 [/opt/kept.fake]"), names(inv, "fake-files"), "the deleted file is gone");
    assertTrue(
        inv.packages().stream().anyMatch(p -> p.name().equals("bash")),
        "the registered ecosystems still run");
    assertEquals(inv.problems(), List.of());
  }

  @Test
  void anUnregisteredCataloguerIsNotRun() throws Exception {
    Inventory inv = pass(image(), Ecosystems.ALL);
    assertEquals(List.of(), names(inv, "fake-db"));
    assertEquals(List.of(), names(inv, "fake-files"));
    assertEquals(
        Scanner.catalog(image()).packages(), inv.packages(), "the default pass is the registry's");
  }
}
