package dev.caulk.registry;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLException;

/**
 * Turns what went wrong into one-line {@link RegistryException}s that name the registry and what
 * was being done, never a secret: I/O failures ({@link #transportErrors}, a step right above the
 * wire), unexpected statuses ({@link #statusErrors}, the outermost step) and passed deadlines. It
 * also decides what is temporary, which is all {@link Retry} looks at.
 */
final class ErrorMapping {
  private final String registry;
  private final Duration idleTimeout;
  private final BooleanSupplier hasCredential;

  /**
   * @param hasCredential whether the keychain gave a credential for the registry, so that a 401 can
   *     say when none was configured
   */
  ErrorMapping(String registry, Duration idleTimeout, BooleanSupplier hasCredential) {
    this.registry = registry;
    this.idleTimeout = idleTimeout;
    this.hasCredential = hasCredential;
  }

  /**
   * The step that maps the I/O failures of {@code next} (a {@link RegistryException} passes as it
   * is).
   */
  Exchange transportErrors(Exchange next) {
    return call -> {
      try {
        return next.send(call);
      } catch (RegistryException e) {
        throw e;
      } catch (IOException e) {
        if (call.deadline().passed()) {
          throw deadline(call.req(), call.uri(), call.deadline(), e);
        }
        throw transport(call.req(), call.uri(), e, isTemporary(e));
      }
    };
  }

  /**
   * The step that turns a status outside the request's {@code ok} set into a {@link
   * RegistryException}.
   */
  Exchange statusErrors(Exchange next) {
    return call -> {
      Response resp = next.send(call);
      if (call.req().ok().contains(resp.status())) {
        return resp;
      }
      throw status(call.req(), resp);
    };
  }

  /** The exception for an unexpected status; reads at most 64 KiB of the body and closes it. */
  RegistryException status(Req req, Response resp) {
    byte[] body = resp.readBounded(RegistryException.MAX_ERROR_BODY);
    int status = resp.status();
    String context = req.context();
    if (status == 401) {
      context = "registry " + registry;
      if (!hasCredential.getAsBoolean()) {
        context += "; no credentials configured";
      }
    }
    Duration retryAfter = Backoff.parseRetryAfter(resp.header("Retry-After"), Instant.now());
    return RegistryException.ofResponse(
        req.method(), Redact.url(resp.uri()), status, body, context, retryAfter);
  }

  /**
   * The request passed its overall deadline: permanent, since a retry would meet the same registry.
   */
  RegistryException deadline(Req req, URI uri, Deadline deadline, IOException cause) {
    return RegistryException.ofTransport(
        req.method(),
        Redact.url(uri),
        "registry "
            + registry
            + " did not finish "
            + req.method()
            + " within the "
            + millis(deadline.total)
            + " deadline ("
            + req.context()
            + "; --deadline to change it)",
        false,
        cause);
  }

  /** No usable response: a refused or dropped connection, a timeout, a TLS failure. */
  RegistryException transport(Req req, URI uri, IOException e, boolean temporary) {
    String where = "registry " + registry;
    String msg;
    if (e instanceof SSLException) {
      msg = tlsMessage(e, where);
    } else if (e instanceof SocketTimeoutException
        && String.valueOf(e.getMessage()).contains("connect")) {
      msg = "cannot connect to " + where + ": timed out";
    } else if (e instanceof ConnectException) {
      msg = "cannot connect to " + where + ": connection refused";
    } else if (e instanceof HttpTimeoutException || e instanceof SocketTimeoutException) {
      msg =
          where
              + " sent nothing for "
              + millis(idleTimeout)
              + " during "
              + req.method()
              + " ("
              + req.context()
              + "; --timeout to change it)";
    } else if (e instanceof ProtocolException
        && String.valueOf(e.getMessage()).contains("too big")) {
      msg =
          where
              + " sent a response head larger than caulk accepts for "
              + req.method()
              + " ("
              + req.context()
              + ")";
    } else {
      msg = req.method() + " failed: " + describe(e) + " (" + req.context() + ")";
    }
    return RegistryException.ofTransport(req.method(), Redact.url(uri), msg, temporary, e);
  }

  private static String tlsMessage(IOException e, String where) {
    String chain = causes(e);
    if (chain.contains("PKIX") || chain.contains("unable to find valid certification path")) {
      return "TLS certificate of "
          + where
          + " is not trusted (unknown certificate authority); "
          + "add its CA certificate, or use --tls-verify=false";
    }
    if (chain.contains("No subject alternative") || chain.contains("No name matching")) {
      return "TLS certificate of "
          + where
          + " does not match its name; use --tls-verify=false to skip the check";
    }
    if (chain.contains("Unsupported or unrecognized SSL message") || chain.contains("plaintext")) {
      return "TLS handshake with "
          + where
          + " failed: it does not speak TLS (plain HTTP?); "
          + "use --tls-verify=false to allow HTTP";
    }
    return "TLS handshake with " + where + " failed: " + clip(e.getMessage());
  }

  /**
   * Dropped connections, resets and timeouts are worth retrying; refused connections, TLS failures,
   * interruptions and protocol errors (a response head larger than the JDK accepts: "Header size
   * too big") are not.
   */
  static boolean isTemporary(IOException e) {
    if (e instanceof SSLException || e instanceof ProtocolException) {
      return false;
    }
    if (String.valueOf(e.getMessage()).contains("too big")) {
      return false;
    }
    if (e instanceof SocketTimeoutException
        || e instanceof HttpTimeoutException
        || e instanceof HttpConnectTimeoutException) {
      return true;
    }
    if (e instanceof InterruptedIOException) {
      return false;
    }
    return !(e instanceof ConnectException);
  }

  /** A short, one-line description of an I/O failure. */
  static String describe(IOException e) {
    String m = e.getMessage();
    if (e instanceof HttpTimeoutException || e instanceof SocketTimeoutException) {
      return "timeout";
    }
    if (m == null || m.isBlank()) {
      return e.getClass().getSimpleName();
    }
    return clip(m);
  }

  private static String causes(Throwable t) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; t != null && i < 8; t = t.getCause(), i++) {
      b.append(t.getMessage()).append(" | ");
    }
    return b.toString();
  }

  /** Control characters blanked, at most 160 characters. */
  static String clip(String s) {
    if (s == null) {
      return "";
    }
    String t = s.replaceAll("\\p{Cntrl}", " ");
    return t.length() > 160 ? t.substring(0, 160) + "…" : t;
  }

  /** {@code 700 ms} below a second, else {@code 2.5 s}. */
  static String millis(Duration d) {
    return d.toMillis() < 1000
        ? d.toMillis() + " ms"
        : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }
}
