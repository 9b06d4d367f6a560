package dev.caulk.scan.catalog;

import java.io.IOException;

/**
 * Content that a cataloger cannot parse or that breaks a bound (size, nesting, entry count). The
 * message is one line and names what was wrong, never the content. Catalogers turn it into a {@link
 * Problem} and go on; it escapes only from parsers called directly.
 */
public final class CatalogException extends IOException {
  private static final long serialVersionUID = 1L;

  public CatalogException(String message) {
    super(message);
  }
}
