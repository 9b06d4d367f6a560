package dev.caulk.audit;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import dev.caulk.accounts.Accounts;
import dev.caulk.audit.secrets.SecretRuleBook;
import dev.caulk.audit.secrets.SecretScanner;
import dev.caulk.fs.FileTree;
import dev.caulk.fs.Node;
import dev.caulk.spec.ConfigFile;
import dev.caulk.spec.ContainerConfig;
import dev.caulk.spec.History;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a {@link Rule} may look at, gathered in one streaming pass over an image's layers: the
 * merged {@link FileTree} (with what later layers hid), the config and its history, the accounts
 * from the final {@code /etc/passwd}, {@code /etc/group} and {@code /etc/shadow}, and the secrets
 * found in every layer's files (those deleted later included). Immutable; derived values are
 * computed on demand.
 */
public final class AuditContext {
  /** Docker's PATH when the image sets none (the default of runc and containerd for Linux). */
  public static final String DEFAULT_PATH =
      "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  /** How many characters of a history line a finding shows. */
  static final int MAX_EVIDENCE = 300;

  private static final Pattern NAME_VALUE =
      Pattern.compile("([A-Za-z_][A-Za-z0-9_.-]{0,99})=(\"[^\"]*\"|'[^']*'|[^\\s\"']+)");

  private static final Pattern FLAG_VALUE =
      Pattern.compile(
          "(?:^|[^A-Za-z0-9_-])--?([A-Za-z][A-Za-z0-9_-]{0,60})[ \\t]+(\"[^\"]*\"|'[^']*'|[^\\s\"'-][^\\s\"']*)");

  private final ImageFacts image;
  private final ConfigFile config;
  private final FileTree tree;
  private final Accounts accounts;
  private final List<SecretEvidence> secrets;
  private final SecretRuleBook secretRules;
  private RuntimeUser user;
  private Inventory inventory;

  /**
   * @param image identity and sizes of the image
   * @param config its config
   * @param tree its merged file tree
   * @param accounts parsed from the tree's final account files
   * @param secrets secrets found in any layer, each marked final or hidden
   */
  public AuditContext(
      ImageFacts image,
      ConfigFile config,
      FileTree tree,
      Accounts accounts,
      List<SecretEvidence> secrets) {
    this(image, config, tree, accounts, secrets, SecretRuleBook.builtIn());
  }

  /**
   * @param image identity and sizes of the image
   * @param config its config
   * @param tree its merged file tree
   * @param accounts parsed from the tree's final account files
   * @param secrets secrets found in any layer, each marked final or hidden
   * @param secretRules the secret scanner the audit uses (for the environment, labels and history
   *     too)
   */
  public AuditContext(
      ImageFacts image,
      ConfigFile config,
      FileTree tree,
      Accounts accounts,
      List<SecretEvidence> secrets,
      SecretRuleBook secretRules) {
    this.image = Objects.requireNonNull(image, "image");
    this.config = Objects.requireNonNull(config, "config");
    this.tree = Objects.requireNonNull(tree, "tree");
    this.accounts = Objects.requireNonNull(accounts, "accounts");
    this.secrets = List.copyOf(secrets);
    this.secretRules = Objects.requireNonNull(secretRules, "secretRules");
  }

  /** The secret scanner of this audit: built-in rules, or a configuration's. */
  public SecretRuleBook secretRules() {
    return secretRules;
  }

  /**
   * {@link #masked(String)} with this audit's secret rules too, so a user rule's token in a history
   * line is masked as well as the built-in ones.
   */
  public String mask(String line) {
    if (line == null) {
      return "";
    }
    String s = secretRules == SecretRuleBook.builtIn() ? line : secretRules.maskValue(null, line);
    return maskLine(s);
  }

  /** Identity, tag and sizes of the image. */
  public ImageFacts image() {
    return image;
  }

  /** The image config (run configuration and history). */
  public ConfigFile config() {
    return config;
  }

  /** The run configuration, never null. */
  public ContainerConfig runConfig() {
    return config.runConfig();
  }

  /** The merged file tree, with what later layers hid. */
  public FileTree tree() {
    return tree;
  }

  /** Accounts from the final {@code /etc/passwd}, {@code /etc/group} and {@code /etc/shadow}. */
  public Accounts accounts() {
    return accounts;
  }

  /** Secrets found in the files of every layer, in layer and path order. */
  public List<SecretEvidence> secrets() {
    return secrets;
  }

  /** The user the container runs as, resolved through the image's accounts. */
  public synchronized RuntimeUser runtimeUser() {
    if (user == null) user = RuntimeUser.resolve(runConfig().user(), accounts);
    return user;
  }

  /** What is inside the image (computed once, by one walk over the tree). */
  public synchronized Inventory inventory() {
    if (inventory == null) inventory = InventoryBuilder.of(this);
    return inventory;
  }

  /** The history entries with the layer each made. */
  public List<HistoryLine> history() {
    List<HistoryLine> out = new ArrayList<>();
    int layer = 0;
    int layers = image.layerDigests().size();
    List<History> h = config.history();
    for (int i = 0; i < h.size(); i++) {
      History e = h.get(i);
      int li = -1;
      if (!e.emptyLayer() && layer < layers) li = layer++;
      out.add(new HistoryLine(i, li, e.createdBy() == null ? "" : e.createdBy()));
    }
    return out;
  }

