package dev.caulk.scan.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;

/**
 * Test helpers: check chains such as {@code "a < b = c < d"} and the comparator laws over a pool.
 */
final class Orders {
  private Orders() {}

  /**
   * Checks a chain of versions separated by {@code <}, {@code =} or {@code >} (blank-separated),
   * pairwise for every adjacent pair and in both directions, and transitively for the whole chain.
   */
  static void chain(VersionScheme s, String chain) {
    String[] parts = chain.trim().split("\\s+");
    List<String> versions = new ArrayList<>();
    List<Integer> ops = new ArrayList<>();
    for (int i = 0; i < parts.length; i++) {
      if (i % 2 == 0) {
        versions.add(parts[i]);
      } else {
        ops.add(
            switch (parts[i]) {
              case "<" -> -1;
              case "=" -> 0;
              case ">" -> 1;
              default -> throw new IllegalArgumentException("bad operator " + parts[i]);
            });
      }
    }
    for (int i = 0; i < ops.size(); i++) {
      expect(s, versions.get(i), versions.get(i + 1), ops.get(i));
    }
    // Transitivity along a monotone chain.
    for (int i = 0; i < versions.size(); i++) {
      for (int j = i + 1; j < versions.size(); j++) {
        int dir = 0;
        boolean monotone = true;
        for (int k = i; k < j; k++) {
          int o = ops.get(k);
          if (o != 0) {
            if (dir != 0 && dir != o) {
              monotone = false;
            }
            dir = o;
          }
        }
        if (monotone) {
          expect(s, versions.get(i), versions.get(j), dir);
        }
      }
    }
  }

  static void expect(VersionScheme s, String a, String b, int sign) {
    int ab = Integer.signum(s.compare(a, b));
    int ba = Integer.signum(s.compare(b, a));
    if (ab != sign || ba != -sign) {
      fail(
          s.name()
              + ": expected "
              + a
              + " "
              + op(sign)
              + " "
              + b
              + " but compare gave "
              + ab
              + " / reverse "
              + ba);
    }
  }

  private static String op(int sign) {
    return sign < 0 ? "<" : sign > 0 ? ">" : "=";
  }

  /** Antisymmetry, reflexivity and transitivity over every pair and triple of the pool. */
  static void laws(VersionScheme s, List<String> pool) {
    for (String a : pool) {
      assertEquals(0, s.compare(a, a), s.name() + ": " + a + " != itself");
      for (String b : pool) {
        int ab = Integer.signum(s.compare(a, b));
        assertEquals(
            -ab, Integer.signum(s.compare(b, a)), s.name() + ": asymmetric on " + a + ", " + b);
        for (String c : pool) {
          if (ab <= 0 && s.compare(b, c) <= 0 && s.compare(a, c) > 0) {
            fail(
                s.name()
                    + ": not transitive: "
                    + a
                    + " <= "
                    + b
                    + " <= "
                    + c
                    + " but "
                    + a
                    + " > "
                    + c);
          }
        }
      }
    }
  }
}
