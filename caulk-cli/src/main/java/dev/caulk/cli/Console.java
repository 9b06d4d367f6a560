package dev.caulk.cli;

import dev.caulk.event.Event;
import dev.caulk.event.EventListener;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The terminal: data on stdout, everything else on stderr.
 *
 * <p>On a terminal, stderr shows log lines and a progress line; when stderr is not a terminal (CI,
 * pipes) or with {@code --quiet}, only errors reach it, so logs never mix with what a script
 * parses. Whether stderr is a terminal is told by the launcher ({@code CAULK_STDERR_TTY=1} when
 * {@code [ -t 2 ]}), since Java 17 cannot ask.
 */
public final class Console implements EventListener {
  private final PrintStream out;
  private final PrintStream err;
  private final boolean interactive;
  private final boolean color;
  private final boolean stdoutColor;
  private volatile boolean quiet;
  private volatile boolean debug;
  private final Map<String, Event.Progress> transfers = new ConcurrentHashMap<>();
  private long lastDraw;
  private boolean lineOpen;

  public Console(OutputStream out, OutputStream err, boolean interactive, boolean color) {
    this(out, err, interactive, color, false);
  }

  /**
   * @param stdoutColor whether data written to stdout may carry colour (stdout is a terminal and
   *     colour is allowed); reports use it, logs never do
   */
  public Console(
      OutputStream out, OutputStream err, boolean interactive, boolean color, boolean stdoutColor) {
    this.out = new PrintStream(out, true, StandardCharsets.UTF_8);
    this.err = new PrintStream(err, true, StandardCharsets.UTF_8);
    this.interactive = interactive;
    this.color = color;
    this.stdoutColor = stdoutColor;
  }

  /** The process's console, detecting a terminal and honouring NO_COLOR and TERM=dumb. */
  public static Console system() {
    Map<String, String> env = System.getenv();
    boolean tty =
        "1".equals(env.get("CAULK_STDERR_TTY"))
            || (env.get("CAULK_STDERR_TTY") == null && System.console() != null);
    boolean dumb = "dumb".equals(env.get("TERM"));
    boolean ci =
        env.get("CI") != null
            && !env.get("CI").isEmpty()
            && !"false".equalsIgnoreCase(env.get("CI"));
    boolean interactive = tty && !dumb && !ci;
    boolean color = interactive && env.get("NO_COLOR") == null;
    // the launcher tells whether stdout is a terminal (CAULK_STDOUT_TTY); without it, ask Java
    // (stdin and stdout)
    boolean stdoutTty =
        "1".equals(env.get("CAULK_STDOUT_TTY"))
            || (env.get("CAULK_STDOUT_TTY") == null && System.console() != null);
    boolean stdoutColor = stdoutTty && !dumb && env.get("NO_COLOR") == null;
    return new Console(
        new java.io.FileOutputStream(java.io.FileDescriptor.out),
        new java.io.FileOutputStream(java.io.FileDescriptor.err),
        interactive,
        color,
        stdoutColor);
  }

  public PrintStream out() {
    return out;
  }

  public PrintStream err() {
    return err;
  }

  public boolean color() {
    return color;
  }

  /**
   * Whether reports on stdout may be coloured: stdout is a terminal, {@code NO_COLOR} unset, not
   * {@code TERM=dumb}.
   */
  public boolean stdoutColor() {
    return stdoutColor;
  }

  void quiet(boolean q) {
    this.quiet = q;
  }

  void debug(boolean d) {
    this.debug = d;
  }

  /** Prints the one-line error, and the stack trace when asked (--debug). */
  public synchronized void error(String message, Throwable trace) {
    clearLine();
    err.println((color ? "\u001b[31mcaulk: error:\u001b[0m " : "caulk: error: ") + message);
    if (trace != null) trace.printStackTrace(err);
    err.flush();
  }

  /**
   * A warning that changes what the output means (results incomplete, database missing data or
   * old), so it is shown in CI and pipes too; only {@code --quiet} hides it.
   */
  public synchronized void alert(String message) {
    if (quiet) return;
    clearLine();
    err.println((color ? "\u001b[33mwarning:\u001b[0m " : "warning: ") + message);
  }

  /** Something the user should see on a terminal (not with --quiet, not in CI). */
  public synchronized void status(String message) {
    if (quiet || !(interactive || debug)) return;
    clearLine();
    err.println(message);
  }

  @Override
  public synchronized void onEvent(Event event) {
    if (event instanceof Event.Log log) {
      // Warnings reach stderr in CI and pipes too (a retry, a converted digest); info lines only on
      // a terminal.
      boolean show =
          debug
              || (!quiet
                  && (log.level() == Event.Level.WARN
                      || interactive && log.level() != Event.Level.DEBUG));
      if (show) {
        clearLine();
        String mark = color ? "\u001b[33mwarning:\u001b[0m " : "warning: ";
        err.println((log.level() == Event.Level.WARN ? mark : "") + log.message());
      }
    } else if (event instanceof Event.Progress p) {
      if (quiet || !interactive) return;
      if (p.finished()) transfers.remove(p.id());
      else transfers.put(p.id(), p);
      long now = System.nanoTime();
      if (p.finished() || now - lastDraw > 100_000_000L) {
        lastDraw = now;
        drawProgress();
      }
    }
  }

  private void drawProgress() {
    if (transfers.isEmpty()) {
      clearLine();
      return;
    }
    long done = 0;
    long total = 0;
    for (Event.Progress p : transfers.values()) {
      done += p.done();
      total += Math.max(p.total(), p.done());
    }
    int width = 24;
    int filled = total == 0 ? 0 : (int) Math.min(width, width * done / total);
    String bar = "#".repeat(filled) + "-".repeat(width - filled);
    String line =
        String.format(
            Locale.ROOT,
            "\r[%s] %s / %s  (%d transfer%s)",
            bar,
            human(done),
            human(total),
            transfers.size(),
            transfers.size() == 1 ? "" : "s");
    err.print(line + "\u001b[K");
    err.flush();
    lineOpen = true;
  }

  private void clearLine() {
    if (lineOpen) {
      err.print("\r\u001b[K");
      lineOpen = false;
    }
  }

  public synchronized void flush() {
    clearLine();
    out.flush();
    err.flush();
  }

  /** Bytes for people: 1.2 MB (decimal units, like docker and skopeo). */
  public static String human(long bytes) {
    return dev.caulk.report.Bytes.human(bytes);
  }
}
