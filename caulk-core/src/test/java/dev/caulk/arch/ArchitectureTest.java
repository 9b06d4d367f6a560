package dev.caulk.arch;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Enforces the package table of docs/architecture.md: which caulk package may use which. A new
 * dependency must be added here on purpose (and to the table), never by accident.
 */
class ArchitectureTest {
  /** package (relative to dev.caulk) → the caulk packages it may use. */
  static final Map<String, Set<String>> ALLOWED =
      new TreeMap<>(
          Map.ofEntries(
              Map.entry("digest", Set.of()),
              Map.entry("name", Set.of("digest")),
              Map.entry("spec", Set.of("digest")),
              Map.entry("compress", Set.of("spec")),
              Map.entry("event", Set.of()),
              Map.entry("io", Set.of()),
              Map.entry("accounts", Set.of()),
              Map.entry("pkgdb", Set.of()),
              Map.entry("image", Set.of("digest", "spec", "compress")),
              Map.entry("tar", Set.of("digest", "image", "spec", "compress")),
              Map.entry("fs", Set.of("digest", "image", "spec", "tar")),
              // pure edits of images sit above what they use (image, tar, fs), not inside image
              Map.entry("mutate", Set.of("digest", "image", "io", "spec", "tar", "fs")),
              Map.entry("elf", Set.of("fs")),
              // Java services: jar, JDK, jdeps, jlink, trust store; build puts them in layers
              Map.entry("jvm", Set.of("digest", "elf")),
              Map.entry("auth", Set.of("name")),
              Map.entry("registry", Set.of("auth", "digest", "event", "image", "name", "spec")),
              Map.entry("layout", Set.of("digest", "event", "image", "io", "spec")),
              Map.entry(
                  "archive", Set.of("compress", "digest", "event", "image", "io", "name", "spec")),
              Map.entry(
                  "location",
                  Set.of("archive", "digest", "event", "image", "layout", "name", "registry")),
              Map.entry(
                  "build",
                  Set.of(
                      "digest",
                      "elf",
                      "event",
                      "fs",
                      "image",
                      "mutate",
                      "jvm",
                      "location",
                      "registry",
                      "report",
                      "audit",
                      "run",
                      "spec",
                      "tar",
                      "accounts")),
              Map.entry(
                  "sign",
                  Set.of(
                      "digest",
                      "spec",
                      "image",
                      "name",
                      "event",
                      "location",
                      "registry",
                      "layout")),
              Map.entry("report", Set.of()),
              Map.entry("report.format", Set.of("report")),
              Map.entry(
                  "audit",
                  Set.of(
                      "audit.secrets",
                      "fs",
                      "image",
                      "spec",
                      "report",
                      "digest",
                      "tar",
                      "event",
                      "accounts")),
              Map.entry("audit.secrets", Set.of()),
              Map.entry(
                  "run",
                  Set.of("fs", "image", "spec", "tar", "layout", "digest", "event", "accounts")),
              Map.entry(
                  "slim",
                  Set.of(
                      "fs",
                      "elf",
                      "image",
                      "mutate",
                      "io",
                      "spec",
                      "tar",
                      "report",
                      "audit",
                      "digest",
                      "run",
                      "event",
                      "accounts",
                      "pkgdb")),
              Map.entry("scan", Set.of()),
              Map.entry("scan.version", Set.of("scan", "report")),
              Map.entry("scan.osv", Set.of("scan", "scan.version", "scan.ecosystem", "report")),
              Map.entry(
                  "scan.db",
                  Set.of("scan", "scan.osv", "scan.version", "scan.ecosystem", "event", "report")),
              Map.entry(
                  "scan.catalog",
                  Set.of("scan", "report", "fs", "digest", "spec", "image", "elf", "pkgdb")),
              // the ecosystem registry: cataloguers, version schemes, OSV names and targets, one
              // registration each
              Map.entry("scan.ecosystem", Set.of("scan", "scan.catalog", "scan.version", "report")),
              Map.entry(
                  "scan.vuln",
                  Set.of(
                      "scan",
                      "scan.catalog",
                      "scan.ecosystem",
                      "scan.osv",
                      "scan.db",
                      "report",
                      "fs",
                      "image")),
              Map.entry(
                  "scan.sbom",
                  Set.of(
                      "scan",
                      "scan.catalog",
                      "scan.osv",
                      "scan.vuln",
                      // package types of purls read back are the registered ones
                      "scan.ecosystem",
                      "report",
                      "digest",
                      "spec",
                      "image")),
              Map.entry("scan.vex", Set.of("scan.vuln", "scan.catalog")),
              // the use-case layer sits on top: it may use every package; nothing below uses it
              Map.entry(
                  "verbs",
                  Set.of(
                      "accounts",
                      "pkgdb",
                      "archive",
                      "audit",
                      "audit.secrets",
                      "auth",
                      "build",
                      "compress",
                      "digest",
                      "elf",
                      "event",
                      "fs",
                      "image",
                      "mutate",
                      "io",
                      "layout",
                      "location",
                      "name",
                      "registry",
                      "report",
                      "report.format",
                      "run",
                      "scan",
                      "scan.catalog",
                      "scan.db",
                      "scan.ecosystem",
                      "scan.osv",
                      "scan.sbom",
                      "scan.version",
                      "scan.vex",
                      "scan.vuln",
                      "sign",
                      "slim",
                      "spec",
                      "tar"))));

