package dev.caulk.verbs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caulk.digest.Digest;
import dev.caulk.image.Artifact;
import dev.caulk.location.ImageLocation;
import dev.caulk.location.Locations;
import dev.caulk.registry.RegistryOptions;
import dev.caulk.sign.Attachments;
import dev.caulk.sign.Attestations;
import dev.caulk.sign.Referrers;
import dev.caulk.sign.SignatureImages;
import dev.caulk.sign.SignatureLayer;
import dev.caulk.sign.Signer;
import dev.caulk.sign.Statement;
import dev.caulk.spec.Descriptor;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code caulk attest}: an in-toto Statement v1 whose subject is the image's digest and whose
 * predicate is a file (an SBOM, SLSA provenance, a VEX document…), signed in a DSSE envelope and
 * stored beside the image as {@code sha256-<hex>.att} (and as an OCI 1.1 referrer when asked), as
 * {@code cosign attest} stores it.
 */
public final class Attest {
  /** cosign's {@code --type} names; anything else must be an absolute URI. */
  public static final Set<String> TYPE_NAMES =
      Set.of(
          "slsaprovenance",
          "slsaprovenance02",
          "slsaprovenance1",
          "spdx",
          "spdxjson",
          "cyclonedx",
          "openvex",
          "vuln",
          "link",
          "custom");

  /**
   * The largest predicate file read (an SBOM of a large image is a few MB; the envelope grows it by
   * a third).
   */
  static final long MAX_PREDICATE = 32L * 1024 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  private Attest() {}

  public static Builder options() {
    return new Builder();
  }

  /**
   * @param location the image or index attested
   * @param key the private key file
   * @param password its password; never logged
   * @param predicate the predicate file (JSON)
   * @param predicateType the predicate type URI (resolved from cosign's {@code --type} name)
   * @param subjectName the statement subject's name; null: the repository (none for a layout)
   * @param referrers store the attestation as an OCI 1.1 referrer too (registry or layout)
   */
  public record Options(
      ImageLocation location,
      Path key,
      char[] password,
      Path predicate,
      String predicateType,
      String subjectName,
      boolean referrers) {
    @Override
    public String toString() {
      return "Attest.Options["
          + location
          + ", key "
          + key
          + ", predicate "
          + predicate
          + ", type "
          + predicateType
          + ", referrers "
          + referrers
          + "]";
    }
  }

  /**
   * @param subject the digest attested
   * @param predicateType the statement's predicate type
   * @param attachment where the {@code .att} image is
   * @param attachmentDigest the {@code .att} manifest's digest now
   * @param referrer the referrer manifest's digest, or null
   */
  public record Result(
      Digest subject,
      String predicateType,
      ImageLocation attachment,
      Digest attachmentDigest,
      Digest referrer) {}

  /** Builds {@link Options}. */
  public static final class Builder {
    private ImageLocation location;
    private Path key;
    private char[] password;
    private Path predicate;
    private String type = "custom";
    private String subjectName;
    private boolean referrers;
    private boolean tlogUpload;

    private Builder() {}

    public Builder location(ImageLocation l) {
      this.location = l;
      return this;
    }

    public Builder key(Path k) {
      this.key = k;
      return this;
    }

    public Builder password(char[] p) {
      this.password = p;
      return this;
    }

    public Builder predicate(Path p) {
      this.predicate = p;
      return this;
    }

    /**
     * cosign's {@code --type}: a name of {@link #TYPE_NAMES} or a predicate type URI (default
     * custom).
     */
    public Builder type(String t) {
      this.type = t;
      return this;
    }

    public Builder subjectName(String n) {
      this.subjectName = n;
      return this;
    }

    public Builder referrers(boolean r) {
      this.referrers = r;
      return this;
    }

    /** cosign's {@code --tlog-upload}: only false is accepted (no transparency log). */
    public Builder tlogUpload(boolean upload) {
      this.tlogUpload = upload;
      return this;
    }

    public Options build() {
      if (location == null) {
        throw new InvalidOptionsException("attest: name the image to attest");
      }
      SignSupport.requireStore(location, "attest");
      if (key == null) {
        throw new InvalidOptionsException("attest: --key is required (a private key file)");
      }
      if (predicate == null) {
        throw new InvalidOptionsException(
            "attest: --predicate is required (the JSON file to attest)");
      }
      if (tlogUpload) {
        throw new InvalidOptionsException(
            "--tlog-upload: caulk attests offline and uploads to no transparency log; use"
                + " --tlog-upload=false");
      }
      if (referrers && SignSupport.referrerStores(location).isEmpty()) {
        throw new InvalidOptionsException(
            "--registry-referrers needs a registry or an oci: layout");
      }
      return new Options(
          location,
          key,
          password,
          predicate,
          predicateType("--type", type),
          subjectName,
          referrers);
    }
  }

