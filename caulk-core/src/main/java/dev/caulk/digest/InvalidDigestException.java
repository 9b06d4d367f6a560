package dev.caulk.digest;

/** A digest string that is not {@code sha256:<64 hex>} or {@code sha512:<128 hex>}. */
public final class InvalidDigestException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidDigestException(String message) {
    super(message);
  }
}
