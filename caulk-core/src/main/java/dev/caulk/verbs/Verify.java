package dev.caulk.verbs;

import dev.caulk.digest.Digest;
import dev.caulk.image.Artifact;
import dev.caulk.location.ImageLocation;
import dev.caulk.location.Locations;
import dev.caulk.registry.RegistryOptions;
import dev.caulk.sign.Attachments;
import dev.caulk.sign.Referrers;
import dev.caulk.sign.SignatureImages;
import dev.caulk.sign.SigningKeys;
import dev.caulk.sign.Verification;
import dev.caulk.spec.Descriptor;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code caulk verify}: finds the signatures of an image in both schemes (the {@code .sig} tag and
 * the OCI 1.1 referrers: registry API or fallback index, or a layout's by subject) and checks each
 * with a public key: signature, payload form, signed digest and required annotations. The image
 * verifies when at least one signature verifies and none fails ({@link Result#ok}); with {@code
 * recursive}, each manifest of an index must too.
 */
public final class Verify {
  /** The scheme of a signature stored as {@code sha256-<hex>.sig}. */
  public static final String TAG_SCHEME = "tag";

  /** The scheme of a signature stored as an OCI 1.1 referrer. */
  public static final String REFERRERS_SCHEME = "referrers";

  private Verify() {}

  public static Builder options() {
    return new Builder();
  }

  /**
   * @param location the image or index whose signatures are checked
   * @param key the public key file ({@code PUBLIC KEY} PEM, as cosign.pub)
   * @param annotations each must be in a signature's payload with this value
   * @param recursive for an index, check each manifest it lists too
   */
  public record Options(
      ImageLocation location, Path key, Map<String, String> annotations, boolean recursive) {}

  /**
   * One signature found.
   *
   * @param scheme {@link #TAG_SCHEME} or {@link #REFERRERS_SCHEME}
   * @param where the attachment image or referrer it was read from
   * @param check what verifying it found
   */
  public record Found(String scheme, String where, Verification.Check check) {}

  /**
   * The signatures of one digest.
   *
   * @param digest the manifest digest
   * @param found every signature found for it, tag scheme first
   */
  public record Subject(Digest digest, List<Found> found) {
    public Subject {
      found = List.copyOf(found);
    }

    public boolean anyVerified() {
      return found.stream().anyMatch(f -> f.check().verified());
    }

    public List<Found> failed() {
      return found.stream().filter(f -> !f.check().verified()).toList();
    }

    /** At least one signature verified and none failed. */
    public boolean ok() {
      return anyVerified() && failed().isEmpty();
    }
  }

  /**
   * @param subjects the image's (or index's) digest first, then each child when recursive
   */
  public record Result(List<Subject> subjects) {
    public Result {
      subjects = List.copyOf(subjects);
    }

    /** Every subject has a signature that verified and none that failed. */
    public boolean ok() {
      return !subjects.isEmpty() && subjects.stream().allMatch(Subject::ok);
    }

    /** One line per reason the result is not {@link #ok}, naming the digest. */
    public List<String> problems() {
      List<String> out = new ArrayList<>();
      for (Subject s : subjects) {
        for (Found f : s.failed()) {
          out.add(s.digest().shortString() + ": " + f.where() + ": " + f.check().reason());
        }
        if (s.found().isEmpty()) {
          out.add(s.digest().shortString() + ": no signatures found");
        } else if (!s.anyVerified() && s.failed().isEmpty()) {
          out.add(s.digest().shortString() + ": no signature verified");
        }
      }
      return out;
    }
  }

  /** Builds {@link Options}. */
  public static final class Builder {
    private ImageLocation location;
    private Path key;
    private Map<String, String> annotations = Map.of();
    private boolean recursive;

    private Builder() {}

    public Builder location(ImageLocation l) {
      this.location = l;
      return this;
    }

    public Builder key(Path k) {
      this.key = k;
      return this;
    }

    /** Required {@code KEY=VALUE} annotations, as on cosign's command line. */
    public Builder annotations(List<String> pairs) {
      this.annotations = SignSupport.annotations("--annotations", pairs);
      return this;
    }

    public Builder annotations(Map<String, String> a) {
      this.annotations = SignSupport.validate(a, "--annotations");
      return this;
    }

    public Builder recursive(boolean r) {
      this.recursive = r;
      return this;
    }

    public Options build() {
      if (location == null) {
        throw new InvalidOptionsException("verify: name the image to verify");
      }
      SignSupport.requireStore(location, "verify");
      if (key == null) {
        throw new InvalidOptionsException(
            "verify: --key is required (the public key file, e.g. cosign.pub)");
      }
      return new Options(location, key, Map.copyOf(annotations), recursive);
    }
  }

  public static Result run(Options o, Session session) throws IOException {
    PublicKey key = SigningKeys.readPublicKey(o.key());
    RegistryOptions ro = session.source(o.location());
    Artifact a = Locations.open(o.location(), ro);
    List<Digest> digests = new ArrayList<>();
    digests.add(a.digest());
    if (o.recursive()) {
      for (Descriptor d : SignSupport.children(a)) {
        digests.add(d.digest());
      }
    }
    Verification.Requirements req = Verification.Requirements.annotations(o.annotations());
    List<Subject> subjects = new ArrayList<>();
    for (Digest d : digests) {
      List<Found> found = new ArrayList<>();
      String at =
          Attachments.locationOf(o.location(), d, SignatureImages.SIGNATURE_SUFFIX).toString();
      Verification tag =
          Verification.ofSignatures(
              d,
              Attachments.layers(o.location(), d, SignatureImages.SIGNATURE_SUFFIX, ro),
              key,
              req);
      for (Verification.Check c : tag.checks()) {
        found.add(new Found(TAG_SCHEME, at, c));
      }
      for (ImageLocation r : SignSupport.referrerStores(o.location())) {
        Verification ref = Referrers.verify(SignSupport.byDigest(r, d), key, req, ro);
        String where = SignSupport.referrersWhere(r, d);
        for (Verification.Check c : ref.checks()) {
          found.add(new Found(REFERRERS_SCHEME, where, c));
        }
      }
      Subject s = new Subject(d, found);
      session
          .events()
          .info(
              d.shortString()
                  + ": "
                  + s.found().size()
                  + " signature(s), "
                  + (s.found().size() - s.failed().size())
                  + " verified");
      subjects.add(s);
    }
    return new Result(subjects);
  }
}