  /**
   * The {@code PATH} of the image's environment split into absolute folders, or {@link
   * #DEFAULT_PATH} when the image sets none. Relative and empty entries are dropped (they depend on
   * the working directory).
   */
  public List<String> pathFolders() {
    String path = runConfig().envValue("PATH");
    Set<String> out = new LinkedHashSet<>();
    for (String p : (path == null ? DEFAULT_PATH : path).split(":")) {
      if (!p.startsWith("/")) continue;
      String n = p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
      out.add(n);
    }
    return List.copyOf(out);
  }

  /**
   * The PATH folders resolved inside the image (symlinks followed), each real folder once in PATH
   * order: on a merged-/usr system {@code /bin} and {@code /usr/bin} are the same folder and are
   * listed once, under {@code /usr/bin}. Folders that do not exist are left out.
   */
  public List<Node> realPathFolders() {
    Set<String> seen = new LinkedHashSet<>();
    List<Node> out = new ArrayList<>();
    for (String p : pathFolders()) {
      Optional<Node> n = tree.resolve(p);
      if (n.isPresent() && n.get().isDirectory() && seen.add(n.get().path())) out.add(n.get());
    }
    return out;
  }

  /**
   * Finds a command the way the runtime does: an absolute path as is, a name with a slash relative
   * to the working directory, a bare name in the PATH folders; symlinks followed. Empty when
   * nothing executable by someone is there.
   */
  public Optional<Node> findExecutable(String command) {
    if (command == null || command.isEmpty()) return Optional.empty();
    List<String> candidates = new ArrayList<>();
    if (command.startsWith("/")) {
      candidates.add(command);
    } else if (command.contains("/")) {
      String wd =
          runConfig().workingDir() == null || runConfig().workingDir().isEmpty()
              ? "/"
              : runConfig().workingDir();
      candidates.add(wd.endsWith("/") ? wd + command : wd + "/" + command);
    } else {
      for (String dir : pathFolders()) candidates.add(dir + "/" + command);
    }
    for (String c : candidates) {
      Optional<Node> n = tree.resolve(c);
      if (n.isPresent() && n.get().isRegular() && (n.get().mode() & 0111) != 0) return n;
    }
    return Optional.empty();
  }

  /**
   * Whether the runtime user may write to a node: owner bits for its uid, group bits for its
   * primary or supplementary groups, other bits for anyone. Root may write anything; an unresolved
   * user is judged by the other bits only.
   */
  public boolean writableByRuntimeUser(Node n) {
    RuntimeUser u = runtimeUser();
    if (u.root()) return true;
    int m = n.mode();
    if (u.resolved() && n.uid() == u.uid()) return (m & 0200) != 0;
    if ((u.gid() >= 0 && n.gid() == u.gid()) || u.supplementaryGids().contains(n.gid()))
      return (m & 0020) != 0;
    return (m & 0002) != 0;
  }

  /** The layer digest of layer {@code index}, as findings name it; null for -1. */
  public String layer(int index) {
    return image.layerDigest(index);
  }

  /** "layer 3 (sha256:abcd…)" for people. */
  public String describeLayer(int index) {
    String d = image.layerDigest(index);
    if (d == null) return "no layer";
    int colon = d.indexOf(':');
    String shortDigest =
        colon >= 0 && d.length() > colon + 13 ? d.substring(0, colon + 13) + "…" : d;
    return "layer " + index + " (" + shortDigest + ")";
  }

  /**
   * A history line made safe to show: secrets the detectors recognise are masked, so are the values
   * of {@code NAME=value} words and {@code --flag value} arguments whose name looks secret ({@code
   * DB_PASSWORD=hunter2}, {@code --password hunter2}), and the line is cut at {@value
   * #MAX_EVIDENCE} characters. Every finding that quotes history goes through this.
   */
  public static String masked(String line) {
    if (line == null) return "";
    return maskLine(line);
  }

  /** Built-in masking ({@code SecretScanner.maskValue}), secret-named values and flags, cut. */
  private static String maskLine(String line) {
    String s = SecretScanner.maskValue(null, line);
    Matcher m = NAME_VALUE.matcher(s);
    StringBuilder sb = new StringBuilder();
    int at = 0;
    while (m.find()) {
      String value = m.group(2);
      if (SecretScanner.isSecretName(m.group(1))
          && !value.endsWith("****")
          && !value.endsWith("****\"")
          && !value.endsWith("****'")) {
        sb.append(s, at, m.start(2)).append(SecretScanner.mask(unquote(value)));
        at = m.end(2);
      }
    }
    sb.append(s, at, s.length());
    s = sb.toString();
    m = FLAG_VALUE.matcher(s);
    sb = new StringBuilder();
    at = 0;
    while (m.find()) {
      if (SecretScanner.isSecretName(m.group(1)) && !m.group(2).contains("****")) {
        sb.append(s, at, m.start(2)).append(SecretScanner.mask(unquote(m.group(2))));
        at = m.end(2);
      }
    }
    sb.append(s, at, s.length());
    String out = sb.toString().replaceAll("\\s+", " ").strip();
    return out.length() > MAX_EVIDENCE ? out.substring(0, MAX_EVIDENCE) + "…" : out;
  }

  private static String unquote(String v) {
    if (v.length() >= 2
        && (v.charAt(0) == '"' || v.charAt(0) == '\'')
        && v.charAt(v.length() - 1) == v.charAt(0)) {
      return v.substring(1, v.length() - 1);
    }
    return v;
  }
}