  /**
   * The predicate type URI of a {@code --type} value: one of {@link #TYPE_NAMES}, or an absolute
   * URI.
   */
  static String predicateType(String flag, String type) {
    if (type == null || type.isBlank()) {
      throw new InvalidOptionsException(flag + " must not be empty");
    }
    if (TYPE_NAMES.contains(type)) {
      return Statement.predicateTypeOf(type);
    }
    try {
      URI u = new URI(type);
      if (u.isAbsolute() && type.length() <= 1024) {
        return type;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new InvalidOptionsException(
        flag
            + ": '"
            + SignSupport.clip(type)
            + "' is neither a predicate type URI nor one of "
            + String.join("|", TYPE_NAMES.stream().sorted().toList()));
  }

  public static Result run(Options o, Session session) throws IOException {
    JsonNode predicate = readPredicate(o.predicate(), o.predicateType());
    Signer signer = Signer.ecdsa(SignSupport.privateKey(o.key(), o.password()));
    return attest(
        o.location(),
        signer,
        o.predicateType(),
        predicate,
        o.subjectName(),
        o.referrers(),
        session);
  }

  /**
   * Attests what {@code location} names with a predicate already read (the body of {@link #run},
   * also used by {@code build --sbom --provenance}).
   */
  static Result attest(
      ImageLocation location,
      Signer signer,
      String predicateType,
      JsonNode predicate,
      String subjectName,
      boolean referrers,
      Session session)
      throws IOException {
    RegistryOptions ro = session.destination(location);
    Artifact a = Locations.open(location, ro);
    Descriptor subject = SignSupport.descriptor(a);
    String name = subjectName != null ? subjectName : Attachments.defaultIdentity(location);
    SignatureLayer layer =
        Attestations.sign(
            signer, Statement.about(name, subject.digest(), predicateType, predicate));
    Attachments.Written w =
        Attachments.attach(
            location, subject.digest(), SignatureImages.ATTESTATION_SUFFIX, List.of(layer), ro);
    Digest referrer = null;
    for (ImageLocation r :
        referrers ? SignSupport.referrerStores(location) : List.<ImageLocation>of()) {
      Map<String, String> ann = Map.of(Statement.PREDICATE_TYPE_ANNOTATION, predicateType);
      referrer =
          Referrers.store(
              r,
              Referrers.manifest(subject, Referrers.ATTESTATION_ARTIFACT_TYPE, List.of(layer), ann),
              ro);
    }
    session
        .events()
        .info("attested " + subject.digest() + " (" + predicateType + ", " + w.attachment() + ")");
    return new Result(
        subject.digest(), predicateType, w.attachment(), w.attachmentDigest(), referrer);
  }

  /**
   * Reads the predicate: a JSON object of at most {@link #MAX_PREDICATE} bytes; for the SBOM types,
   * a document of that format (so an SPDX file is not attested as CycloneDX by mistake).
   */
  static JsonNode readPredicate(Path file, String predicateType) throws IOException {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes((int) MAX_PREDICATE + 1);
    }
    if (bytes.length > MAX_PREDICATE) {
      throw new IOException(
          file + ": predicate larger than " + MAX_PREDICATE / (1024 * 1024) + " MiB");
    }
    JsonNode n;
    try {
      n = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new IOException(file + ": predicate is not JSON");
    }
    if (n == null || !n.isObject()) {
      throw new IOException(file + ": predicate is not a JSON object");
    }
    if (predicateType.equals(Statement.predicateTypeOf("cyclonedx"))
        && !"CycloneDX".equals(n.path("bomFormat").asText())) {
      throw new IOException(
          file
              + ": not a CycloneDX document (no \"bomFormat\": \"CycloneDX\"), but --type"
              + " cyclonedx");
    }
    if (predicateType.equals(Statement.predicateTypeOf("spdx"))
        && !n.path("spdxVersion").asText().startsWith("SPDX-")) {
      throw new IOException(
          file + ": not an SPDX JSON document (no \"spdxVersion\"), but --type spdxjson");
    }
    return n;
  }
}
