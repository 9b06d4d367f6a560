package dev.caulk.layout;

import java.io.IOException;

/**
 * A directory that is not a usable OCI image layout: no or wrong {@code oci-layout}, a bad {@code
 * index.json}, a missing blob, a tag that is not there, or a path that leaves the layout.
 */
public final class InvalidLayoutException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message one line naming the layout and what is wrong
   */
  public InvalidLayoutException(String message) {
    super(message);
  }
}
