package dev.caulk.verbs;

import dev.caulk.digest.Digest;
import dev.caulk.image.Artifact;
import dev.caulk.image.Image;
import dev.caulk.location.ImageLocation;
import dev.caulk.registry.RegistryOptions;
import dev.caulk.sign.Referrers;
import dev.caulk.sign.SignatureImages;
import dev.caulk.spec.Platform;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Copies an image (or, with {@code all}, a whole index) from one location to another. Manifests and
 * blobs are copied byte for byte and verified as they stream; a Docker-format image written to an
 * OCI layout is converted to OCI media types (a new digest), unless {@code preserveDigests}, which
 * makes that an error.
 *
 * <p>With {@code referrers}, what is attached to the copied image comes along: cosign's tag-scheme
 * siblings ({@code sha256-<hex>.sig}, {@code .att}, {@code .sbom}) and the OCI 1.1 referrers the
 * source lists (in a registry the referrers API's answer, or the fallback index {@code
 * sha256-<hex>} of the referrers tag schema; in an OCI layout the untagged {@code index.json}
 * entries whose {@code subject} is the image). Each listed referrer is read and copied only when
 * its manifest names the image. Into a registry each is pushed by digest and merged into the
 * destination's fallback index; into an OCI layout each becomes an untagged {@code index.json}
 * entry, so a later copy from the layout to a registry or another layout brings them along again.
 * Digests are preserved (signatures are over them): a copy that would convert the image fails
 * instead.
 */
public final class Copy {
  private Copy() {}

  /**
   * What to copy.
   *
   * @param source where the image is
   * @param destination where to write it
   * @param all copy a whole index rather than the image of {@code platform}
   * @param platform the image to pick from an index (default linux/amd64)
   * @param preserveDigests fail instead of converting when the digest would change
   * @param referrers copy the signatures, attestations, SBOMs and referrers attached to the image
   *     too
   */
  public record Options(
      ImageLocation source,
      ImageLocation destination,
      boolean all,
      Platform platform,
      boolean preserveDigests,
      boolean referrers) {}

  /**
   * One attachment copied.
   *
   * @param kind {@code sig}, {@code att}, {@code sbom} (tag scheme) or {@code referrer}
   * @param destination where it was written
   * @param digest the digest of the manifest written
   */
  public record Attached(String kind, String destination, Digest digest) {}

  /**
   * What was written.
   *
   * @param destination where
   * @param digest the digest of the manifest (or index) written
   * @param attached what was copied with it ({@code referrers}), empty otherwise
   */
  public record Result(ImageLocation destination, Digest digest, List<Attached> attached) {
    public Result {
      attached = List.copyOf(attached);
    }

    public Result(ImageLocation destination, Digest digest) {
      this(destination, digest, List.of());
    }

    /** {@code DESTINATION@DIGEST}, as the CLI prints it. */
    public String pinned() {
      return destination.displayName() + "@" + digest;
    }
  }

  public static Builder options() {
    return new Builder();
  }

  /** Opens the source, picks the image (unless {@code all}) and writes it to the destination. */
  public static Result run(Options o, Session session) throws IOException {
    Artifact src = o.source().open(session.source(o.source()));
    Artifact toWrite = src.isIndex() && !o.all() ? Artifact.of(src.image(o.platform())) : src;
    RegistryOptions dst = session.destination(o.destination());
    Digest d = o.destination().write(toWrite, dst, o.preserveDigests() || o.referrers());
    if (!o.referrers()) {
      return new Result(o.destination(), d);
    }
    RegistryOptions srcOptions = session.source(o.source());
    List<Attached> attached = new ArrayList<>();
    for (String suffix :
        List.of(
            SignatureImages.SIGNATURE_SUFFIX,
            SignatureImages.ATTESTATION_SUFFIX,
            Tree.SBOM_SUFFIX)) {
      String tag = SignatureImages.tag(d, suffix);
      Optional<Artifact> a = sibling(o.source(), tag).openIfPresent(srcOptions);
      if (a.isPresent()) {
        ImageLocation to = sibling(o.destination(), tag);
        Digest w = to.write(a.get(), dst, true);
        attached.add(new Attached(suffix, to.toString(), w));
        session.events().info("copied " + suffix + " " + w.shortString() + " to " + to);
      }
    }
    copyReferrers(o, d, srcOptions, dst, attached, session);
    return new Result(o.destination(), d, attached);
  }

  /**
   * Copies the referrers of {@code d}: those the source lists (in a registry the referrers API's
   * answer or the fallback index; in a layout the untagged entries whose {@code subject} is {@code
   * d}, and the children of a tagged fallback index), each checked to name {@code d}, stored at the
   * destination as {@link Referrers#store} stores one (by digest plus the fallback index in a
   * registry, an untagged entry in a layout).
   */
  private static void copyReferrers(
      Options o,
      Digest d,
      RegistryOptions srcOptions,
      RegistryOptions dst,
      List<Attached> attached,
      Session session)
      throws IOException {
    List<Image> referrers =
        Referrers.read(
            o.source(),
            d,
            srcOptions,
            (ref, why) ->
                session
                    .events()
                    .warn("referrer " + ref.digest().shortString() + " " + why + "; not copied"));
    for (Image referrer : referrers) {
      Digest w = Referrers.store(o.destination(), referrer, dst);
      String where =
          o.destination()
              .registry()
              .map(r -> r.reference().name() + "@" + w)
              .orElse(o.destination().displayName() + "@" + w);
      attached.add(new Attached("referrer", where, w));
      session.events().info("copied referrer " + w.shortString() + " to " + where);
    }
  }

  private static ImageLocation sibling(ImageLocation l, String tag) {
    return l.sibling(tag)
        .orElseThrow(
            () ->
                new InvalidOptionsException(
                    "--referrers: "
                        + l.displayName()
                        + " cannot hold attachments (a registry or an oci: layout can)"));
  }

  /** Builds {@link Options}; source and destination are required. */
  public static final class Builder {
    private ImageLocation source;
    private ImageLocation destination;
    private boolean all;
    private Platform platform = Platform.LINUX_AMD64;
    private boolean preserveDigests;
    private boolean referrers;

    private Builder() {}

    public Builder referrers(boolean v) {
      this.referrers = v;
      return this;
    }

    public Builder source(ImageLocation l) {
      this.source = l;
      return this;
    }

    public Builder destination(ImageLocation l) {
      this.destination = l;
      return this;
    }

    public Builder all(boolean v) {
      this.all = v;
      return this;
    }

    public Builder platform(Platform p) {
      this.platform = p;
      return this;
    }

    public Builder preserveDigests(boolean v) {
      this.preserveDigests = v;
      return this;
    }

    public Options build() {
      if (source == null) {
        throw new InvalidOptionsException("copy: a source location is required");
      }
      if (destination == null) {
        throw new InvalidOptionsException("copy: a destination location is required");
      }
      if (platform == null) {
        throw new InvalidOptionsException(
            "--platform: a platform is required (default linux/amd64)");
      }
      if (referrers && (source.sibling("t").isEmpty() || destination.sibling("t").isEmpty())) {
        throw new InvalidOptionsException(
            "--referrers: attachments live in registries and oci: layouts, not in archives");
      }
      return new Options(source, destination, all, platform, preserveDigests, referrers);
    }
  }
}
