package dev.caulk.name;

/** An image reference that does not follow the distribution spec's grammar. */
public final class InvalidReferenceException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidReferenceException(String message) {
    super(message);
  }
}
