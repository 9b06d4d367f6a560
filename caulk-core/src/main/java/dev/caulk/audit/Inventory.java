package dev.caulk.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caulk.report.Contents;
import java.util.List;
import java.util.Map;

/**
 * What is inside an image, always part of an audit report: sizes, what can run, what is privileged,
 * who the accounts are. All paths are absolute inside the image. Built from the merged tree by one
 * walk ({@link AuditContext#inventory()}); the checks read the same lists, so a report's inventory
 * and findings never disagree.
 *
 * @param topLevel regular files (hard links included) and their bytes under each top-level folder,
 *     sorted by folder; files directly in {@code /} are counted under {@code "/"}. As {@code find
 *     DIR -type f}: symlinked top-level entries ({@code /bin → usr/bin}) are not folders and are
 *     not listed
 * @param pathFolders the PATH folders searched, resolved inside the image, each real folder once
 * @param pathExecutables regular files with an execute bit and symlinks directly in those folders
 * @param setuid non-directories with the setuid bit
 * @param setgid non-directories with the setgid bit
 * @param capabilities files with a {@code security.capability} attribute
 * @param worldWritable regular files writable by anyone, and folders writable by anyone without the
 *     sticky bit
 * @param shells executable shells anywhere ({@code sh}, {@code bash}, {@code busybox}…), symlinks
 *     that lead to one included
 * @param packageManagers package manager programs anywhere, and package databases
 * @param accounts users and groups from the final account files
 * @param layers per-layer figures, base first
 * @param files regular files in the final tree, hard links included
 * @param hiddenBytes content bytes the layers ship that no container sees (replaced or deleted by a
 *     later layer)
 * @param imageBytes the image as stored: config and (compressed) layers
 * @param treeBytes content bytes of the final tree (a hard-linked file once)
 * @param layerBytes uncompressed bytes of all layer tars
 */
