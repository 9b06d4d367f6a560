package dev.caulk.tar;

import dev.caulk.tar.ReproducibleLayerBuilder.Spec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Turns the entries added to a {@link ReproducibleLayerBuilder} into the exact sequence written:
 * sorted, with implicit parents, and with each hard-link group led by its first path.
 */
final class LayerPlan {
  /**
   * Archive order: component by component, so parents precede children; within one directory the
   * opaque marker first, then other whiteouts, then names by {@link String#compareTo}.
   */
  static final Comparator<String> ORDER = LayerPlan::compare;

  private LayerPlan() {}

  static TreeMap<String, Spec> plan(Map<String, Spec> entries, Spec implicitDir) {
    TreeMap<String, Spec> all = new TreeMap<>(ORDER);
    all.putAll(entries);
    // ancestors already walked: a walk stops at the first, so the whole plan costs the sum of the
    // path
    // lengths, not depth × depth per path (a 2,047-deep directory cost minutes)
    java.util.Set<String> walked = new java.util.HashSet<>();
    for (String name : entries.keySet()) {
      boolean whiteout = Whiteouts.kind(name) != Whiteouts.Kind.NONE;
      for (String p = TarEntries.parent(name); !p.isEmpty(); p = TarEntries.parent(p)) {
        Spec s = all.get(p);
        if (s != null && s.type() == EntryType.DIR) {
          if (walked.contains(p)) break; // p and every ancestor of it checked and present
          if (!whiteout)
            walked.add(p); // a whiteout's walk adds no implicit parents, so it proves nothing
          continue;
        }
        if (s == null) {
          if (!whiteout) all.put(p, implicitDir);
        } else if (s.type() != EntryType.DIR) {
          throw new IllegalArgumentException(
              TarEntries.quote("/" + p)
                  + " is a "
                  + s.type().name().toLowerCase()
                  + " but "
                  + TarEntries.quote("/" + name)
                  + " is below it");
        }
      }
    }
    groupHardlinks(all);
    return all;
  }

  private static void groupHardlinks(TreeMap<String, Spec> all) {
    Map<String, List<String>> groups = new HashMap<>();
    for (Map.Entry<String, Spec> e : all.entrySet()) {
      if (e.getValue().type() != EntryType.HARDLINK) continue;
      String file = e.getKey();
      Spec s = e.getValue();
      int hops = 0;
      while (s.type() == EntryType.HARDLINK) {
        String target = s.link();
        s = all.get(target);
        if (s == null) {
          throw new IllegalArgumentException(
              "hard link "
                  + TarEntries.quote("/" + e.getKey())
                  + " points to "
                  + TarEntries.quote("/" + target)
                  + ", which is not in the layer");
        }
        if (++hops > all.size())
          throw new IllegalArgumentException(
              "hard link " + TarEntries.quote("/" + e.getKey()) + " is part of a cycle");
        file = target;
      }
      if (s.type() != EntryType.FILE) {
        throw new IllegalArgumentException(
            "hard link "
                + TarEntries.quote("/" + e.getKey())
                + " points to a "
                + s.type().name().toLowerCase());
      }
      groups.computeIfAbsent(file, k -> new ArrayList<>(List.of(k))).add(e.getKey());
    }
    for (Map.Entry<String, List<String>> g : groups.entrySet()) {
      Spec file =
          Objects.requireNonNull(
              all.get(g.getKey()), "a hard-link group is keyed by an entry of the layer");
      String leader = g.getValue().stream().min(ORDER).orElseThrow();
      for (String member : g.getValue()) {
        all.put(
            member,
            member.equals(leader)
                ? file
                : new Spec(
                    EntryType.HARDLINK,
                    file.mode(),
                    file.uid(),
                    file.gid(),
                    0,
                    null,
                    leader,
                    0,
                    0,
                    Map.of()));
      }
    }
  }

  static int compare(String a, String b) {
    int i = 0;
    int j = 0;
    while (true) {
      if (i >= a.length()) return j >= b.length() ? 0 : -1;
      if (j >= b.length()) return 1;
      int ea = a.indexOf('/', i);
      if (ea < 0) ea = a.length();
      int eb = b.indexOf('/', j);
      if (eb < 0) eb = b.length();
      int c = compareComponent(a, i, ea, b, j, eb);
      if (c != 0) return c;
      i = ea + 1;
      j = eb + 1;
    }
  }

  /**
   * Components {@code a[i, ea)} and {@code b[j, eb)} compared in place (no copies: deep paths
   * compare often).
   */
  private static int compareComponent(String a, int i, int ea, String b, int j, int eb) {
    int rx = rank(a, i, ea);
    int ry = rank(b, j, eb);
    if (rx != ry) return Integer.compare(rx, ry);
    int n = Math.min(ea - i, eb - j);
    for (int k = 0; k < n; k++) {
      char x = a.charAt(i + k);
      char y = b.charAt(j + k);
      if (x != y) return x - y;
    }
    return (ea - i) - (eb - j);
  }

  private static int rank(String s, int from, int to) {
    int len = to - from;
    if (len == Whiteouts.OPAQUE.length() && s.startsWith(Whiteouts.OPAQUE, from)) return 0;
    return len >= Whiteouts.PREFIX.length() && s.startsWith(Whiteouts.PREFIX, from) ? 1 : 2;
  }
}
