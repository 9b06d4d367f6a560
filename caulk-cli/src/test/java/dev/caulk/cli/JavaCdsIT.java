package dev.caulk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.caulk.fs.FileTree;
import dev.caulk.image.Image;
import dev.caulk.layout.OciLayout;
import dev.caulk.run.Container;
import dev.caulk.run.Ports;
import dev.caulk.run.Probe;
import dev.caulk.run.ProbeResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java.cds: train}: the example service is run once under runc at build time and its dynamic
 * CDS archive is a layer the entrypoint uses; a service that dies in its training run fails the
 * build with one line.
 */
class JavaCdsIT {
  private static void needsRunc() {
    boolean ok =
        Files.isExecutable(Path.of("/usr/sbin/runc"))
            && "root".equals(System.getProperty("user.name"));
    if ("true".equals(System.getenv("CI")) && !ok) {
      throw new AssertionError("needs root and runc under CI=true");
    }
    assumeTrue(ok, "needs root and runc");
  }

  @Test
  void trainedArchiveIsUsedAtStartUp(@TempDir Path tmp) throws Exception {
    needsRunc();
    Path project = JavaExample.project(tmp.resolve("p"));
    Path yaml = project.resolve("caulk.yaml");
    Files.writeString(yaml, Files.readString(yaml) + "  cds: train\n");
    Path cache = tmp.resolve("cache");
    long t0 = System.nanoTime();
    Cli.Run build = BuildCommandIT.build(project, cache, "--to", "oci:" + tmp.resolve("oci"));
    long cold = System.nanoTime() - t0;
    assertEquals(0, build.exit(), build.toString());
    Image image = OciLayout.open(tmp.resolve("oci")).read("hello").image();
    List<String> ep = image.config().runConfig().entrypoint();
    assertEquals("-XX:SharedArchiveFile=/app/app.jsa", ep.get(1), ep.toString());
    assertTrue(ep.get(ep.indexOf("-cp") + 1).startsWith("/app/app.jar:/app/libs/"), ep.toString());
    FileTree tree = FileTree.build(image);
    assertTrue(tree.exists("/app/app.jsa"));
    assertTrue(tree.exists("/app/app.jar"));
    assertFalse(tree.exists("/app/classes"), "CDS archives no class from a folder");
    assertTrue(
        image
            .config()
            .history()
            .get(image.config().history().size() - 1)
            .createdBy()
            .contains("CDS archive /app/app.jsa"));

    // -Xshare:on fails the start when an archive cannot be used; class+load names the archive
    int port = Ports.freeLoopbackPort();
    Container.Options opts =
        Container.Options.defaults()
            .withTempDir(tmp)
            .withPort(port)
            .withEnv("PORT", Integer.toString(port))
            .withEnv("JAVA_TOOL_OPTIONS", "-Xshare:on -Xlog:class+load=info:stdout");
    String log;
    try (Container c = Container.start(image, opts)) {
      ProbeResult r = Probe.check(c, Probe.Check.http("/"), Probe.DEFAULT_TIMEOUT);
      assertEquals(200, r.status(), r.toString());
      log = Files.readString(c.stdoutFile());
      System.out.printf(
          "java-service (cds: train): cold build %d ms, first answer under runc %d ms%n",
          cold / 1_000_000, r.duration().toMillis());
    }
    assertTrue(
        log.contains("example.service.Main source: shared objects file (top)"),
        "the app's main class comes from the dynamic archive");
    assertTrue(log.contains("java.lang.Object source: shared objects file"), "the base archive");

    // rebuilt with the same cache: the archive is reused, the image is the same
    Cli.Run again = BuildCommandIT.build(project, cache, "--to", "oci:" + tmp.resolve("oci2"));
    assertEquals(0, again.exit(), again.toString());
    assertEquals(BuildCommandIT.digests(build), BuildCommandIT.digests(again));
    assertFalse(again.err().contains("training run in"), again.err());
  }

  @Test
  void aServiceThatDiesInTrainingIsAOneLineError(@TempDir Path tmp) throws Exception {
    needsRunc();
    Path project = JavaExample.project(tmp.resolve("p"));
    Path yaml = project.resolve("caulk.yaml");
    Files.writeString(
        yaml, Files.readString(yaml) + "  cds: train\n  main-class: example.service.Missing\n");
    Cli.Run build =
        BuildCommandIT.build(project, tmp.resolve("cache"), "--to", "oci:" + tmp.resolve("oci"));
    assertNotEquals(0, build.exit(), build.toString());
    String err = build.err().strip();
    assertTrue(err.contains("hello: java.cds: train: "), err);
    assertTrue(err.contains("the service did not come up: "), err);
    assertTrue(err.contains("example.service.Missing"), err);
    assertEquals(1, err.lines().filter(l -> l.startsWith("caulk: error:")).count(), err);
    assertFalse(err.contains("\tat "), err);
  }
}
