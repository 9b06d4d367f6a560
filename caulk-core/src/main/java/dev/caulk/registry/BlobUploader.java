package dev.caulk.registry;

import dev.caulk.digest.DigestMismatchException;
import dev.caulk.event.Event;
import dev.caulk.spec.Descriptor;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * Pushes one blob (spec.md "Pushing blobs"): {@code POST} opens a session (or mounts, with {@code
 * ?mount=&from=}), then one {@code PUT ?digest=} with the whole body, or {@code PATCH}es of {@code
 * chunkSize} bytes with {@code Content-Range} and a closing {@code PUT ?digest=}; each step goes to
 * the {@code Location} of the previous response (absolute or relative, query kept). The source is
 * streamed, never buffered whole. A temporary failure anywhere restarts the blob from a new session
 * and a freshly opened source, up to the retry budget: the upload is the unit {@link Retry}
 * repeats, and none of its requests is retried on its own.
 */
final class BlobUploader {
  private static final String OCTET = "application/octet-stream";
  private static final long PROGRESS_STEP = 256 * 1024;

  private final RegistryClient client;
  private final Transport transport;

  BlobUploader(RegistryClient client, Transport transport) {
    this.client = client;
    this.transport = transport;
  }

  RegistryClient.PushResult push(String repo, Descriptor blob, BlobOpener source, String mountFrom)
      throws IOException {
    Set<String> scopes = new HashSet<>(Auth.push(repo));
    if (mountFrom != null) {
      scopes.addAll(Auth.pull(mountFrom));
    }
    String ctx = client.blobContext(repo, blob.digest());
    // the one retry loop of an upload: each of its requests is sent once, and a temporary failure
    // of any of them restarts the whole blob (a stream cannot be sent again)
    RegistryClient.PushResult r =
        transport
            .retry()
            .run(
                "upload of " + ctx,
                ctx,
                null,
                () -> once(repo, blob, source, mountFrom, Set.copyOf(scopes), ctx));
    progress(blob, blob.size(), true);
    return r;
  }

  private RegistryClient.PushResult once(
      String repo,
      Descriptor blob,
      BlobOpener source,
      String mountFrom,
      Set<String> scopes,
      String ctx)
      throws IOException {
    String start = "/v2/" + repo + "/blobs/uploads/";
    URI location;
    if (mountFrom != null) {
      URI u =
          transport.uri(
              start + "?mount=" + enc(blob.digest().toString()) + "&from=" + enc(mountFrom));
      try (Response r =
          transport.once(Req.of("POST", u, scopes, ctx, 201, 202).body(Req.Body.NONE))) {
        if (r.status() == 201) {
          checkDigest(r, blob, ctx);
          transport.listener().debug("mounted " + ctx + " from " + mountFrom);
          return RegistryClient.PushResult.MOUNTED;
        }
        location = location(r, ctx);
      }
    } else {
      try (Response r = transport.once(Req.of("POST", transport.uri(start), scopes, ctx, 202))) {
        location = location(r, ctx);
      }
    }
    progress(blob, 0, false);
    Guard src = new Guard(source.open(), blob);
    try (src) {
      long size = blob.size();
      if (size > transport.opts.chunkSize()) {
        long off = 0;
        while (off < size) {
          long n = Math.min(transport.opts.chunkSize(), size - off);
          Req patch =
              Req.of("PATCH", location, scopes, ctx, 202, 204)
                  .header("Content-Type", OCTET)
                  .header("Content-Range", off + "-" + (off + n - 1))
                  .body(Req.Body.stream(new Slice(src, n), n));
          try (Response r = send(patch, src)) {
            location = location(r, ctx);
          }
          off += n;
        }
        Req put =
            Req.of("PUT", withDigest(location, blob), scopes, ctx, 201)
                .body(Req.Body.stream(InputStream.nullInputStream(), 0));
        try (Response r = send(put, src)) {
          checkDigest(r, blob, ctx);
        }
      } else {
        Req put =
            Req.of("PUT", withDigest(location, blob), scopes, ctx, 201)
                .header("Content-Type", OCTET)
                .body(Req.Body.stream(src, size));
        try (Response r = send(put, src)) {
          checkDigest(r, blob, ctx);
        }
      }
    }
    return RegistryClient.PushResult.UPLOADED;
  }

