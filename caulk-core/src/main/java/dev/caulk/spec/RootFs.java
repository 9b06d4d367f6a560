package dev.caulk.spec;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.caulk.digest.Digest;
import java.util.List;

/**
 * The config's {@code rootfs}: type {@code layers} and the diffIDs (uncompressed digests) in order.
 */
public record RootFs(
    @JsonProperty("type") String type, @JsonProperty("diff_ids") List<Digest> diffIds) {
  public RootFs {
    diffIds = diffIds == null ? List.of() : List.copyOf(diffIds);
  }

  public static RootFs of(List<Digest> diffIds) {
    return new RootFs("layers", diffIds);
  }
}
