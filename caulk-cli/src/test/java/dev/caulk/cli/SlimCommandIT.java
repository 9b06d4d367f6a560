package dev.caulk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caulk.fs.FileTree;
import dev.caulk.image.Artifact;
import dev.caulk.image.Image;
import dev.caulk.image.Images;
import dev.caulk.layout.MediaFixtures;
import dev.caulk.location.ImageLocation;
import dev.caulk.location.Locations;
import dev.caulk.mutate.Mutate;
import dev.caulk.registry.RegistryOptions;
import dev.caulk.run.Ports;
import dev.caulk.spec.ContainerConfig;
import dev.caulk.spec.History;
import dev.caulk.spec.Platform;
import dev.caulk.tar.TestTars;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * caulk slim and caulk harden through the command line: report on stdout (table then DST@DIGEST, or
 * JSON), the probe under runc, nothing written when the probe fails, clear errors. The images are
 * small (the host's loader, libc and dash, the advent example's hello) so every run takes a moment;
 * the Debian-sized checks live in caulk-core's RecipeTest.
 */
class SlimCommandIT {
  @TempDir static Path dir;
  static Path layout;
  static int port;

  @BeforeAll
  static void images() throws Exception {
    Path advent =
        BuildCommandIT.copyProject(
            BuildCommandIT.repositoryRoot().resolve("examples/advent"), dir.resolve("advent"));
    MediaFixtures.run(advent, "make", "-s", "build");
    byte[] hello = Files.readAllBytes(advent.resolve("build/hello-linux-amd64"));
    TestTars.Tar t = TestTars.tar();
    for (String d :
        List.of(
            "usr",
            "usr/bin",
            "usr/lib",
            "usr/lib/x86_64-linux-gnu",
            "usr/lib64",
            "etc",
            "app",
            "srv")) t.dir(d);
    t.dir("tmp", 01777)
        .symlink("bin", "usr/bin")
        .symlink("lib", "usr/lib")
        .symlink("lib64", "usr/lib64");
    for (String lib : List.of("ld-linux-x86-64.so.2", "libc.so.6")) {
      t.file(
          "usr/lib/x86_64-linux-gnu/" + lib,
          Files.readAllBytes(Path.of("/usr/lib/x86_64-linux-gnu/" + lib)),
          0755,
          0,
          0);
    }
    t.symlink("usr/lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2");
    t.file("usr/bin/dash", Files.readAllBytes(Path.of("/usr/bin/dash")), 0755, 0, 0)
        .symlink("usr/bin/sh", "dash");
    t.file("usr/bin/true", Files.readAllBytes(Path.of("/usr/bin/true")), 0755, 0, 0);
    t.file("usr/bin/su", Files.readAllBytes(Path.of("/usr/bin/true")), 04755, 0, 0);
    t.file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n").file("etc/group", "root:x:0:\n");
    t.file("app/service", hello, 0755, 0, 0).file("srv/service", hello, 0755, 0, 0);
    port = Ports.freeLoopbackPort();
    ContainerConfig.Builder rc =
        ContainerConfig.EMPTY.toBuilder()
            .env("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")
            .env("PORT", Integer.toString(port))
            .exposePort(port + "/tcp")
            .workingDir("/app")
            .user("1000");
    byte[] tar = t.bytes();
    layout = dir.resolve("oci");
    write(image(tar, rc.entrypoint(List.of("/app/service")).build()), "app");
    // the shell runs true, then execs a program no static analysis sees: slim drops it
    write(
        image(
            tar,
            rc.entrypoint(List.of("/bin/sh", "-c", "true && exec /srv/service"))
                .workingDir("/")
                .build()),
        "script");
    write(image(tar, rc.entrypoint(List.of("/app/missing")).build()), "missing");
  }

  private static Image image(byte[] tar, ContainerConfig rc) throws IOException {
    Image i =
        Mutate.appendLayers(
            Images.scratch(Platform.LINUX_AMD64),
            List.of(TestTars.layer(tar)),
            List.of(new History(null, null, "COPY rootfs /", null, false)));
    return Mutate.withConfig(i, rc);
  }

  private static void write(Image image, String tag) throws IOException {
    Locations.write(
        Artifact.of(image),
        ImageLocation.parse("oci:" + layout + ":" + tag),
        RegistryOptions.defaults());
  }

  private static String loc(String tag) {
    return "oci:" + layout + ":" + tag;
  }

  private static void assumeRunc() {
    boolean ok =
        Files.isExecutable(Path.of("/usr/sbin/runc"))
            && "root".equals(System.getProperty("user.name"));
    if ("true".equals(System.getenv("CI")) && !ok)
      throw new AssertionError("needs root and runc under CI=true");
    assumeTrue(ok, "needs root and runc");
  }

  @Test
  void slimWithProbePrintsJsonAndWrites() throws Exception {
    assumeRunc();
    Cli.Run r =
        Cli.run(
            "slim",
            loc("app"),
            "--to",
            loc("app-slim"),
            "--probe",
            "--probe-body",
            "--format",
            "json",
            "-q");
    assertEquals(0, r.exit(), r.toString());
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertEquals("slim", j.path("verb").asText());
    assertTrue(j.path("result").asText().startsWith(loc("app-slim") + "@sha256:"), r.out());
    assertTrue(j.path("probe").path("passed").asBoolean());
    assertEquals(200, j.path("probe").path("result").path("status").asInt());
    assertEquals(2, j.path("before").path("shells").size(), "dash and the sh link");
    assertEquals(0, j.path("after").path("shells").size());
    assertEquals(1, j.path("before").path("setuid").size());
    assertEquals(0, j.path("after").path("setuid").size());
    assertTrue(j.path("after").path("findings").has("high"));
    Image out =
        Locations.open(ImageLocation.parse(loc("app-slim")), RegistryOptions.defaults()).image();
    assertTrue(FileTree.build(out).node("/usr/bin/dash").isEmpty());
  }

