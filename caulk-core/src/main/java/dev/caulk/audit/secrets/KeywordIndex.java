package dev.caulk.audit.secrets;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds which of many lower-case literals occur in a text, in one pass: every keyword is filed
 * under a 16-bit slot of its first two characters, a 64 Ki-bit filter on that slot skips almost
 * every position, and the keywords filed under a position's slot are compared there (an array
 * lookup: no hashing or boxing per position). Cost: one pass over the text plus a comparison per
 * candidate.
 */
final class KeywordIndex {
  private final List<String> keywords;

  /** Keyword indices by the slot of their first two characters (a slot may hold several pairs). */
  private final int[][] bySlot = new int[1 << 16][];

  private final long[] filter = new long[1024];

  KeywordIndex(List<String> keywords) {
    this.keywords = List.copyOf(keywords);
    Map<Integer, List<Integer>> lists = new HashMap<>();
    for (int i = 0; i < this.keywords.size(); i++) {
      String k = this.keywords.get(i);
      if (k.length() < 2) {
        throw new IllegalArgumentException("keyword shorter than 2 characters: " + k);
      }
      int slot = slot(k.charAt(0), k.charAt(1));
      lists.computeIfAbsent(slot, p -> new ArrayList<>()).add(i);
      filter[slot >>> 6] |= 1L << (slot & 63);
    }
    for (Map.Entry<Integer, List<Integer>> e : lists.entrySet()) {
      bySlot[e.getKey()] = e.getValue().stream().mapToInt(Integer::intValue).toArray();
    }
  }

  private static int slot(char a, char b) {
    return (a * 31 + b) & 0xFFFF;
  }

  /** The keywords, in the order given; {@link #found} answers by index into this list. */
  List<String> keywords() {
    return keywords;
  }

  /** For each keyword, whether it occurs in {@code lower}. */
  boolean[] found(String lower) {
    boolean[] hit = new boolean[keywords.size()];
    int remaining = hit.length;
    for (int i = 0, n = lower.length() - 1; i < n; i++) {
      char a = lower.charAt(i);
      char b = lower.charAt(i + 1);
      int slot = slot(a, b);
      if ((filter[slot >>> 6] & (1L << (slot & 63))) == 0) {
        continue;
      }
      int[] ks = bySlot[slot];
      for (int k : ks) {
        if (!hit[k] && lower.startsWith(keywords.get(k), i)) {
          hit[k] = true;
          if (--remaining == 0) {
            return hit;
          }
        }
      }
    }
    return hit;
  }
}
