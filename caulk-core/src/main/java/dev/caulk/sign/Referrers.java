package dev.caulk.sign;

import dev.caulk.digest.Digest;
import dev.caulk.image.Artifact;
import dev.caulk.image.BlobSource;
import dev.caulk.image.Image;
import dev.caulk.image.ImageIndex;
import dev.caulk.image.Images;
import dev.caulk.location.ImageLocation;
import dev.caulk.location.Locations;
import dev.caulk.name.Reference;
import dev.caulk.registry.RegistryException;
import dev.caulk.registry.RegistryOptions;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.Index;
import dev.caulk.spec.Manifest;
import dev.caulk.spec.MediaType;
import dev.caulk.spec.SpecJson;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * OCI 1.1 referrers (image-spec manifest.md {@code subject} and {@code artifactType},
 * distribution-spec "referrers tag schema"), the second way issue 13 stores signatures: an artifact
 * manifest whose {@code subject} is the signed image, pushed by digest, and listed in the fallback
 * index tagged {@code sha256-<hex>} (the tag schema, for registries without the referrers API, such
 * as distribution 2.8). Not yet done: asking the referrers API ({@code GET
 * /v2/NAME/referrers/DIGEST}) first, and layouts. Attestation referrers carry the {@code
 * predicateType} annotation on the manifest.
 */
public final class Referrers {
  /** image-spec's empty descriptor: {@code {}}, for artifacts without a config. */
  public static final Descriptor EMPTY_CONFIG =
      new Descriptor(
          MediaType.OCI_EMPTY,
          Digest.sha256("{}".getBytes(StandardCharsets.UTF_8)),
          2,
          null,
          null,
          "e30=",
          null,
          null);

  /**
   * The artifact type of caulk's signature referrers; the layer is the simple-signing payload as in
   * {@code .sig} images.
   */
  public static final String SIGNATURE_ARTIFACT_TYPE = SimpleSigning.MEDIA_TYPE;

  /** The artifact type of caulk's attestation referrers. */
  public static final String ATTESTATION_ARTIFACT_TYPE = Dsse.ENVELOPE_MEDIA_TYPE;

  private Referrers() {}

  /** The referrers tag schema's tag for {@code digest}: {@code <alg>-<hex>}. */
  public static String fallbackTag(Digest digest) {
    return digest.algorithm() + "-" + digest.hex();
  }

  /**
   * An artifact manifest referring to {@code subject}: empty config, the given layers, {@code
   * artifactType}.
   */
  public static Image manifest(
      Descriptor subject,
      String artifactType,
      List<SignatureLayer> layers,
      Map<String, String> annotations)
      throws IOException {
    Map<Digest, byte[]> blobs = new HashMap<>();
    blobs.put(EMPTY_CONFIG.digest(), "{}".getBytes(StandardCharsets.UTF_8));
    List<Descriptor> ds = new ArrayList<>();
    for (SignatureLayer l : layers) {
      byte[] p = l.payload();
      blobs.put(l.digest(), p);
      ds.add(Descriptor.of(l.mediaType(), l.digest(), p.length).withAnnotations(l.annotations()));
    }
    Descriptor subj = Descriptor.of(subject.mediaType(), subject.digest(), subject.size());
    Manifest m =
        new Manifest(
            2,
            MediaType.OCI_MANIFEST,
            artifactType,
            EMPTY_CONFIG,
            ds,
            subj,
            annotations == null || annotations.isEmpty() ? null : annotations);
    BlobSource source =
        d -> {
          byte[] b = blobs.get(d.digest());
          if (b == null) throw new IOException("referrer: no blob " + d.digest());
          return new ByteArrayInputStream(b);
        };
    return Images.fromManifest(
        SpecJson.write(m), source, "referrer of " + subject.digest().shortString());
  }

  /**
   * Pushes {@code referrer} by digest into the repository of {@code image} and adds it to the
   * fallback index {@code sha256-<hex>} of its subject (unless listed). Returns the referrer's
   * digest.
   */
  public static Digest push(ImageLocation.Registry image, Image referrer, RegistryOptions options)
      throws IOException {
    Manifest rm = referrer.manifest();
    if (rm.subject() == null) throw new SignException("a referrer needs a subject");
    Reference repo = image.reference();
    Digest digest =
        Locations.write(
            Artifact.of(referrer),
            new ImageLocation.Registry(repo.withDigest(referrer.digest())),
            options);
    byte[] raw = referrer.rawManifest();
    Descriptor entry =
        new Descriptor(
            MediaType.OCI_MANIFEST,
            digest,
            raw.length,
            null,
            rm.annotations(),
            null,
            null,
            rm.artifactType());
    List<Descriptor> entries = new ArrayList<>(list(image, rm.subject().digest(), options));
    if (entries.stream().noneMatch(d -> d.digest().equals(digest))) entries.add(entry);
    byte[] index = SpecJson.write(Index.of(MediaType.OCI_INDEX, entries));
    // Every child is already in the repository (pushed before), so the writer only PUTs the index.
    BlobSource none =
        d -> {
          throw new IOException(
              "referrers index: child "
                  + d.digest().shortString()
                  + " should already be in "
                  + repo.name());
        };
    ImageIndex idx =
        Images.indexFromManifest(
            index, none, "referrers of " + rm.subject().digest().shortString());
    Locations.write(
        Artifact.of(idx),
        new ImageLocation.Registry(repo.withTag(fallbackTag(rm.subject().digest()))),
        options);
    return digest;
  }

