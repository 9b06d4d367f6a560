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
    Throwable root = t;
    Set<Throwable> seen = new HashSet<>();
    // Wrappers without a message of their own say nothing; the cause does.
    while (root.getCause() != null && seen.add(root) && (root.getMessage() == null || root instanceof java.util.concurrent.ExecutionException
        || root instanceof java.io.UncheckedIOException || root.getMessage().equals(root.getCause().toString()))) {
      root = root.getCause();
    }
    String m;
    if (root instanceof NoSuchFileException e) m = "no such file or directory: " + e.getFile();
    else if (root instanceof AccessDeniedException e) m = "permission denied: " + e.getFile();
    else if (root instanceof FileAlreadyExistsException e) m = "already exists: " + e.getFile();
    else if (root instanceof NotDirectoryException e) m = "not a directory: " + e.getFile();
    else if (root instanceof FileNotFoundException e) m = "file not found: " + e.getMessage();
    else if (root instanceof UnknownHostException e) m = "unknown host: " + e.getMessage();
    else if (root instanceof ConnectException e) m = "connection refused" + (e.getMessage() == null ? "" : ": " + e.getMessage());
    else m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    m = m.replaceAll("[\\r\\n\\t]+", " ").trim();
    return m.length() > 600 ? m.substring(0, 600) + "…" : m;
  }
}
