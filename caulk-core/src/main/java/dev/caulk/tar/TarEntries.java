package dev.caulk.tar;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reading helpers for layer tars: the name rules every reader in caulk applies, and the factory for
 * {@link TarReader}.
 *
 * <p>Layer tars are untrusted. Names are normalised the same way everywhere (tree building,
 * extraction, squashing), so no two readers can disagree about which path an entry names: a leading
 * {@code /} or {@code ./} is dropped (layer.md treats every name as relative to the root), {@code
 * //} and {@code .} components collapse, and a {@code ..} component is an error rather than
 * something to resolve, because a layer that needs it is either broken or hostile.
 */
public final class TarEntries {
  /** The longest normalised name accepted, in UTF-8 bytes (Linux PATH_MAX). */
  public static final int MAX_NAME_BYTES = 4096;

  /** The default bound on a layer's uncompressed bytes: 64 GiB, far past any real layer. */
  public static final long DEFAULT_MAX_BYTES = 64L << 30;

  /** The default bound on one extended (PAX or GNU long-name) header: 1 MiB. */
  public static final int DEFAULT_MAX_EXTENDED_HEADER = 1 << 20;

  private TarEntries() {}

  /**
   * A reader over an uncompressed tar stream.
   *
   * @param tar the uncompressed tar (e.g. {@code Layer.uncompressed()}); closed with the reader
   * @param what names the tar in error messages, e.g. {@code layer sha256:ab12cd34ef56}
   * @param maxBytes the most uncompressed bytes read before failing (a decompression-bomb bound)
   */
  public static TarReader reader(InputStream tar, String what, long maxBytes) {
    return new TarReader(tar, what, maxBytes, DEFAULT_MAX_EXTENDED_HEADER);
  }

  /** A reader with the default bound of {@link #DEFAULT_MAX_BYTES}. */
  public static TarReader reader(InputStream tar, String what) {
    return reader(tar, what, DEFAULT_MAX_BYTES);
  }

  /**
   * Normalises an entry name (see the class comment).
   *
   * @param what names the tar in the error message
   * @return the relative name, or the empty string for the root
   * @throws InvalidLayerException for a NUL byte, a {@code ..} component or an over-long name
   */
  public static String normalize(String name, String what) throws InvalidLayerException {
    if (name == null) throw new InvalidLayerException(what + ": entry without a name");
    if (name.indexOf('\0') >= 0) {
      throw new InvalidLayerException(what + ": entry " + quote(name) + " contains a NUL byte");
    }
    if (name.length() > 4 * MAX_NAME_BYTES) {
      throw new InvalidLayerException(
          what + ": entry name longer than " + MAX_NAME_BYTES + " bytes");
    }
    StringBuilder out = new StringBuilder(name.length());
    int i = 0;
    int n = name.length();
    while (i < n) {
      int slash = name.indexOf('/', i);
      int end = slash < 0 ? n : slash;
      int len = end - i;
      if (len == 2 && name.charAt(i) == '.' && name.charAt(i + 1) == '.') {
        throw new InvalidLayerException(what + ": entry " + quote(name) + " escapes the root");
      }
      if (len > 0 && !(len == 1 && name.charAt(i) == '.')) {
        if (out.length() > 0) out.append('/');
        out.append(name, i, end);
      }
      i = end + 1;
    }
    String s = out.toString();
    if (s.length() > MAX_NAME_BYTES / 4
        && s.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
      throw new InvalidLayerException(
          what + ": entry name longer than " + MAX_NAME_BYTES + " bytes: " + quote(s));
    }
    return s;
  }

  /**
   * Quotes an untrusted name for an error message: single quotes, at most 120 characters, control
   * and formatting characters (terminal escapes, bidi overrides) replaced by {@code ?}.
   */
  public static String quote(String s) {
    if (s == null) return "''";
    String t = s.length() > 120 ? s.substring(0, 120) + "…" : s;
    StringBuilder b = new StringBuilder(t.length() + 2).append('\'');
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      boolean unsafe =
          Character.isISOControl(c)
              || Character.getType(c) == Character.FORMAT
              || Character.getType(c) == Character.SURROGATE
                  && !Character.isSurrogatePair(c, i + 1 < t.length() ? t.charAt(i + 1) : 0)
                  && !(i > 0 && Character.isSurrogatePair(t.charAt(i - 1), c));
      b.append(unsafe ? '?' : c);
    }
    return b.append('\'').toString();
  }

  /** The parent of a normalised name ({@code ""} for top-level names and the root). */
  public static String parent(String name) {
    int slash = name.lastIndexOf('/');
    return slash < 0 ? "" : name.substring(0, slash);
  }

  /** The last component of a normalised name. */
  public static String basename(String name) {
    return name.substring(name.lastIndexOf('/') + 1);
  }
}
