package dev.caulk.registry;

import dev.caulk.digest.Digest;
import dev.caulk.event.Event;
import dev.caulk.image.Artifact;
import dev.caulk.image.Image;
import dev.caulk.image.ImageIndex;
import dev.caulk.image.Images;
import dev.caulk.image.Layer;
import dev.caulk.name.Reference;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.InvalidSpecException;
import dev.caulk.spec.MediaType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes images and indexes into one repository: blobs in parallel, then manifests, children before
 * parents.
 */
final class RemoteWriter implements AutoCloseable {
  private static final int MAX_DEPTH = 8;

  private final RegistryClient client;
  private final String repo;
  private final Set<String> scopes;
  private final ExecutorService pool;

  RemoteWriter(RegistryClient client, String repo) {
    this.client = client;
    this.repo = repo;
    this.scopes = Auth.push(repo);
    this.pool =
        Executors.newFixedThreadPool(
            client.options().parallelism(),
            r -> {
              Thread t = new Thread(r, "caulk-push");
              t.setDaemon(true);
              return t;
            });
  }

  Digest write(Artifact a, String reference) throws IOException {
    return a.isIndex() ? writeIndex(a.index(), reference, 0) : writeImage(a.image(), reference);
  }

  private Digest writeImage(Image image, String reference) throws IOException {
    return storeImage(image, reference).digest();
  }

  /** Writes one image's blobs, then its manifest, returning what the registry said of the PUT. */
  RegistryClient.Stored storeImage(Image image, String reference) throws IOException {
    Images.checkWritable(image, repo);
    List<Future<?>> tasks = new ArrayList<>();
    for (Layer l : image.layers()) {
      if (MediaType.isNonDistributable(l.mediaType())
          && l.descriptor().urls() != null
          && !l.descriptor().urls().isEmpty()) continue;
      tasks.add(
          pool.submit(() -> run(() -> pushBlob(l.descriptor(), l::compressed, mountSource(l)))));
    }
    Descriptor config = image.manifest().config();
    tasks.add(
        pool.submit(
            () ->
                run(
                    () ->
                        pushBlob(
                            config,
                            () -> new ByteArrayInputStream(image.rawConfig()),
                            image instanceof RemoteImage ri
                                ? sameRegistryOther(ri.source())
                                : null))));
    await(tasks);
    return client.storeManifest(repo, reference, image.rawManifest(), image.mediaType());
  }

  private Digest writeIndex(ImageIndex index, String reference, int depth) throws IOException {
    if (depth > MAX_DEPTH)
      throw new InvalidSpecException("image index nested more than " + MAX_DEPTH + " levels deep");
    for (Descriptor child : index.index().manifests()) {
      if (client.headManifest(repo, child.digest().toString(), scopes).isPresent()) continue;
      if (MediaType.isIndex(child.mediaType())) {
        writeIndex(index.childIndex(child), child.digest().toString(), depth + 1);
      } else if (MediaType.isImageManifest(child.mediaType())) {
        writeImage(index.image(child), child.digest().toString());
      } else {
        throw new InvalidSpecException(
            "index entry "
                + child.digest().shortString()
                + " has unsupported media type "
                + child.mediaType());
      }
    }
    return client.putManifest(repo, reference, index.rawManifest(), index.mediaType());
  }

  private void pushBlob(Descriptor d, BlobOpener source, String mountFrom) throws IOException {
    if (client.headBlob(repo, d.digest(), scopes).isPresent()) {
      client.remember(repo, d.digest());
      client
          .options()
          .listener()
          .onEvent(
              new Event.Progress(
                  d.digest().toString(),
                  "exists " + d.digest().shortString(),
                  d.size(),
                  d.size(),
                  true));
      return;
    }
    client.pushBlob(repo, d, source, mountFrom);
    client.remember(repo, d.digest());
  }

  /**
   * The repository to mount a layer from: its source, when that is another repository of this
   * registry, else another repository this client already pushed it to.
   */
  private String mountSource(Layer l) {
    if (l.origin() instanceof RemoteLayer rl) {
      String from = sameRegistryOther(rl.source());
      if (from != null) return from;
    }
    return client.holderOtherThan(l.digest(), repo);
  }

  private String sameRegistryOther(Reference source) {
    return source.registry().equals(client.registry()) && !source.repository().equals(repo)
        ? source.repository()
        : null;
  }

  @FunctionalInterface
  private interface IoAction {
    void run() throws IOException;
  }

  private static Void run(IoAction a) {
    try {
      a.run();
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Waits for every task; on the first failure cancels the rest and rethrows it as it was thrown.
   */
  private static void await(List<Future<?>> tasks) throws IOException {
    try {
      for (Future<?> f : tasks) f.get();
    } catch (InterruptedException e) {
      tasks.forEach(f -> f.cancel(true));
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while pushing");
    } catch (ExecutionException e) {
      tasks.forEach(f -> f.cancel(true));
      Throwable c = e.getCause();
      if (c instanceof UncheckedIOException u) throw u.getCause();
      if (c instanceof RuntimeException r) throw r;
      if (c instanceof Error err) throw err;
      throw new IOException(c);
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
