package example.util;

/** {@code key=value} pairs on one line, space-separated: the answer format of the example. */
public final class Lines {
  private final StringBuilder b = new StringBuilder();

  /** Adds one pair. */
  public Lines add(String key, String value) {
    if (b.length() > 0) {
      b.append(' ');
    }
    b.append(key).append('=').append(value);
    return this;
  }

  @Override
  public String toString() {
    return b + "\n";
  }
}
