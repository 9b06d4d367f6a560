package dev.caulk.cli;

import java.io.FileNotFoundException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.HashSet;
import java.util.Set;

/** Turns any exception into the one line a person reads. */
final class Errors {
  private Errors() {}

  static String describe(Throwable t) {
    return describe(t, java.util.List.of());
  }

  /**
   * The one line for a failure of a command that was given {@code inputs} (its positional
   * arguments). A JVM error (stack or heap exhausted) carries no message a person can use, so its
   * line names the inputs being worked on instead.
   */
  static String describe(Throwable t, java.util.List<String> inputs) {
    Throwable root = t;
    Set<Throwable> seen = new HashSet<>();
    // Wrappers without a message of their own say nothing; the cause does.
    while (root.getCause() != null
        && seen.add(root)
        && (root.getMessage() == null
            || root instanceof java.util.concurrent.ExecutionException
            || root instanceof java.io.UncheckedIOException
            || root.getMessage().equals(root.getCause().toString()))) {
      root = root.getCause();
    }
    String m;
    if (root instanceof NoSuchFileException e) m = "no such file or directory: " + e.getFile();
    else if (root instanceof AccessDeniedException e) m = "permission denied: " + e.getFile();
    else if (root instanceof FileAlreadyExistsException e) m = "already exists: " + e.getFile();
    else if (root instanceof NotDirectoryException e) m = "not a directory: " + e.getFile();
    else if (root instanceof FileNotFoundException e) m = "file not found: " + e.getMessage();
    else if (root instanceof UnknownHostException e) m = "unknown host: " + e.getMessage();
    else if (root instanceof ConnectException e)
      m = "connection refused" + (e.getMessage() == null ? "" : ": " + e.getMessage());
    else if (root instanceof StackOverflowError || t instanceof StackOverflowError)
      m = "input too deeply nested or too complex to process (stack exhausted)" + while_(inputs);
    else if (root instanceof OutOfMemoryError || t instanceof OutOfMemoryError)
      m =
          "out of memory"
              + while_(inputs)
              + " (if the input is legitimate, give caulk more heap: CAULK_JAVA_OPTS=-Xmx2g)";
    else if (root instanceof Error && root.getMessage() == null)
      m = "internal error (" + root.getClass().getSimpleName() + ")" + while_(inputs);
    else m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    m = oneLine(m);
    return m.length() > 600 ? m.substring(0, 600) + "…" : m;
  }

  private static String while_(java.util.List<String> inputs) {
    if (inputs == null || inputs.isEmpty()) return "";
    String s = String.join(" ", inputs);
    return " while processing " + (s.length() > 200 ? s.substring(0, 200) + "…" : s);
  }

  /** Runs of CR, LF and TAB become one space (linear, whatever the message holds). */
  static String oneLine(String m) {
    StringBuilder b = new StringBuilder(m.length());
    boolean gap = false;
    for (int i = 0; i < m.length(); i++) {
      char c = m.charAt(i);
      if (c == '\r' || c == '\n' || c == '\t') {
        gap = true;
        continue;
      }
      if (gap) b.append(' ');
      gap = false;
      b.append(c);
    }
    return b.toString().trim();
  }
}