  @Test
  void hardenPrintsATableThenTheDigest() throws Exception {
    Path report = dir.resolve("hard.txt");
    Cli.Run r =
        Cli.run("harden", loc("app"), "--to", loc("app-hard"), "--keep", "/usr/bin/true", "-q");
    assertEquals(0, r.exit(), r.toString());
    String[] lines = r.out().strip().split("\n");
    assertTrue(lines[lines.length - 1].matches("oci:.*:app-hard@sha256:[0-9a-f]{64}"), r.out());
    assertTrue(
        r.out().contains("before") && r.out().contains("after") && r.out().contains("shells"),
        r.out());
    assertTrue(r.out().contains("probe: not run"), r.out());
    Cli.Run o =
        Cli.run("harden", loc("app"), "--to", loc("app-hard2"), "-o", report.toString(), "-q");
    assertEquals(0, o.exit(), o.toString());
    assertTrue(o.out().strip().matches("oci:.*:app-hard2@sha256:[0-9a-f]{64}"), o.out());
    assertTrue(Files.readString(report).contains("changes:"));
  }

  @Test
  void failingProbeExitsOneWithTheOutputAndWritesNothing() throws Exception {
    assumeRunc();
    Cli.Run r =
        Cli.run("slim", loc("script"), "--to", "oci:" + dir.resolve("never") + ":x", "--probe");
    assertEquals(1, r.exit(), r.toString());
    assertTrue(r.err().contains("probe output (end):"), r.err());
    assertTrue(r.err().contains("/srv/service"), r.err());
    assertTrue(r.err().contains("caulk: error: the result fails the probe: container "), r.err());
    assertEquals("", r.out());
    assertFalse(Files.exists(dir.resolve("never")));
  }

  @Test
  void errors() throws Exception {
    Cli.Run r = Cli.run("slim", loc("missing"), "--to", "oci:" + dir.resolve("never2") + ":x");
    assertEquals(1, r.exit(), r.toString());
    assertTrue(
        r.err().contains("entrypoint '/app/missing' is not an executable file in the image"),
        r.err());
    r =
        Cli.run(
            "slim",
            loc("app"),
            "--to",
            "oci:" + dir.resolve("never2") + ":x",
            "--probe",
            "--runc",
            "/nonexistent/runc");
    assertEquals(1, r.exit(), r.toString());
    assertTrue(
        r.err()
            .contains(
                "runc not found at /nonexistent/runc: install the runc package (apt-get install runc) to use --probe"),
        r.err());
    // Naming a probe asks for one: --probe-http alone probes (here it gets as far as looking for
    // runc).
    r =
        Cli.run(
            "slim",
            loc("app"),
            "--to",
            "oci:" + dir.resolve("never2") + ":x",
            "--probe-http",
            "/x",
            "--runc",
            "/nonexistent/runc");
    assertEquals(1, r.exit(), r.toString());
    assertTrue(r.err().contains("runc not found at /nonexistent/runc"), r.err());
    r =
        Cli.run(
            "harden", loc("app"), "--to", "oci:" + dir.resolve("never2") + ":x", "--user", "ghost");
    assertEquals(1, r.exit(), r.toString());
    assertTrue(r.err().contains("user 'ghost' is not in the image's /etc/passwd"), r.err());
    assertFalse(Files.exists(dir.resolve("never2")));
  }

  /**
   * A Docker-format input (skopeo's docker-archive of the app image) slimmed and hardened into an
   * OCI layout: the results are OCI images that skopeo and umoci read, and the result in a
   * docker-archive stays Docker-format.
   */
  @Test
  void resultsOfDockerFormatInputsAreLayoutsSkopeoAndUmociRead(@TempDir Path tmp) throws Exception {
    Path archive = tmp.resolve("docker.tar");
    MediaFixtures.run(
        tmp,
        "skopeo",
        "--insecure-policy",
        "copy",
        loc("app"),
        "docker-archive:" + archive + ":app:1");
    Path out = tmp.resolve("out");
    for (String verb : List.of("slim", "harden")) {
      Cli.Run r =
          Cli.run(verb, "docker-archive:" + archive, "--to", "oci:" + out + ":" + verb, "-q");
      assertEquals(0, r.exit(), r.toString());
      Image result =
          Locations.open(ImageLocation.parse("oci:" + out + ":" + verb), RegistryOptions.defaults())
              .image();
      assertEquals(dev.caulk.spec.MediaType.OCI_MANIFEST, result.mediaType());
      String inspect = MediaFixtures.run(tmp, "skopeo", "inspect", "oci:" + out + ":" + verb);
      assertTrue(inspect.contains(result.digest().toString()), inspect);
      Path bundle = tmp.resolve("bundle-" + verb);
      MediaFixtures.run(
          tmp, "umoci", "unpack", "--rootless", "--image", out + ":" + verb, bundle.toString());
      assertTrue(Files.isRegularFile(bundle.resolve("rootfs/app/service")), verb);
    }
    Cli.Run kept =
        Cli.run(
            "slim",
            "docker-archive:" + archive,
            "--to",
            "docker-archive:" + tmp.resolve("slim.tar"),
            "-q");
    assertEquals(0, kept.exit(), kept.toString());
    Image slimmed =
        Locations.open(
                ImageLocation.parse("docker-archive:" + tmp.resolve("slim.tar")),
                RegistryOptions.defaults())
            .image();
    assertEquals(dev.caulk.spec.MediaType.DOCKER_MANIFEST, slimmed.mediaType());
  }
}
