package dev.caulk.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The platform an image runs on (image-index.md): architecture and OS, with optional variant and OS
 * version.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Platform(
    @JsonProperty("architecture") String architecture,
    @JsonProperty("os") String os,
    @JsonProperty("os.version") @Nullable String osVersion,
    @JsonProperty("os.features") @Nullable List<String> osFeatures,
    @JsonProperty("variant") @Nullable String variant,
    @JsonProperty("features") @Nullable List<String> features) {

  /** The default platform: what caulk builds for and picks from an index unless told otherwise. */
  public static final Platform LINUX_AMD64 = new Platform("amd64", "linux", null, null, null, null);

  public static Platform of(String os, String architecture, @Nullable String variant) {
    return new Platform(architecture, os, null, null, variant, null);
  }

  /** Parses {@code os/arch[/variant]}, e.g. {@code linux/arm64/v8}. */
  public static Platform parse(@Nullable String s) {
    String[] p = s == null ? new String[0] : s.trim().split("/");
    if (p.length < 2 || p.length > 3 || p[0].isEmpty() || p[1].isEmpty()) {
      throw new IllegalArgumentException(
          "invalid platform '" + s + "': expected os/arch[/variant]");
    }
    return of(p[0], p[1], p.length == 3 ? p[2] : null);
  }

  /**
   * True when this wanted platform accepts {@code candidate}: OS and architecture equal, and the
   * variant equal when this one names a variant (arm64's variant {@code v8} is the default and
   * matches an absent one).
   */
  public boolean matches(@Nullable Platform candidate) {
    if (candidate == null) return false;
    if (!Objects.equals(os, candidate.os) || !Objects.equals(architecture, candidate.architecture))
      return false;
    if (variant == null || variant.isEmpty()) return true;
    String cv =
        candidate.variant == null || candidate.variant.isEmpty()
            ? defaultVariant(candidate.architecture)
            : candidate.variant;
    return variant.equals(cv);
  }

  private static @Nullable String defaultVariant(String arch) {
    return "arm64".equals(arch) ? "v8" : null;
  }

  @Override
  public String toString() {
    return os + "/" + architecture + (variant == null || variant.isEmpty() ? "" : "/" + variant);
  }
}
