package dev.caulk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.caulk.image.Image;
import dev.caulk.layout.MediaFixtures;
import dev.caulk.layout.OciLayout;
import dev.caulk.run.Container;
import dev.caulk.run.Ports;
import dev.caulk.run.Probe;
import dev.caulk.run.ProbeResult;
import dev.caulk.run.Sandbox;
import dev.caulk.testing.RegistryExtension;
import dev.caulk.testing.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * examples/go-services end to end, as its README walks through it: `make build` (go build, with CGO
 * off: static binaries; with CGO on: dynamic ones, whose libc closure caulk copies), `caulk build`,
 * then both images run under runc as their non-root user. fetch makes a verified HTTPS call to a
 * TLS server (the test registry, with a throwaway CA given to caulk as the image's CA bundle); zone
 * reports the configured zone.
 */
class GoExampleIT {
  @RegisterExtension
  static final RegistryExtension TLS = RegistryExtension.of(TestRegistry.Mode.TLS);

  @ParameterizedTest(name = "CGO_ENABLED={0}")
  @ValueSource(strings = {"0", "1"})
  void bothServicesBuildAndAnswerUnderRunc(String cgo, @TempDir Path tmp) throws Exception {
    boolean ok =
        Files.isExecutable(Path.of("/usr/sbin/runc"))
            && "root".equals(System.getProperty("user.name"));
    if ("true".equals(System.getenv("CI")) && !ok)
      throw new AssertionError("needs root and runc under CI=true");
    assumeTrue(ok, "needs root and runc");
    Path project =
        BuildCommandIT.copyProject(
            BuildCommandIT.repositoryRoot().resolve("examples/go-services"), tmp.resolve("p"));
    MediaFixtures.run(project, "make", "-s", "build", "CGO_ENABLED=" + cgo);
    String interp = MediaFixtures.run(project, "readelf", "-l", "build/fetch-linux-amd64");
    assertEquals(cgo.equals("1"), interp.contains("Requesting program interpreter"), interp);

    Cli.Run build =
        BuildCommandIT.build(
            project,
            tmp.resolve("cache"),
            "--all",
            "--to",
            "oci:" + tmp.resolve("oci"),
            "--ca-certificates",
            TLS.registry().caCertificate().toString());
    assertEquals(0, build.exit(), build.toString());
    OciLayout layout = OciLayout.open(tmp.resolve("oci"));
    Image fetch = layout.read("fetch").image();
    Image zone = layout.read("zone").image();
    assertEquals(
        cgo.equals("1") ? 3 : 2,
        fetch.layers().size(),
        "a libraries layer only for the dynamic build");

    int port = Ports.freeLoopbackPort();
    // fetch calls the test registry on the host's loopback: only the host network reaches it
    Container.Options hostNetwork =
        options(tmp, port).withSandbox(Sandbox.defaults().withProbeHostNetwork(true));
    ProbeResult f =
        Probe.run(
            fetch,
            hostNetwork.withEnv("UPSTREAM_URL", TLS.registry().url() + "/v2/"),
            Probe.Check.http("/"),
            Probe.DEFAULT_TIMEOUT);
    assertEquals(200, f.status(), f.toString());
    assertTrue(f.body().contains("service=fetch uid=1000 gid=1000"), f.body());
    assertTrue(f.body().contains("upstream=200 tls=verified"), f.body());

    port = Ports.freeLoopbackPort();
    ProbeResult z =
        Probe.run(zone, options(tmp, port), Probe.Check.http("/"), Probe.DEFAULT_TIMEOUT);
    assertEquals(200, z.status(), z.toString());
    assertTrue(z.body().contains("service=zone uid=1000 gid=1000 tz=Europe/Ljubljana"), z.body());
    assertTrue(z.body().matches("(?s).*zone=CES?T utc_offset=\\+0[12]:00.*"), z.body());

    Cli.Run audit =
        Cli.run(
            "audit",
            "--exit-code",
            "1",
            "--severity",
            "low",
            "oci:" + tmp.resolve("oci") + ":fetch");
    assertEquals(0, audit.exit(), "no finding above INFO: " + audit);
  }

  private static Container.Options options(Path tmp, int port) {
    return Container.Options.defaults()
        .withTempDir(tmp)
        .withPort(port)
        .withEnv("PORT", Integer.toString(port));
  }
}
