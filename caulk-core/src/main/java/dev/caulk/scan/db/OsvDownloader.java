package dev.caulk.scan.db;

import dev.caulk.event.Event;
import dev.caulk.event.EventListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Locale;

/**
 * Fetches one ecosystem's OSV bulk export, {@code BASE/<Ecosystem>/all.zip} (osv.dev "Data dumps"),
 * into a file. {@code http}, {@code https} and {@code file} bases are accepted, so an offline
 * mirror on a share works the same way as the public bucket. Downloads stream to disk with a size
 * bound and report progress; no credentials are ever sent, and URLs in messages never carry a query
 * string or user info.
 */
final class OsvDownloader {
  /** Largest export accepted (the biggest real ones are a few hundred MB). */
  static final long MAX_BYTES = 8L << 30;

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration HEADERS_TIMEOUT = Duration.ofMinutes(2);

  private final HttpClient client;
  private final EventListener listener;

  OsvDownloader(EventListener listener) {
    this.listener = listener;
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  /**
   * {@code BASE/<ecosystem, percent-encoded>/all.zip}; ecosystem names hold spaces and colons
   * ({@code Rocky Linux}).
   */
  static URI exportUri(URI base, String ecosystem) {
    String b = base.toString();
    while (b.endsWith("/")) b = b.substring(0, b.length() - 1);
    return URI.create(b + "/" + encode(ecosystem) + "/all.zip");
  }

  static String encode(String segment) {
    StringBuilder sb = new StringBuilder();
    for (byte x : segment.getBytes(StandardCharsets.UTF_8)) {
      int c = x & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '.'
          || c == '-'
          || c == '_'
          || c == '~') {
        sb.append((char) c);
      } else {
        sb.append('%').append(String.format(Locale.ROOT, "%02X", c));
      }
    }
    return sb.toString();
  }

  /** What a URL looks like in messages: scheme, host, port and path only. */
  static String shown(URI u) {
    if (u.getScheme() == null || u.getScheme().equals("file"))
      return u.getPath() == null ? u.toString() : u.getPath();
    return u.getScheme()
        + "://"
        + u.getHost()
        + (u.getPort() > 0 ? ":" + u.getPort() : "")
        + (u.getRawPath() == null ? "" : u.getRawPath());
  }

  /**
   * Downloads one export to {@code target}.
   *
   * @return bytes written
   * @throws VulnDbException for an HTTP error, an unreachable host, an oversized body or a missing
   *     file
   */
  long fetch(URI uri, Path target) throws IOException {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    switch (scheme) {
      case "file":
        Path src = Path.of(uri);
        if (!Files.isRegularFile(src)) throw new VulnDbException(shown(uri) + ": no such file");
        if (Files.size(src) > MAX_BYTES)
          throw new VulnDbException(shown(uri) + ": larger than " + (MAX_BYTES >> 30) + " GiB");
        Files.copy(src, target, StandardCopyOption.REPLACE_EXISTING);
        return Files.size(target);
      case "http":
      case "https":
        return http(uri, target);
      default:
        throw new VulnDbException(
            "unsupported database URL '" + shown(uri) + "': expected https://, http:// or file://");
    }
  }

  private long http(URI uri, Path target) throws IOException {
    HttpRequest req =
        HttpRequest.newBuilder(uri)
            .timeout(HEADERS_TIMEOUT)
            .GET()
            .header("User-Agent", "caulk-db-update")
            .build();
    HttpResponse<InputStream> resp;
    try {
      resp = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpConnectTimeoutException | ConnectException | UnknownHostException e) {
      throw new VulnDbException(
          "cannot reach "
              + shown(uri)
              + " (offline?); download all.zip elsewhere and run 'caulk db import FILE'",
          e);
    } catch (HttpTimeoutException e) {
      throw new VulnDbException(
          shown(uri) + ": no response within " + HEADERS_TIMEOUT.toMinutes() + " minutes", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new VulnDbException(shown(uri) + ": interrupted", e);
    } catch (IOException e) {
      throw new VulnDbException("cannot download " + shown(uri) + ": " + oneLine(e), e);
    }
    try (InputStream in = resp.body()) {
      if (resp.statusCode() != 200) {
        throw new VulnDbException(
            "GET "
                + shown(uri)
                + ": HTTP "
                + resp.statusCode()
                + (resp.statusCode() == 404 ? " (no export for this ecosystem at this URL)" : ""));
      }
      long total = resp.headers().firstValueAsLong("Content-Length").orElse(-1);
      if (total > MAX_BYTES)
        throw new VulnDbException(shown(uri) + ": larger than " + (MAX_BYTES >> 30) + " GiB");
      String id = "osv:" + uri.getRawPath();
      long done = 0;
      long lastReport = 0;
      byte[] buf = new byte[256 * 1024];
      try (OutputStream out = Files.newOutputStream(target)) {
        for (int n; (n = in.read(buf)) > 0; ) {
          done += n;
          if (done > MAX_BYTES)
            throw new VulnDbException(shown(uri) + ": larger than " + (MAX_BYTES >> 30) + " GiB");
          out.write(buf, 0, n);
          if (done - lastReport >= (4 << 20)) {
            lastReport = done;
            listener.onEvent(new Event.Progress(id, "download " + shown(uri), done, total, false));
          }
        }
      } catch (IOException e) {
        if (e instanceof VulnDbException) throw e;
        throw new VulnDbException(
            "download of " + shown(uri) + " failed after " + done + " bytes: " + oneLine(e), e);
      }
      listener.onEvent(new Event.Progress(id, "download " + shown(uri), done, total, true));
      if (total >= 0 && done != total) {
        throw new VulnDbException(
            "download of " + shown(uri) + " ended after " + done + " of " + total + " bytes");
      }
      return done;
    }
  }

  private static String oneLine(IOException e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.replaceAll("[\\r\\n\\t]+", " ");
  }
}
