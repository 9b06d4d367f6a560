package dev.caulk.tar;

import java.io.IOException;

/**
 * A layer tar that caulk refuses to read or extract: an entry escaping the root, a corrupt header,
 * a limit exceeded. The message is one line naming the layer and the entry, safe to print (entry
 * names are quoted with control characters replaced).
 */
public class InvalidLayerException extends IOException {
  private static final long serialVersionUID = 1L;

  /** An error with a one-line message. */
  public InvalidLayerException(String message) {
    super(message);
  }

  /** An error with a one-line message and the low-level cause (kept for debugging, never shown). */
  public InvalidLayerException(String message, Throwable cause) {
    super(message, cause);
  }
}
