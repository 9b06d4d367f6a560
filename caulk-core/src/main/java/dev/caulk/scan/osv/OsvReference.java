package dev.caulk.scan.osv;

import java.util.Objects;

/**
 * One {@code references[]} element: a type such as {@code ADVISORY}, {@code FIX} or {@code WEB},
 * and a URL.
 */
public record OsvReference(String type, String url) {
  /** Checks that both parts are present. */
  public OsvReference {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(url, "url");
  }
}
