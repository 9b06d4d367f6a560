package dev.caulk.elf;

import java.io.IOException;
import java.util.List;

/**
 * A needed library (or interpreter) is not in the root; thrown by a strict {@link LibraryResolver}.
 * The message names both the library and the object that needs it, e.g. {@code "libfoo.so.1 needed
 * by /app/bin/server not found (searched /app/lib, /lib/x86_64-linux-gnu, …)"}.
 */
public class UnresolvedLibraryException extends IOException {
  private static final long serialVersionUID = 1L;
  private static final int SHOWN_DIRS = 6;

  /** The unresolved need. */
  private final transient LibraryClosure.Missing missing;

  /** Creates the exception for one unresolved need. */
  public UnresolvedLibraryException(LibraryClosure.Missing missing) {
    super(message(missing));
    this.missing = missing;
  }

  /** The unresolved need: library name, needing object, directories searched. */
  public LibraryClosure.Missing missing() {
    return missing;
  }

  private static String message(LibraryClosure.Missing m) {
    StringBuilder s =
        new StringBuilder(m.name()).append(" needed by ").append(m.neededBy()).append(" not found");
    List<String> dirs = m.searched();
    if (!dirs.isEmpty()) {
      s.append(" (searched ");
      s.append(String.join(", ", dirs.subList(0, Math.min(SHOWN_DIRS, dirs.size()))));
      if (dirs.size() > SHOWN_DIRS) {
        s.append(", … ").append(dirs.size() - SHOWN_DIRS).append(" more");
      }
      s.append(')');
    }
    return s.toString();
  }
}
