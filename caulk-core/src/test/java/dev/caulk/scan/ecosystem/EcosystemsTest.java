package dev.caulk.scan.ecosystem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.caulk.scan.catalog.CatalogLimits;
import dev.caulk.scan.catalog.Cataloger;
import dev.caulk.scan.catalog.PackageType;
import dev.caulk.scan.db.VulnDb;
import dev.caulk.scan.version.VersionScheme;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The registry is complete: every cataloguer, package type and OSV name has exactly one
 * registration.
 */
class EcosystemsTest {
  @Test
  void everyCataloguerClassIsRegistered() {
    Set<String> registered = new TreeSet<>();
    for (EcosystemSpec e : Ecosystems.ALL) {
      if (e.cataloger() != null) {
        registered.add(e.cataloger().apply(CatalogLimits.defaults()).getClass().getName());
      }
    }
    Set<String> implementations = new TreeSet<>();
    for (JavaClass c :
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.caulk")) {
      if (c.isAssignableTo(Cataloger.class)
          && !c.isInterface()
          && !c.getModifiers().contains(JavaModifier.ABSTRACT)) {
        implementations.add(c.getName());
      }
    }
    assertTrue(implementations.size() >= 4, implementations.toString());
    Set<String> missing = new TreeSet<>(implementations);
    missing.removeAll(registered);
    assertEquals(
        Set.of(),
        missing,
        "cataloguers no registration in Ecosystems.ALL makes: the image pass would never run them");
  }

  @Test
  void everyPackageTypeAndOsvNameHasOneRegistration() {
    for (PackageType t : PackageType.builtIn()) {
      assertEquals(1, Ecosystems.ALL.stream().filter(e -> e.type() == t).count(), t.name());
      assertEquals(t, Ecosystems.forType(t).orElseThrow().type());
    }
    Set<String> ids = new HashSet<>();
    Set<String> names = new HashSet<>();
    for (EcosystemSpec e : Ecosystems.ALL) {
      assertTrue(ids.add(e.id()), "id " + e.id() + " registered twice");
      for (OsvEcosystem o : e.advisories()) {
        assertTrue(
            names.add(o.name().toLowerCase(Locale.ROOT)),
            "OSV ecosystem " + o.name() + " registered twice");
      }
    }
  }

  @Test
  void switchesAnswerFromTheRegistry() {
    assertEquals(List.of("Alpine", "Debian", "Go", "Maven"), Ecosystems.defaultDownloads());
    assertEquals(Ecosystems.defaultDownloads(), VulnDb.DEFAULT_ECOSYSTEMS);
    assertEquals(Optional.of(VersionScheme.dpkg()), Ecosystems.scheme(" ubuntu:22.04"));
    assertEquals(Optional.of(VersionScheme.semver()), Ecosystems.scheme("crates.io"));
    assertEquals(Optional.empty(), Ecosystems.scheme("Rocky Linux:9"));
    assertEquals("3.20", Ecosystems.normalizeRelease("Alpine", "v3.20.3"));
    assertEquals("12", Ecosystems.normalizeRelease("debian", "12.5"));
    assertEquals("pro:18.04", Ecosystems.normalizeRelease("Ubuntu", "Pro:18.04:LTS"));
    assertEquals("8.4", Ecosystems.normalizeRelease("Red Hat", " 8.4 "));
    assertEquals(
        List.of("dpkg-db", "apk-db", "java-archive", "go-binary"),
        Ecosystems.catalogers(CatalogLimits.defaults()).stream().map(Cataloger::name).toList());
  }

  @Test
  void aRegistrationIsCheckedWhenMade() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            EcosystemSpec.of(
                "x",
                PackageType.DEB,
                null,
                EcosystemSpec.Feed.DATABASE,
                (p, os) -> OsvTarget.skip("x")));
    assertThrows(
        IllegalArgumentException.class, () -> EcosystemSpec.of("x", null, l -> null, null, null));
  }
}
