package dev.caulk.build;

import dev.caulk.digest.Digest;
import dev.caulk.elf.LibraryClosure;
import dev.caulk.event.EventListener;
import dev.caulk.jvm.AppJar;
import dev.caulk.jvm.JavaRuntime;
import dev.caulk.jvm.Jdeps;
import dev.caulk.jvm.Jdk;
import dev.caulk.jvm.JvmException;
import dev.caulk.jvm.RuntimeLibraries;
import dev.caulk.jvm.TrustStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * The layers of a Java service (its binary is a jar), Jib's layering on a jlink'd runtime: the
 * runtime with its shared libraries and trust store, release dependencies, snapshot dependencies,
 * resources, classes, each its own layer so that a code change rebuilds (and pushes) only the
 * classes layer. The jar is exploded into {@code /app/classes} and {@code /app/resources} (Spring
 * Boot: {@code BOOT-INF/classes} the same way, {@code BOOT-INF/lib} into {@code /app/libs}, run by
 * its {@code Start-Class} without Boot's loader); a signed or multi-release jar is kept whole as
 * {@code /app/NAME.jar}, since its classes only work inside it.
 */
final class JavaLayers {
  /** Where the runtime goes in the image (JAVA_HOME). */
  static final String JAVA_HOME = "/opt/java";

  static final String CLASSES = "/app/classes";
  static final String RESOURCES = "/app/resources";
  static final String LIBS = "/app/libs";

  /**
   * With {@code java.cds: train}, the app's classes and resources in one jar: the JVM archives no
   * class from a folder on the class path (a non-empty folder there disables the dynamic archive).
   */
  static final String APP_JAR = "/app/app.jar";

  /** The time of every entry of {@link #APP_JAR} (zip times are local: no zone involved). */
  private static final LocalDateTime ZIP_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

  /** A layer to build and its history line. */
  record Part(LayerRecipe recipe, String history) {}

  /**
   * What a Java service's image gets.
   *
   * @param parts the layers after the system layer, in order
   * @param entrypoint {@code java} with the flags, class path and main class
   * @param notes one line each, for the build's output
   */
  record Plan(List<Part> parts, List<String> entrypoint, List<String> notes) {}

  private JavaLayers() {}

  /**
   * @param caBundle the PEM bundle of the image, or null for none (then no trust store)
   */
  static Plan plan(
      BuildSettings s,
      String service,
      String arch,
      Path jarFile,
      Path cacheDir,
      byte[] caBundle,
      boolean allowHostFiles,
      EventListener events)
      throws IOException {
    BuildSettings.JavaSettings js = s.java();
    Jdk jdk = Jdk.open(js.jdkFor(arch), arch, js.jdkWhere(arch));
    // a JDK for another architecture cannot run here: the host's jlink links from its jmods
    String host = Jdk.hostArchitecture();
    Jdk linker =
        arch.equals(host)
            ? null
            : Jdk.open(
                js.jdkFor(host),
                host,
                js.jdkWhere(host)
                    + " (the host's JDK, whose jlink links the "
                    + arch
                    + " runtime)");
    AppJar jar = AppJar.open(jarFile);
    String main = js.mainClass() != null ? js.mainClass() : jar.mainClass().orElse(null);
    if (main == null) {
      throw new JvmException(
          jarFile
              + " has no "
              + (jar.kind() == AppJar.Kind.SPRING_BOOT ? "Start-Class" : "Main-Class")
              + " in its manifest: set java.main-class in caulk.yaml");
    }
    Path work = cacheDir.resolve("jvm").resolve("work");
    Files.createDirectories(work);
    Path tmp = Files.createTempDirectory(work, service + "-");
    try {
      return plan(
          s, service, jdk, linker, jar, main, cacheDir, tmp, caBundle, allowHostFiles, events);
    } finally {
      deleteTree(tmp);
    }
  }

  private static Plan plan(
      BuildSettings s,
      String service,
      Jdk jdk,
      @Nullable Jdk linker,
      AppJar jar,
      String main,
      Path cacheDir,
      Path tmp,
      byte[] caBundle,
      boolean allowHostFiles,
      EventListener events)
      throws IOException {
    BuildSettings.JavaSettings js = s.java();
    List<String> notes = new ArrayList<>();
    long t = System.nanoTime();
    boolean explode = jar.explodable();
    AppJar.Contents contents = explode ? jar.explode() : null;
    t = took(events, service, "read the jar", t);
    // dependencies: name in /app/libs -> host file
    Map<String, Path> deps = new LinkedHashMap<>();
    if (contents != null && jar.kind() == AppJar.Kind.SPRING_BOOT) {
      Path store = cacheDir.resolve("jvm").resolve("boot-libs");
      for (Map.Entry<String, byte[]> e : contents.libs().entrySet()) {
        addDependency(deps, e.getKey(), stored(store, e.getValue()), jar.path().toString());
      }
    }
    for (Path p : classpath(s, service, jar)) {
      addDependency(deps, p.getFileName().toString(), p, "java.classpath");
    }
    // what jdeps reads: the jar itself, or (Spring Boot) its classes written out
    Path app = jar.path();
    if (contents != null && jar.kind() == AppJar.Kind.SPRING_BOOT) {
      app = tmp.resolve("classes");
      for (Map.Entry<String, byte[]> e : contents.classes().entrySet()) {
        Path f = app.resolve(e.getKey());
        Files.createDirectories(f.getParent());
        Files.write(f, e.getValue());
      }
    }
    SortedSet<String> modules =
        new TreeSet<>(jdepsModules(linker != null ? linker : jdk, app, deps, cacheDir, tmp));
    t = took(events, service, "jdeps", t);
    for (String m : js.modules()) {
      if (!Jdeps.isModuleName(m)) {
        throw new BuildConfigException("java.modules: '" + m + "' is not a module name");
      }
      modules.add(m);
    }
    boolean cds = !js.cds().equals("none");
    long start = System.nanoTime();
    JavaRuntime.Made rt = JavaRuntime.make(jdk, linker, modules, cds, cacheDir);
    if (!rt.reused()) {
      events.info(
          service
              + ": jlink "
              + modules.size()
              + " modules from "
              + jdk
              + " in "
              + (System.nanoTime() - start) / 1_000_000
              + " ms");
    }
    notes.add(
        "java runtime: "
            + modules.size()
            + " modules ("
            + String.join(",", modules)
            + ") from JDK "
            + jdk.version()
            + (rt.cds() ? ", default CDS archive" : "")
            + (linker == null ? "" : ", linked by the jlink of " + linker));
    t = System.nanoTime();
    RuntimeLibraries.Closure libs = RuntimeLibraries.of(rt.dir(), JAVA_HOME, s.sysroot());
    t = took(events, service, "runtime libraries", t);
    List<Part> parts = new ArrayList<>();
    parts.add(
        new Part(
            runtimeRecipe(rt, libs, s.sysroot(), caBundle),
            "caulk: java runtime "
                + JAVA_HOME
                + " (jlink "
                + String.join(",", modules)
                + " from JDK "
                + jdk.version()
                + "), shared libraries: "
                + String.join(" ", libs.libraries())
                + (caBundle == null ? "" : ", trust store from the CA bundle")));
    took(events, service, "runtime layer recipe", t);
    LayerRecipe release = new LayerRecipe("dependencies");
    LayerRecipe snapshots = new LayerRecipe("snapshot dependencies");
    List<String> cp = new ArrayList<>();
    List<String> libCp = new ArrayList<>();
    for (Map.Entry<String, Path> d : deps.entrySet()) {
      String inImage = LIBS + "/" + d.getKey();
      (isSnapshot(d.getKey()) ? snapshots : release).file(inImage, d.getValue(), 0644, 0, 0);
      libCp.add(inImage);
    }
    LayerRecipe resources = new LayerRecipe("resources");
    LayerRecipe classes = new LayerRecipe("classes");
    classes.dir("/app", 0755, 0, 0);
    boolean train = js.cds().equals("train");
    if (contents != null && train) {
      cp.add(APP_JAR);
      classes.bytes(APP_JAR, appJar(contents), 0644, 0, 0);
      notes.add(
          "java.cds: train: classes and resources in " + APP_JAR + " (CDS archives jars only)");
    } else if (contents != null) {
      cp.add(RESOURCES);
      cp.add(CLASSES);
      resources.dir(RESOURCES, 0755, 0, 0);
      classes.dir(CLASSES, 0755, 0, 0);
      contents.resources().forEach((k, v) -> resources.bytes(RESOURCES + "/" + k, v, 0644, 0, 0));
      contents.classes().forEach((k, v) -> classes.bytes(CLASSES + "/" + k, v, 0644, 0, 0));
    } else {
      String inImage = "/app/" + jar.path().getFileName();
      classes.file(inImage, jar.path(), 0644, 0, 0);
      cp.add(inImage);
      notes.add(
          jar.path().getFileName()
              + " kept whole ("
              + (jar.signed() ? "signed" : "multi-release")
              + "): one layer for its classes and resources");
    }
    cp.addAll(libCp);
    if (!s.workdir().equals("/app")) {
      classes.dir(s.workdir(), 0755, 0, 0);
    }
    for (BuildConfig.FileSpec f : s.files()) {
      Path src = HostFiles.projectFile(s.projectDir(), f.source(), f.where(), allowHostFiles);
      classes.file(f.destination(), src, f.mode(), 0, 0);
    }
    if (!release.isEmpty()) {
      parts.add(new Part(release, "caulk: dependencies " + LIBS + " (" + count(release) + ")"));
    }
    if (!snapshots.isEmpty()) {
      parts.add(
          new Part(
              snapshots, "caulk: snapshot dependencies " + LIBS + " (" + count(snapshots) + ")"));
    }
    if (!resources.isEmpty()) {
      parts.add(new Part(resources, "caulk: resources " + RESOURCES));
    }
    parts.add(
        new Part(
            classes,
            "caulk: classes "
                + (contents == null
                    ? "/app/" + jar.path().getFileName()
                    : train ? APP_JAR : CLASSES)
                + " from "
                + s.projectDir().relativize(jar.path().toAbsolutePath().normalize())));
    List<String> entrypoint = new ArrayList<>();
    entrypoint.add(JAVA_HOME + "/bin/java");
    entrypoint.addAll(js.jvmFlags());
    entrypoint.add("-cp");
    entrypoint.add(String.join(":", cp));
    entrypoint.add(main);
    notes.add("java: " + deps.size() + " dependencies, main class " + main);
    for (String skipped : libs.skipped()) {
      notes.add("java runtime: " + skipped + " left without its desktop libraries (headless)");
    }
    return new Plan(parts, entrypoint, notes);
  }

  /**
   * A jar of the app's classes and resources, the same bytes for the same content: entries sorted
   * by name, one fixed time, no manifest (the main class is on the command line).
   */
  static byte[] appJar(AppJar.Contents c) throws IOException {
    Map<String, byte[]> all = new TreeMap<>();
    all.putAll(c.resources());
    all.putAll(c.classes());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(bytes)) {
      z.setLevel(Deflater.DEFAULT_COMPRESSION);
      for (Map.Entry<String, byte[]> e : all.entrySet()) {
        ZipEntry entry = new ZipEntry(e.getKey());
        entry.setTimeLocal(ZIP_TIME);
        z.putNextEntry(entry);
        z.write(e.getValue());
        z.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static long took(EventListener events, String service, String what, long since) {
    long now = System.nanoTime();
    events.debug(service + ": java: " + what + " in " + (now - since) / 1_000_000 + " ms");
    return now;
  }

  private static int count(LayerRecipe r) {
    int n = 0;
    for (String p : r.paths()) {
      if (p.endsWith(".jar")) {
        n++;
      }
    }
    return n;
  }

  /** Jib's rule on file names: a snapshot version changes often, so it has its own layer. */
  static boolean isSnapshot(String fileName) {
    return fileName.contains("-SNAPSHOT");
  }

  private static void addDependency(Map<String, Path> deps, String name, Path file, String where)
      throws IOException {
    if (!AppJar.isJar(file)) {
      throw new JvmException(where + ": " + file + " is not a jar");
    }
    Path prev = deps.putIfAbsent(name, file);
    if (prev != null && !Files.isSameFile(prev, file)) {
      throw new JvmException(
          where + ": two dependencies are named " + name + " (" + prev + ", " + file + ")");
    }
  }

  /**
   * The dependency jars: {@code java.classpath} (files, folders of jars, {@code DIR/*.jar}) or the
   * manifest's {@code Class-Path} relative to the jar.
   */
  private static List<Path> classpath(BuildSettings s, String service, AppJar jar)
      throws IOException {
    List<Path> out = new ArrayList<>();
    List<String> patterns = s.java().classpath();
    if (patterns == null) {
      if (jar.kind() == AppJar.Kind.SPRING_BOOT) {
        return out;
      }
      Path dir = jar.path().toAbsolutePath().getParent();
      for (String u : jar.manifestClassPath()) {
        if (u.contains(":")) {
          throw new JvmException(
              jar.path() + ": Class-Path entry '" + u + "' is not a relative path");
        }
        Path p = dir.resolve(URLDecoder.decode(u, StandardCharsets.UTF_8)).normalize();
        if (!Files.isRegularFile(p)) {
          throw new JvmException(
              jar.path()
                  + ": Class-Path entry "
                  + u
                  + " not found at "
                  + p
                  + " (or set java.classpath)");
        }
        out.add(p);
      }
      return out;
    }
    for (String pattern : patterns) {
      String v = pattern.replace("{service}", service);
      Path p = s.projectDir().resolve(v).normalize();
      String last = p.getFileName() == null ? "" : p.getFileName().toString();
      int star = last.indexOf('*');
      if (star >= 0) {
        if (last.indexOf('*', star + 1) >= 0) {
          throw new BuildConfigException(
              "java.classpath: '" + pattern + "': one * in the file name at most");
        }
        String prefix = last.substring(0, star);
        String suffix = last.substring(star + 1);
        List<Path> found = list(p.getParent(), prefix, suffix);
        if (found.isEmpty()) {
          throw new BuildConfigException("java.classpath: '" + pattern + "' matches no file");
        }
        out.addAll(found);
      } else if (Files.isDirectory(p)) {
        out.addAll(list(p, "", ".jar"));
      } else if (Files.isRegularFile(p)) {
        out.add(p);
      } else {
        throw new BuildConfigException("java.classpath: " + p + " not found");
      }
    }
    return out;
  }

  private static List<Path> list(Path dir, String prefix, String suffix) throws IOException {
    List<Path> out = new ArrayList<>();
    if (dir == null || !Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> st = Files.list(dir)) {
      for (Path f : (Iterable<Path>) st::iterator) {
        String n = f.getFileName().toString();
        if (n.length() >= prefix.length() + suffix.length()
            && n.startsWith(prefix)
            && n.endsWith(suffix)
            && Files.isRegularFile(f)) {
          out.add(f);
        }
      }
    }
    out.sort(null);
    return out;
  }

  /**
   * The modules jdeps finds, remembered by the inputs' {@link FileStamp}s (and the JDK's identity),
   * so that a rebuild with nothing changed does not run it.
   */
  private static SortedSet<String> jdepsModules(
      Jdk jdk, Path app, Map<String, Path> deps, Path cacheDir, Path tmp) throws IOException {
    Path state = cacheDir.resolve("jvm").resolve("state");
    StringBuilder key = new StringBuilder("caulk-jdeps-v2\n").append(jdk.home()).append('\n');
    key.append(Digest.sha256(jdk.release())).append('\n');
    boolean stampable = Files.isRegularFile(app);
    List<Path> inputs = new ArrayList<>();
    inputs.add(app);
    inputs.addAll(deps.values());
    for (Path p : inputs) {
      if (!Files.isRegularFile(p)) {
        stampable = false;
        break;
      }
      key.append(FileStamp.of(p)).append('\n');
    }
    Path memo = state.resolve("jdeps-" + Digest.sha256(key.toString()).hex());
    if (stampable && Files.isRegularFile(memo) && Files.size(memo) < 64 * 1024) {
      SortedSet<String> m = new TreeSet<>();
      for (String line : Files.readAllLines(memo)) {
        if (Jdeps.isModuleName(line)) {
          m.add(line);
        }
      }
      if (!m.isEmpty()) {
        return m;
      }
    }
    SortedSet<String> found = Jdeps.modules(jdk, app, new ArrayList<>(deps.values()), tmp);
    if (stampable) {
      Files.createDirectories(state);
      Path t = Files.createTempFile(state, ".jdeps-", ".tmp");
      Files.write(t, found);
      Files.move(t, memo, StandardCopyOption.REPLACE_EXISTING);
    }
    return found;
  }

  /** A nested jar stored by its digest, so its host file (and the layer key) stays the same. */
  private static Path stored(Path store, byte[] bytes) throws IOException {
    Path p = store.resolve(Digest.sha256(bytes).hex() + ".jar");
    if (!Files.isRegularFile(p) || Files.size(p) != bytes.length) {
      Files.createDirectories(store);
      Path t = Files.createTempFile(store, ".lib-", ".tmp");
      Files.write(t, bytes);
      Files.move(t, p, StandardCopyOption.REPLACE_EXISTING);
    }
    return p;
  }

  private static LayerRecipe runtimeRecipe(
      JavaRuntime.Made rt, RuntimeLibraries.Closure libs, Path sysroot, byte[] caBundle)
      throws IOException {
    LayerRecipe r = new LayerRecipe("java runtime");
    r.dir(JAVA_HOME, 0755, 0, 0);
    for (String rel : JavaRuntime.files(rt.dir())) {
      if (rel.equals("lib/security/cacerts")) {
        continue;
      }
      Path host = rt.dir().resolve(rel);
      String inImage = JAVA_HOME + "/" + rel;
      if (Files.isSymbolicLink(host)) {
        r.symlink(inImage, Files.readSymbolicLink(host).toString());
      } else {
        r.file(inImage, host, Files.isExecutable(host) ? 0755 : 0644, 0, 0);
      }
    }
    if (caBundle != null) {
      r.bytes(
          JAVA_HOME + "/lib/security/cacerts",
          TrustStore.pkcs12(caBundle, "the CA bundle"),
          0644,
          0,
          0);
    }
    for (LibraryClosure.PathEntry e : libs.entries()) {
      if (e instanceof LibraryClosure.LinkEntry l) {
        r.symlink(l.path(), l.target());
      } else {
        r.file(e.path(), sysroot.resolve(e.path().substring(1)), 0755, 0, 0);
      }
    }
    return r;
  }

  private static void deleteTree(Path p) throws IOException {
    LayerCache.deleteTree(p);
  }
}
