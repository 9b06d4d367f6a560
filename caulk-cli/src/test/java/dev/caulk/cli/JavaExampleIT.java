package dev.caulk.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.caulk.fs.FileTree;
import dev.caulk.fs.Node;
import dev.caulk.image.Image;
import dev.caulk.image.Layer;
import dev.caulk.layout.MediaFixtures;
import dev.caulk.layout.OciLayout;
import dev.caulk.run.Container;
import dev.caulk.run.Ports;
import dev.caulk.run.Probe;
import dev.caulk.run.ProbeResult;
import dev.caulk.run.Sandbox;
import dev.caulk.tar.EntryType;
import dev.caulk.testing.RegistryExtension;
import dev.caulk.testing.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/java-service end to end: compiled (javax.tools), built by {@code caulk build} onto a
 * jlink'd runtime from scratch, run under runc as its non-root user. The service makes an HTTPS
 * call to a TLS server (the test registry) whose throwaway CA is the image's CA bundle, so the Java
 * trust store made from it must verify the server; with another throwaway CA it must not.
 */
class JavaExampleIT {
  @RegisterExtension
  static final RegistryExtension TLS = RegistryExtension.of(TestRegistry.Mode.TLS);

  /**
   * Where files may be: the runtime, the app, /etc, /tmp, the zone, and the runtime's libraries.
   */
  private static final List<String> ALLOWED =
      List.of(
          "/opt/java/",
          "/app/",
          "/etc/",
          "/tmp/",
          "/home/",
          "/usr/share/zoneinfo/",
          "/usr/lib/x86_64-linux-gnu/",
          "/lib",
          "/usr/lib64/");

