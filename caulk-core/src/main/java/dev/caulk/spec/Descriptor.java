package dev.caulk.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.caulk.digest.Digest;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A content descriptor (descriptor.md): what a blob is, its digest and its size. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Descriptor(
    @JsonProperty("mediaType") @Nullable String mediaType,
    @JsonProperty("digest") Digest digest,
    @JsonProperty("size") long size,
    @JsonProperty("urls") @Nullable List<String> urls,
    @JsonProperty("annotations") @Nullable Map<String, String> annotations,
    @JsonProperty("data") @Nullable String data,
    @JsonProperty("platform") @Nullable Platform platform,
    @JsonProperty("artifactType") @Nullable String artifactType) {

  public Descriptor {
    if (digest == null) throw new IllegalArgumentException("descriptor without a digest");
    if (size < 0)
      throw new IllegalArgumentException("descriptor " + digest + " has a negative size");
  }

  public static Descriptor of(@Nullable String mediaType, Digest digest, long size) {
    return new Descriptor(mediaType, digest, size, null, null, null, null, null);
  }

  public Descriptor withPlatform(@Nullable Platform p) {
    return new Descriptor(mediaType, digest, size, urls, annotations, data, p, artifactType);
  }

  public Descriptor withAnnotations(@Nullable Map<String, String> a) {
    return new Descriptor(
        mediaType,
        digest,
        size,
        urls,
        a == null || a.isEmpty() ? null : a,
        data,
        platform,
        artifactType);
  }

  /** An annotation value, or null. */
  public @Nullable String annotation(String key) {
    return annotations == null ? null : annotations.get(key);
  }
}
