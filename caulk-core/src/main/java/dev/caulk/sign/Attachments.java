package dev.caulk.sign;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caulk.digest.Digest;
import dev.caulk.image.Artifact;
import dev.caulk.image.Image;
import dev.caulk.location.ImageLocation;
import dev.caulk.location.Locations;
import dev.caulk.name.Reference;
import dev.caulk.registry.RegistryOptions;
import java.io.IOException;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;

/**
 * Signatures and attestations stored where the image is, in cosign's tag scheme: the image {@code
 * sha256-<hex>.sig} (or {@code .att}) in the same registry repository ({@code
 * docker://REPO:sha256-<hex>.sig}) or the same OCI layout ({@code oci:DIR:sha256-<hex>.sig}).
 * Signing reads the attachment image that is there, appends the new layer (unless it holds it
 * already) and writes it back; the signed image is never rewritten.
 */
public final class Attachments {
  private Attachments() {}

  /**
   * What signing or attesting wrote.
   *
   * @param subject the digest that was signed (the manifest's, or the index's)
   * @param attachment where the attachment image is
   * @param attachmentDigest the digest of the attachment manifest written
   */
  public record Written(Digest subject, ImageLocation attachment, Digest attachmentDigest) {}

  /** The location of the attachment image of {@code digest} beside {@code image}. */
  public static ImageLocation locationOf(ImageLocation image, Digest digest, String suffix)
      throws SignException {
    String tag = SignatureImages.tag(digest, suffix);
    return image
        .sibling(tag)
        .orElseThrow(
            () ->
                new SignException(
                    image
                        + ": signatures are stored in registries and OCI layouts, not in docker-archive files"));
  }

  /**
   * The identity a signature claims by default: the registry repository ({@code registry/path}, as
   * cosign writes it), or null for a layout (the caller names the repository the image will be
   * pushed to).
   */
  public static String defaultIdentity(ImageLocation image) {
    return image.registryReference().map(Reference::name).orElse(null);
  }

  /** The attachment image at {@code attachment}, or null when there is none. */
  public static Image read(ImageLocation attachment, RegistryOptions options) throws IOException {
    Artifact a = attachment.openIfPresent(options).orElse(null);
    if (a == null) {
      return null;
    }
    if (a.isIndex()) throw new SignException(attachment + ": is an index, not a signature image");
    return a.image();
  }

  /**
   * The layers attached to {@code digest} beside {@code image} under {@code suffix}; empty when
   * none.
   */
  public static List<SignatureLayer> layers(
      ImageLocation image, Digest digest, String suffix, RegistryOptions options)
      throws IOException {
    ImageLocation at = locationOf(image, digest, suffix);
    Image att = read(at, options);
    return att == null ? List.of() : SignatureImages.read(att, at.toString());
  }

  /** Appends layers to the attachment image of {@code digest} (creating it) and writes it back. */
  public static Written attach(
      ImageLocation image,
      Digest digest,
      String suffix,
      List<SignatureLayer> layers,
      RegistryOptions options)
      throws IOException {
    ImageLocation at = locationOf(image, digest, suffix);
    Image existing = read(at, options);
    Image updated = SignatureImages.build(existing, layers, at.toString());
    Digest written =
        existing != null && existing.digest().equals(updated.digest())
            ? existing.digest()
            : Locations.write(Artifact.of(updated), at, options, true);
    return new Written(digest, at, written);
  }

  /** The digest of what {@code image} names: an image manifest's, or an index's. */
  public static Digest subject(ImageLocation image, RegistryOptions options) throws IOException {
    return Locations.open(image, options).digest();
  }

  /**
   * Signs the image (or index) {@code image} names and stores the signature as {@code
   * sha256-<hex>.sig} beside it.
   *
   * @param identity the {@code docker-reference} the signature claims; null for {@link
   *     #defaultIdentity}
   */
  public static Written sign(
      ImageLocation image,
      Signer signer,
      Map<String, String> annotations,
      String identity,
      RegistryOptions options)
      throws IOException {
    String id = identity != null ? identity : defaultIdentity(image);
    if (id == null)
      throw new SignException(
          image + ": name the repository the signature is for (the identity); a layout has none");
    Digest subject = subject(image, options);
    SignatureLayer layer = SimpleSigning.sign(signer, id, subject, annotations);
    return attach(image, subject, SignatureImages.SIGNATURE_SUFFIX, List.of(layer), options);
  }

  /** Verifies every signature stored beside {@code image} for the digest it names. */
  public static Verification verify(
      ImageLocation image, PublicKey key, Verification.Requirements req, RegistryOptions options)
      throws IOException {
    Digest subject = subject(image, options);
    return Verification.ofSignatures(
        subject, layers(image, subject, SignatureImages.SIGNATURE_SUFFIX, options), key, req);
  }

  /**
   * Attests the image {@code image} names: an in-toto v1 statement with the image as subject,
   * signed in a DSSE envelope, stored as {@code sha256-<hex>.att} beside it.
   *
   * @param name the subject's name; null for {@link #defaultIdentity}
   */
  public static Written attest(
      ImageLocation image,
      Signer signer,
      String predicateType,
      JsonNode predicate,
      String name,
      RegistryOptions options)
      throws IOException {
    Digest subject = subject(image, options);
    String n = name != null ? name : defaultIdentity(image);
    SignatureLayer layer =
        Attestations.sign(signer, Statement.about(n, subject, predicateType, predicate));
    return attach(image, subject, SignatureImages.ATTESTATION_SUFFIX, List.of(layer), options);
  }

  /**
   * Verifies the attestations stored beside {@code image} (of {@code req.predicateType()}, when
   * set).
   */
  public static Verification verifyAttestations(
      ImageLocation image, PublicKey key, Verification.Requirements req, RegistryOptions options)
      throws IOException {
    Digest subject = subject(image, options);
    return Attestations.verify(
        subject, layers(image, subject, SignatureImages.ATTESTATION_SUFFIX, options), key, req);
  }
}