  @Test
  void buildsRunsUnderRuncAndVerifiesTls(@TempDir Path tmp) throws Exception {
    boolean ok =
        Files.isExecutable(Path.of("/usr/sbin/runc"))
            && "root".equals(System.getProperty("user.name"));
    if ("true".equals(System.getenv("CI")) && !ok) {
      throw new AssertionError("needs root and runc under CI=true");
    }
    assumeTrue(ok, "needs root and runc");
    Path project = JavaExample.project(tmp.resolve("p"));
    Path cache = tmp.resolve("cache");
    String ca = TLS.registry().caCertificate().toString();
    long t0 = System.nanoTime();
    Cli.Run build =
        BuildCommandIT.build(
            project, cache, "--to", "oci:" + tmp.resolve("oci"), "--ca-certificates", ca);
    long cold = System.nanoTime() - t0;
    assertEquals(0, build.exit(), build.toString());
    Image image = OciLayout.open(tmp.resolve("oci")).read("hello").image();
    assertEquals(6, image.layers().size(), "system, runtime, deps, snapshots, resources, classes");
    List<String> ep = image.config().runConfig().entrypoint();
    assertEquals("/opt/java/bin/java", ep.get(0), ep.toString());
    assertEquals("example.service.Main", ep.get(ep.size() - 1), ep.toString());
    assertTrue(image.config().runConfig().env().contains("JAVA_HOME=/opt/java"));

    FileTree tree = FileTree.build(image);
    List<String> outside = new ArrayList<>();
    for (Node n : tree.walk()) {
      if (n.type() == EntryType.DIR) {
        continue;
      }
      if (ALLOWED.stream().noneMatch(a -> n.path().startsWith(a))) {
        outside.add(n.path());
      }
    }
    assertEquals(List.of(), outside, "files outside the runtime, the app and /etc");
    assertTrue(tree.exists("/opt/java/lib/security/cacerts"));
    assertTrue(tree.exists("/opt/java/lib/server/classes.jsa"), "the default CDS archive");
    for (String gone : List.of("/bin/sh", "/bin", "/usr/bin", "/sbin")) {
      assertTrue(!tree.exists(gone), gone);
    }

    // rebuilt with nothing changed: same digest, jlink not run again
    t0 = System.nanoTime();
    Cli.Run again =
        BuildCommandIT.build(
            project, cache, "--to", "oci:" + tmp.resolve("oci2"), "--ca-certificates", ca);
    long rebuild = System.nanoTime() - t0;
    assertEquals(0, again.exit(), again.toString());
    assertEquals(BuildCommandIT.digests(build), BuildCommandIT.digests(again));

    int port = Ports.freeLoopbackPort();
    Container.Options hostNetwork =
        Container.Options.defaults()
            .withTempDir(tmp)
            .withPort(port)
            .withEnv("PORT", Integer.toString(port))
            .withEnv("UPSTREAM_URL", TLS.registry().url() + "/v2/")
            .withSandbox(Sandbox.defaults().withProbeHostNetwork(true));
    ProbeResult r = Probe.run(image, hostNetwork, Probe.Check.http("/"), Probe.DEFAULT_TIMEOUT);
    assertEquals(200, r.status(), r.toString());
    String offset = ZoneId.of("Europe/Ljubljana").getRules().getOffset(Instant.now()).getId();
    assertTrue(r.body().contains("service=hello"), r.body());
    assertTrue(r.body().contains(" uid=1000 "), r.body());
    assertTrue(r.body().contains(" zone=Europe/Ljubljana utc_offset=" + offset + " "), r.body());
    assertTrue(
        r.body().contains(" java.version=" + System.getProperty("java.version") + " "), r.body());
    assertTrue(r.body().contains("upstream=200 tls=verified"), r.body());
    System.out.printf(
        "java-service: cold build %d ms, rebuild %d ms, first answer under runc %d ms%n",
        cold / 1_000_000, rebuild / 1_000_000, r.duration().toMillis());

    // another throwaway CA: the same call is refused
    Path other = tmp.resolve("other-ca.pem");
    otherCa(tmp, other);
    Cli.Run untrusted =
        BuildCommandIT.build(
            project,
            cache,
            "--to",
            "oci:" + tmp.resolve("oci-untrusted"),
            "--ca-certificates",
            other.toString());
    assertEquals(0, untrusted.exit(), untrusted.toString());
    Image bad = OciLayout.open(tmp.resolve("oci-untrusted")).read("hello").image();
    port = Ports.freeLoopbackPort();
    ProbeResult u =
        Probe.run(
            bad,
            hostNetwork.withPort(port).withEnv("PORT", Integer.toString(port)),
            Probe.Check.http("/"),
            Probe.DEFAULT_TIMEOUT);
    assertTrue(u.body().contains("upstream=failed tls=untrusted"), u.body());

    Cli.Run sbom = Cli.run("sbom", "oci:" + tmp.resolve("oci") + ":hello");
    assertEquals(0, sbom.exit(), sbom.toString());
    assertTrue(sbom.out().contains("\"re2j\""), "the release dependency in the SBOM");
    assertTrue(sbom.out().contains("example-util"), "the snapshot dependency in the SBOM");
    Cli.Run audit =
        Cli.run(
            "audit",
            "--exit-code",
            "1",
            "--severity",
            "low",
            "oci:" + tmp.resolve("oci") + ":hello");
    assertEquals(0, audit.exit(), "no finding above INFO: " + audit);
  }

  /** A code change rebuilds the classes layer only; the layers below keep their digests. */
  @Test
  void aClassesOnlyChangeRebuildsOneLayer(@TempDir Path tmp) throws Exception {
    Path project = JavaExample.project(tmp.resolve("p"));
    Path cache = tmp.resolve("cache");
    Cli.Run first = BuildCommandIT.build(project, cache, "--to", "oci:" + tmp.resolve("a"));
    assertEquals(0, first.exit(), first.toString());
    Path main = project.resolve("src/main/java/example/service/Main.java");
    Files.writeString(
        main, Files.readString(main).replace("\" listening on \"", "\" is listening on \""));
    JavaExample.compile(project);
    long t0 = System.nanoTime();
    Cli.Run second = BuildCommandIT.build(project, cache, "--to", "oci:" + tmp.resolve("b"));
    long took = System.nanoTime() - t0;
    assertEquals(0, second.exit(), second.toString());
    List<Layer> a = OciLayout.open(tmp.resolve("a")).read("hello").image().layers();
    List<Layer> b = OciLayout.open(tmp.resolve("b")).read("hello").image().layers();
    assertEquals(a.size(), b.size());
    for (int i = 0; i < a.size() - 1; i++) {
      assertEquals(a.get(i).digest(), b.get(i).digest(), "layer " + i);
    }
    assertNotEquals(a.get(a.size() - 1).digest(), b.get(b.size() - 1).digest(), "classes");
    System.out.printf("java-service: classes-only rebuild %d ms%n", took / 1_000_000);
  }

