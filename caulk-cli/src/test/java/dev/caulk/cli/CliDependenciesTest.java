package dev.caulk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Which caulk-core packages the CLI uses (issue 12: the CLI should need only the use-case layer,
 * {@code dev.caulk.verbs}, and value types). A change to these sets is a change of the CLI's
 * coupling to the core, made on purpose.
 */
class CliDependenciesTest {
  private static final String CLI = "dev.caulk.cli";

  /** The commands moved onto verbs (issue 12, verbs-io). */
  private static final Set<String> VERB_COMMANDS =
      Set.of(
          "BuildCommand",
          "PushCommand",
          "CopyCommand",
          "InspectCommand",
          "DigestCommand",
          "TagsCommand",
          "DbCommand",
          "DbOption",
          "LocationConverter",
          "PlatformConverter");

  static JavaClasses cli;

  @BeforeAll
  static void load() {
    cli =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(CLI);
  }

  /**
   * The caulk packages (without {@code dev.caulk.}) that the classes matching {@code which} depend
   * on.
   */
  static Set<String> corePackages(Predicate<JavaClass> which) {
    Set<String> out = new TreeSet<>();
    for (JavaClass c : cli) {
      if (!c.getPackageName().equals(CLI) || !which.test(c)) {
        continue;
      }
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        String p = d.getTargetClass().getBaseComponentType().getPackageName();
        if (p.startsWith("dev.caulk.") && !p.equals(CLI)) {
          out.add(p.substring("dev.caulk.".length()));
        }
      }
    }
    return out;
  }

  private static String outer(JavaClass c) {
    String n = c.getSimpleName();
    JavaClass top = c;
    while (top.getEnclosingClass().isPresent()) {
      top = top.getEnclosingClass().get();
    }
    return top.getSimpleName().isEmpty() ? n : top.getSimpleName();
  }

  @Test
  void theVerbCommandsUseTheVerbsAndValueTypes() {
    Set<String> used = corePackages(c -> VERB_COMMANDS.contains(outer(c)));
    // verbs: the workflows; location, spec, digest: values parsed from flags or printed; build:
    // BuildConfig, the
    // settings given as flags; scan.db: the database status and import counts printed as tables.
    assertEquals(Set.of("build", "digest", "location", "scan.db", "spec", "verbs"), used);
  }

  /**
   * Every command runs its workflow through {@code verbs}; what else the CLI names are values it
   * parses from flags or prints: locations, platforms, digests and references; the event types the
   * console renders; the settings records given as flags (BuildConfig, the probe's options and
   * sandbox, the SBOM format, gate and ignore files); the results' parts it renders as tables
   * (database status, the Dockerfile mapping's notes, signature checks).
   */
  @Test
  void theWholeCliUsesTheVerbsAndValueTypes() {
    assertEquals(
        Set.of(
            "build",
            "digest",
            "event",
            "location",
            "report",
            "run",
            "scan.catalog",
            "scan.db",
            "scan.sbom",
            "sign",
            "slim",
            "spec",
            "tar",
            "verbs"),
        corePackages(c -> true));
  }
}
