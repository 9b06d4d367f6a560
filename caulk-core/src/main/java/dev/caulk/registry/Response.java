package dev.caulk.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.Arrays;
import java.util.List;

/**
 * A response's status, headers and streaming body, from either HTTP client; close it (or read it to
 * the end) to free the connection.
 */
final class Response implements AutoCloseable {
  final int status;
  final HttpHeaders headers;
  final URI uri;
  final InputStream body;

  Response(int status, HttpHeaders headers, URI uri, InputStream body) {
    this.status = status;
    this.headers = headers;
    this.uri = uri;
    this.body = body;
  }

  int status() {
    return status;
  }

  String header(String name) {
    return headers.firstValue(name).orElse(null);
  }

  List<String> headers(String name) {
    return headers.allValues(name);
  }

  long contentLength() {
    return headers.firstValueAsLong("Content-Length").orElse(-1);
  }

  URI uri() {
    return uri;
  }

  InputStream body() {
    return body;
  }

  /**
   * Reads up to {@code max} bytes (the rest is dropped) and closes; an unreadable body gives no
   * bytes.
   */
  byte[] readBounded(int max) {
    try (InputStream in = body) {
      byte[] b = in.readNBytes(max + 1);
      return b.length > max ? Arrays.copyOf(b, max) : b;
    } catch (IOException e) {
      return new byte[0];
    }
  }

  @Override
  public void close() {
    try {
      body.close();
    } catch (IOException ignored) {
      // nothing left to free
    }
  }
}