  /**
   * Without CDS (whose JDK 17 archive differs from one dump to the next), two builds with separate
   * caches, so jdeps and jlink run twice, give the same image, trust store included.
   */
  @Test
  void withoutCdsTwoColdBuildsAreTheSameImage(@TempDir Path tmp) throws Exception {
    Path project = JavaExample.project(tmp.resolve("p"));
    Path yaml = project.resolve("caulk.yaml");
    Files.writeString(yaml, Files.readString(yaml) + "  cds: none\n");
    Cli.Run one =
        BuildCommandIT.build(project, tmp.resolve("c1"), "--to", "oci:" + tmp.resolve("a"));
    Cli.Run two =
        BuildCommandIT.build(project, tmp.resolve("c2"), "--to", "oci:" + tmp.resolve("b"));
    assertEquals(0, one.exit(), one.toString());
    assertEquals(0, two.exit(), two.toString());
    assertEquals(BuildCommandIT.digests(one), BuildCommandIT.digests(two));
    Image image = OciLayout.open(tmp.resolve("a")).read("hello").image();
    FileTree tree = FileTree.build(image);
    assertTrue(!tree.exists("/opt/java/lib/server/classes.jsa"), "cds: none");
    // keytool reads the trust store: one entry per certificate of the bundle
    Path cacerts = tmp.resolve("cacerts");
    byte[] storeA =
        fileBytes(tmp.resolve("a"), image.layers().get(1), "opt/java/lib/security/cacerts");
    Files.write(cacerts, storeA);
    String list =
        MediaFixtures.run(
            tmp,
            Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
            "-list",
            "-keystore",
            cacerts.toString(),
            "-storepass",
            "");
    assertTrue(list.contains("Keystore type: PKCS12"), list);
    assertTrue(list.contains("trustedCertEntry"), list);
    Image imageB = OciLayout.open(tmp.resolve("b")).read("hello").image();
    assertArrayEquals(
        storeA,
        fileBytes(tmp.resolve("b"), imageB.layers().get(1), "opt/java/lib/security/cacerts"));
  }

  /** A file of a gzip layer in a layout, read by tar(1). */
  static byte[] fileBytes(Path layout, Layer layer, String path) throws Exception {
    Path blob = layout.resolve("blobs/sha256").resolve(layer.digest().hex());
    Process p = new ProcessBuilder("tar", "-xzOf", blob.toString(), path).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertEquals(0, p.waitFor(), "tar " + path);
    return out;
  }

  private static void otherCa(Path tmp, Path pem) throws Exception {
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Path ks = tmp.resolve("other-ca.p12");
    MediaFixtures.run(
        tmp,
        keytool,
        "-genkeypair",
        "-alias",
        "ca",
        "-keyalg",
        "EC",
        "-dname",
        "CN=other throwaway CA",
        "-ext",
        "bc:c",
        "-validity",
        "2",
        "-keystore",
        ks.toString(),
        "-storepass",
        "changeit");
    String out =
        MediaFixtures.run(
            tmp,
            keytool,
            "-exportcert",
            "-rfc",
            "-alias",
            "ca",
            "-keystore",
            ks.toString(),
            "-storepass",
            "changeit");
    Files.writeString(pem, out.substring(out.indexOf("-----BEGIN")));
  }
}
