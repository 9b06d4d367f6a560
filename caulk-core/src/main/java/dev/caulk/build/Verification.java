package dev.caulk.build;

import dev.caulk.accounts.Accounts;
import dev.caulk.audit.AuditContext;
import dev.caulk.audit.Auditor;
import dev.caulk.audit.ImageFacts;
import dev.caulk.audit.Programs;
import dev.caulk.audit.Rule;
import dev.caulk.audit.Rules;
import dev.caulk.digest.Digest;
import dev.caulk.fs.CapturingVisitor;
import dev.caulk.fs.FileTree;
import dev.caulk.fs.Node;
import dev.caulk.image.Artifact;
import dev.caulk.image.Image;
import dev.caulk.image.Layer;
import dev.caulk.report.Finding;
import dev.caulk.spec.ConfigFile;
import dev.caulk.spec.ContainerConfig;
import dev.caulk.spec.Descriptor;
import dev.caulk.tar.TarEntry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * caulk checks its own result after a build: the image must not run as root, must hold no
 * setuid/setgid file, no shell and no package manager, and its entrypoint must exist and be
 * executable by the runtime user. It reads the image as any other image, through the audit's rules
 * ({@code CIS-DI-0001}, {@code CIS-DI-0008}, {@code shell-present}, {@code
 * package-manager-present}, {@code entrypoint-not-executable}) over one streaming pass, not the
 * build's intentions; the build's own policy adds that an entrypoint must be set and absolute (a
 * scratch image has no PATH lookup), and that the image holds no credential file ({@link
 * #credentialFiles}).
 *
 * <p>After a build ({@link #check(String, Artifact, Map, BaseImage)}) nothing written is read back:
 * the tree of each layer the build wrote comes from its recipe (the entries the layer builder put
 * in it), and the few file contents the checks need (account files, candidate keys) from where the
 * recipe took them; only a base image's layers are read, as the build reads them anyway.
 */
public final class Verification {
  /** File names that are shells (the audit's list). */
  public static final Set<String> SHELLS = Programs.SHELLS;

  /** File names that are package managers (the audit's list). */
  public static final Set<String> PACKAGE_MANAGERS = Programs.PACKAGE_MANAGERS.keySet();

  /** The audit rules a built image must pass. */
  static final List<Rule> RULES =
      Rules.select(
          "CIS-DI-0001",
          "CIS-DI-0008",
          "shell-present",
          "package-manager-present",
          "entrypoint-not-executable");

  /** The outcome for one service. */
  public record Result(String service, List<String> violations) {
    /** Throws with every violation in one line when there are any. */
    public void throwIfFailed() throws BuildConfigException {
      if (!violations.isEmpty()) {
        throw new BuildConfigException(
            service
                + ": verification failed: "
                + String.join("; ", violations)
                + " (--no-verify builds anyway)");
      }
    }
  }

  private Verification() {}

  /**
   * Checks every image of an artifact (each platform of an index), reading its layers as any image
   * is read.
   */
  public static Result check(String service, Artifact artifact, BuildSettings settings)
      throws IOException {
    return check(service, artifact, Map.of(), null);
  }

  /**
   * Checks every image of an artifact a build has just made: layers in {@code known} are taken from
   * their recipes, never read; others (a base image's) are read.
   */
  static Result check(
      String service,
      Artifact artifact,
      Map<Digest, LayerCache.Known> known,
      @Nullable BaseImage base)
      throws IOException {
    List<String> violations = new ArrayList<>();
    if (artifact.isIndex()) {
      for (Descriptor d : artifact.index().index().manifests())
        check(artifact.index().image(d), known, base, violations);
    } else {
      check(artifact.image(), known, base, violations);
    }
    return new Result(service, violations);
  }

  /** The first bytes of a file of the final tree, or null when it cannot be had. */
  @FunctionalInterface
  interface Contents {
    byte @Nullable [] read(String path, int max) throws IOException;
  }

  private static final int ACCOUNT_BYTES = 1 << 20;

  static void check(
      Image image,
      Map<Digest, LayerCache.Known> known,
      @Nullable BaseImage base,
      List<String> violations)
      throws IOException {
    AuditContext ctx;
    Contents contents;
    if (known.isEmpty()) {
      ctx = Auditor.context(image, Auditor.Options.defaults().withRules(RULES).withSecrets(false));
      contents = (path, max) -> readBack(image, path, max);
    } else {
      Map<Digest, List<TarEntry>> listings = new HashMap<>();
      known.forEach((d, k) -> listings.put(d, k.entries()));
      FileTree tree = FileTree.build(image, listings, FileTree.Options.defaults(), null);
      contents = fromRecipes(image, tree, known, base);
      ctx = context(image, tree, contents);
    }
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
      violations.add(
          "entrypoint '"
              + ep.get(0)
              + "' is not an absolute path (a scratch image has no PATH lookup)");
    }
    violations.addAll(credentialFiles(ctx, contents));
  }

  /** The audit's context from a tree already made and the account files' contents. */
  private static AuditContext context(Image image, FileTree tree, Contents contents)
      throws IOException {
    byte[] passwd = finalContent(tree, contents, "/etc/passwd");
    byte[] group = finalContent(tree, contents, "/etc/group");
    byte[] shadow = finalContent(tree, contents, "/etc/shadow");
    Accounts accounts = Accounts.parse(passwd, group, shadow);
    List<String> digests = new ArrayList<>();
    List<Long> sizes = new ArrayList<>();
    for (Layer l : image.layers()) {
      digests.add(l.digest().toString());
      sizes.add(l.size());
    }
    ConfigFile config = image.config();
    ImageFacts facts =
        new ImageFacts(
            "",
            "",
            image.digest().toString(),
            config.platform().toString(),
            digests,
            sizes,
            image.compressedSize());
    return new AuditContext(facts, config, tree, accounts, List.of());
  }

  private static byte @Nullable [] finalContent(FileTree tree, Contents contents, String path)
      throws IOException {
    Optional<Node> n = tree.node(path);
    if (n.isEmpty() || !n.get().isRegular()) return null;
    return contents.read(path, ACCOUNT_BYTES);
  }

  /**
   * Contents of the final tree's files: from the recipe of the layer that last wrote the path, else
   * (a base layer's file) from the base.
   */
  private static Contents fromRecipes(
      Image image, FileTree tree, Map<Digest, LayerCache.Known> known, @Nullable BaseImage base) {
    return (path, max) -> {
      Node n = tree.node(path).orElse(null);
      if (n == null || n.layerIndex() < 0) return null;
      LayerCache.Known k = known.get(image.layers().get(n.layerIndex()).digest());
      if (k != null) return k.recipe().content(path, max);
      if (base != null) {
        byte[] b = base.read(image.config().platform(), path);
        return b.length <= max ? b : Arrays.copyOf(b, max);
      }
      return readBack(image, path, max);
    };
  }

  /** One file's first bytes, reading the image (what a check of any image does). */
  private static byte @Nullable [] readBack(Image image, String path, int max) throws IOException {
    CapturingVisitor v = new CapturingVisitor(List.of(path), max);
    FileTree tree = FileTree.build(image, FileTree.Options.defaults().withMaxContentBytes(max), v);
    return v.content(tree, path).orElse(null);
  }

  /** SSH private key file names, wherever they are. */
  static final Set<String> SSH_KEY_NAMES =
      Set.of("id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "id_ecdsa_sk", "id_ed25519_sk");

  private static final Set<String> SHADOW_FILES =
      Set.of("/etc/shadow", "/etc/gshadow", "/etc/shadow-", "/etc/gshadow-");
  private static final int KEY_SCAN_BYTES = 256 * 1024;

  /**
   * Credential files in the final image, one violation each: an {@code /etc/shadow} or {@code
   * /etc/gshadow} (or their {@code -} backups) that others may read or that holds a password hash
   * or an empty password (a base image's locked, 0640 shadow passes); an SSH private key ({@code
   * id_rsa}…); a {@code *.pem} or {@code *.key} file holding a {@code PRIVATE KEY} block. File
   * contents are never quoted. Content is read only when such files exist.
   */
  static List<String> credentialFiles(AuditContext ctx, Contents contents) throws IOException {
    List<String> out = new ArrayList<>();
    List<String> read = new ArrayList<>();
    for (Node n : ctx.tree().walk()) {
      if (!n.isRegular()) continue;
      String path = n.path();
      String name = n.name();
      if (SHADOW_FILES.contains(path)) {
        if ((n.mode() & 0004) != 0)
          out.add(
              "credential file "
                  + path
                  + " is readable by every user (mode "
                  + n.modeString()
                  + ")");
        read.add(path);
      } else if (SSH_KEY_NAMES.contains(name)) {
        out.add("SSH private key " + path);
      } else if (name.endsWith(".pem") || name.endsWith(".key")) {
        read.add(path);
      }
    }
    for (String path : read) {
      byte[] b = contents.read(path, KEY_SCAN_BYTES);
      if (b == null) continue;
      String text = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
      if (SHADOW_FILES.contains(path)) {
        // shadow and gshadow lines both start name:hash, which is what the accounts model reads
        for (Accounts.Shadow e : Accounts.parse(null, null, b).shadow()) {
          if (e.emptyPassword()) {
            out.add("account " + e.name() + " in " + path + " has an empty password");
          } else if (!e.locked() && !e.hash().equals("x")) {
            out.add("account " + e.name() + " in " + path + " has a password hash");
          }
        }
      } else if (text.contains("PRIVATE KEY-----")) {
        out.add("private key " + path);
      }
    }
    return out;
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
        return f.title()
            + (f.path() == null ? "" : " " + f.path())
            + (f.detail() == null ? "" : ": " + f.detail())
            + " ["
            + f.id()
            + "]";
    }
  }
}
