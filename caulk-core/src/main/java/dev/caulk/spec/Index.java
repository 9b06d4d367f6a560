package dev.caulk.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** An image index (image-index.md) or Docker manifest list: descriptors of manifests, per platform. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Index(
    @JsonProperty("schemaVersion") int schemaVersion,
    @JsonProperty("mediaType") String mediaType,
    @JsonProperty("artifactType") String artifactType,
    @JsonProperty("manifests") @JsonInclude(JsonInclude.Include.ALWAYS) List<Descriptor> manifests,
    @JsonProperty("subject") Descriptor subject,
    @JsonProperty("annotations") Map<String, String> annotations) {

  public Index {
    manifests = manifests == null ? List.of() : List.copyOf(manifests);
  }

  public static Index of(String mediaType, List<Descriptor> manifests) {
    return new Index(2, mediaType, null, manifests, null, null);
  }
}
