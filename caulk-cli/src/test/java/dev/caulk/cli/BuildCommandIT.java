package dev.caulk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caulk.fs.FileTree;
import dev.caulk.fs.Node;
import dev.caulk.image.Artifact;
import dev.caulk.image.Image;
import dev.caulk.layout.MediaFixtures;
import dev.caulk.layout.OciLayout;
import dev.caulk.spec.MediaType;
import dev.caulk.spec.SpecJson;
import dev.caulk.testing.FaultProxy;
import dev.caulk.testing.RegistryExtension;
import dev.caulk.testing.TestRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** caulk build and caulk push on the advent example: contents, reproducibility, outputs, errors. */
class BuildCommandIT {
  @RegisterExtension
  static final RegistryExtension PLAIN = RegistryExtension.of(TestRegistry.Mode.PLAIN);

  @TempDir static Path shared;

  /** The example's binaries, compiled once. */
  static Path binaries;

  @BeforeAll
  static void compileExample() throws Exception {
    Path example = repositoryRoot().resolve("examples/advent");
    Path copy = copyProject(example, shared.resolve("compiled"));
    MediaFixtures.run(copy, "make", "-s", "build");
    binaries = copy.resolve("build");
  }

  static Path repositoryRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("examples/advent"))) p = p.getParent();
    if (p == null)
      throw new IllegalStateException(
          "examples/advent not found above " + Path.of("").toAbsolutePath());
    return p;
  }

  /** The example's sources and settings (not its build output) in a fresh folder. */
  static Path copyProject(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path rel = from.relativize(p);
        if (rel.startsWith("build") || rel.startsWith("out") || rel.startsWith(".caulk")) continue;
        Path t = to.resolve(rel.toString());
        if (Files.isDirectory(p)) Files.createDirectories(t);
        else Files.copy(p, t, StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
    return to;
  }

  /** A project with the compiled binaries in build/. */
  static Path project(Path dir) throws IOException {
    Path p = copyProject(repositoryRoot().resolve("examples/advent"), dir);
    Files.createDirectories(p.resolve("build"));
    for (Path b : Files.list(binaries).toList())
      Files.copy(
          b, p.resolve("build").resolve(b.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    return p;
  }

  static Cli.Run build(Path project, Path cache, String... more) {
    List<String> args =
        new ArrayList<>(List.of("build", "-C", project.toString(), "--cache", cache.toString()));
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new));
  }

  static Map<String, String> digests(Cli.Run r) {
    Map<String, String> m = new HashMap<>();
    for (String line : r.out().split("\n")) {
      if (line.isBlank()) continue;
      String ref = line.substring(0, line.indexOf('@'));
      m.put(ref, line.substring(line.indexOf('@') + 1));
    }
    return m;
  }

  /**
   * On a Docker-format base (skopeo's docker-archive of a caulk image), the build is an OCI image
   * with the base's layers retyped, the same digest in a layout, an archive and a registry, and
   * skopeo and umoci read the layout.
   */
  @Test
  void aDockerFormatBaseGivesAnOciImageThatSkopeoAndUmociRead(@TempDir Path tmp) throws Exception {
    Path p = project(tmp.resolve("p"));
    Cli.Run base = build(p, tmp.resolve("cache"), "stats", "--to", "oci:" + tmp.resolve("base"));
    assertEquals(0, base.exit(), base.toString());
    Path archive = tmp.resolve("base.tar");
    MediaFixtures.run(
        tmp,
        "skopeo",
        "--insecure-policy",
        "copy",
        "oci:" + tmp.resolve("base") + ":stats",
        "docker-archive:" + archive + ":base:1");
    String[] onBase = {
      "hello",
      "--base",
      "docker-archive:" + archive,
      "--prefix",
      PLAIN.registry().host() + "/onbase/"
    };
    Cli.Run layout =
        build(p, tmp.resolve("cache"), concat(onBase, "--to", "oci:" + tmp.resolve("oci")));
    assertEquals(0, layout.exit(), layout.toString());
    Cli.Run pushed = build(p, tmp.resolve("cache"), concat(onBase, "--push"));
    assertEquals(0, pushed.exit(), pushed.toString());
    String digest = digests(layout).values().iterator().next();
    assertEquals(
        digest, digests(pushed).values().iterator().next(), "one digest whatever the destination");
    Image hello = OciLayout.open(tmp.resolve("oci")).read("hello").image();
    assertEquals(MediaType.OCI_MANIFEST, hello.mediaType());
    for (var l : hello.manifest().layers())
      assertTrue(l.mediaType().startsWith("application/vnd.oci.image.layer."), l.mediaType());
    String inspect =
        MediaFixtures.run(tmp, "skopeo", "inspect", "oci:" + tmp.resolve("oci") + ":hello");
    assertEquals(digest, SpecJson.mapper().readTree(inspect).path("Digest").asText());
    MediaFixtures.run(
        tmp,
        "umoci",
        "unpack",
        "--rootless",
        "--image",
        tmp.resolve("oci") + ":hello",
        tmp.resolve("bundle").toString());
    assertTrue(Files.isRegularFile(tmp.resolve("bundle/rootfs/app/service")));
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void buildsBothServicesToALayoutAndAnArchive(@TempDir Path tmp) throws Exception {
    Path p = project(tmp.resolve("p"));
    Cli.Run r =
        build(
            p,
            tmp.resolve("cache"),
            "--all",
            "--to",
            "oci:" + tmp.resolve("oci"),
            "--to",
            "docker-archive:" + tmp.resolve("all.tar"));
    assertEquals(0, r.exit(), r.toString());
    Map<String, String> d = digests(r);
    assertEquals(2, d.size(), r.out());
    assertTrue(d.containsKey("docker.io/titpetric/service-stats:latest"), r.out());
    OciLayout layout = OciLayout.open(tmp.resolve("oci"));
    assertEquals(List.of("hello", "stats"), layout.tags().stream().sorted().toList());

    Image stats = layout.read("stats").image();
    JsonNode cfg = SpecJson.mapper().readTree(stats.rawConfig()).path("config");
    assertEquals("1000:1000", cfg.path("User").asText());
    assertEquals("/app", cfg.path("WorkingDir").asText());
    assertEquals("[\"/app/service\"]", cfg.path("Entrypoint").toString());
    assertTrue(cfg.path("ExposedPorts").has("3000/tcp"));
    assertTrue(cfg.path("Env").toString().contains("service_name=stats"));
    assertTrue(cfg.path("Env").toString().contains("TZ=Europe/Ljubljana"));
    assertEquals(
        "stats",
        cfg.path("Labels").path("org.opencontainers.image.title").asText(),
        "the title is the service");
    assertEquals("1970-01-01T00:00:01Z", stats.config().created());
    assertEquals(
        stats.layers().size(),
        stats.config().layerHistory().stream()
            .filter(h -> h != null && h.createdBy().startsWith("caulk: "))
            .count());

    FileTree tree = FileTree.build(stats);
    Node binary = tree.node("/app/service").orElseThrow();
    assertEquals(0755, binary.mode() & 07777);
    assertEquals(0, binary.uid());
    assertEquals(01777, tree.node("/tmp").orElseThrow().mode() & 07777);
    Node home = tree.node("/home/www-data").orElseThrow();
    assertEquals(0700, home.mode() & 07777);
    assertEquals(1000, home.uid());
    assertEquals(
        "/usr/share/zoneinfo/Europe/Ljubljana",
        tree.node("/etc/localtime").orElseThrow().linkTarget());
    assertTrue(tree.resolve("/etc/localtime").orElseThrow().isRegular());
    assertTrue(tree.node("/etc/ssl/certs/ca-certificates.crt").isPresent());
    assertTrue(tree.node("/etc/nsswitch.conf").isPresent());
    assertTrue(tree.resolve("/usr/share/zoneinfo/UTC").isPresent());
    assertFalse(
        tree.node("/usr/share/zoneinfo/America/New_York").isPresent(),
        "zoneinfo: used copies only the zone and UTC");

    // The static service is its binary plus at most 300 KB.
    long other =
        tree.walk().stream()
            .filter(Node::isRegular)
            .filter(n -> !n.path().equals("/app/service"))
            .mapToLong(Node::size)
            .sum();
    assertTrue(other <= 300 * 1024, "system files take " + other + " bytes");

    // The dynamic service carries its interpreter and libc, as symlinks where the host has them.
    Image hello = layout.read("hello").image();
    FileTree ht = FileTree.build(hello);
    assertTrue(
        ht.resolve("/lib64/ld-linux-x86-64.so.2").map(Node::isRegular).orElse(false),
        "interpreter");
    assertTrue(ht.walk().stream().anyMatch(n -> n.name().equals("libc.so.6")), "libc");
    assertEquals(3, hello.layers().size());
    assertEquals(
        stats.layers().get(0).digest(),
        hello.layers().get(0).digest(),
        "the system layer is shared");

    // The archive holds both, readable by skopeo (which describes layers uncompressed, so its
    // digest differs; the config is the same bytes) and by caulk with the digest intact.
    String config =
        MediaFixtures.run(
            tmp,
            "skopeo",
            "inspect",
            "--config",
            "docker-archive:" + tmp.resolve("all.tar") + ":titpetric/service-hello:latest");
    assertEquals(
        hello.config().runConfig().user(),
        SpecJson.mapper().readTree(config).path("config").path("User").asText());
    Cli.Run fromArchive =
        Cli.run(
            "digest",
            "docker-archive:" + tmp.resolve("all.tar") + ":titpetric/service-hello:latest");
    assertEquals(d.get("docker.io/titpetric/service-hello:latest"), fromArchive.out().trim());
  }

  @Test
  void reproducibleAcrossDirectoriesTimesAndCaches(@TempDir Path tmp) throws Exception {
    Path a = project(tmp.resolve("a"));
    Cli.Run first = build(a, tmp.resolve("cache-a"), "--all", "--to", "oci:" + tmp.resolve("oa"));
    Thread.sleep(1100);
    Path b = project(tmp.resolve("elsewhere/b"));
    for (Path f : Files.list(b.resolve("build")).toList())
      Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.fromMillis(0));
    Cli.Run second = build(b, tmp.resolve("cache-b"), "--all", "--to", "oci:" + tmp.resolve("ob"));
    assertEquals(0, first.exit(), first.toString());
    assertEquals(first.out(), second.out(), "same digests");
    Cli.Run rebuild = build(a, tmp.resolve("cache-a"), "--all", "--to", "oci:" + tmp.resolve("oa"));
    assertEquals(first.out(), rebuild.out(), "cached rebuild gives the same digests");
    Cli.Run epoch =
        Cli.run(
            "build",
            "-C",
            a.toString(),
            "--cache",
            tmp.resolve("cache-a").toString(),
            "--all",
            "--tag",
            "t");
    assertEquals(0, epoch.exit(), epoch.toString());
  }

  @Test
  void pushesToARegistryAndPushUploadsTheSharedLayerOnce(@TempDir Path tmp) throws Exception {
    Path p = project(tmp.resolve("p"));
    try (FaultProxy proxy = FaultProxy.start(PLAIN.registry())) {
      String prefix = proxy.host() + "/advent/";
      Cli.Run r =
          build(p, tmp.resolve("cache"), "--all", "--push", "--prefix", prefix, "--tag", "v1");
      assertEquals(0, r.exit(), r.toString());
      int uploads = proxy.count("POST", ".*/blobs/uploads/.*");
      // stats: system, app, config; hello: libraries, app, config (its system layer is mounted or
      // skipped).
      assertTrue(uploads <= 7, "uploads: " + uploads);
      Map<String, String> built = digests(r);
      String inspect =
          MediaFixtures.run(
              tmp, "skopeo", "inspect", "--tls-verify=false", "docker://" + prefix + "stats:v1");
      assertEquals(
          built.get(prefix + "stats:v1"),
          SpecJson.mapper().readTree(inspect).path("Digest").asText());
      Cli.Run push = Cli.run("push", "-C", p.toString(), "--all", "--tag", "v2");
      assertEquals(0, push.exit(), push.toString());
      assertTrue(
          push.out().contains(prefix + "hello:v2@" + built.get(prefix + "hello:v1")), push.out());
    }
  }

  /**
   * The same sources give the same image wherever it goes: an OCI layout, a docker-archive, a
   * registry under another prefix. The project is a git clone of a local folder, whose path must
   * not reach the image either (no source label).
   */
  @Test
  void theDigestDoesNotDependOnWhereTheImageGoes(@TempDir Path tmp) throws Exception {
    Path origin = Files.createDirectories(tmp.resolve("origin"));
    MediaFixtures.run(origin, "git", "init", "-q");
    Path p = project(tmp.resolve("p"));
    MediaFixtures.run(p, "git", "init", "-q");
    MediaFixtures.run(p, "git", "add", "caulk.yaml", "cmd");
    MediaFixtures.run(
        p,
        "git",
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@example.invalid",
        "commit",
        "-q",
        "-m",
        "sources");
    MediaFixtures.run(p, "git", "remote", "add", "origin", origin.toString());
    String revision = MediaFixtures.run(p, "git", "rev-parse", "HEAD").trim();

    Cli.Run oci =
        build(p, tmp.resolve("c1"), "stats", "--tag", "v1", "--to", "oci:" + tmp.resolve("oci"));
    Cli.Run archive =
        build(
            p,
            tmp.resolve("c2"),
            "stats",
            "--tag",
            "v1",
            "--to",
            "docker-archive:" + tmp.resolve("stats.tar"));
    String prefix = PLAIN.registry().host() + "/elsewhere/";
    Cli.Run pushed =
        build(p, tmp.resolve("c3"), "stats", "--tag", "v1", "--push", "--prefix", prefix);
    for (Cli.Run r : List.of(oci, archive, pushed)) assertEquals(0, r.exit(), r.toString());
    String digest = digests(oci).get("docker.io/titpetric/service-stats:v1");
    assertEquals(
        digest, digests(archive).get("docker.io/titpetric/service-stats:v1"), "docker-archive");
    assertEquals(digest, digests(pushed).get(prefix + "stats:v1"), "--push with another prefix");

    // Read back from each place.
    assertEquals(digest, Cli.run("digest", "oci:" + tmp.resolve("oci") + ":stats").out().trim());
    assertEquals(
        digest,
        Cli.run(
                "digest",
                "docker-archive:" + tmp.resolve("stats.tar") + ":titpetric/service-stats:v1")
            .out()
            .trim());
    String inspect =
        MediaFixtures.run(
            tmp, "skopeo", "inspect", "--tls-verify=false", "docker://" + prefix + "stats:v1");
    assertEquals(digest, SpecJson.mapper().readTree(inspect).path("Digest").asText());

    JsonNode labels =
        SpecJson.mapper()
            .readTree(OciLayout.open(tmp.resolve("oci")).read("stats").image().rawConfig())
            .path("config")
            .path("Labels");
    assertEquals(
        "stats", labels.path("org.opencontainers.image.title").asText(), labels.toString());
    assertEquals(
        revision, labels.path("org.opencontainers.image.revision").asText(), labels.toString());
    assertFalse(
        labels.has("org.opencontainers.image.source"), "a path remote is no source: " + labels);
  }

  @Test
  void errorsNameTheProblem(@TempDir Path tmp) throws Exception {
    Path p = project(tmp.resolve("p"));
    Files.delete(p.resolve("build/stats-linux-amd64"));
    Cli.Run missing = build(p, tmp.resolve("c"), "stats");
    assertEquals(1, missing.exit());
    assertTrue(missing.err().contains("stats-linux-amd64 not found"), missing.err());

    ByteBuffer elf = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    elf.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0}).position(16);
    elf.putShort((short) 2).putShort((short) 183).putInt(1); // EXEC, aarch64, version 1
    elf.position(52);
    elf.putShort((short) 64).putShort((short) 56).putShort((short) 0).putShort((short) 64);
    Files.write(p.resolve("build/stats-linux-amd64"), elf.array());
    Cli.Run arch = build(p, tmp.resolve("c"), "stats");
    assertEquals(1, arch.exit());
    assertTrue(arch.err().contains("built for arm64, not amd64"), arch.err());

    Files.writeString(p.resolve("build/stats-linux-amd64"), "#!/bin/sh\necho hi\n");
    Cli.Run script = build(p, tmp.resolve("c"), "stats");
    assertTrue(script.err().contains("script for /bin/sh"), script.err());

    Files.writeString(p.resolve("caulk.yaml"), "prefix: x-\nregistry: nope\n");
    Cli.Run key = build(p, tmp.resolve("c"), "hello");
    assertEquals(1, key.exit());
    assertTrue(key.err().contains("caulk.yaml:2: unknown key 'registry'"), key.err());

    Cli.Run unknown =
        Cli.run("build", "-C", p.toString(), "-c", tmp.resolve("none.yaml").toString(), "nosuch");
    assertEquals(1, unknown.exit(), unknown.toString());
  }

  @Test
  void buildReadsOnlyTheProjectAndRealCaBundles(@TempDir Path tmp) throws Exception {
    Path p = project(tmp.resolve("p"));
    String yaml = Files.readString(p.resolve("caulk.yaml"));
    Path secret = Files.writeString(tmp.resolve("host-secret"), "root:$6$hash:1:0:99999:7:::\n");
    Files.createDirectories(p.resolve("conf"));
    Files.writeString(p.resolve("conf/app.conf"), "ok\n");

    Files.writeString(
        p.resolve("caulk.yaml"),
        yaml + "\nfiles:\n  - source: ../host-secret\n    destination: /etc/shadow\n");
    int line = (int) (yaml + "\nfiles:\n").lines().count() + 1;
    Cli.Run dotdot = build(p, tmp.resolve("c"), "stats");
    assertEquals(1, dotdot.exit(), dotdot.toString());
    assertTrue(
        dotdot
            .err()
            .contains(
                "caulk.yaml:" + line + ": files.source: ../host-secret is outside the project"),
        dotdot.err());
    assertTrue(dotdot.err().contains("--allow-host-files"), dotdot.err());
    assertFalse(dotdot.err().contains("$6$"), dotdot.err());
    assertEquals(1, dotdot.err().strip().lines().count(), dotdot.err());

    Files.writeString(
        p.resolve("caulk.yaml"),
        yaml + "\nfiles:\n  - source: " + secret + "\n    destination: /etc/x\n");
    assertTrue(
        build(p, tmp.resolve("c"), "stats")
            .err()
            .contains("files.source: " + secret + " is outside the project"));

    Files.createSymbolicLink(p.resolve("conf/link"), secret);
    Files.writeString(
        p.resolve("caulk.yaml"),
        yaml + "\nfiles:\n  - source: conf/link\n    destination: /etc/x\n");
    Cli.Run link = build(p, tmp.resolve("c"), "stats");
    assertTrue(
        link.err()
            .contains(
                "files.source: conf/link is outside the project "
                    + p
                    + " (through a symlink, to "
                    + secret.toRealPath()
                    + ")"),
        link.err());

    Cli.Run flag = build(p, tmp.resolve("c"), "stats", "--file", "../host-secret:/etc/y");
    assertTrue(
        flag.err().contains("--file ../host-secret: ../host-secret is outside the project"),
        flag.err());

    // allowed on purpose: then the verification catches a credential file
    Files.writeString(
        p.resolve("caulk.yaml"),
        yaml + "\nfiles:\n  - source: ../host-secret\n    destination: /etc/shadow\n");
    Cli.Run allowed = build(p, tmp.resolve("c"), "stats", "--allow-host-files");
    assertEquals(1, allowed.exit(), allowed.toString());
    assertTrue(
        allowed
            .err()
            .contains("verification failed: credential file /etc/shadow is readable by every user"),
        allowed.err());
    assertTrue(
        allowed.err().contains("account root in /etc/shadow has a password hash"), allowed.err());

    Files.writeString(
        p.resolve("caulk.yaml"),
        yaml + "\nfiles:\n  - source: conf/app.conf\n    destination: /app/app.conf\n");
    assertEquals(0, build(p, tmp.resolve("c"), "stats").exit(), "a project file is fine");

    Files.writeString(p.resolve("caulk.yaml"), yaml + "\nca-certificates: " + secret + "\n");
    int caLine = (int) yaml.lines().count() + 2;
    Cli.Run ca = build(p, tmp.resolve("c"), "stats");
    assertEquals(1, ca.exit(), ca.toString());
    assertTrue(
        ca.err()
            .contains(
                "caulk.yaml:"
                    + caLine
                    + ": ca-certificates: "
                    + secret
                    + " is not a PEM CA bundle (no -----BEGIN CERTIFICATE----- block)"),
        ca.err());
    assertFalse(ca.err().contains("$6$"), ca.err());
    Files.writeString(p.resolve("caulk.yaml"), yaml);
    Cli.Run caFlag = build(p, tmp.resolve("c"), "stats", "--ca-certificates", secret.toString());
    assertTrue(
        caFlag.err().contains("--ca-certificates: " + secret + " is not a PEM CA bundle"),
        caFlag.err());
  }

  @Test
  void staticOnlyRefusesADynamicBinaryAndRootFailsVerification(@TempDir Path tmp) throws Exception {
    Path p = project(tmp.resolve("p"));
    Cli.Run dyn = build(p, tmp.resolve("c"), "hello", "--static-only");
    assertEquals(1, dyn.exit());
    assertTrue(dyn.err().contains("dynamically linked"), dyn.err());
    Cli.Run root = build(p, tmp.resolve("c"), "stats", "--user", "root:0");
    assertEquals(1, root.exit());
    assertTrue(root.err().contains("verification failed: runs as root"), root.err());
    assertEquals(0, build(p, tmp.resolve("c"), "stats", "--user", "root:0", "--no-verify").exit());
  }

  @Test
  void stripRemovesDebugSectionsAndStaysReproducible(@TempDir Path tmp) throws Exception {
    Path p = project(tmp.resolve("p"));
    Cli.Run r = build(p, tmp.resolve("c"), "stats", "--strip", "--to", "oci:" + tmp.resolve("oci"));
    assertEquals(0, r.exit(), r.toString());
    Node binary =
        FileTree.build(OciLayout.open(tmp.resolve("oci")).read("stats").image())
            .node("/app/service")
            .orElseThrow();
    long original = Files.size(p.resolve("build/stats-linux-amd64"));
    assertTrue(
        binary.size() < original, "stripped " + binary.size() + " bytes, original " + original);
    Cli.Run again = build(p, tmp.resolve("c2"), "stats", "--strip");
    assertEquals(r.out(), again.out(), "same digest from a fresh cache");
  }

  @Test
  void twoPlatformsMakeAnIndex(@TempDir Path tmp) throws Exception {
    Path p = project(tmp.resolve("p"));
    ByteBuffer elf = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    elf.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0}).position(16);
    elf.putShort((short) 2).putShort((short) 183).putInt(1);
    elf.position(52);
    elf.putShort((short) 64).putShort((short) 56).putShort((short) 0).putShort((short) 64);
    Files.write(
        p.resolve("build/stats-linux-arm64"), elf.array(), java.nio.file.StandardOpenOption.CREATE);
    Files.setPosixFilePermissions(
        p.resolve("build/stats-linux-arm64"),
        java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    Cli.Run r =
        build(
            p,
            tmp.resolve("c"),
            "stats",
            "--platform",
            "linux/amd64,linux/arm64",
            "--to",
            "oci:" + tmp.resolve("multi"));
    assertEquals(0, r.exit(), r.toString());
    Artifact a = OciLayout.open(tmp.resolve("multi")).read("stats");
    assertTrue(a.isIndex());
    assertEquals(MediaType.OCI_INDEX, a.mediaType());
    assertEquals(
        List.of("linux/amd64", "linux/arm64"),
        a.index().index().manifests().stream().map(m -> m.platform().toString()).toList());
  }
}
