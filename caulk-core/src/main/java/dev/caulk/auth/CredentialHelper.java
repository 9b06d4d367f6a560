package dev.caulk.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.google.re2j.Pattern;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Runs a Docker credential helper: {@code docker-credential-<name> get}, the server URL on stdin,
 * {@code {"ServerURL","Username","Secret"}} on stdout (docker-credential-helpers' protocol). Output
 * is read up to 64 KiB and the helper is killed after the timeout, so a broken helper cannot hang
 * or flood caulk. Error messages name the helper and quote its stderr, never its stdout.
 */
final class CredentialHelper {
  static final int MAX_OUTPUT = 64 * 1024;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final JsonMapper JSON = new JsonMapper();

  private final String path;
  private final Duration timeout;

  /**
   * @param path the PATH to search, as in the environment ({@code File.pathSeparator}-separated)
   */
  CredentialHelper(@Nullable String path, Duration timeout) {
    this.path = path == null ? "" : path;
    this.timeout = timeout;
  }

  /** Asks helper {@code name} for the credential of {@code serverUrl}; empty when it has none. */
  Optional<Credential> get(String name, String serverUrl) throws CredentialException {
    String program = "docker-credential-" + name;
    if (!NAME.matcher(name).matches())
      throw new CredentialException("invalid credential helper name '" + clip(name, 64) + "'");
    Path exe = find(program);
    if (exe == null)
      throw new CredentialException("credential helper " + program + " not found on PATH");
    Process p;
    try {
      p = new ProcessBuilder(exe.toString(), "get").start();
    } catch (IOException e) {
      throw new CredentialException(
          "credential helper " + program + " could not be started: " + e.getMessage());
    }
    CompletableFuture<byte[]> out =
        CompletableFuture.supplyAsync(() -> readBounded(p.getInputStream()));
    CompletableFuture<byte[]> err =
        CompletableFuture.supplyAsync(() -> readBounded(p.getErrorStream()));
    try {
      try (OutputStream in = p.getOutputStream()) {
        in.write((serverUrl + "\n").getBytes(StandardCharsets.UTF_8));
      } catch (IOException ignored) {
        // The helper may exit without reading stdin; its exit status tells what happened.
      }
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new CredentialException(
            "credential helper " + program + " timed out after " + timeout.toSeconds() + " s");
      }
      byte[] stdout = out.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      byte[] stderr = err.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (stdout == null)
        throw new CredentialException(
            "credential helper " + program + ": output larger than 64 KiB");
      String text = new String(stdout, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        if (text.contains("credentials not found")) return Optional.empty();
        String why = stderr == null ? "" : firstLine(new String(stderr, StandardCharsets.UTF_8));
        throw new CredentialException(
            "credential helper "
                + program
                + " failed (exit "
                + p.exitValue()
                + ")"
                + (why.isEmpty() ? "" : ": " + why));
      }
      return parse(program, stdout);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new CredentialException("credential helper " + program + " interrupted");
    } catch (ExecutionException | TimeoutException e) {
      p.destroyForcibly();
      throw new CredentialException("credential helper " + program + ": output could not be read");
    }
  }

  private static Optional<Credential> parse(String program, byte[] stdout)
      throws CredentialException {
    JsonNode n;
    try {
      n = JSON.readTree(stdout);
    } catch (IOException e) {
      throw new CredentialException("credential helper " + program + " returned invalid JSON");
    }
    if (n == null || !n.isObject())
      throw new CredentialException("credential helper " + program + " returned invalid JSON");
    String user = n.path("Username").asText("");
    String secret = n.path("Secret").asText("");
    if (secret.isEmpty()) return Optional.empty();
    if (Credential.TOKEN_USERNAME.equals(user))
      return Optional.of(Credential.identityToken(null, secret));
    return Optional.of(Credential.basic(user, secret));
  }

  private @Nullable Path find(String program) {
    for (String dir : path.split(Pattern.quote(File.pathSeparator))) {
      if (dir.isEmpty()) continue;
      Path candidate = Path.of(dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return candidate;
    }
    return null;
  }

  /** Reads at most {@link #MAX_OUTPUT} bytes; null when there was more (the rest is discarded). */
  private static byte @Nullable [] readBounded(InputStream in) {
    try (in) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      byte[] b = new byte[8192];
      boolean over = false;
      for (int n; (n = in.read(b)) > 0; ) {
        if (buf.size() + n > MAX_OUTPUT) over = true;
        else buf.write(b, 0, n);
      }
      return over ? null : buf.toByteArray();
    } catch (IOException e) {
      return new byte[0];
    }
  }

  private static String firstLine(String s) {
    String t = s.strip();
    int nl = t.indexOf('\n');
    return clip(nl < 0 ? t : t.substring(0, nl), 160);
  }

  private static String clip(String s, int max) {
    String t = s.replaceAll("[^\\x20-\\x7e]", "?");
    return t.length() > max ? t.substring(0, max) + "…" : t;
  }
}
