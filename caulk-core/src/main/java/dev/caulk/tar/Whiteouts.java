package dev.caulk.tar;

/**
 * Whiteout names (layer.md, "Whiteouts"): how a layer deletes what lower layers hold.
 *
 * <p>An empty file {@code DIR/.wh.NAME} deletes {@code DIR/NAME} and everything below it from the
 * lower layers; {@code DIR/.wh..wh..opq} (opaque) hides every lower child of {@code DIR} while
 * keeping {@code DIR} itself. Both apply to lower layers only: entries of the same layer stay
 * visible whatever their order. Other names starting with {@code .wh..wh.} are aufs bookkeeping
 * ({@code .wh..wh.plnk}, {@code .wh..wh.aufs}) and are ignored. A bare {@code .wh.} is invalid. All
 * methods take and return normalised names (see {@link TarEntries#normalize}).
 */
public final class Whiteouts {
  /** The prefix of a whiteout's base name. */
  public static final String PREFIX = ".wh.";

  /** The base name of an opaque-directory marker. */
  public static final String OPAQUE = ".wh..wh..opq";

  private static final String META = ".wh..wh.";

  /** What a name means with respect to whiteouts. */
  public enum Kind {
    /** An ordinary entry. */
    NONE,
    /** {@code .wh.NAME}: deletes NAME from lower layers. */
    WHITEOUT,
    /** {@code .wh..wh..opq}: hides the lower children of its directory. */
    OPAQUE,
    /** Other {@code .wh..wh.*} names: aufs metadata, to be skipped. */
    META,
    /** A bare {@code .wh.}: names nothing; readers reject it. */
    INVALID
  }

  private Whiteouts() {}

  /** Classifies a normalised entry name by its base name. */
  public static Kind kind(String name) {
    String base = TarEntries.basename(name);
    if (!base.startsWith(PREFIX)) return Kind.NONE;
    if (base.equals(OPAQUE)) return Kind.OPAQUE;
    if (base.startsWith(META)) return Kind.META;
    if (base.length() == PREFIX.length()) return Kind.INVALID;
    return Kind.WHITEOUT;
  }

  /**
   * The path a whiteout deletes ({@code a/.wh.b} gives {@code a/b}), or the directory an opaque
   * marker applies to ({@code a/.wh..wh..opq} gives {@code a}; the root is {@code ""}).
   *
   * @throws IllegalArgumentException if the name is neither
   */
  public static String target(String name) {
    return switch (kind(name)) {
      case WHITEOUT ->
          join(TarEntries.parent(name), TarEntries.basename(name).substring(PREFIX.length()));
      case OPAQUE -> TarEntries.parent(name);
      default -> throw new IllegalArgumentException("not a whiteout: " + TarEntries.quote(name));
    };
  }

  /** The whiteout entry name that deletes a path: {@code a/b} gives {@code a/.wh.b}. */
  public static String whiteoutFor(String path) {
    if (path.isEmpty()) throw new IllegalArgumentException("the root cannot be whited out");
    return join(TarEntries.parent(path), PREFIX + TarEntries.basename(path));
  }

  /** The opaque marker name for a directory: {@code a} gives {@code a/.wh..wh..opq}. */
  public static String opaqueFor(String dir) {
    return join(dir, OPAQUE);
  }

  private static String join(String parent, String base) {
    return parent.isEmpty() ? base : parent + "/" + base;
  }
}
