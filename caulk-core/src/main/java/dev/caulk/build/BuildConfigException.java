package dev.caulk.build;

import java.io.IOException;

/**
 * A {@code caulk.yaml} (or flag) value that is unknown or wrong; the message names key, file and
 * line.
 */
public final class BuildConfigException extends IOException {
  private static final long serialVersionUID = 1L;

  public BuildConfigException(String message) {
    super(message);
  }
}
