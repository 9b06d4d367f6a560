package dev.caulk.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import dev.caulk.digest.Digest;
import dev.caulk.digest.DigestMismatchException;
import dev.caulk.digest.InvalidDigestException;
import dev.caulk.digest.VerifyingInputStream;
import dev.caulk.image.Images;
import dev.caulk.name.Reference;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.InvalidSpecException;
import dev.caulk.spec.MediaType;
import dev.caulk.spec.SpecJson;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A client of one registry's HTTP API (OCI distribution spec, spec.md): manifests, blobs, uploads
 * and tags. Thread-safe: blobs of one image are transferred in parallel through one client, which
 * shares its connection pool, its challenge and its token cache.
 *
 * <p>The first call pings {@code /v2/} to pick the scheme (see {@link RegistryOptions}) and learn
 * the challenge; credentials come from the options' keychain, asked once. Every manifest fetched is
 * checked against the digest asked for and the registry's {@code Docker-Content-Digest}; blob
 * streams from {@link #getBlob} are verified as they are read.
 */
public final class RegistryClient {
  private static final Pattern LINK_NEXT = Pattern.compile("<([^>]*)>\\s*;[^,]*rel=\"?next\"?");
  private static final int MAX_TAG_PAGES = 1000;
  private static final long MAX_TAG_BYTES = 64L << 20;

  /** At most this many pages of one referrers API answer ({@code Link: <…>; rel="next"}). */
  public static final int MAX_REFERRER_PAGES = 64;

  /** At most this many bytes across the pages of one referrers API answer (16 MiB). */
  public static final long MAX_REFERRER_BYTES = 16L << 20;

  /** What happened to a blob handed to {@link #pushBlob}. */
  public enum PushResult {
    UPLOADED,
    MOUNTED
  }

  private final Transport transport;
  private final Auth auth;
  private final BlobUploader uploader;
  private boolean pinged;

  private RegistryClient(Transport transport) {
    this.transport = transport;
    this.auth = Auth.of(transport);
    transport.auth(auth);
    this.uploader = new BlobUploader(this, transport);
  }

  /**
   * A client for the registry a reference names ({@code host[:port]}; {@code docker.io} is spoken
   * to at {@code registry-1.docker.io}). No request is sent until the first call.
   */
  private final java.util.concurrent.ConcurrentMap<Digest, String> knownBlobs =
      new java.util.concurrent.ConcurrentHashMap<>();

  public static RegistryClient create(String registry, RegistryOptions options) throws IOException {
    String apiHost = new Reference(registry, "x", "latest", null).apiHost();
    return new RegistryClient(new Transport(registry, apiHost, options));
  }

  /**
   * Notes that a repository of this registry holds a blob (after an upload, a mount or a HEAD hit),
   * so that a later push of the same blob to another repository mounts it instead of uploading it
   * again: how a project's shared system layer goes up once for all its services.
   */
  void remember(String repository, Digest digest) {
    knownBlobs.putIfAbsent(digest, repository);
  }

  /** A repository other than {@code repository} known to hold the blob, or null. */
  String holderOtherThan(Digest digest, String repository) {
    String r = knownBlobs.get(digest);
    return r == null || r.equals(repository) ? null : r;
  }

  /** The registry as references name it. */
  public String registry() {
    return transport.registry;
  }

  public RegistryOptions options() {
    return transport.opts;
  }

  /**
   * Checks that the registry speaks the v2 API and records its challenge: {@code GET /v2/}, 200 or
   * 401. Trying HTTPS first and then plain HTTP when the host is insecure. Called by every other
   * method; calling it again does nothing.
   */
  public synchronized void ping() throws IOException {
    if (pinged) return;
    List<String> schemes = schemes();
    for (int i = 0; i < schemes.size(); i++) {
      transport.scheme(schemes.get(i));
      try (Response r =
          transport.send(
              Req.of("GET", transport.uri("/v2/"), null, "registry " + registry(), 200, 401))) {
        if (r.status() == 401) {
          Challenge c = Challenge.pick(r.headers("WWW-Authenticate"));
          if (c == null) {
            throw RegistryException.ofTransport(
                "GET",
                Redact.url(r.uri()),
                "registry "
                    + registry()
                    + " asks for authentication without a Basic or Bearer challenge",
                false,
                null);
          }
          auth.challenge(c);
        }
        pinged = true;
        return;
      } catch (RegistryException e) {
        if (e.status() != 0 || i == schemes.size() - 1) throw e;
        transport
            .listener()
            .debug(
                "registry "
                    + registry()
                    + ": "
                    + schemes.get(i)
                    + " failed ("
                    + e.getMessage()
                    + "), trying "
                    + schemes.get(i + 1));
      }
    }
  }

  private List<String> schemes() {
    RegistryOptions o = transport.opts;
    boolean insecure = o.isInsecure(registry()) || o.isInsecure(transport.apiHost);
    if (insecure) return List.of("https", "http");
    boolean forceTls =
        o.tlsHosts().contains(registry()) || o.tlsHosts().contains(transport.apiHost);
    boolean loopback = new Reference(registry(), "x", "latest", null).isLoopback();
    return loopback && !forceTls ? List.of("http") : List.of("https");
  }

  /**
   * Fetches a manifest or index by tag or digest, with an {@code Accept} of every manifest type
   * caulk reads. The bytes are verified against the digest asked for and against the registry's
   * {@code Docker-Content-Digest} when it sends one; more than 4 MiB is refused.
   */
  public RemoteManifest getManifest(String repository, String reference) throws IOException {
    ping();
    String ctx = context(repository, reference);
    Req req =
        Req.of("GET", manifestUri(repository, reference), Auth.pull(repository), ctx, 200)
            .header("Accept", MediaType.ACCEPT_MANIFESTS);
    Transport.Fetched r = transport.fetch(req, SpecJson.MAX_MANIFEST_BYTES);
    byte[] bytes = r.body();
    Digest asked = digestOrNull(reference);
    if (asked != null) Images.verify(bytes, asked, ctx);
    String header = r.header("Docker-Content-Digest");
    if (header != null) {
      Digest claimed = parseDigest(header, ctx);
      Images.verify(bytes, claimed, ctx + " (Docker-Content-Digest)");
    }
    return new RemoteManifest(
        bytes, mediaType(r.header("Content-Type")), asked != null ? asked : Digest.sha256(bytes));
  }

  /** The descriptor of a manifest ({@code HEAD}), or empty when the registry does not have it. */
  public Optional<Descriptor> headManifest(String repository, String reference) throws IOException {
    return headManifest(repository, reference, Auth.pull(repository));
  }

  Optional<Descriptor> headManifest(String repository, String reference, Set<String> scopes)
      throws IOException {
    ping();
    String ctx = context(repository, reference);
    Req req =
        Req.of("HEAD", manifestUri(repository, reference), scopes, ctx, 200, 404)
            .header("Accept", MediaType.ACCEPT_MANIFESTS);
    Transport.Fetched r = transport.fetch(req, 0);
    if (r.status() == 404) return Optional.empty();
    String header = r.header("Docker-Content-Digest");
    Digest d = header != null ? parseDigest(header, ctx) : digestOrNull(reference);
    if (d == null || r.contentLength() < 0) {
      RemoteManifest m = getManifest(repository, reference);
      return Optional.of(Descriptor.of(m.mediaType(), m.digest(), m.bytes().length));
    }
    return Optional.of(Descriptor.of(mediaType(r.header("Content-Type")), d, r.contentLength()));
  }

  /**
   * What a manifest {@code PUT} stored.
   *
   * @param digest the digest of the bytes, as the registry confirmed it
   * @param subject the digest the registry's {@code OCI-Subject} header names (distribution-spec
   *     1.1: a registry with the referrers API answers so to a manifest with a {@code subject}),
   *     empty when the header is absent or not a digest
   */
  public record Stored(Digest digest, Optional<Digest> subject) {}

  /**
   * Stores a manifest under a tag or its digest: {@code PUT} of the exact bytes with {@code
   * Content-Type} = {@code mediaType}. Returns the bytes' digest, checked against the registry's
   * {@code Docker-Content-Digest}.
   */
  public Digest putManifest(String repository, String reference, byte[] manifest, String mediaType)
      throws IOException {
    return storeManifest(repository, reference, manifest, mediaType).digest();
  }

  /**
   * {@link #putManifest}, also reading the {@code OCI-Subject} response header, which tells whether
   * the registry indexed the manifest's {@code subject} for its referrers API.
   */
  public Stored storeManifest(
      String repository, String reference, byte[] manifest, String mediaType) throws IOException {
    ping();
    String ctx = context(repository, reference);
    Digest digest = Digest.sha256(manifest);
    Req req =
        Req.of("PUT", manifestUri(repository, reference), Auth.push(repository), ctx, 201, 200)
            .header("Content-Type", mediaType)
            .body(Req.Body.of(manifest));
    Transport.Fetched r = transport.fetch(req, RegistryException.MAX_ERROR_BODY);
    String header = r.header("Docker-Content-Digest");
    if (header != null && !header.trim().equals(digest.toString())) {
      throw new DigestMismatchException(
          ctx + ": registry stored the manifest as " + clip(header) + ", expected " + digest);
    }
    return new Stored(digest, subjectHeader(r.header("OCI-Subject")));
  }

  private static Optional<Digest> subjectHeader(String value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Digest.parse(value.trim()));
    } catch (InvalidDigestException e) {
      return Optional.empty();
    }
  }

  /**
   * Asks the referrers API (distribution-spec 1.1, {@code GET /v2/NAME/referrers/DIGEST}) for the
   * manifests whose {@code subject} is {@code subject}: the bodies of the image index pages the
   * registry answers (each at most 4 MiB, not parsed here), following {@code Link: <…>; rel="next"}
   * as tag listing does, at most {@value #MAX_REFERRER_PAGES} pages and 16 MiB in all; or empty
   * when the registry has no such API (404, and the 400 or 405 of registries that do not know the
   * path, on the first page; a later page must be a 200).
   *
   * @param artifactType the {@code artifactType} filter, or null for every referrer
   */
  public Optional<List<byte[]>> referrers(String repository, Digest subject, String artifactType)
      throws IOException {
    ping();
    String ctx = registry() + "/" + repository + " referrers of " + subject.shortString();
    String query =
        artifactType == null
            ? ""
            : "?artifactType=" + URLEncoder.encode(artifactType, StandardCharsets.UTF_8);
    URI uri = transport.uri("/v2/" + repository + "/referrers/" + subject + query);
    List<byte[]> pages = new ArrayList<>();
    paged(
        uri,
        (u, first) ->
            (first
                    ? Req.of("GET", u, Auth.pull(repository), ctx, 200, 400, 404, 405)
                    : Req.of("GET", u, Auth.pull(repository), ctx, 200))
                .header("Accept", MediaType.OCI_INDEX),
        MAX_REFERRER_PAGES,
        MAX_REFERRER_BYTES,
        ctx,
        "referrers",
        r -> {
          if (r.status() != 200) {
            return false;
          }
          pages.add(r.body());
          return true;
        });
    return pages.isEmpty() ? Optional.empty() : Optional.of(pages);
  }

  /** Every tag of a repository, following {@code Link: <…>; rel="next"} pages. */
  public List<String> tags(String repository) throws IOException {
    return tags(repository, 0);
  }

  /** Tags, asking for pages of {@code pageSize} ({@code ?n=}; 0 lets the registry choose). */
  List<String> tags(String repository, int pageSize) throws IOException {
    ping();
    String ctx = registry() + "/" + repository;
    List<String> tags = new ArrayList<>();
    URI uri =
        transport.uri("/v2/" + repository + "/tags/list" + (pageSize > 0 ? "?n=" + pageSize : ""));
    paged(
        uri,
        (u, first) -> Req.of("GET", u, Auth.pull(repository), ctx + " tags", 200),
        MAX_TAG_PAGES,
        MAX_TAG_BYTES,
        ctx,
        "tags",
        r -> {
          JsonNode n = SpecJson.tree(r.body(), ctx + ": tag list");
          for (JsonNode t : n.path("tags")) if (t.isTextual()) tags.add(t.asText());
          return true;
        });
    return tags;
  }

  /** How a paged listing makes the request for one page. */
  @FunctionalInterface
  private interface PageRequest {
    Req of(URI uri, boolean first);
  }

  /** What a paged listing does with one page; false stops without following its link. */
  @FunctionalInterface
  private interface PageReader {
    boolean read(Transport.Fetched page) throws IOException;
  }

  /**
   * GETs {@code uri} and the pages its {@code Link: <…>; rel="next"} headers lead to (resolved
   * against the page's URI; every {@code Link} field is searched), handing each to {@code reader}:
   * at most {@code maxPages} pages and {@code maxBytes} bytes in all, each page at most 4 MiB.
   */
  private void paged(
      URI uri,
      PageRequest request,
      int maxPages,
      long maxBytes,
      String ctx,
      String what,
      PageReader reader)
      throws IOException {
    long total = 0;
    for (int page = 0; uri != null; page++) {
      if (page == maxPages) {
        throw new IOException(ctx + ": more than " + maxPages + " pages of " + what);
      }
      Transport.Fetched r =
          transport.fetch(request.of(uri, page == 0), SpecJson.MAX_MANIFEST_BYTES);
      total += r.body().length;
      if (total > maxBytes) {
        throw new IOException(ctx + ": more than " + (maxBytes >> 20) + " MiB of " + what);
      }
      if (!reader.read(r)) {
        return;
      }
      String next = nextLink(String.join(", ", r.headers().allValues("Link")));
      uri = next == null ? null : r.uri().resolve(next);
    }
  }

  /**
   * The target of a {@code Link} header's {@code rel="next"}, or null; RE2/J, so linear in the
   * header.
   */
  static String nextLink(String link) {
    if (link == null || link.isEmpty()) return null;
    Matcher m = LINK_NEXT.matcher(link);
    return m.find() ? m.group(1) : null;
  }

  /** Opens a blob, verified against its descriptor's digest and size as it is read. */
  public InputStream getBlob(String repository, Descriptor blob) throws IOException {
    return new VerifyingInputStream(
        openBlob(repository, blob.digest(), blob.size()),
        blob.digest(),
        blob.size(),
        "blob " + blob.digest().shortString() + " of " + registry() + "/" + repository);
  }

  /**
   * Opens a blob unverified (the image views verify), under a deadline scaled by its {@code size};
   * redirects to storage hosts are followed without credentials.
   */
  InputStream openBlob(String repository, Digest digest, long size) throws IOException {
    ping();
    Req req =
        Req.of(
            "GET",
            transport.uri("/v2/" + repository + "/blobs/" + digest),
            Auth.pull(repository),
            blobContext(repository, digest),
            200);
    return transport.send(req, size).body();
  }

  /** The size of a blob the registry has ({@code HEAD}), or empty when it has none. */
  public OptionalLong headBlob(String repository, Digest digest) throws IOException {
    return headBlob(repository, digest, Auth.pull(repository));
  }

  OptionalLong headBlob(String repository, Digest digest, Set<String> scopes) throws IOException {
    ping();
    Req req =
        Req.of(
            "HEAD",
            transport.uri("/v2/" + repository + "/blobs/" + digest),
            scopes,
            blobContext(repository, digest),
            200,
            404);
    Transport.Fetched r = transport.fetch(req, 0);
    return r.status() == 404
        ? OptionalLong.empty()
        : OptionalLong.of(Math.max(0, r.contentLength()));
  }

  /**
   * Uploads a blob: a cross-repository mount when {@code mountFrom} (a repository of this registry)
   * is given and the registry agrees, else a monolithic PUT for blobs up to the chunk size and
   * PATCH chunks for larger ones. A temporary failure restarts the upload from a freshly opened
   * source; the registry's final {@code Docker-Content-Digest} must equal the blob's digest.
   *
   * @param mountFrom a repository in this registry that holds the blob, or null
   */
  public PushResult pushBlob(
      String repository, Descriptor blob, BlobOpener source, String mountFrom) throws IOException {
    ping();
    return uploader.push(repository, blob, source, mountFrom);
  }

  String context(String repository, String reference) {
    return registry() + "/" + repository + (reference.contains(":") ? "@" : ":") + reference;
  }

  String blobContext(String repository, Digest digest) {
    return "blob " + digest.shortString() + " in " + registry() + "/" + repository;
  }

  private URI manifestUri(String repository, String reference) {
    return transport.uri("/v2/" + repository + "/manifests/" + reference);
  }

  static Digest parseDigest(String header, String ctx) throws InvalidSpecException {
    try {
      return Digest.parse(header.trim());
    } catch (InvalidDigestException e) {
      throw new InvalidSpecException(
          ctx + ": registry sent an invalid Docker-Content-Digest: " + e.getMessage());
    }
  }

  private static Digest digestOrNull(String reference) {
    try {
      return reference.contains(":") ? Digest.parse(reference) : null;
    } catch (InvalidDigestException e) {
      return null;
    }
  }

  private static String mediaType(String contentType) {
    if (contentType == null) return null;
    String mt = contentType.split(";")[0].trim();
    return mt.isEmpty() ? null : mt;
  }

  static String clip(String s) {
    String t = s.replaceAll("\\p{Cntrl}", "?");
    return t.length() > 80 ? t.substring(0, 80) + "…" : t;
  }
}
