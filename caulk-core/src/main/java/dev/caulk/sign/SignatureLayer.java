package dev.caulk.sign;

import dev.caulk.digest.Digest;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * One layer of a cosign attachment image ({@code .sig} or {@code .att}): the payload blob, its
 * media type and the layer's annotations (for a signature, {@code
 * dev.cosignproject.cosign/signature} holds the base64 signature; for an attestation, {@code
 * predicateType} names what it attests).
 */
public record SignatureLayer(String mediaType, byte[] payload, Map<String, String> annotations) {
  public SignatureLayer {
    payload = payload.clone();
    annotations =
        annotations == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new TreeMap<>(annotations));
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  public Digest digest() {
    return Digest.sha256(payload);
  }

  public String annotation(String key) {
    return annotations.get(key);
  }

  /** Same media type, payload and annotations: the same signature, which is stored once. */
  public boolean sameAs(SignatureLayer o) {
    return mediaType.equals(o.mediaType)
        && Arrays.equals(payload, o.payload)
        && annotations.equals(o.annotations);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignatureLayer s && sameAs(s);
  }

  @Override
  public int hashCode() {
    return mediaType.hashCode() * 31 + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "SignatureLayer[" + mediaType + " " + digest() + "]";
  }
}
