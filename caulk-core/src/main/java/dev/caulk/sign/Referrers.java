package dev.caulk.sign;

import dev.caulk.digest.Digest;
import dev.caulk.image.Artifact;
import dev.caulk.image.BlobSource;
import dev.caulk.image.Image;
import dev.caulk.image.ImageIndex;
import dev.caulk.image.Images;
import dev.caulk.layout.OciLayout;
import dev.caulk.location.ImageLocation;
import dev.caulk.location.Locations;
import dev.caulk.name.Reference;
import dev.caulk.registry.RegistryClient;
import dev.caulk.registry.RegistryException;
import dev.caulk.registry.RegistryOptions;
import dev.caulk.registry.Remote;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.Index;
import dev.caulk.spec.InvalidSpecException;
import dev.caulk.spec.Manifest;
import dev.caulk.spec.MediaType;
import dev.caulk.spec.SpecJson;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * OCI 1.1 referrers (image-spec manifest.md {@code subject} and {@code artifactType},
 * distribution-spec "referrers tag schema"), the second way issue 13 stores signatures: an artifact
 * manifest whose {@code subject} is the signed image, pushed by digest, and listed in the fallback
 * index tagged {@code sha256-<hex>} (the tag schema, for registries without the referrers API, such
 * as distribution 2.8). Listing asks the referrers API ({@code GET /v2/NAME/referrers/DIGEST})
 * first and reads the tag schema's index when the registry answers 404, 400 or 405. In an OCI
 * layout a referrer is an untagged {@code index.json} entry, found by the {@code subject} of its
 * manifest. Attestation referrers carry the {@code predicateType} annotation on the manifest.
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
   * Pushes {@code referrer} by digest into the repository of {@code image} and, unless the registry
   * answers the manifest {@code PUT} with {@code OCI-Subject} naming the subject (it has the
   * referrers API and indexed the referrer itself), adds it to the fallback index {@code
   * sha256-<hex>} of its subject (unless listed). Returns the referrer's digest.
   */
  public static Digest push(ImageLocation.Registry image, Image referrer, RegistryOptions options)
      throws IOException {
    Manifest rm = referrer.manifest();
    if (rm.subject() == null) throw new SignException("a referrer needs a subject");
    Reference repo = image.reference();
    Digest subject = rm.subject().digest();
    RegistryClient.Stored stored =
        Remote.writeReferrer(referrer, repo.withDigest(referrer.digest()), options);
    Digest digest = stored.digest();
    if (stored.subject().isPresent()) {
      if (stored.subject().get().equals(subject)) {
        // distribution-spec 1.1: the registry has the referrers API and listed the referrer there;
        // the client maintains the tag schema's index only when this header is absent.
        options
            .listener()
            .debug(
                repo.name()
                    + ": the registry answered OCI-Subject "
                    + subject.shortString()
                    + " (referrers API); the fallback index "
                    + fallbackTag(subject)
                    + " is left alone");
        return digest;
      }
      options
          .listener()
          .warn(
              repo.name()
                  + ": the registry answered OCI-Subject "
                  + stored.subject().get().shortString()
                  + " for a referrer of "
                  + subject.shortString()
                  + "; writing the fallback index "
                  + fallbackTag(subject)
                  + " as for a registry without the referrers API");
    }
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
    List<Descriptor> entries = new ArrayList<>(fallback(image, subject, options));
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
    ImageIndex idx = Images.indexFromManifest(index, none, "referrers of " + subject.shortString());
    Locations.write(
        Artifact.of(idx), new ImageLocation.Registry(repo.withTag(fallbackTag(subject))), options);
    return digest;
  }

  /**
   * Stores {@code referrer} beside {@code image}: in a registry as {@link #push} does; in an OCI
   * layout as an untagged {@code index.json} entry (its blobs first, {@code index.json} replaced
   * atomically by the layout writer), found again by its {@code subject}. Returns its digest.
   */
  public static Digest store(ImageLocation image, Image referrer, RegistryOptions options)
      throws IOException {
    if (image instanceof ImageLocation.Registry r) {
      return push(r, referrer, options);
    }
    Path dir = layoutOf(image);
    if (referrer.manifest().subject() == null)
      throw new SignException("a referrer needs a subject");
    return OciLayout.create(dir).write(Artifact.of(referrer), null, options.listener(), true);
  }

  /**
   * The referrers of {@code subject}: in a registry the referrers API's index, or the fallback
   * index when there is no API; in an OCI layout the {@code index.json} entries whose manifest's
   * {@code subject} is {@code subject}. Empty when there are none.
   */
  public static List<Descriptor> list(ImageLocation image, Digest subject, RegistryOptions options)
      throws IOException {
    if (image instanceof ImageLocation.Registry r) {
      return list(r, subject, options);
    }
    return layoutReferrers(layoutOf(image), subject);
  }

  /**
   * The referrers of {@code subject} in a registry: the referrers API's answer (every {@code Link}
   * page, bounded by {@link RegistryClient#referrers}) when the registry has the API, else what the
   * fallback index lists; empty when there is none.
   */
  public static List<Descriptor> list(
      ImageLocation.Registry image, Digest subject, RegistryOptions options) throws IOException {
    Optional<List<byte[]>> api = Remote.referrers(image.reference(), subject, null, options);
    if (api.isPresent()) {
      List<byte[]> pages = api.get();
      String what = image.reference().name() + ": referrers of " + subject.shortString();
      List<Descriptor> out = new ArrayList<>();
      for (int i = 0; i < pages.size(); i++) {
        out.addAll(
            parseIndex(
                pages.get(i),
                what
                    + " (referrers API"
                    + (pages.size() > 1 ? ", page " + (i + 1) + " of " + pages.size() : "")
                    + ")"));
      }
      return out;
    }
    return fallback(image, subject, options);
  }

  /**
   * The entries of a referrers API answer: an OCI image index of at most 4 MiB. The entries are
   * claims only; whoever reads a referrer checks the {@code subject} of its manifest.
   */
  public static List<Descriptor> parseIndex(byte[] body, String what) throws IOException {
    if (body.length > SpecJson.MAX_MANIFEST_BYTES) {
      throw new SignException(what + ": answer larger than 4 MiB");
    }
    Index index;
    try {
      index = SpecJson.index(body, what);
    } catch (InvalidSpecException e) {
      throw new SignException(what + ": not an image index: " + e.getMessage());
    }
    if (!MediaType.OCI_INDEX.equals(index.mediaType())) {
      throw new SignException(
          what + ": not an OCI image index (media type " + index.mediaType() + ")");
    }
    return index.manifests();
  }

  /** The referrers of {@code subject} the fallback index lists; empty when there is none. */
  private static List<Descriptor> fallback(
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

  /**
   * The {@code index.json} entries of the layout whose manifest names {@code subject}, each with
   * the manifest's artifact type and annotations. Besides the untagged entries caulk writes, the
   * children of an index tagged {@code sha256-<hex>} (the tag schema's index, as {@code copy
   * --referrers} stored it in layouts before referrers were untagged entries) are read too.
   */
  private static List<Descriptor> layoutReferrers(Path dir, Digest subject) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    OciLayout layout = OciLayout.open(dir);
    String tag = fallbackTag(subject);
    List<Descriptor> candidates = new ArrayList<>();
    for (Descriptor d : layout.index().manifests()) {
      if (MediaType.OCI_MANIFEST.equals(d.mediaType())) {
        candidates.add(d);
      } else if (MediaType.isIndex(d.mediaType()) && tag.equals(d.annotation(OciLayout.REF_NAME))) {
        Artifact fallback = layout.read(tag);
        if (fallback.isIndex()) {
          candidates.addAll(fallback.index().index().manifests());
        }
      }
    }
    List<Descriptor> out = new ArrayList<>();
    for (Descriptor d : candidates) {
      if (!MediaType.OCI_MANIFEST.equals(d.mediaType())
          || d.size() > SpecJson.MAX_MANIFEST_BYTES
          || out.stream().anyMatch(o -> o.digest().equals(d.digest()))) {
        continue;
      }
      Artifact a = layout.read("@" + d.digest());
      if (a.isIndex()) {
        continue;
      }
      Manifest m = a.image().manifest();
      if (m.subject() == null || !subject.equals(m.subject().digest())) {
        continue;
      }
      out.add(
          new Descriptor(
              MediaType.OCI_MANIFEST,
              d.digest(),
              d.size(),
              null,
              m.annotations(),
              null,
              null,
              m.artifactType()));
    }
    return out;
  }

  /**
   * The referrers of {@code subject} beside {@code image} (in its registry repository or layout),
   * read: what {@link #list} gives is a claim, so each entry's manifest is fetched by digest and
   * kept only when it is an image manifest whose {@code subject} is {@code subject}. An entry that
   * is not is passed to {@code skipped} with the reason, and left out.
   */
  public static List<Image> read(
      ImageLocation image,
      Digest subject,
      RegistryOptions options,
      BiConsumer<Descriptor, String> skipped)
      throws IOException {
    List<Image> out = new ArrayList<>();
    List<Digest> seen = new ArrayList<>();
    for (Descriptor d : list(image, subject, options)) {
      if (seen.contains(d.digest())) {
        continue;
      }
      seen.add(d.digest());
      if (!MediaType.isImageManifest(d.mediaType())) {
        skipped.accept(d, "is not an image manifest (" + d.mediaType() + ")");
        continue;
      }
      Artifact a = Locations.open(byDigest(image, d.digest()), options);
      if (a.isIndex()) {
        skipped.accept(d, "is an index, not an image manifest");
        continue;
      }
      Manifest m = a.image().manifest();
      if (m.subject() == null || !subject.equals(m.subject().digest())) {
        skipped.accept(d, "does not name " + subject.shortString() + " as its subject");
        continue;
      }
      out.add(a.image());
    }
    return out;
  }

  private static Path layoutOf(ImageLocation image) throws SignException {
    return image
        .layoutDirectory()
        .orElseThrow(
            () ->
                new SignException(
                    image + ": referrers are stored in registries and OCI layouts, not here"));
  }

  /** The manifest {@code digest} in the registry repository or layout of {@code image}. */
  private static ImageLocation byDigest(ImageLocation image, Digest digest) throws SignException {
    if (image instanceof ImageLocation.Registry r) {
      return new ImageLocation.Registry(r.reference().withDigest(digest));
    }
    return new ImageLocation.OciLayout(layoutOf(image), "@" + digest);
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
      ImageLocation image, PublicKey key, Verification.Requirements req, RegistryOptions options)
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
      ImageLocation image, PublicKey key, Verification.Requirements req, RegistryOptions options)
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
      ImageLocation image, Digest subject, String artifactType, RegistryOptions options)
      throws IOException {
    List<SignatureLayer> layers = new ArrayList<>();
    for (Descriptor d : list(image, subject, options)) {
      if (!artifactType.equals(d.artifactType())) continue;
      ImageLocation at = byDigest(image, d.digest());
      Artifact a = Locations.open(at, options);
      if (a.isIndex()) continue;
      Manifest m = a.image().manifest();
      if (m.subject() == null || !subject.equals(m.subject().digest())) continue;
      if (!artifactType.equals(m.artifactType())) continue;
      layers.addAll(SignatureImages.read(a.image(), at.toString()));
    }
    return layers;
  }
}
