package dev.caulk.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.caulk.build.BuildConfig;
import dev.caulk.build.BuildSettings;
import dev.caulk.build.Builder;
import dev.caulk.build.Project;
import dev.caulk.elf.ElfFileSystem;
import dev.caulk.elf.LibraryClosure;
import dev.caulk.elf.LibraryResolver;
import dev.caulk.event.EventListener;
import dev.caulk.image.Image;
import dev.caulk.image.Images;
import dev.caulk.image.Layer;
import dev.caulk.spec.ConfigFile;
import dev.caulk.spec.ContainerConfig;
import dev.caulk.spec.Platform;
import dev.caulk.spec.RootFs;
import dev.caulk.tar.LayerFormat;
import dev.caulk.tar.ReproducibleLayerBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Images for the run tests: the advent example built through caulk's build library, and small
 * hand-made ones.
 */
final class TestImages {
  private TestImages() {}

  /** The repository's examples/advent, found from the module directory Maven runs in. */
  static Path adventDir() {
    Path here = Path.of("").toAbsolutePath();
    for (Path p = here; p != null; p = p.getParent()) {
      Path a = p.resolve("examples/advent");
      if (Files.isRegularFile(a.resolve("caulk.yaml"))) return a;
    }
    throw new IllegalStateException("examples/advent not found above " + here);
  }

  /**
   * Compiles the advent services ({@code make -C examples/advent build}) and builds their images
   * the way {@code caulk build --all} does, with the layer cache in {@code cache}.
   */
  static Map<String, Image> advent(Path cache) throws Exception {
    Path dir = adventDir();
    Process make =
        new ProcessBuilder("make", "-s", "-C", dir.toString(), "build")
            .redirectErrorStream(true)
            .start();
    String out = new String(make.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!make.waitFor(120, TimeUnit.SECONDS)) throw new IOException("make timed out");
    assertEquals(0, make.exitValue(), "make -C examples/advent build: " + out);
    BuildConfig config = Project.loadConfig(dir, null);
    BuildSettings settings =
        BuildSettings.resolve(config, dir, Project.discoverServices(dir), null, null);
    List<Builder.Result> results =
        new Builder(settings, new Builder.Options(cache, null, EventListener.NONE, true))
            .build(settings.services());
    Map<String, Image> images = new LinkedHashMap<>();
    for (Builder.Result r : results)
      images.put(r.service(), r.artifact().image(Platform.LINUX_AMD64));
    return images;
  }

  /** An image from one hand-made layer and a run config. */
  static Image of(ReproducibleLayerBuilder layer, ContainerConfig run, Path scratch)
      throws IOException {
    List<Layer> layers = new ArrayList<>();
    if (layer != null) layers.add(layer.build(scratch, LayerFormat.GZIP).layer());
    ConfigFile cfg =
        new ConfigFile(
            "1970-01-01T00:00:01Z",
            null,
            "amd64",
            "linux",
            null,
            null,
            null,
            run,
            RootFs.of(List.of()),
            List.of());
    return Images.of(cfg, layers, false, null);
  }

  /**
   * A layer with the host's /bin/sh and the libraries it needs (resolved by caulk's ELF code, as
   * the build does), so that a {@code #!/bin/sh} script runs in the container.
   */
  static ReproducibleLayerBuilder withShell() throws IOException {
    ReproducibleLayerBuilder b = new ReproducibleLayerBuilder();
    LibraryClosure closure =
        LibraryResolver.of(ElfFileSystem.ofHostRoot(Path.of("/"))).resolve("/bin/sh");
    for (LibraryClosure.PathEntry e : closure.entries()) {
      if (e instanceof LibraryClosure.LinkEntry l) b.symlink(l.path(), l.target(), 0, 0);
      else b.file(e.path(), Path.of(e.path()), 0755, 0, 0);
    }
    return b;
  }

  /** A run config: entrypoint, user, env entries. */
  static ContainerConfig config(List<String> entrypoint, String user, String... env) {
    ContainerConfig.Builder c = ContainerConfig.EMPTY.toBuilder().entrypoint(entrypoint).user(user);
    for (String e : env) {
      int eq = e.indexOf('=');
      c.env(e.substring(0, eq), e.substring(eq + 1));
    }
    return c.build();
  }
}
