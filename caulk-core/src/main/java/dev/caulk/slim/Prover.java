package dev.caulk.slim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caulk.event.EventListener;
import dev.caulk.image.Image;
import dev.caulk.run.Container;
import dev.caulk.run.Probe;
import dev.caulk.run.ProbeException;
import dev.caulk.run.ProbeResult;
import dev.caulk.run.Sandbox;
import dev.caulk.run.Trace;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code --probe}: proves that a rewritten image still works by running the original and the result
 * under runc (in the {@link Sandbox}: the image's non-root user, env and workdir, its own network,
 * limits; {@code dev.caulk.run}), waiting for the port, sending the same request to both and
 * comparing the answers. Unlike SlimToolkit (build.md §5.5, failure mode 4), a failed probe is an
 * error and the caller writes nothing. {@code --trace} runs the original under strace and returns
 * every path it used, to keep.
 */
public final class Prover {
  private Prover() {}

  /**
   * How to probe.
   *
   * @param check TCP connect, or an HTTP GET of a path
   * @param compareBody whether the result's body must equal the original's (the status always must)
   * @param port the port to wait for; 0 for the image's first exposed TCP port
   * @param env variables added to the image's Env in both runs (e.g. {@code PORT})
   * @param timeout how long each run may take to accept connections
   * @param runc the runc binary, or null to look for it
   * @param tempDir where the bundles are unpacked, or null for the JVM temp dir
   * @param listener progress
   * @param sandbox how both runs are confined ({@link Sandbox#defaults()}: root refused, own
   *     network, limits)
   */
  public record Options(
      Probe.Check check,
      boolean compareBody,
      int port,
      Map<String, String> env,
      Duration timeout,
      Path runc,
      Path tempDir,
      EventListener listener,
      Sandbox sandbox) {
    /** Checks and copies. */
    public Options {
      Objects.requireNonNull(check, "check");
      env = Map.copyOf(env);
      Objects.requireNonNull(timeout, "timeout");
      listener = listener == null ? EventListener.NONE : listener;
      sandbox = sandbox == null ? Sandbox.defaults() : sandbox;
    }

    /** GET /, status only, the image's port, no extra env, {@link Probe#DEFAULT_TIMEOUT}. */
    public static Options defaults() {
      return new Options(
          Probe.Check.http("/"),
          false,
          0,
          Map.of(),
          Probe.DEFAULT_TIMEOUT,
          null,
          null,
          EventListener.NONE,
          Sandbox.defaults());
    }

    /** Copy with another check. */
    public Options withCheck(Probe.Check v) {
      return new Options(v, compareBody, port, env, timeout, runc, tempDir, listener, sandbox);
    }

    /** Copy that compares bodies too. */
    public Options withCompareBody(boolean v) {
      return new Options(check, v, port, env, timeout, runc, tempDir, listener, sandbox);
    }

    /** Copy with a port. */
    public Options withPort(int v) {
      return new Options(check, compareBody, v, env, timeout, runc, tempDir, listener, sandbox);
    }

    /** Copy with extra environment. */
    public Options withEnv(Map<String, String> v) {
      return new Options(check, compareBody, port, v, timeout, runc, tempDir, listener, sandbox);
    }

    /** Copy with another timeout. */
    public Options withTimeout(Duration v) {
      return new Options(check, compareBody, port, env, v, runc, tempDir, listener, sandbox);
    }

    /** Copy with a runc binary. */
    public Options withRunc(Path v) {
      return new Options(check, compareBody, port, env, timeout, v, tempDir, listener, sandbox);
    }

    /** Copy with a temp dir. */
    public Options withTempDir(Path v) {
      return new Options(check, compareBody, port, env, timeout, runc, v, listener, sandbox);
    }

    /** Copy with another sandbox ({@code --probe-as-root}, {@code --probe-host-network}). */
    public Options withSandbox(Sandbox v) {
      return new Options(check, compareBody, port, env, timeout, runc, tempDir, listener, v);
    }

    /** Copy with a listener. */
    public Options withListener(EventListener v) {
      return new Options(check, compareBody, port, env, timeout, runc, tempDir, v, sandbox);
    }

    Container.Options container() {
      Container.Options c =
          Container.Options.defaults()
              .withRunc(runc)
              .withTempDir(tempDir)
              .withPort(port)
              .withListener(listener)
              .withSandbox(sandbox);
      for (Map.Entry<String, String> e : env.entrySet()) c = c.withEnv(e.getKey(), e.getValue());
      return c;
    }
  }

