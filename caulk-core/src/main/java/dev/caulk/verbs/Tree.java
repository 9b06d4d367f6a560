package dev.caulk.verbs;

import dev.caulk.digest.Digest;
import dev.caulk.image.Image;
import dev.caulk.location.ImageLocation;
import dev.caulk.location.Locations;
import dev.caulk.registry.RegistryOptions;
import dev.caulk.sign.Attachments;
import dev.caulk.sign.Referrers;
import dev.caulk.sign.SignatureImages;
import dev.caulk.sign.SimpleSigning;
import dev.caulk.sign.Statement;
import dev.caulk.spec.Descriptor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code caulk tree} (alias {@code referrers}): what is attached to an image, as {@code cosign
 * tree} shows it: the layers of its {@code .sig}, {@code .att} and {@code .sbom} images (cosign's
 * tag scheme, registries and layouts) and its OCI 1.1 referrers (registry API or fallback index; in
 * a layout, the entries whose {@code subject} is the image). Nothing is verified: this is an
 * inventory (see {@link Verify}).
 */
public final class Tree {
  /** cosign's tag suffix for SBOMs attached with {@code cosign attach sbom}. */
  public static final String SBOM_SUFFIX = "sbom";

  private Tree() {}

  public static Builder options() {
    return new Builder();
  }

  /**
   * @param location the image or index whose attachments are listed
   */
  public record Options(ImageLocation location) {}

  /** What an attachment is. */
  public enum Kind {
    SIGNATURE,
    ATTESTATION,
    SBOM,
    ARTIFACT;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One attached thing.
   *
   * @param kind what it is
   * @param scheme {@link Verify#TAG_SCHEME} or {@link Verify#REFERRERS_SCHEME}
   * @param where the attachment image (tag scheme) or the repository's referrer manifest
   * @param digest the layer's digest (tag scheme) or the referrer manifest's
   * @param mediaType the layer's media type, or the referrer's artifact type
   * @param predicateType an attestation's predicate type, when stored beside it, else null
   * @param annotations the layer's or referrer's annotations, without the base64 signature
   */
  public record Entry(
      Kind kind,
      String scheme,
      String where,
      Digest digest,
      String mediaType,
      String predicateType,
      Map<String, String> annotations) {
    public Entry {
      annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }
  }

  /**
   * @param subject the digest of what the location names; {@code entries} in scheme, then storage
   *     order
   */
  public record Result(Digest subject, List<Entry> entries) {
    public Result {
      entries = List.copyOf(entries);
    }

    public List<Entry> of(Kind kind) {
      return entries.stream().filter(e -> e.kind() == kind).toList();
    }
  }

  /** Builds {@link Options}. */
  public static final class Builder {
    private ImageLocation location;

    private Builder() {}

    public Builder location(ImageLocation l) {
      this.location = l;
      return this;
    }

    public Options build() {
      if (location == null) {
        throw new InvalidOptionsException("tree: name the image");
      }
      SignSupport.requireStore(location, "tree");
      return new Options(location);
    }
  }

  public static Result run(Options o, Session session) throws IOException {
    RegistryOptions ro = session.source(o.location());
    Digest d = Locations.open(o.location(), ro).digest();
    List<Entry> entries = new ArrayList<>();
    tagScheme(o.location(), d, SignatureImages.SIGNATURE_SUFFIX, Kind.SIGNATURE, ro, entries);
    tagScheme(o.location(), d, SignatureImages.ATTESTATION_SUFFIX, Kind.ATTESTATION, ro, entries);
    tagScheme(o.location(), d, SBOM_SUFFIX, Kind.SBOM, ro, entries);
    for (ImageLocation r : SignSupport.referrerStores(o.location())) {
      for (Descriptor ref : Referrers.list(r, d, ro)) {
        String type = ref.artifactType() != null ? ref.artifactType() : ref.mediaType();
        Map<String, String> ann = ref.annotations() == null ? Map.of() : ref.annotations();
        entries.add(
            new Entry(
                kindOfArtifact(type),
                Verify.REFERRERS_SCHEME,
                SignSupport.byDigest(r, ref.digest()).toString(),
                ref.digest(),
                type,
                ann.get(Statement.PREDICATE_TYPE_ANNOTATION),
                ann));
      }
    }
    session.events().info(d.shortString() + ": " + entries.size() + " attached");
    return new Result(d, entries);
  }

  private static void tagScheme(
      ImageLocation image, Digest d, String suffix, Kind kind, RegistryOptions ro, List<Entry> out)
      throws IOException {
    ImageLocation at = Attachments.locationOf(image, d, suffix);
    Image img = Attachments.read(at, ro);
    if (img == null) {
      return;
    }
    for (Descriptor layer : img.manifest().layers()) {
      Map<String, String> ann =
          new TreeMap<>(layer.annotations() == null ? Map.of() : layer.annotations());
      ann.remove(SimpleSigning.SIGNATURE_ANNOTATION);
      out.add(
          new Entry(
              kind,
              Verify.TAG_SCHEME,
              at.toString(),
              layer.digest(),
              layer.mediaType(),
              ann.get(Statement.PREDICATE_TYPE_ANNOTATION),
              ann));
    }
  }

  /** The kind of a referrer by its artifact type. */
  static Kind kindOfArtifact(String type) {
    if (type == null) {
      return Kind.ARTIFACT;
    }
    if (type.equals(Referrers.SIGNATURE_ARTIFACT_TYPE)
        || type.startsWith("application/vnd.dev.sigstore.bundle")
        || type.equals("application/vnd.cncf.notary.signature")) {
      return Kind.SIGNATURE;
    }
    if (type.equals(Referrers.ATTESTATION_ARTIFACT_TYPE) || type.contains("in-toto")) {
      return Kind.ATTESTATION;
    }
    String t = type.toLowerCase(Locale.ROOT);
    if (t.contains("spdx") || t.contains("cyclonedx") || t.contains("syft")) {
      return Kind.SBOM;
    }
    return Kind.ARTIFACT;
  }
}
