package dev.caulk.spec;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An image configuration (config.md): platform, creation time, run parameters, rootfs diffIDs and
 * history. Fields caulk does not model (Docker's legacy {@code container_config}, {@code
 * docker_version}, BuildKit's {@code moby.buildkit.buildinfo.v1} and the like) are kept in {@link
 * #extra()} and written back when caulk rewrites a config; a config caulk only copies keeps its
 * exact bytes.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ConfigFile(
    @JsonProperty("created") @Nullable String created,
    @JsonProperty("author") @Nullable String author,
    @JsonProperty("architecture") String architecture,
    @JsonProperty("os") String os,
    @JsonProperty("os.version") @Nullable String osVersion,
    @JsonProperty("os.features") @Nullable List<String> osFeatures,
    @JsonProperty("variant") @Nullable String variant,
    @JsonProperty("config") @Nullable ContainerConfig config,
    @JsonProperty("rootfs") RootFs rootfs,
    @JsonProperty("history") List<History> history,
    @JsonAnySetter @JsonAnyGetter @Nullable Map<String, JsonNode> extra) {

  public ConfigFile {
    history = history == null ? List.of() : List.copyOf(history);
    extra = Extra.copy(extra);
  }

  /** A config without fields beyond those caulk models. */
  public ConfigFile(
      @Nullable String created,
      @Nullable String author,
      String architecture,
      String os,
      @Nullable String osVersion,
      @Nullable List<String> osFeatures,
      @Nullable String variant,
      @Nullable ContainerConfig config,
      RootFs rootfs,
      List<History> history) {
    this(
        created,
        author,
        architecture,
        os,
        osVersion,
        osFeatures,
        variant,
        config,
        rootfs,
        history,
        null);
  }

  /** The run parameters, never null. */
  public ContainerConfig runConfig() {
    return config == null ? ContainerConfig.EMPTY : config;
  }

  /** The platform this config declares. */
  public Platform platform() {
    return new Platform(architecture, os, osVersion, osFeatures, variant, null);
  }

  /**
   * The history entry that made each layer, in layer order: the non-empty entries pair with the
   * diffIDs one to one (config.md). A missing entry is null.
   */
  public List<@Nullable History> layerHistory() {
    int layers = rootfs == null ? 0 : rootfs.diffIds().size();
    java.util.ArrayList<@Nullable History> out = new java.util.ArrayList<>(layers);
    for (History h : history) {
      if (!h.emptyLayer() && out.size() < layers) out.add(h);
    }
    while (out.size() < layers) out.add(null);
    return out;
  }

  public ConfigFile withConfig(@Nullable ContainerConfig c) {
    return new ConfigFile(
        created,
        author,
        architecture,
        os,
        osVersion,
        osFeatures,
        variant,
        c,
        rootfs,
        history,
        extra);
  }

  public ConfigFile withRootFs(RootFs r, List<History> h) {
    return new ConfigFile(
        created, author, architecture, os, osVersion, osFeatures, variant, config, r, h, extra);
  }

  public ConfigFile withCreated(@Nullable String c) {
    return new ConfigFile(
        c,
        author,
        architecture,
        os,
        osVersion,
        osFeatures,
        variant,
        config,
        rootfs,
        history,
        extra);
  }

  public ConfigFile withPlatform(Platform p) {
    return new ConfigFile(
        created,
        author,
        p.architecture(),
        p.os(),
        p.osVersion(),
        p.osFeatures(),
        p.variant(),
        config,
        rootfs,
        history,
        extra);
  }
}
