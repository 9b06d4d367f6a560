package dev.caulk.digest;

import java.io.IOException;

/** Content whose digest or size differs from what its descriptor promised. */
public final class DigestMismatchException extends IOException {
  private static final long serialVersionUID = 1L;

  public DigestMismatchException(String message) {
    super(message);
  }
}
