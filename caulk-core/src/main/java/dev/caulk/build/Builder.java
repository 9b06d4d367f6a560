package dev.caulk.build;

import dev.caulk.elf.LibraryClosure;
import dev.caulk.event.EventListener;
import dev.caulk.image.Artifact;
import dev.caulk.image.Image;
import dev.caulk.image.Images;
import dev.caulk.image.Layer;
import dev.caulk.jvm.AppJar;
import dev.caulk.jvm.Jdk;
import dev.caulk.mutate.Mutate;
import dev.caulk.spec.ContainerConfig;
import dev.caulk.spec.History;
import dev.caulk.spec.Platform;
import dev.caulk.tar.LayerFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * Builds one image per service from {@link BuildSettings}: a system layer shared by every service
 * (passwd, group, nsswitch, CA bundle, zoneinfo, /tmp, the user's home), a libraries layer for a
 * dynamic binary, and an app layer with the binary; services are built in parallel, each layer once
 * (a layer cache makes an unchanged rebuild near-instant).
 */
public final class Builder {
  /** Where the binary goes in every image. */
  public static final String SERVICE_PATH = "/app/service";

  /**
   * @param cacheDir the layer cache
   * @param base the base image per platform, or null for scratch
   * @param listener progress and logs
   * @param verify whether the result is checked ({@link Verification})
   * @param allowHostFiles whether {@code files[].source} may name a file outside the project
   */
  public record Options(
      Path cacheDir,
      BaseImage base,
      EventListener listener,
      boolean verify,
      boolean allowHostFiles) {
    /** Project files only. */
    public Options(Path cacheDir, BaseImage base, EventListener listener, boolean verify) {
      this(cacheDir, base, listener, verify, false);
    }
  }

  /**
   * A built service: its image name (without tag), its image (or index for several platforms), and
   * what verification found (empty when skipped or clean).
   */
  public record Result(
      String service,
      String imageName,
      Artifact artifact,
      List<String> notes,
      Verification.Result verification) {}

  /**
   * Names the rule set in verification markers; change it whenever {@link Verification}'s checks
   * change.
   */
  static final String VERIFY_MARKER = "verified-v3-";

  private final BuildSettings settings;
  private final Options options;
  private final LayerCache cache;
  private final LayerFormat format;

  public Builder(BuildSettings settings, Options options) {
    this.settings = settings;
    this.options = options;
    this.format = LayerFormat.gzip(settings.compressionLevel());
    this.cache = new LayerCache(options.cacheDir());
  }

  /** Builds the given services (in parallel) and returns them in the order given. */
  public List<Result> build(List<String> services) throws IOException {
    if (services.isEmpty())
      throw new BuildConfigException(
          "no services to build: no folders under "
              + settings.projectDir().resolve("cmd")
              + " and none named");
    List<Platform> platforms = new ArrayList<>();
    for (String p : settings.platforms()) platforms.add(Platform.parse(p));
    // Every host file is checked before anything is built: files inside the project, a CA bundle
    // that is one.
    for (BuildConfig.FileSpec f : settings.files())
      HostFiles.projectFile(settings.projectDir(), f.source(), f.where(), options.allowHostFiles());
    Path caFile =
        HostFiles.caBundle(settings.caCertificates(), settings.sysroot(), settings.projectDir());
    byte[] caBundle =
        caFile == null
            ? null
            : HostFiles.pemBundle(
                caFile,
                settings.origins().get("ca-certificates"),
                options.cacheDir().resolve("ca"));
    Map<Platform, Layer> systemLayers = new LinkedHashMap<>();
    for (Platform p : platforms)
      systemLayers.put(p, cache.layer(systemRecipe(caBundle, p), settings.epoch(), format));
    int threads =
        Math.max(1, Math.min(services.size(), Runtime.getRuntime().availableProcessors()));
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "caulk-build");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<Result>> futures = new ArrayList<>();
      for (String s : services)
        futures.add(pool.submit(() -> buildService(s, platforms, systemLayers, caBundle)));
      List<Result> out = new ArrayList<>();
      for (Future<Result> f : futures) out.add(get(f));
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private Result buildService(
      String service,
      List<Platform> platforms,
      Map<Platform, Layer> systemLayers,
      byte @Nullable [] caBundle)
      throws IOException {
    boolean hasCa = caBundle != null;
    List<Image> images = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (Platform p : platforms) {
      Path binary = settings.binary(service, p.os(), p.architecture());
      BaseImage base = options.base();
      boolean jar = AppJar.isJar(binary);
      BinaryInspector.Inspection insp =
          jar
              ? null
              : BinaryInspector.inspect(
                  binary,
                  SERVICE_PATH,
                  p.architecture(),
                  settings.sysroot(),
                  settings.staticOnly(),
                  base == null ? null : path -> base.has(p, path));
      List<Layer> layers = new ArrayList<>();
      List<History> history = new ArrayList<>();
      String when = settings.epoch().toString();
      layers.add(systemLayers.get(p));
      history.add(
          new History(
              when,
              null,
              "caulk: system files: /etc/passwd, /etc/group, /etc/nsswitch.conf, CA bundle, zoneinfo "
                  + settings.timezone()
                  + ", /tmp, "
                  + SystemFiles.home(settings.user()),
              "caulk build",
              false));
      if (jar) {
        images.add(javaImage(service, p, binary, layers, history, caBundle, notes));
        continue;
      }
      if (insp.isDynamic() && (base == null || !base.has(p, insp.elf().interpreter().orElse("")))) {
        LayerRecipe libs = librariesRecipe(insp.closure());
        if (!libs.isEmpty()) {
          layers.add(cache.layer(libs, settings.epoch(), format));
          history.add(
              new History(
                  when,
                  null,
                  "caulk: shared libraries of "
                      + SERVICE_PATH
                      + ": "
                      + String.join(" ", libraryNames(insp.closure())),
                  "caulk build",
                  false));
          notes.add("dynamic binary: " + insp.closure().libraries().size() + " libraries copied");
        }
      }
      Path content = settings.strip() ? Strip.stripped(binary, options.cacheDir()) : binary;
      layers.add(cache.layer(appRecipe(content), settings.epoch(), format));
      history.add(
          new History(
              when,
              null,
              "caulk: "
                  + SERVICE_PATH
                  + " from "
                  + settings.projectDir().relativize(binary.toAbsolutePath().normalize()),
              "caulk build",
              false));
      images.add(assemble(service, p, base, layers, history, hasCa));
    }
    Artifact a =
        images.size() == 1 ? Artifact.of(images.get(0)) : Artifact.of(Images.indexOf(images, null));
    return new Result(service, settings.imageName(service), a, notes, verify(service, a));
  }

  /**
   * A Java service's image for one platform ({@link JavaLayers}): its layers after the system
   * layer, and the config of a native service with {@code java} as entrypoint (unless one is set)
   * and {@code JAVA_HOME} in the env.
   */
  private Image javaImage(
      String service,
      Platform p,
      Path jar,
      List<Layer> layers,
      List<History> history,
      byte @Nullable [] ca,
      List<String> notes)
      throws IOException {
    boolean hasCa = ca != null;
    JavaLayers.Plan plan =
        JavaLayers.plan(
            settings,
            service,
            p.architecture(),
            jar,
            options.cacheDir(),
            ca,
            options.allowHostFiles(),
            options.listener());
    for (JavaLayers.Part part : plan.parts()) {
      layers.add(cache.layer(part.recipe(), settings.epoch(), format));
      history.add(
          new History(settings.epoch().toString(), null, part.history(), "caulk build", false));
    }
    notes.addAll(plan.notes());
    Map<String, String> env = new LinkedHashMap<>();
    env.put("JAVA_HOME", JavaLayers.JAVA_HOME);
    env.putAll(settings.env());
    boolean ownEntrypoint = settings.entrypoint().equals(List.of(SERVICE_PATH));
    BuildSettings java =
        settings.toBuilder()
            .entrypoint(ownEntrypoint ? plan.entrypoint() : settings.entrypoint())
            .env(env)
            .build();
    Builder b = new Builder(java, options);
    Image image = b.assemble(service, p, options.base(), layers, history, hasCa);
    if (!settings.java().cds().equals("train")) {
      return image;
    }
    if (!ownEntrypoint) {
      throw new BuildConfigException(
          "java.cds: train needs caulk's java entrypoint (entrypoint is set in caulk.yaml)");
    }
    String host = Jdk.hostArchitecture();
    if (!p.architecture().equals(host)) {
      throw new BuildConfigException(
          "java.cds: train: the "
              + p.architecture()
              + " image cannot run on this "
              + host
              + " host (build that platform with cds: default)");
    }
    byte[] jsa = CdsTraining.archive(image, service, options.cacheDir(), options.listener());
    LayerRecipe r = new LayerRecipe("cds archive");
    r.bytes(CdsTraining.ARCHIVE, jsa, 0644, 0, 0);
    layers.add(cache.layer(r, settings.epoch(), format));
    history.add(
        new History(
            settings.epoch().toString(),
            null,
            "caulk: CDS archive " + CdsTraining.ARCHIVE + " (java.cds: train, a run under runc)",
            "caulk build",
            false));
    List<String> ep = new ArrayList<>(plan.entrypoint());
    ep.add(1, "-XX:SharedArchiveFile=" + CdsTraining.ARCHIVE);
    notes.add(
        "java.cds: train: " + jsa.length / 1024 + " KiB dynamic archive " + CdsTraining.ARCHIVE);
    BuildSettings trained = java.toBuilder().entrypoint(ep).build();
    return new Builder(trained, options)
        .assemble(service, p, options.base(), layers, history, hasCa);
  }

  /**
   * Verifies a result, in the build's worker thread, from the trees of the layers this build served
   * (their recipes) and the digests computed while writing: nothing written is read back. A digest
   * that passed before is not checked again (the same digest is the same bytes): a marker per
   * verified digest sits in the cache.
   */
  private Verification.Result verify(String service, Artifact a) throws IOException {
    if (!options.verify()) return new Verification.Result(service, List.of());
    Path marker = options.cacheDir().resolve("verified").resolve(VERIFY_MARKER + a.digest().hex());
    if (Files.exists(marker)) return new Verification.Result(service, List.of());
    Verification.Result r = Verification.check(service, a, cache.known(), options.base());
    if (r.violations().isEmpty()) {
      Files.createDirectories(marker.getParent());
      Files.write(marker, new byte[0]);
    }
    return r;
  }

  private Image assemble(
      String service,
      Platform p,
      BaseImage base,
      List<Layer> mine,
      List<History> history,
      boolean hasCa)
      throws IOException {
    ContainerConfig.Builder cb =
        (base == null ? ContainerConfig.EMPTY : base.image(p).config().runConfig()).toBuilder();
    BuildConfig.User u = settings.user();
    cb.user(u.uid() + ":" + u.gid())
        .workingDir(settings.workdir())
        .entrypoint(settings.entrypoint())
        .cmd(settings.cmd());
    for (String e : settings.envFor(service, hasCa)) {
      int eq = e.indexOf('=');
      cb.env(e.substring(0, eq), e.substring(eq + 1));
    }
    for (String port : settings.ports()) cb.exposePort(port);
    settings.labelsFor(service).forEach(cb::label);
    // Always OCI media types (a Docker-format base's layers are retyped, their bytes kept): the
    // image an OCI layout must hold, so a build has one digest whatever its destination.
    Image start = base == null ? Images.scratch(p) : Mutate.onTopOf(base.image(p));
    Image img =
        Mutate.withPlatform(
            start, new Platform(p.architecture(), p.os(), null, null, p.variant(), null));
    img = Mutate.withCreated(img, settings.epoch());
    img = Mutate.withConfig(img, cb.build());
    return Mutate.appendLayers(img, mine, history);
  }

  private LayerRecipe systemRecipe(byte[] caBundle, Platform p) throws IOException {
    BuildConfig.User u = settings.user();
    LayerRecipe r = new LayerRecipe("system");
    BaseImage base = options.base();
    byte[] passwd =
        base == null
            ? SystemFiles.passwd(u)
            : SystemFiles.mergePasswd(base.read(p, "/etc/passwd"), u);
    byte[] group =
        base == null ? SystemFiles.group(u) : SystemFiles.mergeGroup(base.read(p, "/etc/group"), u);
    r.dir("/etc", 0755, 0, 0);
    r.bytes("/etc/passwd", passwd, 0644, 0, 0);
    r.bytes("/etc/group", group, 0644, 0, 0);
    if (base == null || !base.has(p, "/etc/nsswitch.conf"))
      r.bytes("/etc/nsswitch.conf", SystemFiles.nsswitch(), 0644, 0, 0);
    if (caBundle != null)
      r.bytes(
          HostFiles.CA_BUNDLE_PATH, caBundle, 0644, 0, 0); // the checked certificates, nothing else
    Path zoneDir = settings.sysroot().resolve(HostFiles.ZONEINFO.substring(1));
    for (String rel :
        HostFiles.zoneinfo(settings.sysroot(), settings.timezone(), settings.allZoneinfo())) {
      Path host = zoneDir.resolve(rel);
      String inImage = HostFiles.ZONEINFO + "/" + rel;
      if (Files.isSymbolicLink(host)) r.symlink(inImage, Files.readSymbolicLink(host).toString());
      else r.file(inImage, host, 0644, 0, 0);
    }
    r.symlink("/etc/localtime", HostFiles.ZONEINFO + "/" + settings.timezone());
    r.bytes("/etc/timezone", SystemFiles.timezone(settings.timezone()), 0644, 0, 0);
    r.dir("/tmp", 01777, 0, 0);
    if (u.uid() != 0) r.dir(SystemFiles.home(u), 0700, u.uid(), u.gid());
    return r;
  }

  private LayerRecipe librariesRecipe(LibraryClosure closure) {
    LayerRecipe r = new LayerRecipe("libraries");
    for (LibraryClosure.PathEntry e : closure.entries()) {
      if (e.path().equals(SERVICE_PATH)) continue;
      if (e instanceof LibraryClosure.LinkEntry l) {
        r.symlink(l.path(), l.target());
      } else {
        Path host = settings.sysroot().resolve(e.path().substring(1));
        r.file(e.path(), host, 0755, 0, 0);
      }
    }
    return r;
  }

  private static List<String> libraryNames(LibraryClosure c) {
    List<String> out = new ArrayList<>();
    for (LibraryClosure.Library l : c.libraries()) out.add(l.name());
    return out;
  }

  private LayerRecipe appRecipe(Path binary) throws IOException {
    LayerRecipe r = new LayerRecipe("app");
    r.dir("/app", 0755, 0, 0);
    if (!settings.workdir().equals("/app")) r.dir(settings.workdir(), 0755, 0, 0);
    r.file(SERVICE_PATH, binary, 0755, 0, 0);
    for (BuildConfig.FileSpec f : settings.files()) {
      Path src =
          HostFiles.projectFile(
              settings.projectDir(), f.source(), f.where(), options.allowHostFiles());
      r.file(f.destination(), src, f.mode(), 0, 0);
    }
    return r;
  }

  private static <T> T get(Future<T> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("build interrupted");
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof IOException io) throw io;
      if (c instanceof RuntimeException re) throw re;
      throw new IOException(c);
    }
  }
}
