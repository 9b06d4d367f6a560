package dev.caulk.slim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.caulk.digest.Digest;
import dev.caulk.image.Image;
import dev.caulk.image.Images;
import dev.caulk.image.Layer;
import dev.caulk.image.Layers;
import dev.caulk.spec.ConfigFile;
import dev.caulk.spec.ContainerConfig;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.History;
import dev.caulk.spec.MediaType;
import dev.caulk.spec.RootFs;
import dev.caulk.tar.LayerFormat;
import dev.caulk.tar.ReproducibleLayerBuilder;
import dev.caulk.testing.DebianRoot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The README's recipe rebuilt on Debian: a Debian root (debootstrap minbase with ca-certificates
 * and tzdata) as the base layer, the advent example's dynamically linked {@code hello} as {@code
 * /app/service}, {@code USER 1000}, {@code EXPOSE 3000}, then a layer that deletes the PATH folders
 * (which removes nothing from the image: the files stay in the base layer).
 */
final class RecipeImage {
  /** The PATH folders the last layer deletes. */
  static final List<String> PATH_FOLDERS =
      List.of("usr/local/sbin", "usr/local/bin", "usr/sbin", "usr/bin", "sbin", "bin");

  private RecipeImage() {}

  /** The advent services' folder, found from the directory Maven runs in. */
  static Path adventDir() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path a = p.resolve("examples/advent");
      if (Files.isRegularFile(a.resolve("caulk.yaml"))) return a;
    }
    throw new IllegalStateException("examples/advent not found");
  }

  /** Compiles the advent services and returns the dynamic {@code hello} binary. */
  static Path hello() throws Exception {
    Path dir = adventDir();
    Process make =
        new ProcessBuilder("make", "-s", "-C", dir.toString(), "build")
            .redirectErrorStream(true)
            .start();
    String out = new String(make.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!make.waitFor(120, TimeUnit.SECONDS)) throw new IOException("make timed out");
    assertEquals(0, make.exitValue(), "make -C examples/advent build: " + out);
    return dir.resolve("build/hello-linux-amd64");
  }

  /**
   * The base layer: the shared Debian root ({@link DebianRoot}: debootstrap minbase with
   * ca-certificates and tzdata) as a Debian image build leaves it (apt's .deb cache and package
   * lists removed, as {@code apt-get clean && rm -rf /var/lib/apt/lists/*} does), gzipped. Made
   * with GNU tar and gzip once per fixture version and cached beside the fixture's tarball.
   */
  static Layer baseLayer() throws Exception {
    DebianRoot root = DebianRoot.get();
    Path dir = root.tarball().getParent();
    String key = root.sha256().substring(0, 16);
    Path gz = dir.resolve("caulk-test-slim-base-" + key + ".tar.gz");
    Path ids = dir.resolve("caulk-test-slim-base-" + key + ".ids");
    Path lock = dir.resolve("caulk-test-slim-base.lock");
    try (java.nio.channels.FileChannel ch =
            java.nio.channels.FileChannel.open(
                lock,
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE);
        java.nio.channels.FileLock ignored = ch.lock()) {
      if (!Files.isRegularFile(gz) || !Files.isRegularFile(ids)) {
        Path tar = dir.resolve("caulk-test-slim-base-" + key + ".tmp.tar");
        Path tmp = dir.resolve("caulk-test-slim-base-" + key + ".tmp.gz");
        try {
          Files.copy(root.tarball(), tar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          sh(
              "tar --delete --wildcards -f '"
                  + tar
                  + "' './var/cache/apt/archives/*.deb' './var/lib/apt/lists/*'");
          sh("gzip -1 -n -c '" + tar + "' > '" + tmp + "'");
          Digest digest;
          Digest diffId;
          try (InputStream in = Files.newInputStream(tmp)) {
            digest = Digest.sha256(in);
          }
          try (InputStream in = Files.newInputStream(tar)) {
            diffId = Digest.sha256(in);
          }
          Files.move(tmp, gz, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          Files.writeString(ids, digest + "\n" + diffId + "\n");
        } finally {
          Files.deleteIfExists(tar);
          Files.deleteIfExists(tmp);
        }
      }
    }
    List<String> l = Files.readAllLines(ids);
    Descriptor d = Descriptor.of(MediaType.OCI_LAYER_GZIP, Digest.parse(l.get(0)), Files.size(gz));
    return Layers.fromFile(gz, d, Digest.parse(l.get(1)));
  }

  private static void sh(String cmd) throws Exception {
    Process p = new ProcessBuilder("sh", "-c", cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), cmd + ": " + out);
  }

  /**
   * The same Debian root without the deleting layer, run as root, with a shell-form entrypoint:
   * {@code sh -c "cat /etc/os-release >/dev/null && exec /app/service"}, workdir {@code /}. The
   * shell and {@code cat} are found statically; {@code /app/service}, named only after {@code &&},
   * is not: what a probe is for.
   */
  static Image shellForm(Layer base, Path hello, Path scratch) throws IOException {
    ReproducibleLayerBuilder app = new ReproducibleLayerBuilder();
    app.directory("/app", 0755, 0, 0);
    app.file("/app/service", hello, 0755, 0, 0);
    ContainerConfig rc =
        ContainerConfig.EMPTY.toBuilder()
            .env("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
            .entrypoint(
                List.of("/bin/sh", "-c", "cat /etc/os-release >/dev/null && exec /app/service"))
            .workingDir("/")
            .exposePort("3000/tcp")
            .build();
    List<History> h =
        List.of(
            new History(null, null, "debootstrap", null, false),
            new History(null, null, "COPY hello /app/service", null, false));
    ConfigFile cfg =
        new ConfigFile(
            "2026-01-01T00:00:00Z",
            null,
            "amd64",
            "linux",
            null,
            null,
            null,
            rc,
            RootFs.of(List.of()),
            h);
    return Images.of(cfg, List.of(base, app.build(scratch, LayerFormat.GZIP).layer()), false, null);
  }

  /** The recipe image over a base layer. */
  static Image build(Layer base, Path hello, Path scratch) throws IOException {
    ReproducibleLayerBuilder app = new ReproducibleLayerBuilder();
    app.directory("/app", 0755, 0, 0);
    app.file("/app/service", hello, 0755, 0, 0);
    ReproducibleLayerBuilder delete = new ReproducibleLayerBuilder();
    for (String f : PATH_FOLDERS) delete.whiteout(f);
    List<Layer> layers = new ArrayList<>(List.of(base));
    layers.add(app.build(scratch, LayerFormat.GZIP).layer());
    layers.add(delete.build(scratch, LayerFormat.GZIP).layer());
    ContainerConfig rc =
        ContainerConfig.EMPTY.toBuilder()
            .env("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
            .entrypoint(List.of("/app/service"))
            .user("1000")
            .workingDir("/app")
            .exposePort("3000/tcp")
            .label("org.opencontainers.image.title", "hello")
            .build();
    List<History> h =
        List.of(
            new History(
                null,
                null,
                "debootstrap --variant=minbase --include=ca-certificates,tzdata bookworm",
                null,
                false),
            new History(null, null, "COPY hello /app/service", null, false),
            new History(null, null, "USER 1000", null, true),
            new History(
                null,
                null,
                "RUN rm -rf " + String.join(" ", PATH_FOLDERS.stream().map(s -> "/" + s).toList()),
                null,
                false));
    ConfigFile cfg =
        new ConfigFile(
            "2026-01-01T00:00:00Z",
            null,
            "amd64",
            "linux",
            null,
            null,
            null,
            rc,
            RootFs.of(List.of()),
            h);
    return Images.of(cfg, layers, false, null);
  }
}
