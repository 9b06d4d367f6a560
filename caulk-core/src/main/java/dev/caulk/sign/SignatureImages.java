package dev.caulk.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caulk.digest.Digest;
import dev.caulk.image.BlobSource;
import dev.caulk.image.Image;
import dev.caulk.image.Images;
import dev.caulk.image.Layer;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.Manifest;
import dev.caulk.spec.MediaType;
import dev.caulk.spec.SpecJson;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cosign's attachment images: the manifest tagged {@code sha256-<hex>.sig} (signatures) or {@code
 * .att} (attestations) in the signed image's repository. It is an OCI manifest whose config is an
 * image config with {@code rootfs.diff_ids} equal to the layer digests and whose layers are the
 * payloads, one per signature, with the signature in the layer's annotations. Such a manifest is an
 * OCI artifact to caulk ({@link Image#isContainerImage()} is false), copied byte for byte.
 */
public final class SignatureImages {
  public static final String SIGNATURE_SUFFIX = "sig";
  public static final String ATTESTATION_SUFFIX = "att";

  /** At most this many layers are read from an attachment image. */
  static final int MAX_LAYERS = 1000;

  /** The largest payload blob read: attestations can carry an SBOM. */
  static final int MAX_BLOB = 64 * 1024 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  private SignatureImages() {}

  /** {@code sha256-<hex>.<suffix>}: cosign's tag for what is attached to {@code digest}. */
  public static String tag(Digest digest, String suffix) {
    return digest.algorithm() + "-" + digest.hex() + "." + suffix;
  }

  /**
   * The layers of an attachment image, each payload read whole (bounded) and verified against its
   * descriptor's digest as it is read.
   */
  public static List<SignatureLayer> read(Image attachment, String what) throws IOException {
    Manifest m = attachment.manifest();
    if (m.layers().size() > MAX_LAYERS)
      throw new SignException(
          what + ": " + m.layers().size() + " layers, more than the " + MAX_LAYERS + " read");
    List<Layer> layers = attachment.layers();
    List<SignatureLayer> out = new ArrayList<>(layers.size());
    for (int i = 0; i < layers.size(); i++) {
      Descriptor d = m.layers().get(i);
      if (d.size() > MAX_BLOB)
        throw new SignException(
            what
                + ": layer "
                + d.digest().shortString()
                + " is "
                + d.size()
                + " bytes, more than the "
                + MAX_BLOB
                + " read");
      byte[] payload;
      try (InputStream in = layers.get(i).compressed()) {
        payload = in.readNBytes((int) d.size() + 1);
      }
      if (payload.length != d.size())
        throw new SignException(
            what
                + ": layer "
                + d.digest().shortString()
                + " is not the "
                + d.size()
                + " bytes its descriptor says");
      out.add(
          new SignatureLayer(d.mediaType() == null ? "" : d.mediaType(), payload, d.annotations()));
    }
    return out;
  }

  /**
   * A new attachment image: {@code existing}'s layers (when not null) followed by those of {@code
   * added} it does not hold yet. Other fields of the existing config are kept.
   */
  public static Image build(Image existing, List<SignatureLayer> added, String what)
      throws IOException {
    List<SignatureLayer> layers = new ArrayList<>();
    ObjectNode config = null;
    if (existing != null) {
      layers.addAll(read(existing, what));
      try {
        JsonNode c = JSON.readTree(existing.rawConfig());
        if (c != null && c.isObject()) config = (ObjectNode) c;
      } catch (IOException e) {
        config = null; // an unreadable config is replaced, the layers are what matters
      }
    }
    for (SignatureLayer l : added) {
      if (layers.stream().noneMatch(l::sameAs)) layers.add(l);
    }
    if (config == null) {
      config = JSON.createObjectNode();
      config.put("architecture", "");
      config.put("os", "");
      config.putObject("config");
    }
    ObjectNode rootfs = config.putObject("rootfs");
    rootfs.put("type", "layers");
    ArrayNode diffIds = rootfs.putArray("diff_ids");
    Map<Digest, byte[]> blobs = new HashMap<>();
    List<Descriptor> descriptors = new ArrayList<>();
    for (SignatureLayer l : layers) {
      byte[] p = l.payload();
      Digest d = Digest.sha256(p);
      blobs.put(d, p);
      diffIds.add(d.toString());
      descriptors.add(Descriptor.of(l.mediaType(), d, p.length).withAnnotations(l.annotations()));
    }
    byte[] rawConfig = JSON.writeValueAsBytes(config);
    Digest configDigest = Digest.sha256(rawConfig);
    blobs.put(configDigest, rawConfig);
    Manifest manifest =
        new Manifest(
            2,
            MediaType.OCI_MANIFEST,
            null,
            Descriptor.of(MediaType.OCI_CONFIG, configDigest, rawConfig.length),
            descriptors,
            null,
            null);
    BlobSource source =
        d -> {
          byte[] b = blobs.get(d.digest());
          if (b == null) throw new IOException(what + ": no blob " + d.digest());
          return new ByteArrayInputStream(b);
        };
    return Images.fromManifest(SpecJson.write(manifest), source, what);
  }
}
