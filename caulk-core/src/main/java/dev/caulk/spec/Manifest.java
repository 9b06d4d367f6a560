package dev.caulk.spec;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** An image manifest: OCI (manifest.md) or Docker v2 schema 2 — they share this shape. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Manifest(
    @JsonProperty("schemaVersion") int schemaVersion,
    @JsonProperty("mediaType") @Nullable String mediaType,
    @JsonProperty("artifactType") @Nullable String artifactType,
    @JsonProperty("config") Descriptor config,
    @JsonProperty("layers") @JsonInclude(JsonInclude.Include.ALWAYS) List<Descriptor> layers,
    @JsonProperty("subject") @Nullable Descriptor subject,
    @JsonProperty("annotations") @Nullable Map<String, String> annotations) {

  public Manifest {
    layers = layers == null ? List.of() : List.copyOf(layers);
  }

  /** A manifest of the OCI or Docker family, as {@code docker} says. */
  public static Manifest of(
      boolean docker,
      Descriptor config,
      List<Descriptor> layers,
      @Nullable Map<String, String> annotations) {
    return new Manifest(
        2,
        docker ? MediaType.DOCKER_MANIFEST : MediaType.OCI_MANIFEST,
        null,
        config,
        layers,
        null,
        docker ? null : annotations);
  }

  /**
   * True for Docker's schema 2 media type (not a JSON property: the wire format has no such field).
   */
  @JsonIgnore
  public boolean isDocker() {
    return MediaType.DOCKER_MANIFEST.equals(mediaType);
  }
}