  static JavaClasses classes;

  @BeforeAll
  static void load() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.caulk");
  }

  static String pkg(JavaClass c) {
    String p = c.getPackageName();
    return p.equals("dev.caulk") ? "" : p.substring("dev.caulk.".length());
  }

  @Test
  void onlyAllowedDependencies() {
    List<String> violations = new ArrayList<>();
    Set<String> unknown = new TreeSet<>();
    for (JavaClass c : classes) {
      String from = pkg(c);
      if (from.isEmpty()) continue;
      Set<String> allowed = ALLOWED.get(from);
      if (allowed == null) {
        unknown.add(from);
        continue;
      }
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        JavaClass target = d.getTargetClass();
        if (!target.getPackageName().startsWith("dev.caulk.")) continue;
        String to = pkg(target);
        if (!to.equals(from) && !allowed.contains(to))
          violations.add(from + " -> " + to + " (" + d.getDescription() + ")");
      }
    }
    assertTrue(unknown.isEmpty(), "packages missing from the table: " + unknown);
    assertTrue(
        violations.isEmpty(),
        "dependencies outside the table:\n" + String.join("\n", new TreeSet<>(violations)));
  }

  @Test
  void noCycles() {
    SlicesRuleDefinition.slices()
        .matching("dev.caulk.(**)")
        .should()
        .beFreeOfCycles()
        .check(classes);
  }

  /**
   * No cycle between top-level packages with their subpackages: a subpackage belongs to its parent,
   * so {@code image.mutate} using {@code tar} while {@code tar} uses {@code image} was one (the
   * reason {@code mutate} is a top-level package).
   */
  @Test
  void noCyclesBetweenTopLevelPackages() {
    SlicesRuleDefinition.slices()
        .matching("dev.caulk.(*)..")
        .should()
        .beFreeOfCycles()
        .check(classes);
  }

  @Test
  void analysisNeverTouchesTheNetworkOrLocations() {
    com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses()
        .that()
        .resideInAnyPackage(
            "dev.caulk.accounts..",
            "dev.caulk.pkgdb..",
            "dev.caulk.audit..",
            "dev.caulk.slim..",
            "dev.caulk.scan",
            "dev.caulk.scan.catalog..",
            "dev.caulk.scan.ecosystem..",
            "dev.caulk.scan.osv..",
            "dev.caulk.scan.version..",
            "dev.caulk.scan.sbom..",
            "dev.caulk.scan.vex..",
            "dev.caulk.scan.vuln..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.caulk.registry..", "dev.caulk.location..", "java.net..")
        .check(classes);
  }
}
