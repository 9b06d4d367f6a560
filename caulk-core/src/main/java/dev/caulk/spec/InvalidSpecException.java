package dev.caulk.spec;

import java.io.IOException;

/** A manifest, index or config that is not valid JSON or misses what the spec requires. */
public final class InvalidSpecException extends IOException {
  private static final long serialVersionUID = 1L;

  public InvalidSpecException(String message) {
    super(message);
  }
}
