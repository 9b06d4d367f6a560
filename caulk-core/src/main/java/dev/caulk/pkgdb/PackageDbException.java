package dev.caulk.pkgdb;

import java.io.IOException;

/**
 * A package database that breaks a bound (its size, a record budget). The message is one line and
 * names the bound, never the content; readers of the databases turn it into a problem of the file
 * and go on.
 */
public final class PackageDbException extends IOException {
  private static final long serialVersionUID = 1L;

  /** A one-line message naming the bound. */
  public PackageDbException(String message) {
    super(message);
  }
}
