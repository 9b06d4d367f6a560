package dev.caulk.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * examples/java-service compiled as its Makefile does (javac + jar), with javax.tools and
 * java.util.jar in the test JVM: {@code build/hello.jar}, {@code
 * build/libs/example-util-1.0-SNAPSHOT.jar} and re2j from the test class path. Jar entries have a
 * fixed time, so the same sources give the same bytes.
 */
final class JavaExample {
  static final LocalDateTime JAR_TIME = LocalDateTime.of(1980, 1, 1, 0, 0, 2);

  private JavaExample() {}

  /** A copy of the example with its jars built and {@code java.jdk} set to the test's JDK. */
  static Path project(Path to) throws IOException {
    Path p =
        BuildCommandIT.copyProject(
            BuildCommandIT.repositoryRoot().resolve("examples/java-service"), to);
    String yaml = Files.readString(p.resolve("caulk.yaml"));
    yaml =
        yaml.replace(
            "  # jdk: /usr/lib/jvm/java-17-openjdk-amd64   # default: JAVA_HOME",
            "  jdk: " + System.getProperty("java.home"));
    Files.writeString(p.resolve("caulk.yaml"), yaml);
    compile(p);
    return p;
  }

  /** Builds the example's jars from its sources, as {@code make build} does. */
  static void compile(Path p) throws IOException {
    Path libs = p.resolve("build/libs");
    Files.createDirectories(libs);
    Path re2j = re2j();
    Files.copy(re2j, libs.resolve("re2j-1.8.jar"), StandardCopyOption.REPLACE_EXISTING);
    Path util = libs.resolve("example-util-1.0-SNAPSHOT.jar");
    Path utilClasses = p.resolve("build/util");
    javac(p.resolve("util/src/main/java"), List.of(), utilClasses);
    copyTree(p.resolve("util/src/main/resources"), utilClasses);
    jar(utilClasses, util, null);
    Path classes = p.resolve("build/classes");
    javac(p.resolve("src/main/java"), List.of(util, libs.resolve("re2j-1.8.jar")), classes);
    copyTree(p.resolve("src/main/resources"), classes);
    jar(classes, p.resolve("build/hello.jar"), "example.service.Main");
  }

  /**
   * re2j 1.8 from the local Maven repository (caulk-core depends on it, so it is there); the test
   * class path may hold it shaded into caulk.jar instead.
   */
  static Path re2j() {
    String repo = System.getProperty("maven.repo.local");
    Path base =
        repo != null && !repo.isBlank()
            ? Path.of(repo)
            : Path.of(System.getProperty("user.home"), ".m2", "repository");
    Path jar = base.resolve("com/google/re2j/re2j/1.8/re2j-1.8.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("re2j 1.8 not in the local Maven repository: " + jar);
    }
    return jar;
  }

  static void javac(Path sourceRoot, List<Path> classpath, Path out) throws IOException {
    deleteTree(out);
    Files.createDirectories(out);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<Path> sources = new ArrayList<>();
    try (Stream<Path> s = Files.walk(sourceRoot)) {
      s.filter(f -> f.toString().endsWith(".java")).sorted().forEach(sources::add);
    }
    List<String> opts = new ArrayList<>(List.of("--release", "17", "-d", out.toString()));
    if (!classpath.isEmpty()) {
      List<String> cp = new ArrayList<>();
      for (Path c : classpath) {
        cp.add(c.toString());
      }
      opts.add("-cp");
      opts.add(String.join(":", cp));
    }
    try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, null)) {
      Boolean ok =
          javac.getTask(null, fm, null, opts, null, fm.getJavaFileObjectsFromPaths(sources)).call();
      if (!Boolean.TRUE.equals(ok)) {
        throw new IOException("javac failed for " + sourceRoot);
      }
    }
  }

  /** A jar of a folder: entries sorted, fixed times; Main-Class when given. */
  static void jar(Path dir, Path jar, String mainClass) throws IOException {
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (mainClass != null) {
      m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
    }
    TreeMap<String, Path> files = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      s.filter(Files::isRegularFile).forEach(f -> files.put(dir.relativize(f).toString(), f));
    }
    Files.createDirectories(jar.getParent());
    try (OutputStream os = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(os)) {
      JarEntry me = new JarEntry("META-INF/MANIFEST.MF");
      me.setTimeLocal(JAR_TIME);
      out.putNextEntry(me);
      m.write(out);
      out.closeEntry();
      for (var e : files.entrySet()) {
        if (e.getKey().equals("META-INF/MANIFEST.MF")) {
          continue;
        }
        JarEntry je = new JarEntry(e.getKey());
        je.setTimeLocal(JAR_TIME);
        out.putNextEntry(je);
        Files.copy(e.getValue(), out);
        out.closeEntry();
      }
    }
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path f : s.filter(Files::isRegularFile).toList()) {
        Path t = to.resolve(from.relativize(f).toString());
        Files.createDirectories(t.getParent());
        Files.copy(f, t, StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}
