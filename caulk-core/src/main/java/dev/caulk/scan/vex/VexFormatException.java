package dev.caulk.scan.vex;

/** A VEX document that cannot be read; the message is one line naming the document. */
public final class VexFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  /** With a one-line message. */
  public VexFormatException(String message) {
    super(message);
  }
}
