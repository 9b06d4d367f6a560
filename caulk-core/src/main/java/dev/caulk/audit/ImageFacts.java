package dev.caulk.audit;

import java.util.List;

/**
 * What the audit knows about an image besides its files and config.
 *
 * @param name the image as the user named it ({@code docker-archive:app.tar}, {@code alpine:3.20}),
 *     or null
 * @param tag the tag it was asked by, when it has one ({@code latest} for an untagged registry
 *     reference, as Docker resolves it); null for digest references and unnamed archives
 * @param digest the manifest digest ({@code sha256:…})
 * @param platform {@code os/arch[/variant]}
 * @param layerDigests the layer digests, base first
 * @param layerSizes stored (compressed) size of each layer
 * @param storedBytes config and layers as a registry stores them
 */
public record ImageFacts(
    String name,
    String tag,
    String digest,
    String platform,
    List<String> layerDigests,
    List<Long> layerSizes,
    long storedBytes) {

  /** Copies the lists. */
  public ImageFacts {
    layerDigests = List.copyOf(layerDigests);
    layerSizes = List.copyOf(layerSizes);
  }

  /** The digest of layer {@code index}, or null when out of range (metadata findings). */
  public String layerDigest(int index) {
    return index >= 0 && index < layerDigests.size() ? layerDigests.get(index) : null;
  }
}
