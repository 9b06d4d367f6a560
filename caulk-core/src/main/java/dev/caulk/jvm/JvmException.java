package dev.caulk.jvm;

import java.io.IOException;

/** A Java service that cannot be built as asked: a one-line message naming the file or the JDK. */
public final class JvmException extends IOException {
  private static final long serialVersionUID = 1L;

  public JvmException(String message) {
    super(message);
  }
}
