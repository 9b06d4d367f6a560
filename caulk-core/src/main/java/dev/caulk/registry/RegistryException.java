package dev.caulk.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A registry request that failed: an error status, or no response at all (status 0).
 *
 * <p>{@link #getMessage()} is one line for people, e.g. {@code MANIFEST_UNKNOWN: manifest unknown
 * (127.0.0.1:5000/app:v1)}: the first error code and message of the body, or {@code HTTP 503
 * Service Unavailable}, and what was being done. The method, URL (query values and user info
 * redacted), status and every parsed error stay available for debugging. No credential or token
 * ever appears: error bodies are read only up to 64 KiB, stripped of control characters and
 * clipped.
 */
public final class RegistryException extends IOException {
  private static final long serialVersionUID = 1L;
  static final int MAX_ERROR_BODY = 64 * 1024;
  private static final JsonMapper JSON = new JsonMapper();
  private static final Set<String> TEMPORARY_CODES = Set.of("TOOMANYREQUESTS", "UNAVAILABLE");

  private final String method;
  private final String url;
  private final int status;
  private final transient List<RegistryError> errors;
  private final boolean temporary;
  private final transient Duration retryAfter;
  private transient boolean brokeOff;

  RegistryException(
      String message,
      String method,
      String url,
      int status,
      List<RegistryError> errors,
      boolean temporary,
      Duration retryAfter,
      Throwable cause) {
    super(message, cause);
    this.method = method;
    this.url = url;
    this.status = status;
    this.errors = List.copyOf(errors);
    this.temporary = temporary;
    this.retryAfter = retryAfter;
  }

  /** An error response: parses the (bounded) body and builds the one-line message. */
  static RegistryException ofResponse(
      String method,
      String redactedUrl,
      int status,
      byte[] body,
      String context,
      Duration retryAfter) {
    List<RegistryError> errors = parseErrors(body);
    if (status == 400
        && errors.isEmpty()
        && body != null
        && new String(
                body, 0, Math.min(body.length, 200), java.nio.charset.StandardCharsets.ISO_8859_1)
            .contains("HTTP request to an HTTPS server")) {
      // Go's TLS server answering a plain-HTTP request (caulk speaks plain HTTP to loopback
      // registries unless told).
      return new RegistryException(
          "the registry speaks HTTPS, and this request was plain HTTP: add --tls-verify=true ("
              + context
              + ")",
          method,
          redactedUrl,
          status,
          errors,
          false,
          retryAfter,
          null);
    }
    if (errors.isEmpty() && status == 401)
      errors = List.of(new RegistryError("UNAUTHORIZED", "authentication required", null));
    // 4xx other than 408 and 429 is permanent (431: the request head is too large): only a 4xx
    // whose
    // body says TOOMANYREQUESTS (a rate limit sent with 400 by some registries) is retried
    boolean rateLimited = errors.stream().anyMatch(e -> e.code().equals("TOOMANYREQUESTS"));
    boolean permanent =
        status >= 400
            && status < 500
            && status != 408
            && status != 429
            && (status == 431 || !rateLimited);
    boolean temporary =
        !permanent
            && (isTemporaryStatus(status)
                || errors.stream().anyMatch(e -> TEMPORARY_CODES.contains(e.code())));
    return new RegistryException(
        format(status, errors, context),
        method,
        redactedUrl,
        status,
        errors,
        temporary,
        retryAfter,
        null);
  }

  /** No response: a connection refused, reset or timed out, a TLS failure. */
  static RegistryException ofTransport(
      String method, String redactedUrl, String message, boolean temporary, Throwable cause) {
    return new RegistryException(
        message, method, redactedUrl, 0, List.of(), temporary, null, cause);
  }

  static String format(int status, List<RegistryError> errors, String context) {
    StringBuilder b = new StringBuilder();
    if (!errors.isEmpty()) {
      RegistryError e = errors.get(0);
      b.append(e.code());
      if (!e.message().isEmpty()) b.append(": ").append(e.message());
      if (e.detail() != null && e.detail().startsWith("\"") && e.detail().length() <= 120) {
        b.append(": ").append(e.detail(), 1, e.detail().length() - 1);
      }
      if (errors.size() > 1) b.append(" (and ").append(errors.size() - 1).append(" more)");
    } else {
      b.append("HTTP ").append(status);
      String reason = reason(status);
      if (!reason.isEmpty()) b.append(' ').append(reason);
    }
    return b.append(" (").append(context).append(')').toString();
  }

  /** The distribution-spec errors of a body; empty when it is not such a document. */
  static List<RegistryError> parseErrors(byte[] body) {
    List<RegistryError> out = new ArrayList<>();
    if (body == null || body.length == 0) return out;
    try {
      JsonNode errs = JSON.readTree(body).path("errors");
      for (JsonNode e : errs) {
        if (out.size() == 20) break;
        String code = clean(e.path("code").asText(""), 64);
        if (code.isEmpty()) continue;
        JsonNode d = e.get("detail");
        String detail = d == null || d.isNull() ? null : clean(d.toString(), 400);
        out.add(new RegistryError(code, clean(e.path("message").asText(""), 200), detail));
      }
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
    return out;
  }

  static boolean isTemporaryStatus(int status) {
    return status == 408
        || status == 429
        || status == 500
        || status == 502
        || status == 503
        || status == 504;
  }

  private static String clean(String s, int max) {
    String t = s.replaceAll("[\\p{Cntrl}]", " ").strip();
    return t.length() > max ? t.substring(0, max) + "…" : t;
  }

  private static String reason(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 408 -> "Request Timeout";
      case 409 -> "Conflict";
      case 413 -> "Payload Too Large";
      case 416 -> "Range Not Satisfiable";
      case 429 -> "Too Many Requests";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "";
    };
  }

  /** The HTTP status, or 0 when no response arrived. */
  public int status() {
    return status;
  }

  /** The request method, e.g. {@code PATCH}. */
  public String method() {
    return method;
  }

  /** The request URL with user info and query values redacted. */
  public String url() {
    return url;
  }

  /** The errors the registry reported in its body (possibly none). */
  public List<RegistryError> errors() {
    return errors == null ? List.of() : errors;
  }

  /** True when the same request may succeed later: 408, 429, 5xx gateways, dropped connections. */
  public boolean isTemporary() {
    return temporary;
  }

  /** True when the registry reported this error code. */
  public boolean hasCode(String code) {
    return errors().stream().anyMatch(e -> e.code().equals(code));
  }

  /** The same failure, not temporary: nothing should retry it again. */
  RegistryException permanent() {
    RegistryException p =
        new RegistryException(
            getMessage(), method, url, status, errors(), false, retryAfter, getCause());
    p.brokeOff = brokeOff;
    return p;
  }

  /**
   * Marks a failure that happened while the response body was read (the log of a retry says so).
   */
  RegistryException brokeOff(boolean b) {
    this.brokeOff = b;
    return this;
  }

  boolean brokeOff() {
    return brokeOff;
  }

  /** The wait the registry asked for with {@code Retry-After}, or null. */
  Duration retryAfter() {
    return retryAfter;
  }
}
