package dev.caulk.build;

import dev.caulk.fs.CapturingVisitor;
import dev.caulk.fs.FileTree;
import dev.caulk.image.Artifact;
import dev.caulk.image.Image;
import dev.caulk.location.ImageLocation;
import dev.caulk.location.Locations;
import dev.caulk.registry.RegistryOptions;
import dev.caulk.spec.Platform;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Opens a base image once per platform and reads what the build needs from its file tree. */
public final class BaseImages {
  private static final List<String> CAPTURED = List.of("/etc/passwd", "/etc/group");

  private BaseImages() {}

  /** Opens {@code location} (any image location) as a base for the settings' platforms. */
  public static BaseImage open(String location, BuildSettings settings, RegistryOptions options)
      throws IOException {
    Artifact a = Locations.open(ImageLocation.parse(location), options);
    Map<Platform, Loaded> byPlatform = new HashMap<>();
    for (String p : settings.platforms()) {
      Platform platform = Platform.parse(p);
      Image image = a.image(platform);
      CapturingVisitor capture = new CapturingVisitor(CAPTURED, 1024 * 1024);
      FileTree tree = FileTree.build(image, FileTree.Options.defaults(), capture);
      byPlatform.put(platform, new Loaded(image, tree, capture));
    }
    return new BaseImage() {
      @Override
      public Image image(Platform p) {
        return loaded(p).image();
      }

      @Override
      public boolean has(Platform p, String path) {
        return loaded(p).tree().resolve(path).isPresent();
      }

      @Override
      public byte[] read(Platform p, String path) {
        Loaded l = loaded(p);
        return l.capture().content(l.tree(), path).orElse(new byte[0]);
      }

      private Loaded loaded(Platform p) {
        Loaded l = byPlatform.get(p);
        if (l == null) throw new IllegalStateException("base not opened for " + p);
        return l;
      }
    };
  }

  private record Loaded(Image image, FileTree tree, CapturingVisitor capture) {}
}
