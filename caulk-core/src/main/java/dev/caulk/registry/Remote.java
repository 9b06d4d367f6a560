package dev.caulk.registry;

import dev.caulk.digest.Digest;
import dev.caulk.event.Event;
import dev.caulk.event.EventListener;
import dev.caulk.image.Artifact;
import dev.caulk.image.BlobSource;
import dev.caulk.image.Image;
import dev.caulk.image.Images;
import dev.caulk.name.Reference;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.MediaType;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Images in registries: open one lazily, write one, list tags. The entry point the {@code location}
 * package and the command line use.
 */
public final class Remote {
  private Remote() {}

  /**
   * Opens the image or index a reference names. Only the manifest is fetched now (and verified);
   * config, child manifests and layers are fetched when first read, layers streaming from the
   * registry and verified as they stream.
   */
  public static Artifact open(Reference ref, RegistryOptions options) throws IOException {
    return open(client(ref.registry(), options), ref);
  }

  /**
   * The client for {@code registry}: the options' session's (shared with every call through the
   * same session, so tokens, the scheme probe and the blobs known to be in the registry carry
   * over), or a new one for this call when the options carry no session.
   */
  static RegistryClient client(String registry, RegistryOptions options) throws IOException {
    RegistrySession s = options.session();
    return s != null ? s.client(registry, options) : RegistryClient.create(registry, options);
  }

  /**
   * Like {@link #open(Reference, RegistryOptions)}, through an existing client of the reference's
   * registry.
   */
  public static Artifact open(RegistryClient client, Reference ref) throws IOException {
    requireSameRegistry(client, ref);
    String repo = ref.repository();
    RemoteManifest m = client.getManifest(repo, ref.identifier());
    BlobSource blobs =
        d ->
            MediaType.isManifest(d.mediaType())
                ? new ByteArrayInputStream(client.getManifest(repo, d.digest().toString()).bytes())
                : new Progress(
                    client.openBlob(repo, d.digest(), d.size()), d, client.options().listener());
    Reference pinned = ref.withDigest(m.digest());
    Artifact a = Images.open(m.bytes(), m.mediaType(), blobs, ref.toString());
    return a.isIndex()
        ? Artifact.of(new RemoteIndex(a.index(), pinned))
        : Artifact.of(new RemoteImage(a.image(), pinned));
  }

  /**
   * Pushes an image or index to {@code target} and returns the manifest digest. For an image, its
   * layers and config go first ({@code parallelism} at a time; a blob the registry already has is
   * skipped after a HEAD, one from another repository of the same registry is mounted), then the
   * manifest is PUT under the target's tag (or digest). For an index, every child image (and nested
   * index) is written by digest first, children already present being skipped, then the index.
   */
  public static Digest write(Artifact artifact, Reference target, RegistryOptions options)
      throws IOException {
    return write(client(target.registry(), options), artifact, target);
  }

  /**
   * Like {@link #write(Artifact, Reference, RegistryOptions)}, through an existing client of the
   * target's registry.
   */
  public static Digest write(RegistryClient client, Artifact artifact, Reference target)
      throws IOException {
    requireSameRegistry(client, target);
    try (RemoteWriter w = new RemoteWriter(client, target.repository())) {
      return w.write(artifact, target.identifier());
    }
  }

  /**
   * Pushes one image, a referrer (a manifest with a {@code subject}), as {@link #write} does, and
   * returns what the registry answered to its manifest {@code PUT}: the digest and the {@code
   * OCI-Subject} header, by which a registry with the referrers API says it indexed the subject
   * (distribution-spec 1.1, "Pushing Manifests with Subject").
   */
  public static RegistryClient.Stored writeReferrer(
      Image referrer, Reference target, RegistryOptions options) throws IOException {
    RegistryClient client = client(target.registry(), options);
    requireSameRegistry(client, target);
    try (RemoteWriter w = new RemoteWriter(client, target.repository())) {
      return w.storeImage(referrer, target.identifier());
    }
  }

  /**
   * The pages of the referrers API's answer for {@code subject} in the reference's repository, or
   * empty when the registry has no referrers API ({@link RegistryClient#referrers}).
   */
  public static Optional<List<byte[]>> referrers(
      Reference repository, Digest subject, String artifactType, RegistryOptions options)
      throws IOException {
    return client(repository.registry(), options)
        .referrers(repository.repository(), subject, artifactType);
  }

  /** The tags of the reference's repository (its tag and digest are ignored). */
  public static List<String> tags(Reference repository, RegistryOptions options)
      throws IOException {
    return client(repository.registry(), options).tags(repository.repository());
  }

  private static void requireSameRegistry(RegistryClient client, Reference ref) {
    if (!client.registry().equals(ref.registry())) {
      throw new IllegalArgumentException("client of " + client.registry() + " cannot reach " + ref);
    }
  }

  /** Reports a blob download as {@link Event.Progress}, finishing at the end of the stream. */
  private static final class Progress extends FilterInputStream {
    private final Descriptor d;
    private final EventListener listener;
    private long count;
    private long reported;
    private boolean finished;

    Progress(InputStream in, Descriptor d, EventListener listener) {
      super(in);
      this.d = d;
      this.listener = listener;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
        if (count - reported >= 256 * 1024) {
          reported = count;
          emit(false);
        }
      } else if (n < 0 && !finished) {
        finished = true;
        emit(true);
      }
      return n;
    }

    private void emit(boolean end) {
      listener.onEvent(
          new Event.Progress(
              d.digest().toString(), "pull " + d.digest().shortString(), count, d.size(), end));
    }
  }
}
