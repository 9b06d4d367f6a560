package dev.caulk.spec;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The execution parameters of an image config ({@code config} in config.md), plus Docker's {@code
 * Healthcheck}, {@code OnBuild} and {@code Shell}. Every field may be missing or null. Docker's
 * other container fields ({@code Hostname}, {@code AttachStdout}, {@code Image}, ...) are kept in
 * {@link #extra()} and written back when caulk rewrites the config.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ContainerConfig(
    @JsonProperty("User") @Nullable String user,
    @JsonProperty("ExposedPorts") @Nullable Map<String, Map<String, Object>> exposedPorts,
    @JsonProperty("Env") @Nullable List<String> env,
    @JsonProperty("Entrypoint") @Nullable List<String> entrypoint,
    @JsonProperty("Cmd") @Nullable List<String> cmd,
    @JsonProperty("Volumes") @Nullable Map<String, Map<String, Object>> volumes,
    @JsonProperty("WorkingDir") @Nullable String workingDir,
    @JsonProperty("Labels") @Nullable Map<String, String> labels,
    @JsonProperty("StopSignal") @Nullable String stopSignal,
    @JsonProperty("ArgsEscaped") @Nullable Boolean argsEscaped,
    @JsonProperty("Healthcheck") @Nullable Healthcheck healthcheck,
    @JsonProperty("OnBuild") @Nullable List<String> onBuild,
    @JsonProperty("Shell") @Nullable List<String> shell,
    @JsonAnySetter @JsonAnyGetter @Nullable Map<String, JsonNode> extra) {

  public static final ContainerConfig EMPTY =
      new ContainerConfig(
          null, null, null, null, null, null, null, null, null, null, null, null, null);

  public ContainerConfig {
    extra = Extra.copy(extra);
    exposedPorts = noNullValues(exposedPorts);
    volumes = noNullValues(volumes);
  }

  /**
   * {@code "80/tcp": null} reads as {@code {}} (Go's map[string]struct{} does so), and is written
   * so.
   */
  private static @Nullable Map<String, Map<String, Object>> noNullValues(
      @Nullable Map<String, Map<String, Object>> m) {
    if (m == null || m.values().stream().allMatch(java.util.Objects::nonNull)) return m;
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, v == null ? Map.of() : v));
    return out;
  }

  /** A container config without fields beyond those caulk models. */
  public ContainerConfig(
      @Nullable String user,
      @Nullable Map<String, Map<String, Object>> exposedPorts,
      @Nullable List<String> env,
      @Nullable List<String> entrypoint,
      @Nullable List<String> cmd,
      @Nullable Map<String, Map<String, Object>> volumes,
      @Nullable String workingDir,
      @Nullable Map<String, String> labels,
      @Nullable String stopSignal,
      @Nullable Boolean argsEscaped,
      @Nullable Healthcheck healthcheck,
      @Nullable List<String> onBuild,
      @Nullable List<String> shell) {
    this(
        user,
        exposedPorts,
        env,
        entrypoint,
        cmd,
        volumes,
        workingDir,
        labels,
        stopSignal,
        argsEscaped,
        healthcheck,
        onBuild,
        shell,
        null);
  }

  /** The value of an environment variable, or null. */
  public @Nullable String envValue(String name) {
    if (env == null) return null;
    for (String e : env) {
      int eq = e.indexOf('=');
      if (eq > 0 && e.substring(0, eq).equals(name)) return e.substring(eq + 1);
    }
    return null;
  }

  /** Env as an ordered map (later duplicates win, as in Docker). */
  public Map<String, String> envMap() {
    Map<String, String> m = new LinkedHashMap<>();
    if (env != null) {
      for (String e : env) {
        int eq = e.indexOf('=');
        if (eq > 0) m.put(e.substring(0, eq), e.substring(eq + 1));
        else m.put(e, "");
      }
    }
    return m;
  }

  /** A builder pre-filled with this config's values. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** A mutable builder; {@link #build()} gives an immutable config. */
  public static final class Builder {
    private @Nullable String user;
    private @Nullable Map<String, Map<String, Object>> exposedPorts;
    private @Nullable List<String> env;
    private @Nullable List<String> entrypoint;
    private @Nullable List<String> cmd;
    private @Nullable Map<String, Map<String, Object>> volumes;
    private @Nullable String workingDir;
    private @Nullable Map<String, String> labels;
    private @Nullable String stopSignal;
    private @Nullable Boolean argsEscaped;
    private @Nullable Healthcheck healthcheck;
    private @Nullable List<String> onBuild;
    private @Nullable List<String> shell;
    private final @Nullable Map<String, JsonNode> extra;

    Builder(ContainerConfig c) {
      user = c.user;
      exposedPorts = c.exposedPorts == null ? null : new LinkedHashMap<>(c.exposedPorts);
      env = c.env == null ? null : new ArrayList<>(c.env);
      entrypoint = c.entrypoint;
      cmd = c.cmd;
      volumes = c.volumes;
      workingDir = c.workingDir;
      labels = c.labels == null ? null : new LinkedHashMap<>(c.labels);
      stopSignal = c.stopSignal;
      argsEscaped = c.argsEscaped;
      healthcheck = c.healthcheck;
      onBuild = c.onBuild;
      shell = c.shell;
      extra = c.extra;
    }

    public Builder user(@Nullable String v) {
      user = v;
      return this;
    }

    public Builder entrypoint(@Nullable List<String> v) {
      entrypoint = v;
      return this;
    }

    public Builder cmd(@Nullable List<String> v) {
      cmd = v;
      return this;
    }

    public Builder workingDir(@Nullable String v) {
      workingDir = v;
      return this;
    }

    public Builder stopSignal(@Nullable String v) {
      stopSignal = v;
      return this;
    }

    public Builder healthcheck(@Nullable Healthcheck v) {
      healthcheck = v;
      return this;
    }

    /** Sets an environment variable, replacing an earlier value of the same name in place. */
    public Builder env(String name, String value) {
      if (env == null) env = new ArrayList<>();
      String entry = name + "=" + value;
      for (int i = 0; i < env.size(); i++) {
        if (env.get(i).startsWith(name + "=") || env.get(i).equals(name)) {
          env.set(i, entry);
          return this;
        }
      }
      env.add(entry);
      return this;
    }

    /** Adds an exposed port such as {@code 3000/tcp} ({@code 3000} means tcp). */
    public Builder exposePort(String port) {
      if (exposedPorts == null) exposedPorts = new LinkedHashMap<>();
      exposedPorts.put(port.contains("/") ? port : port + "/tcp", Map.of());
      return this;
    }

    public Builder label(String key, String value) {
      if (labels == null) labels = new LinkedHashMap<>();
      labels.put(key, value);
      return this;
    }

    public ContainerConfig build() {
      return new ContainerConfig(
          user,
          exposedPorts,
          env,
          entrypoint,
          cmd,
          volumes,
          workingDir,
          labels,
          stopSignal,
          argsEscaped,
          healthcheck,
          onBuild,
          shell,
          extra);
    }
  }
}
