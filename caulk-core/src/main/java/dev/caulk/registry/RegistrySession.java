package dev.caulk.registry;

import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The registry clients of one caller (a command line, a build, a library user's unit of work),
 * owned by that caller rather than by the process: one {@link RegistryClient} per registry and
 * options, created on first use. Within a session, a registry's tokens, its scheme probe and the
 * blobs known to be in it carry over from one call to the next, so pushing several images mounts a
 * layer they share instead of uploading it again. Two sessions share nothing, so one caller's
 * tokens never serve another. Reach it through {@link RegistryOptions#withSession}.
 *
 * <p>Thread-safe. {@link #close()} forgets every client (and with them their tokens).
 */
public final class RegistrySession implements AutoCloseable {
  private record Key(String registry, RegistryOptions options) {}

  private final ConcurrentMap<Key, RegistryClient> clients = new ConcurrentHashMap<>();

  private RegistrySession() {}

  /** A new, empty session. */
  public static RegistrySession create() {
    return new RegistrySession();
  }

  /**
   * The session's client of {@code registry} for {@code options}, made on first use; the same
   * instance for equal options.
   */
  public RegistryClient client(String registry, RegistryOptions options) throws IOException {
    Key key = new Key(registry, options);
    RegistryClient c = clients.get(key);
    if (c == null) {
      c = RegistryClient.create(registry, options);
      RegistryClient prev = clients.putIfAbsent(key, c);
      if (prev != null) {
        c = prev;
      }
    }
    return c;
  }

  /** How many clients the session holds (one per registry and options used). */
  public int size() {
    return clients.size();
  }

  /** Forgets every client, their tokens and what they knew; later calls start afresh. */
  @Override
  public void close() {
    clients.clear();
  }
}