  /**
   * The original image's run.
   *
   * @param result what the probe saw
   * @param traced the paths the traced run used (empty without a trace)
   */
  public record Run(ProbeResult result, List<String> traced) {
    /** Copies the list. */
    public Run {
      traced = List.copyOf(traced);
    }
  }

  /** Both answers; the probe passed. */
  public record Outcome(
      Probe.Check check, boolean compareBody, ProbeResult original, ProbeResult result) {
    /** {@code {"check", "port", "passed", "original": {...}, "result": {...}}}. */
    public ObjectNode toJson(ObjectMapper m) {
      ObjectNode o = m.createObjectNode();
      o.put("check", describe(check));
      o.put("port", result.port());
      o.put("compareBody", compareBody);
      o.put("passed", true);
      o.set("original", run(m, original));
      o.set("result", run(m, result));
      return o;
    }

    private static ObjectNode run(ObjectMapper m, ProbeResult r) {
      ObjectNode o = m.createObjectNode();
      if (r.status() != 0) o.put("status", r.status());
      o.put("millis", r.duration().toMillis());
      o.put("bodyBytes", r.body().length());
      return o;
    }
  }

  /** {@code GET /path} or {@code TCP connect}. */
  public static String describe(Probe.Check check) {
    return check instanceof Probe.Http h ? "GET " + h.path() : "TCP connect";
  }

  /**
   * Runs and probes the original image, traced when asked.
   *
   * @throws ProbeException when the original does not answer (its output in the message)
   * @throws dev.caulk.run.RunException when runc (or strace) is missing, or the image cannot start
   */
  public static Run original(Image image, Options o, boolean trace) throws IOException {
    o.listener()
        .info(
            "probe: running the original image"
                + (trace ? " under strace" : "")
                + " ("
                + describe(o.check())
                + ")");
    try {
      if (!trace)
        return new Run(Probe.run(image, o.container(), o.check(), o.timeout()), List.of());
      Trace t = Trace.start(image, o.container());
      try {
        ProbeResult r;
        try (t) {
          r = Probe.check(t.container(), o.check(), o.timeout());
        }
        return new Run(r, t.paths(image.config().runConfig().workingDir()));
      } finally {
        t.delete();
      }
    } catch (ProbeException e) {
      throw new ProbeException(
          "the original image fails the probe: " + e.getMessage(), e.outputTail());
    }
  }

  /**
   * Runs and probes the rewritten image and compares its answer with the original's.
   *
   * @throws ProbeException when it does not answer, or answers with another status (or body)
   */
  public static Outcome result(Image image, ProbeResult original, Options o) throws IOException {
    o.listener().info("probe: running the result (" + describe(o.check()) + ")");
    ProbeResult r;
    try {
      r = Probe.run(image, o.container(), o.check(), o.timeout());
    } catch (ProbeException e) {
      throw new ProbeException("the result fails the probe: " + e.getMessage(), e.outputTail());
    }
    if (r.status() != original.status()) {
      throw new ProbeException(
          "the result answers "
              + describe(o.check())
              + " with status "
              + r.status()
              + ", the original with "
              + original.status()
              + tail(r.outputTail()),
          r.outputTail());
    }
    if (o.compareBody() && !r.body().equals(original.body())) {
      throw new ProbeException(
          "the result's body for "
              + describe(o.check())
              + " differs from the original's ("
              + r.body().length()
              + " vs "
              + original.body().length()
              + " characters)"
              + tail(r.outputTail()),
          r.outputTail());
    }
    return new Outcome(o.check(), o.compareBody(), original, r);
  }

  private static String tail(String t) {
    if (t == null || t.isBlank()) return "";
    String[] lines = t.strip().split("\n");
    return "; output: " + lines[lines.length - 1];
  }
}
