package dev.caulk.run;

import dev.caulk.image.Image;
import dev.caulk.spec.ContainerConfig;
import dev.caulk.tar.SafeExtractor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An OCI runtime bundle (runtime-spec bundle.md) unpacked from an image: {@code rootfs/} holds the
 * image's layers extracted in order by {@link SafeExtractor} (whiteouts applied, nothing written
 * outside), and {@code config.json} runs Entrypoint + Cmd as the image's user. {@link #close()}
 * deletes the directory.
 *
 * <p>The process gets the image's Env plus the caller's additions (a caller overrides an image
 * value of the same name), {@code PATH} and {@code HOME} when the image sets neither, and the
 * image's WorkingDir. Ownership from the layers is applied when running as root, so a non-root user
 * sees its files as the image declares them; with a user namespace, shifted to the mapped ids.
 *
 * <p>Two refusals come before anything runs: an image whose user is root (uid 0, or no {@code
 * User}) unless the {@link Sandbox} allows it, and an entrypoint that is not an executable regular
 * file in the image (looked up as runc does: through the process's {@code PATH} for a bare name,
 * from the working directory for a relative path).
 */
public final class Bundle implements AutoCloseable {
  /** The PATH a process gets when the image sets none: Docker's and runc's default. */
  public static final String DEFAULT_PATH =
      "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  /**
   * The hostname of every probe container (runtime-spec config.md "Hostname", needs the uts
   * namespace).
   */
  public static final String HOSTNAME = "caulk";

  private final Path dir;
  private final ProcessSpec process;
  private final SafeExtractor.Result extraction;
  private final IdMap ids;

  private Bundle(Path dir, ProcessSpec process, SafeExtractor.Result extraction, IdMap ids) {
    this.dir = dir;
    this.process = process;
    this.extraction = extraction;
    this.ids = ids;
  }

  /**
   * Unpacks {@code image} into {@code dir}, which must not exist yet (its parent must).
   *
   * @param env variables added to the image's Env, replacing image values of the same name
   * @throws RunException when the image has nothing to run, names an unknown user, or an env name
   *     is invalid
   * @throws dev.caulk.tar.InvalidLayerException when a layer is hostile or corrupt
   */
  public static Bundle create(Image image, Path dir, Map<String, String> env) throws IOException {
    return create(image, dir, env, Sandbox.defaults(), false);
  }

  /**
   * Unpacks {@code image} into {@code dir} for a run confined by {@code sandbox} (its user
   * namespace aside: a bundle alone has none).
   *
   * @throws RunException as {@link #create(Image, Path, Map)}, and when the image runs as root and
   *     the sandbox does not allow it
   */
  public static Bundle create(Image image, Path dir, Map<String, String> env, Sandbox sandbox)
      throws IOException {
    return create(image, dir, env, sandbox, false);
  }

