package dev.caulk.image;

import dev.caulk.digest.Digest;
import dev.caulk.spec.ConfigFile;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.Manifest;
import dev.caulk.spec.MediaType;
import dev.caulk.spec.RootFs;
import dev.caulk.spec.SpecJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An image assembled in memory from a config and layers; manifest and config bytes are canonical
 * JSON.
 */
final class BuiltImage implements Image {
  private final byte[] rawConfig;
  private final ConfigFile config;
  private final List<Layer> layers;
  private final byte[] rawManifest;
  private final Manifest manifest;

  BuiltImage(
      ConfigFile base,
      List<Layer> layers,
      boolean docker,
      @Nullable Map<String, String> annotations) {
    List<Digest> diffIds = new ArrayList<>();
    List<Descriptor> descriptors = new ArrayList<>();
    List<Layer> typed = new ArrayList<>();
    for (Layer l : layers) {
      diffIds.add(l.diffId());
      Descriptor d =
          Descriptor.of(
              docker ? toDocker(l.mediaType()) : OciConversion.layerType(l.mediaType()),
              l.digest(),
              l.size());
      descriptors.add(d);
      typed.add(Objects.equals(d.mediaType(), l.mediaType()) ? l : new RetypedLayer(l, d));
    }
    this.config = base.withRootFs(RootFs.of(diffIds), base.history());
    this.rawConfig = SpecJson.write(config);
    this.layers = List.copyOf(typed);
    Descriptor cd =
        Descriptor.of(
            docker ? MediaType.DOCKER_CONFIG : MediaType.OCI_CONFIG,
            Digest.sha256(rawConfig),
            rawConfig.length);
    this.manifest =
        Manifest.of(
            docker,
            cd,
            descriptors,
            annotations == null || annotations.isEmpty() ? null : annotations);
    this.rawManifest = SpecJson.write(manifest);
  }

  private static @Nullable String toDocker(@Nullable String mt) {
    return MediaType.isDocker(mt) ? mt : MediaType.layerType(true, MediaType.layerCompression(mt));
  }

  @Override
  public byte[] rawManifest() {
    return rawManifest.clone();
  }

  @Override
  public Manifest manifest() {
    return manifest;
  }

  @Override
  public byte[] rawConfig() {
    return rawConfig.clone();
  }

  @Override
  public ConfigFile config() {
    return config;
  }

  @Override
  public List<Layer> layers() {
    return layers;
  }

  @Override
  public @Nullable String mediaType() {
    return manifest.mediaType();
  }
}