  /** The referrers of {@code subject} the fallback index lists; empty when there is none. */
  public static List<Descriptor> list(
      ImageLocation.Registry image, Digest subject, RegistryOptions options) throws IOException {
    Artifact a;
    try {
      a =
          Locations.open(
              new ImageLocation.Registry(image.reference().withTag(fallbackTag(subject))), options);
    } catch (RegistryException e) {
      if (e.status() == 404) return List.of();
      throw e;
    }
    if (!a.isIndex())
      throw new SignException(
          image.reference().name() + ":" + fallbackTag(subject) + " is not a referrers index");
    return a.index().index().manifests();
  }

  /** Signs the image {@code image} names and stores the signature as a referrer. */
  public static Digest sign(
      ImageLocation.Registry image,
      Signer signer,
      Map<String, String> annotations,
      String identity,
      RegistryOptions options)
      throws IOException {
    Artifact target = Locations.open(image, options);
    byte[] raw = target.rawManifest();
    Descriptor subject = Descriptor.of(target.mediaType(), target.digest(), raw.length);
    SignatureLayer layer =
        SimpleSigning.sign(
            signer,
            identity != null ? identity : image.reference().name(),
            subject.digest(),
            annotations);
    return push(image, manifest(subject, SIGNATURE_ARTIFACT_TYPE, List.of(layer), null), options);
  }

  /**
   * Attests the image {@code image} names (an in-toto statement in a DSSE envelope) and stores it
   * as a referrer.
   */
  public static Digest attest(
      ImageLocation.Registry image,
      Signer signer,
      String predicateType,
      com.fasterxml.jackson.databind.JsonNode predicate,
      RegistryOptions options)
      throws IOException {
    Artifact target = Locations.open(image, options);
    Descriptor subject =
        Descriptor.of(target.mediaType(), target.digest(), target.rawManifest().length);
    SignatureLayer layer =
        Attestations.sign(
            signer,
            Statement.about(image.reference().name(), subject.digest(), predicateType, predicate));
    return push(
        image,
        manifest(
            subject,
            ATTESTATION_ARTIFACT_TYPE,
            List.of(layer),
            Map.of(Statement.PREDICATE_TYPE_ANNOTATION, predicateType)),
        options);
  }

  /** Verifies every signature referrer of the image {@code image} names. */
  public static Verification verify(
      ImageLocation.Registry image,
      PublicKey key,
      Verification.Requirements req,
      RegistryOptions options)
      throws IOException {
    Digest subject = Locations.open(image, options).digest();
    return Verification.ofSignatures(
        subject, layers(image, subject, SIGNATURE_ARTIFACT_TYPE, options), key, req);
  }

  /**
   * Verifies every attestation referrer of the image {@code image} names (of {@code
   * req.predicateType()}, when set).
   */
  public static Verification verifyAttestations(
      ImageLocation.Registry image,
      PublicKey key,
      Verification.Requirements req,
      RegistryOptions options)
      throws IOException {
    Digest subject = Locations.open(image, options).digest();
    return Attestations.verify(
        subject, layers(image, subject, ATTESTATION_ARTIFACT_TYPE, options), key, req);
  }

  /**
   * The layers of the referrers of {@code subject} of one artifact type whose manifest really names
   * {@code subject}.
   */
  private static List<SignatureLayer> layers(
      ImageLocation.Registry image, Digest subject, String artifactType, RegistryOptions options)
      throws IOException {
    List<SignatureLayer> layers = new ArrayList<>();
    for (Descriptor d : list(image, subject, options)) {
      if (!artifactType.equals(d.artifactType())) continue;
      Artifact a =
          Locations.open(
              new ImageLocation.Registry(image.reference().withDigest(d.digest())), options);
      if (a.isIndex()) continue;
      Manifest m = a.image().manifest();
      if (m.subject() == null || !subject.equals(m.subject().digest())) continue;
      layers.addAll(
          SignatureImages.read(
              a.image(), image.reference().name() + "@" + d.digest().shortString()));
    }
    return layers;
  }
}
