package dev.caulk.verbs;

import dev.caulk.digest.Digest;
import dev.caulk.location.ImageLocation;
import dev.caulk.location.Locations;
import dev.caulk.registry.RegistryOptions;
import dev.caulk.sign.Attachments;
import dev.caulk.sign.Attestations;
import dev.caulk.sign.Referrers;
import dev.caulk.sign.SignatureImages;
import dev.caulk.sign.SigningKeys;
import dev.caulk.sign.Verification;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code caulk verify-attestation}: checks the attestations of an image in both schemes (the {@code
 * .att} tag and the OCI 1.1 referrers, in a registry or a layout): the DSSE envelope's signature
 * with the public key, the statement's form, that its subject is the image's digest, and its
 * predicate type when one is asked for (attestations of other types are left out, as cosign does).
 */
public final class VerifyAttestation {
  private VerifyAttestation() {}

  public static Builder options() {
    return new Builder();
  }

  /**
   * @param location the image or index
   * @param key the public key file
   * @param predicateType the predicate type URI required, or null for any
   */
  public record Options(ImageLocation location, Path key, String predicateType) {}

  /**
   * @param subject the digest whose attestations were checked
   * @param found each attestation found (of the type asked for, once verified), tag scheme first
   */
  public record Result(Digest subject, String predicateType, List<Verify.Found> found) {
    public Result {
      found = List.copyOf(found);
    }

    public List<Verify.Found> verified() {
      return found.stream().filter(f -> f.check().verified()).toList();
    }

    public List<Verify.Found> failed() {
      return found.stream().filter(f -> !f.check().verified()).toList();
    }

    /** At least one attestation verified and none failed. */
    public boolean ok() {
      return !verified().isEmpty() && failed().isEmpty();
    }

    /** One line per reason the result is not {@link #ok}. */
    public List<String> problems() {
      List<String> out = new ArrayList<>();
      for (Verify.Found f : failed()) {
        out.add(subject.shortString() + ": " + f.where() + ": " + f.check().reason());
      }
      if (found.isEmpty()) {
        out.add(
            subject.shortString()
                + ": no attestations found"
                + (predicateType != null ? " of type " + predicateType : ""));
      }
      return out;
    }
  }

  /** Builds {@link Options}. */
  public static final class Builder {
    private ImageLocation location;
    private Path key;
    private String type;

    private Builder() {}

    public Builder location(ImageLocation l) {
      this.location = l;
      return this;
    }

    public Builder key(Path k) {
      this.key = k;
      return this;
    }

    /** A cosign {@code --type} name or predicate type URI; null (the default) accepts any type. */
    public Builder type(String t) {
      this.type = t;
      return this;
    }

    public Options build() {
      if (location == null) {
        throw new InvalidOptionsException("verify-attestation: name the image to verify");
      }
      SignSupport.requireStore(location, "verify-attestation");
      if (key == null) {
        throw new InvalidOptionsException(
            "verify-attestation: --key is required (the public key file, e.g. cosign.pub)");
      }
      return new Options(location, key, type == null ? null : Attest.predicateType("--type", type));
    }
  }

  public static Result run(Options o, Session session) throws IOException {
    PublicKey key = SigningKeys.readPublicKey(o.key());
    RegistryOptions ro = session.source(o.location());
    Digest d = Locations.open(o.location(), ro).digest();
    List<Verify.Found> found = find(o.location(), d, key, o.predicateType(), ro);
    Result res = new Result(d, o.predicateType(), found);
    session
        .events()
        .info(
            d.shortString()
                + ": "
                + found.size()
                + " attestation(s), "
                + res.verified().size()
                + " verified");
    return res;
  }

  /**
   * The attestations of {@code d} stored beside {@code location} in both schemes, each checked with
   * {@code key} (of {@code predicateType} once verified, when not null); tag scheme first.
   */
  static List<Verify.Found> find(
      ImageLocation location, Digest d, PublicKey key, String predicateType, RegistryOptions ro)
      throws IOException {
    Verification.Requirements req = Verification.Requirements.predicateType(predicateType);
    List<Verify.Found> found = new ArrayList<>();
    String at = Attachments.locationOf(location, d, SignatureImages.ATTESTATION_SUFFIX).toString();
    Verification tag =
        Attestations.verify(
            d, Attachments.layers(location, d, SignatureImages.ATTESTATION_SUFFIX, ro), key, req);
    for (Verification.Check c : tag.checks()) {
      found.add(new Verify.Found(Verify.TAG_SCHEME, at, c));
    }
    for (ImageLocation r : SignSupport.referrerStores(location)) {
      Verification ref = Referrers.verifyAttestations(SignSupport.byDigest(r, d), key, req, ro);
      String where = SignSupport.referrersWhere(r, d);
      for (Verification.Check c : ref.checks()) {
        found.add(new Verify.Found(Verify.REFERRERS_SCHEME, where, c));
      }
    }
    return found;
  }
}
