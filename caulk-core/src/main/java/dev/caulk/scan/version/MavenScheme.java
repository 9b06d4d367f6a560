package dev.caulk.scan.version;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Maven 3.9 version ordering, written from the rules in maven.apache.org/pom.html "Version Order
 * Specification" and the behaviour recorded in scan.md §2.4 (checked there against {@code
 * maven-artifact} 3.9.6).
 *
 * <p>Reading: the lower-cased string is split into items at {@code .}, at {@code -}, and where
 * digits meet letters; an empty item is {@code 0}. A {@code -}, and any digit/letter switch, opens
 * a nested list; a letter run that follows a {@code .}-item inside a non-empty list also opens one
 * (so {@code 1.0.RC2 < 1.0-RC3}, MNG-7644). A single letter {@code a}, {@code b} or {@code m}
 * directly followed by a digit means alpha, beta, milestone; {@code cr} means {@code rc}; {@code
 * ga}, {@code final} and {@code release} mean the empty qualifier. Each list then drops "null"
 * items ({@code 0}, empty qualifier, empty list) from its end, looking through trailing lists.
 *
 * <p>Comparing: numbers numerically (any size); qualifiers by rank {@code alpha < beta < milestone
 * < rc < snapshot < "" < sp < others (alphabetically)}; a number beats a list beats a qualifier; a
 * missing item compares as "null", and a list against a missing item compares all its items in turn
 * (MNG-6964, so {@code 1-0.alpha < 1}).
 */
final class MavenScheme implements VersionScheme {
  static final MavenScheme INSTANCE = new MavenScheme();

  private static final List<String> QUALIFIERS =
      List.of("alpha", "beta", "milestone", "rc", "snapshot", "", "sp");
  private static final String RELEASE_RANK = String.valueOf(QUALIFIERS.indexOf(""));

  private MavenScheme() {}

  @Override
  public String name() {
    return "maven";
  }

  @Override
  public boolean isValid(String version) {
    return !Objects.requireNonNull(version, "version").isBlank();
  }

  @Override
  public int compare(String a, String b) {
    return parse(Objects.requireNonNull(a, "a")).compareTo(parse(Objects.requireNonNull(b, "b")));
  }

  /** One element of a parsed version. {@code compareTo(null)} compares against a missing item. */
  sealed interface Item permits Num, Qualifier, Sub {
    int compareTo(Item other);

    boolean isNull();
  }

  /** A number, kept as its digits so that any length compares exactly and cheaply. */
  record Num(String digits) implements Item {
    @Override
    public int compareTo(Item other) {
      if (other == null) {
        return isNull() ? 0 : 1;
      }
      return other instanceof Num n ? DpkgScheme.compareDigitRuns(digits, n.digits) : 1;
    }

    @Override
    public boolean isNull() {
      return digits.chars().allMatch(c -> c == '0');
    }
  }

  record Qualifier(String value) implements Item {
    static Qualifier of(String text, boolean followedByDigit) {
      String v = text;
      if (followedByDigit && v.length() == 1) {
        switch (v.charAt(0)) {
          case 'a':
            v = "alpha";
            break;
          case 'b':
            v = "beta";
            break;
          case 'm':
            v = "milestone";
            break;
          default:
            break;
        }
      }
      switch (v) {
        case "ga":
        case "final":
        case "release":
          return new Qualifier("");
        case "cr":
          return new Qualifier("rc");
        default:
          return new Qualifier(v);
      }
    }

    /** Known qualifiers rank by position; unknown ones sort after all of them, alphabetically. */
    String rank() {
      int i = QUALIFIERS.indexOf(value);
      return i >= 0 ? String.valueOf(i) : QUALIFIERS.size() + "-" + value;
    }

    @Override
    public int compareTo(Item other) {
      if (other == null) {
        return Integer.signum(rank().compareTo(RELEASE_RANK));
      }
      if (other instanceof Qualifier q) {
        return Integer.signum(rank().compareTo(q.rank()));
      }
      return -1;
    }

    @Override
    public boolean isNull() {
      return value.isEmpty();
    }
  }

  record Sub(List<Item> items) implements Item {
    @Override
    public int compareTo(Item other) {
      if (other == null) {
        for (Item i : items) {
          int c = i.compareTo(null);
          if (c != 0) {
            return c;
          }
        }
        return 0;
      }
      if (other instanceof Num) {
        return -1;
      }
      if (other instanceof Qualifier) {
        return 1;
      }
      List<Item> theirs = ((Sub) other).items;
      for (int k = 0; k < Math.max(items.size(), theirs.size()); k++) {
        Item l = k < items.size() ? items.get(k) : null;
        Item r = k < theirs.size() ? theirs.get(k) : null;
        int c = l == null ? (r == null ? 0 : -r.compareTo(null)) : l.compareTo(r);
        if (c != 0) {
          return c;
        }
      }
      return 0;
    }

    @Override
    public boolean isNull() {
      return items.isEmpty();
    }

    /** Drops null items from the end, looking through (non-null) trailing lists. */
    void normalize() {
      for (int k = items.size() - 1; k >= 0; k--) {
        Item last = items.get(k);
        if (last.isNull()) {
          items.remove(k);
        } else if (!(last instanceof Sub)) {
          break;
        }
      }
    }
  }

  static Sub parse(String version) {
    String v = version.toLowerCase(Locale.ENGLISH);
    Sub root = new Sub(new ArrayList<>());
    Sub list = root;
    Deque<Sub> stack = new ArrayDeque<>();
    stack.push(list);
    boolean digit = false;
    int start = 0;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '.' || c == '-') {
        list.items.add(i == start ? new Num("0") : item(digit, v.substring(start, i)));
        start = i + 1;
        if (c == '-') {
          list = push(list, stack);
        }
      } else if (c >= '0' && c <= '9') {
        if (!digit && i > start) {
          if (!list.items.isEmpty()) {
            list = push(list, stack);
          }
          list.items.add(Qualifier.of(v.substring(start, i), true));
          start = i;
          list = push(list, stack);
        }
        digit = true;
      } else {
        if (digit && i > start) {
          list.items.add(item(true, v.substring(start, i)));
          start = i;
          list = push(list, stack);
        }
        digit = false;
      }
    }
    if (v.length() > start) {
      if (!digit && !list.items.isEmpty()) {
        list = push(list, stack);
      }
      list.items.add(item(digit, v.substring(start)));
    }
    while (!stack.isEmpty()) {
      stack.pop().normalize();
    }
    return root;
  }

  private static Sub push(Sub parent, Deque<Sub> stack) {
    Sub child = new Sub(new ArrayList<>());
    parent.items.add(child);
    stack.push(child);
    return child;
  }

  private static Item item(boolean digit, String text) {
    return digit ? new Num(text) : Qualifier.of(text, false);
  }

  @Override
  public String toString() {
    return "VersionScheme[maven]";
  }
}
