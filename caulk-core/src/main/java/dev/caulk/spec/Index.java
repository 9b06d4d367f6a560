package dev.caulk.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An image index (image-index.md) or Docker manifest list: descriptors of manifests, per platform.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Index(
    @JsonProperty("schemaVersion") int schemaVersion,
    @JsonProperty("mediaType") @Nullable String mediaType,
    @JsonProperty("artifactType") @Nullable String artifactType,
    @JsonProperty("manifests") @JsonInclude(JsonInclude.Include.ALWAYS) List<Descriptor> manifests,
    @JsonProperty("subject") @Nullable Descriptor subject,
    @JsonProperty("annotations") @Nullable Map<String, String> annotations) {

  public Index {
    manifests = manifests == null ? List.of() : List.copyOf(manifests);
  }

  public static Index of(@Nullable String mediaType, List<Descriptor> manifests) {
    return new Index(2, mediaType, null, manifests, null, null);
  }
}
