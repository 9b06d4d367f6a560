package dev.caulk.scan.version;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Alpine version ordering, written from the rules of apk-tools {@code src/version.c} (scan.md
 * §2.2).
 *
 * <p>Grammar: {@code digits{.digits}[letter]{_suffix[digits]}[~hexhash][-rN]}. A version is read as
 * a sequence of typed tokens; two versions compare token by token while the token types agree.
 * Numbers compare numerically, except that a {@code .}-number (not the first one) with a leading
 * zero on either side compares as a string (the Gentoo rule: {@code 1.02 < 1.1}); letters by code,
 * suffixes by rank ({@code alpha < beta < pre < rc < (none) < cvs < svn < git < hg < p}), commit
 * hashes as strings. Where the types first differ, a pre-release suffix sorts lower; otherwise the
 * side whose token type comes earlier in the grammar is greater ({@code 1.0 < 1.0.0}, {@code 1.0-r1
 * < 1.0.0-r0}, {@code 1.2.3 < 1.2.3a}). An unreadable token counts as the last type of all, so an
 * invalid tail sorts below any valid continuation.
 */
final class ApkScheme implements VersionScheme {
  static final ApkScheme INSTANCE = new ApkScheme();

  /** Token types in grammar order; the order decides comparisons where types differ. */
  enum Type {
    INITIAL_DIGIT,
    DIGIT,
    LETTER,
    SUFFIX,
    SUFFIX_NO,
    COMMIT_HASH,
    REVISION_NO,
    END,
    INVALID
  }

  private static final List<String> SUFFIXES =
      List.of("alpha", "beta", "pre", "rc", "cvs", "svn", "git", "hg", "p");

  /** Index of the first suffix that sorts after "no suffix". */
  private static final int FIRST_POST_SUFFIX = 4;

  record Token(Type type, String text) {
    boolean isPreRelease() {
      return type == Type.SUFFIX && SUFFIXES.indexOf(text) < FIRST_POST_SUFFIX;
    }
  }

  private ApkScheme() {}

  @Override
  public String name() {
    return "apk";
  }

  @Override
  public boolean isValid(String version) {
    List<Token> tokens = tokenize(Objects.requireNonNull(version, "version"));
    return tokens.get(tokens.size() - 1).type() == Type.END;
  }

  @Override
  public int compare(String a, String b) {
    List<Token> ta = tokenize(Objects.requireNonNull(a, "a"));
    List<Token> tb = tokenize(Objects.requireNonNull(b, "b"));
    for (int k = 0; ; k++) {
      Token x = ta.get(k);
      Token y = tb.get(k);
      if (x.type() != y.type()) {
        if (x.isPreRelease()) {
          return -1;
        }
        if (y.isPreRelease()) {
          return 1;
        }
        return x.type().compareTo(y.type()) < 0 ? 1 : -1;
      }
      if (x.type() == Type.END || x.type() == Type.INVALID) {
        return 0;
      }
      int c = compareValues(x, y);
      if (c != 0) {
        return c;
      }
    }
  }

  private static int compareValues(Token x, Token y) {
    switch (x.type()) {
      case DIGIT:
        if (x.text().charAt(0) == '0' || y.text().charAt(0) == '0') {
          return Integer.signum(x.text().compareTo(y.text()));
        }
        return DpkgScheme.compareDigitRuns(x.text(), y.text());
      case INITIAL_DIGIT:
      case SUFFIX_NO:
      case REVISION_NO:
        return DpkgScheme.compareDigitRuns(x.text(), y.text());
      case SUFFIX:
        return Integer.compare(SUFFIXES.indexOf(x.text()), SUFFIXES.indexOf(y.text()));
      default: // LETTER, COMMIT_HASH
        return Integer.signum(x.text().compareTo(y.text()));
    }
  }

  /** Reads all tokens; the list always ends with one END or INVALID token. */
  static List<Token> tokenize(String s) {
    List<Token> out = new ArrayList<>();
    int n = s.length();
    int p = digits(s, 0);
    if (p == 0) {
      out.add(new Token(Type.INVALID, s));
      return out;
    }
    out.add(new Token(Type.INITIAL_DIGIT, s.substring(0, p)));
    Type prev = Type.INITIAL_DIGIT;
    while (p < n) {
      char c = s.charAt(p);
      boolean afterNumber = prev == Type.INITIAL_DIGIT || prev == Type.DIGIT;
      boolean beforeHash = prev.compareTo(Type.COMMIT_HASH) < 0;
      int end;
      Type type;
      String text;
      if (c == '.' && afterNumber && (end = digits(s, p + 1)) > p + 1) {
        type = Type.DIGIT;
        text = s.substring(p + 1, end);
      } else if (c >= 'a' && c <= 'z' && afterNumber) {
        end = p + 1;
        type = Type.LETTER;
        text = s.substring(p, end);
      } else if (c == '_' && beforeHash) {
        end = p + 1;
        while (end < n && s.charAt(end) >= 'a' && s.charAt(end) <= 'z') {
          end++;
        }
        text = s.substring(p + 1, end);
        if (!SUFFIXES.contains(text)) {
          break;
        }
        type = Type.SUFFIX;
        out.add(new Token(type, text));
        prev = type;
        p = end;
        end = digits(s, p);
        if (end == p) {
          continue;
        }
        type = Type.SUFFIX_NO;
        text = s.substring(p, end);
      } else if (c == '~' && beforeHash && (end = hexDigits(s, p + 1)) > p + 1) {
        type = Type.COMMIT_HASH;
        text = s.substring(p + 1, end);
      } else if (c == '-'
          && prev != Type.REVISION_NO
          && p + 1 < n
          && s.charAt(p + 1) == 'r'
          && (end = digits(s, p + 2)) > p + 2) {
        type = Type.REVISION_NO;
        text = s.substring(p + 2, end);
      } else {
        break;
      }
      out.add(new Token(type, text));
      prev = type;
      p = end;
    }
    out.add(p == n ? new Token(Type.END, "") : new Token(Type.INVALID, s.substring(p)));
    return out;
  }

  private static int digits(String s, int from) {
    int k = from;
    while (k < s.length() && DpkgScheme.isAsciiDigit(s.charAt(k))) {
      k++;
    }
    return k;
  }

  private static int hexDigits(String s, int from) {
    int k = from;
    while (k < s.length() && Character.digit(s.charAt(k), 16) >= 0 && s.charAt(k) < 128) {
      k++;
    }
    return k;
  }

  @Override
  public String toString() {
    return "VersionScheme[apk]";
  }
}