  /**
   * As {@link #create(Image, Path, Map, Sandbox)}; with {@code userNamespace}, a random {@link
   * IdMap} covering the process's ids is chosen and the rootfs's owners are shifted to it.
   */
  static Bundle create(
      Image image, Path dir, Map<String, String> env, Sandbox sandbox, boolean userNamespace)
      throws IOException {
    ContainerConfig c = image.config().runConfig();
    List<String> args = new ArrayList<>();
    if (c.entrypoint() != null) args.addAll(c.entrypoint());
    if (c.cmd() != null) args.addAll(c.cmd());
    if (args.isEmpty()) throw new RunException("image has no Entrypoint or Cmd: nothing to run");
    for (String a : args) {
      if (a == null || a.indexOf('\0') >= 0)
        throw new RunException("image Entrypoint/Cmd has an invalid argument");
    }
    Map<String, String> vars = envMap(c.env(), env);
    if (c.workingDir() != null && c.workingDir().indexOf('\0') >= 0)
      throw new RunException("image WorkingDir is invalid");
    String cwd =
        Path.of("/")
            .resolve(c.workingDir() == null || c.workingDir().isBlank() ? "/" : c.workingDir())
            .normalize()
            .toString();
    if (!sandbox.asRoot() && obviouslyRoot(c.user())) throw rootRefused(c.user());
    Files.createDirectory(dir);
    try {
      Path rootfs = dir.resolve("rootfs");
      Files.createDirectory(rootfs);
      Files.setPosixFilePermissions(rootfs, PosixFilePermissions.fromString("rwxr-xr-x"));
      SafeExtractor.Options opts =
          SafeExtractor.Options.defaults().withOwnership(RootCheck.isRoot());
      SafeExtractor.Result r = SafeExtractor.extractLayers(image.layers(), rootfs, opts);
      Users.ExecUser u = Users.resolve(c.user(), rootfs);
      if (u.uid() == 0 && !sandbox.asRoot()) throw rootRefused(c.user());
      vars.putIfAbsent("PATH", DEFAULT_PATH);
      vars.putIfAbsent("HOME", u.home());
      Executables.check(rootfs, args.get(0), vars.get("PATH"), cwd);
      List<String> envList = new ArrayList<>();
      vars.forEach((k, v) -> envList.add(k + "=" + v));
      ProcessSpec p =
          new ProcessSpec(
              args, envList, cwd, u.uid(), u.gid(), u.additionalGids(), sandbox.capabilities());
      IdMap ids = null;
      if (userNamespace) {
        long maxId = Math.max(Integer.toUnsignedLong(u.uid()), Integer.toUnsignedLong(u.gid()));
        for (int g : u.additionalGids()) maxId = Math.max(maxId, Integer.toUnsignedLong(g));
        ids = IdMap.random(maxId);
        if (ids != null) ids.shiftOwnership(rootfs);
      }
      Path config = dir.resolve("config.json");
      Files.write(config, RuntimeConfig.json(p, HOSTNAME, sandbox, ids));
      Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
      return new Bundle(dir, p, r, ids);
    } catch (IOException | RuntimeException e) {
      Trees.delete(dir);
      throw e;
    }
  }

  /** An empty User, or uid 0 by number: root without looking at the image's files. */
  private static boolean obviouslyRoot(String user) {
    String s = user == null ? "" : user.trim();
    int colon = s.indexOf(':');
    String u = colon < 0 ? s : s.substring(0, colon);
    return u.isEmpty() || (u.chars().allMatch(ch -> ch == '0'));
  }

  private static RunException rootRefused(String user) {
    String which =
        user == null || user.isBlank()
            ? "sets no User"
            : "runs as User " + Users.quote(user) + " (uid 0)";
    return new RunException(
        "the image "
            + which
            + ": the probe does not run images as root; set a non-root USER in the"
            + " image, or allow it with --probe-as-root");
  }

  private static Map<String, String> envMap(List<String> image, Map<String, String> extra)
      throws RunException {
    Map<String, String> m = new LinkedHashMap<>();
    if (image != null) {
      for (String e : image) {
        int eq = e == null ? -1 : e.indexOf('=');
        if (eq <= 0 || e.indexOf('\0') >= 0) continue;
        m.put(e.substring(0, eq), e.substring(eq + 1));
      }
    }
    for (Map.Entry<String, String> e : extra.entrySet()) {
      String k = e.getKey();
      if (k == null
          || k.isEmpty()
          || k.indexOf('=') >= 0
          || k.indexOf('\0') >= 0
          || e.getValue() == null
          || e.getValue().indexOf('\0') >= 0) {
        throw new RunException("invalid environment variable " + Users.quote(k));
      }
      m.put(k, e.getValue());
    }
    return m;
  }

  /** The bundle directory (runc's {@code --bundle}). */
  public Path dir() {
    return dir;
  }

  /** The unpacked root filesystem, mounted read-only in the container. */
  public Path rootfs() {
    return dir.resolve("rootfs");
  }

  /** The generated runtime configuration. */
  public Path configFile() {
    return dir.resolve("config.json");
  }

  /** What the container runs, as written to config.json. */
  public ProcessSpec process() {
    return process;
  }

  /** What the extraction did (entries, bytes, skipped devices). */
  public SafeExtractor.Result extraction() {
    return extraction;
  }

  /** The user namespace's mapping, or null when the bundle runs without one. */
  IdMap ids() {
    return ids;
  }

  /** Deletes the bundle directory; links are removed, never followed. */
  @Override
  public void close() throws IOException {
    Trees.delete(dir);
  }
}