public record Inventory(
    Map<String, Folder> topLevel,
    List<String> pathFolders,
    List<String> pathExecutables,
    List<String> setuid,
    List<String> setgid,
    List<Capability> capabilities,
    List<WorldWritable> worldWritable,
    List<String> shells,
    List<PackageManager> packageManagers,
    AccountSummary accounts,
    List<LayerSummary> layers,
    long files,
    long hiddenBytes,
    long imageBytes,
    long treeBytes,
    long layerBytes)
    implements Contents {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Files and bytes under one folder. */
  public record Folder(long files, long bytes) {}

  /** A file with capabilities, shown as {@code getcap} does ({@code cap_net_raw=ep}). */
  public record Capability(String path, String capabilities) {}

  /** A world-writable path; {@code type} is {@code file} or {@code directory}. */
  public record WorldWritable(String path, String type) {}

  /**
   * A package manager: {@code name} is the manager ({@code apt}, {@code pip}), {@code path} the
   * program or database.
   */
  public record PackageManager(String name, String path) {}

  /**
   * Who the accounts are.
   *
   * @param users every passwd entry
   * @param groups number of groups
   * @param uid0 accounts with uid 0
   * @param loginShells accounts whose shell allows a login
   * @param emptyPasswords accounts that need no password
   */
  public record AccountSummary(
      List<Account> users,
      int groups,
      List<String> uid0,
      List<String> loginShells,
      List<String> emptyPasswords) {
    /** Copies the lists. */
    public AccountSummary {
      users = List.copyOf(users);
      uid0 = List.copyOf(uid0);
      loginShells = List.copyOf(loginShells);
      emptyPasswords = List.copyOf(emptyPasswords);
    }
  }

  /**
   * One account; {@code password} is {@code locked}, {@code empty}, {@code set} or {@code unknown}
   * (never the hash).
   */
  public record Account(
      String name, long uid, long gid, String home, String shell, String password) {}

  /**
   * One layer: what it stores and what of it nobody sees.
   *
   * @param createdBy the history line, masked
   * @param largestHidden the largest files of this layer that a later layer (or this one) replaced
   *     or deleted, at most {@value #LARGEST_HIDDEN}, largest first
   */
  public record LayerSummary(
      int index,
      String digest,
      long size,
      String createdBy,
      long tarBytes,
      long files,
      long fileBytes,
      long hiddenFiles,
      long hiddenBytes,
      List<Hidden> largestHidden) {
    /** Copies the list. */
    public LayerSummary {
      largestHidden = List.copyOf(largestHidden);
    }
  }

  /** A file a layer ships that no container sees: its size and the layer that hid it. */
  public record Hidden(String path, long size, int hiddenBy) {}

  /** How many hidden files each layer summary names. */
  public static final int LARGEST_HIDDEN = 10;

  /** Copies every collection. */
  public Inventory {
    topLevel = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(topLevel));
    pathFolders = List.copyOf(pathFolders);
    pathExecutables = List.copyOf(pathExecutables);
    setuid = List.copyOf(setuid);
    setgid = List.copyOf(setgid);
    capabilities = List.copyOf(capabilities);
    worldWritable = List.copyOf(worldWritable);
    shells = List.copyOf(shells);
    packageManagers = List.copyOf(packageManagers);
    layers = List.copyOf(layers);
  }

  /** The report's {@code inventory} object; see {@link #toJson(ObjectMapper)}. */
  @Override
  public ObjectNode toJson() {
    return toJson(MAPPER);
  }

  /**
   * The report's {@code inventory} object. Field order is fixed: {@code topLevel}, {@code
   * pathExecutables}, {@code setuid}, {@code setgid}, {@code capabilities}, {@code worldWritable},
   * {@code shells}, {@code packageManagers}, {@code hiddenBytes}, {@code imageBytes}, {@code
   * treeBytes}, then {@code files}, {@code layerBytes}, {@code pathFolders}, {@code accounts} and
   * {@code layers}.
   */
  public ObjectNode toJson(ObjectMapper mapper) {
    ObjectNode root = mapper.createObjectNode();
    ObjectNode top = root.putObject("topLevel");
    topLevel.forEach((k, v) -> top.putObject(k).put("files", v.files()).put("bytes", v.bytes()));
    strings(root.putArray("pathExecutables"), pathExecutables);
    strings(root.putArray("setuid"), setuid);
    strings(root.putArray("setgid"), setgid);
    ArrayNode caps = root.putArray("capabilities");
    capabilities.forEach(
        c -> caps.addObject().put("path", c.path()).put("capabilities", c.capabilities()));
    ArrayNode ww = root.putArray("worldWritable");
    worldWritable.forEach(w -> ww.addObject().put("path", w.path()).put("type", w.type()));
    strings(root.putArray("shells"), shells);
    ArrayNode pms = root.putArray("packageManagers");
    packageManagers.forEach(p -> pms.addObject().put("name", p.name()).put("path", p.path()));
    root.put("hiddenBytes", hiddenBytes);
    root.put("imageBytes", imageBytes);
    root.put("treeBytes", treeBytes);
    root.put("files", files);
    root.put("layerBytes", layerBytes);
    strings(root.putArray("pathFolders"), pathFolders);
    ObjectNode acc = root.putObject("accounts");
    acc.put("groups", accounts.groups());
    strings(acc.putArray("uid0"), accounts.uid0());
    strings(acc.putArray("loginShells"), accounts.loginShells());
    strings(acc.putArray("emptyPasswords"), accounts.emptyPasswords());
    ArrayNode users = acc.putArray("users");
    for (Account a : accounts.users()) {
      users
          .addObject()
          .put("name", a.name())
          .put("uid", a.uid())
          .put("gid", a.gid())
          .put("home", a.home())
          .put("shell", a.shell())
          .put("password", a.password());
    }
    ArrayNode ls = root.putArray("layers");
    for (LayerSummary l : layers) {
      ls.addObject()
          .put("index", l.index())
          .put("digest", l.digest())
          .put("size", l.size())
          .put("createdBy", l.createdBy())
          .put("tarBytes", l.tarBytes())
          .put("files", l.files())
          .put("fileBytes", l.fileBytes())
          .put("hiddenFiles", l.hiddenFiles())
          .put("hiddenBytes", l.hiddenBytes());
      ArrayNode hidden = ((ObjectNode) ls.get(ls.size() - 1)).putArray("largestHidden");
      l.largestHidden()
          .forEach(
              h ->
                  hidden
                      .addObject()
                      .put("path", h.path())
                      .put("size", h.size())
                      .put("hiddenBy", h.hiddenBy()));
    }
    return root;
  }

  private static void strings(ArrayNode a, List<String> values) {
    values.forEach(a::add);
  }
}
