package dev.caulk.verbs;

import dev.caulk.digest.Digest;
import dev.caulk.image.Artifact;
import dev.caulk.location.ImageLocation;
import dev.caulk.location.Locations;
import dev.caulk.registry.RegistryOptions;
import dev.caulk.sign.Attachments;
import dev.caulk.sign.Referrers;
import dev.caulk.sign.SignatureImages;
import dev.caulk.sign.SignatureLayer;
import dev.caulk.sign.Signer;
import dev.caulk.sign.SimpleSigning;
import dev.caulk.spec.Descriptor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code caulk sign}: signs the manifest digest of an image (or index) with a key file, in cosign's
 * simple-signing format, and stores the signature beside it: {@code sha256-<hex>.sig} in the same
 * repository or layout, and, when asked, as an OCI 1.1 referrer too. The signed image is never
 * rewritten. There is no transparency log: signing is offline.
 */
public final class Sign {
  private Sign() {}

  public static Builder options() {
    return new Builder();
  }

  /**
   * @param location the image or index to sign (a registry or an OCI layout)
   * @param key the private key file (cosign's encrypted PEM, or unencrypted PKCS#8)
   * @param password the key's password (an empty one for unencrypted keys); never logged
   * @param annotations added to the payload's {@code optional} (cosign's {@code -a k=v})
   * @param identity the {@code docker-reference} the signature claims; null: the repository
   *     (required for layouts)
   * @param recursive for an index, sign each manifest it lists too
   * @param referrers store each signature as an OCI 1.1 referrer too (registry or layout)
   */
  public record Options(
      ImageLocation location,
      Path key,
      char[] password,
      Map<String, String> annotations,
      String identity,
      boolean recursive,
      boolean referrers) {
    @Override
    public String toString() {
      return "Sign.Options["
          + location
          + ", key "
          + key
          + ", annotations "
          + annotations
          + ", identity "
          + identity
          + ", recursive "
          + recursive
          + ", referrers "
          + referrers
          + "]";
    }
  }

  /**
   * One signature written.
   *
   * @param digest the manifest digest signed
   * @param attachment where the {@code .sig} image is
   * @param attachmentDigest the digest of the {@code .sig} manifest now
   * @param referrer the digest of the referrer manifest, or null when none was written
   */
  public record Signed(
      Digest digest, ImageLocation attachment, Digest attachmentDigest, Digest referrer) {}

  /**
   * @param subject the digest of what {@code location} names; {@code signed} starts with it
   */
  public record Result(Digest subject, List<Signed> signed) {
    public Result {
      signed = List.copyOf(signed);
    }
  }

  /** Builds {@link Options}. */
  public static final class Builder {
    private ImageLocation location;
    private Path key;
    private char[] password;
    private Map<String, String> annotations = Map.of();
    private String identity;
    private boolean recursive;
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

    /** {@code KEY=VALUE} strings, as on cosign's command line. */
    public Builder annotations(List<String> pairs) {
      this.annotations = SignSupport.annotations("--annotations", pairs);
      return this;
    }

    public Builder annotations(Map<String, String> a) {
      this.annotations = SignSupport.validate(a, "--annotations");
      return this;
    }

    public Builder identity(String id) {
      this.identity = id;
      return this;
    }

    public Builder recursive(boolean r) {
      this.recursive = r;
      return this;
    }

    public Builder referrers(boolean r) {
      this.referrers = r;
      return this;
    }

    /** cosign's {@code --tlog-upload}: caulk has no transparency log, so only false is accepted. */
    public Builder tlogUpload(boolean upload) {
      this.tlogUpload = upload;
      return this;
    }

    public Options build() {
      if (location == null) {
        throw new InvalidOptionsException("sign: name the image to sign");
      }
      SignSupport.requireStore(location, "sign");
      if (key == null) {
        throw new InvalidOptionsException(
            "sign: --key is required (a private key file; make one with 'caulk key generate')");
      }
      if (tlogUpload) {
        throw new InvalidOptionsException(
            "--tlog-upload: caulk signs offline and uploads to no transparency log; use"
                + " --tlog-upload=false");
      }
      if (identity != null && identity.isBlank()) {
        throw new InvalidOptionsException("--identity must not be empty");
      }
      if (identity == null && location.layoutDirectory().isPresent()) {
        throw new InvalidOptionsException(
            "--identity is required for an oci: layout (the repository the signature is for; a"
                + " layout has none)");
      }
      if (referrers && SignSupport.referrerStores(location).isEmpty()) {
        throw new InvalidOptionsException(
            "--registry-referrers needs a registry or an oci: layout");
      }
      return new Options(
          location, key, password, Map.copyOf(annotations), identity, recursive, referrers);
    }
  }

  public static Result run(Options o, Session session) throws IOException {
    return run(o, Signer.ecdsa(SignSupport.privateKey(o.key(), o.password())), session);
  }

  /**
   * {@link #run} with a signer already made (the key decrypted once, as {@code build --sign} does).
   */
  static Result run(Options o, Signer signer, Session session) throws IOException {
    RegistryOptions ro = session.destination(o.location());
    Artifact a = Locations.open(o.location(), ro);
    String identity =
        o.identity() != null ? o.identity() : Attachments.defaultIdentity(o.location());
    List<Descriptor> subjects = new ArrayList<>();
    subjects.add(SignSupport.descriptor(a));
    if (o.recursive()) {
      subjects.addAll(SignSupport.children(a));
    }
    List<Signed> signed = new ArrayList<>();
    for (Descriptor d : subjects) {
      SignatureLayer layer = SimpleSigning.sign(signer, identity, d.digest(), o.annotations());
      Attachments.Written w =
          Attachments.attach(
              o.location(), d.digest(), SignatureImages.SIGNATURE_SUFFIX, List.of(layer), ro);
      Digest referrer = null;
      for (ImageLocation r :
          o.referrers() ? SignSupport.referrerStores(o.location()) : List.<ImageLocation>of()) {
        referrer =
            Referrers.store(
                r,
                Referrers.manifest(d, Referrers.SIGNATURE_ARTIFACT_TYPE, List.of(layer), null),
                ro);
      }
      session
          .events()
          .info(
              "signed "
                  + d.digest()
                  + " ("
                  + w.attachment()
                  + (referrer != null ? ", referrer " + referrer.shortString() : "")
                  + ")");
      signed.add(new Signed(d.digest(), w.attachment(), w.attachmentDigest(), referrer));
    }
    return new Result(a.digest(), signed);
  }
}
