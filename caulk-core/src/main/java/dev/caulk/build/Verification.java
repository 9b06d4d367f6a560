package dev.caulk.build;

import dev.caulk.audit.AuditContext;
import dev.caulk.audit.Auditor;
import dev.caulk.audit.Programs;
import dev.caulk.audit.Rule;
import dev.caulk.audit.Rules;
import dev.caulk.image.Artifact;
import dev.caulk.image.Image;
import dev.caulk.report.Finding;
import dev.caulk.spec.ContainerConfig;
import dev.caulk.spec.Descriptor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * caulk checks its own result after a build: the image must not run as root, must hold no
 * setuid/setgid file, no shell and no package manager, and its entrypoint must exist and be
 * executable by the runtime user. It reads the image as any other image, through the audit's rules
 * ({@code CIS-DI-0001}, {@code CIS-DI-0008}, {@code shell-present}, {@code package-manager-present},
 * {@code entrypoint-not-executable}) over one streaming pass, not the build's intentions; the build's own
 * policy adds that an entrypoint must be set and absolute (a scratch image has no PATH lookup).
 */
public final class Verification {
  /** File names that are shells (the audit's list). */
  public static final Set<String> SHELLS = Programs.SHELLS;
  /** File names that are package managers (the audit's list). */
  public static final Set<String> PACKAGE_MANAGERS = Programs.PACKAGE_MANAGERS.keySet();
  /** The audit rules a built image must pass. */
  static final List<Rule> RULES = Rules.select("CIS-DI-0001", "CIS-DI-0008", "shell-present", "package-manager-present",
      "entrypoint-not-executable");

  /** The outcome for one service. */
  public record Result(String service, List<String> violations) {
    /** Throws with every violation in one line when there are any. */
    public void throwIfFailed() throws BuildConfigException {
      if (!violations.isEmpty()) {
        throw new BuildConfigException(service + ": verification failed: " + String.join("; ", violations) + " (--no-verify builds anyway)");
      }
    }
  }

  private Verification() {}

  /** Checks every image of an artifact (each platform of an index). */
  public static Result check(String service, Artifact artifact, BuildSettings settings) throws IOException {
    List<String> violations = new ArrayList<>();
    if (artifact.isIndex()) {
      for (Descriptor d : artifact.index().index().manifests()) check(artifact.index().image(d), violations);
    } else {
      check(artifact.image(), violations);
    }
    return new Result(service, violations);
  }

  static void check(Image image, List<String> violations) throws IOException {
    AuditContext ctx = Auditor.context(image, Auditor.Options.defaults().withRules(RULES).withSecrets(false));
    for (Rule r : RULES) {
      for (Finding f : r.check(ctx)) violations.add(describe(f));
    }
    ContainerConfig rc = ctx.runConfig();
    List<String> ep = new ArrayList<>();
    if (rc.entrypoint() != null) ep.addAll(rc.entrypoint());
    if (ep.isEmpty() && rc.cmd() != null) ep.addAll(rc.cmd());
    if (ep.isEmpty()) {
      violations.add("no entrypoint or cmd");
    } else if (!ep.get(0).startsWith("/")) {
      violations.add("entrypoint '" + ep.get(0) + "' is not an absolute path (a scratch image has no PATH lookup)");
    }
  }

  /** One violation line: what is wrong, where, and the rule id to look it up. */
  private static String describe(Finding f) {
    switch (f.id()) {
      case "CIS-DI-0001":
        return "runs as root (" + f.detail() + ") [" + f.id() + "]";
      case "CIS-DI-0008":
        return "setuid/setgid file " + f.path() + " [" + f.id() + "]";
      case "shell-present":
        return "shell " + f.path() + " [" + f.id() + "]";
      case "package-manager-present":
        return "package manager " + f.path() + " [" + f.id() + "]";
      default:
        return f.title() + (f.path() == null ? "" : " " + f.path()) + (f.detail() == null ? "" : ": " + f.detail())
            + " [" + f.id() + "]";
    }
  }
}
