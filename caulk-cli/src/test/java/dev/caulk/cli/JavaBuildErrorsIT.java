package dev.caulk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.caulk.layout.MediaFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java build's refusals as a user meets them: {@code java.cds: train} on a machine without runc
 * and a jar with no {@code Main-Class} and no {@code java.main-class} are one {@code caulk: error:}
 * line and exit 1, with no stack trace, no image written and no build recorded.
 */
class JavaBuildErrorsIT {
  /**
   * Where caulk looks for runc besides the PATH (run.Runc); all of them resolve to one file here.
   */
  private static final List<String> RUNC =
      List.of("/usr/sbin/runc", "/usr/local/sbin/runc", "/sbin/runc", "/usr/bin/runc");

  /** The one error line of a failed build: exit 1, nothing else on stderr, no trace. */
  static String oneErrorLine(Cli.Run r) {
    assertEquals(1, r.exit(), r.toString());
    String err = r.err().strip();
    assertEquals(1, err.lines().count(), r.toString());
    assertTrue(err.startsWith("caulk: error: "), r.toString());
    assertFalse(err.contains("Exception") || err.contains("\tat "), r.toString());
    assertEquals("", r.out(), "no image is printed: " + r);
    return err;
  }

  /** Nothing of a failed build is left where a build writes: no layout, no record. */
  static void nothingWritten(Path project, Path layout) throws Exception {
    assertFalse(Files.exists(layout), "no layout is written");
    assertFalse(Files.exists(project.resolve(".caulk/last-build.json")), "no build is recorded");
    assertFalse(Files.exists(project.resolve(".caulk/oci")), "nor the default layout");
  }

  @Test
  void cdsTrainWithoutRuncIsOneLineAndWritesNothing(@TempDir Path tmp) throws Exception {
    boolean installed = RUNC.stream().anyMatch(p -> Files.isExecutable(Path.of(p)));
    List<String> hide = List.of();
    if (installed) {
      // hide this machine's runc from the build: /dev/null mounted over it in a mount namespace
      boolean can =
          "root".equals(System.getProperty("user.name")) && MediaFixtures.installed("unshare");
      if ("true".equals(System.getenv("CI")) && !can) {
        throw new AssertionError("needs root and unshare to hide runc under CI=true");
      }
      assumeTrue(can, "runc is installed: hiding it needs root and unshare");
      StringBuilder mounts = new StringBuilder();
      for (String p : RUNC) {
        Path real = Path.of(p);
        if (Files.isRegularFile(real) && !Files.isSymbolicLink(real)) {
          mounts.append("mount --bind /dev/null ").append(p).append(" && ");
        }
      }
      hide =
          List.of(
              "unshare",
              "--mount",
              "--propagation",
              "private",
              "sh",
              "-c",
              mounts + "exec \"$@\"",
              "sh");
    }
    Path project = JavaExample.project(tmp.resolve("p"));
    Path yaml = project.resolve("caulk.yaml");
    Files.writeString(yaml, Files.readString(yaml) + "  cds: train\n");
    Path layout = tmp.resolve("oci");
    Path cache = tmp.resolve("cache");
    Cli.Run r =
        ChildCaulk.run(
            tmp,
            hide,
            ChildCaulk.QUICK,
            Map.of("PATH", "/usr/local/bin:/usr/bin:/bin"),
            "build",
            "-C",
            project.toString(),
            "--cache",
            cache.toString(),
            "--to",
            "oci:" + layout);
    String err = oneErrorLine(r);
    assertTrue(
        err.startsWith("caulk: error: hello: java.cds: train: cannot run the image under runc: "),
        err);
    assertTrue(err.contains("runc not found"), err);
    nothingWritten(project, layout);
    Path work = cache.resolve("jvm/work");
    if (Files.isDirectory(work)) {
      try (Stream<Path> left = Files.list(work)) {
        assertEquals(List.of(), left.toList(), "the training run's work folder is left empty");
      }
    }
  }

  @Test
  void aJarWithoutMainClassNeedsJavaMainClass(@TempDir Path tmp) throws Exception {
    Path project = JavaExample.project(tmp.resolve("p"));
    JavaExample.jar(project.resolve("build/classes"), project.resolve("build/hello.jar"), null);
    Path layout = tmp.resolve("oci");
    Cli.Run r = BuildCommandIT.build(project, tmp.resolve("cache"), "--to", "oci:" + layout);
    String err = oneErrorLine(r);
    assertTrue(
        err.endsWith(
            "build/hello.jar has no Main-Class in its manifest: set java.main-class in caulk.yaml"),
        err);
    nothingWritten(project, layout);

    // what the line says to do is enough
    Path yaml = project.resolve("caulk.yaml");
    Files.writeString(yaml, Files.readString(yaml) + "  main-class: example.service.Main\n");
    Cli.Run fixed = BuildCommandIT.build(project, tmp.resolve("cache"), "--to", "oci:" + layout);
    assertEquals(0, fixed.exit(), fixed.toString());
    assertTrue(Files.isRegularFile(layout.resolve("index.json")));
  }
}