  /**
   * Sends a request whose body reads from the source; a failure of the source itself wins over the
   * HTTP error it caused.
   */
  private Response send(Req req, Guard src) throws IOException {
    try {
      return transport.once(req);
    } catch (IOException e) {
      if (src.failure != null) throw src.failure;
      throw e;
    }
  }

  private static void checkDigest(Response r, Descriptor blob, String ctx) throws IOException {
    String header = r.header("Docker-Content-Digest");
    if (header != null && !header.trim().equals(blob.digest().toString())) {
      throw new DigestMismatchException(
          ctx + ": registry stored " + RegistryClient.clip(header) + " instead");
    }
  }

  private URI location(Response r, String ctx) throws IOException {
    String loc = r.header("Location");
    if (loc == null || loc.isBlank()) {
      throw RegistryException.ofTransport(
          "POST", Redact.url(r.uri()), ctx + ": registry sent no upload Location", false, null);
    }
    try {
      return r.uri().resolve(loc.trim());
    } catch (IllegalArgumentException e) {
      throw RegistryException.ofTransport(
          "POST",
          Redact.url(r.uri()),
          ctx + ": registry sent an invalid upload Location",
          false,
          null);
    }
  }

  private static URI withDigest(URI location, Descriptor blob) {
    String s = location.toString();
    return URI.create(
        s
            + (location.getRawQuery() == null ? "?" : "&")
            + "digest="
            + enc(blob.digest().toString()));
  }

  private void progress(Descriptor blob, long done, boolean finished) {
    transport
        .listener()
        .onEvent(
            new Event.Progress(
                blob.digest().toString(),
                "push " + blob.digest().shortString(),
                done,
                blob.size(),
                finished));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /**
   * The source stream: counts bytes for progress and remembers its own failure (a bad file, a
   * digest mismatch).
   */
  private final class Guard extends FilterInputStream {
    private final Descriptor blob;
    private long count;
    private long reported;
    IOException failure;

    Guard(InputStream in, Descriptor blob) {
      super(in);
      this.blob = blob;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
    }

    /**
     * Reads the source's end before its last bytes go out: a source that checks itself at its end
     * (a layer's digest and diff-id) fails now, so the registry never receives the whole blob and
     * never commits it.
     */
    private void reachEnd() throws IOException {
      try {
        if (in.read(new byte[1], 0, 1) > 0) {
          throw new DigestMismatchException(
              "blob "
                  + blob.digest().shortString()
                  + ": source has more than "
                  + blob.size()
                  + " bytes");
        }
      } catch (IOException e) {
        failure = e;
        throw e;
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n;
      try {
        n = super.read(b, off, len);
      } catch (IOException e) {
        failure = e;
        throw e;
      }
      if (n > 0) {
        count += n;
        if (count == blob.size()) reachEnd();
        if (count - reported >= PROGRESS_STEP) {
          reported = count;
          progress(blob, count, false);
        }
      } else if (n < 0 && count < blob.size()) {
        failure =
            new DigestMismatchException(
                "blob "
                    + blob.digest().shortString()
                    + ": source ended after "
                    + count
                    + " of "
                    + blob.size()
                    + " bytes");
        throw failure;
      }
      return n;
    }
  }

  /** The next {@code n} bytes of a stream, without closing it: one PATCH chunk. */
  private static final class Slice extends InputStream {
    private final InputStream in;
    private long left;

    Slice(InputStream in, long n) {
      this.in = in;
      this.left = n;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) return -1;
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n > 0) left -= n;
      return n;
    }

    @Override
    public void close() {
      // the chunk ends; the stream goes on
    }
  }
}
