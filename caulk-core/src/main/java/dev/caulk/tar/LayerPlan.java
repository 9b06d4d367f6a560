package dev.caulk.tar;

import dev.caulk.tar.ReproducibleLayerBuilder.Spec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    for (String name : entries.keySet()) {
      boolean whiteout = Whiteouts.kind(name) != Whiteouts.Kind.NONE;
      for (String p = TarEntries.parent(name); !p.isEmpty(); p = TarEntries.parent(p)) {
        Spec s = all.get(p);
        if (s == null) {
          if (!whiteout) all.put(p, implicitDir);
        } else if (s.type() != EntryType.DIR) {
          throw new IllegalArgumentException(TarEntries.quote("/" + p) + " is a " + s.type().name().toLowerCase()
              + " but " + TarEntries.quote("/" + name) + " is below it");
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
          throw new IllegalArgumentException("hard link " + TarEntries.quote("/" + e.getKey()) + " points to "
              + TarEntries.quote("/" + target) + ", which is not in the layer");
        }
        if (++hops > all.size()) throw new IllegalArgumentException("hard link " + TarEntries.quote("/" + e.getKey()) + " is part of a cycle");
        file = target;
      }
      if (s.type() != EntryType.FILE) {
        throw new IllegalArgumentException("hard link " + TarEntries.quote("/" + e.getKey()) + " points to a " + s.type().name().toLowerCase());
      }
      groups.computeIfAbsent(file, k -> new ArrayList<>(List.of(k))).add(e.getKey());
    }
    for (Map.Entry<String, List<String>> g : groups.entrySet()) {
      Spec file = all.get(g.getKey());
      String leader = g.getValue().stream().min(ORDER).orElseThrow();
      for (String member : g.getValue()) {
        all.put(member, member.equals(leader) ? file
            : new Spec(EntryType.HARDLINK, file.mode(), file.uid(), file.gid(), 0, null, leader, 0, 0, Map.of()));
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
      int c = compareComponent(a.substring(i, ea), b.substring(j, eb));
      if (c != 0) return c;
      i = ea + 1;
      j = eb + 1;
    }
  }

  private static int compareComponent(String x, String y) {
    int rx = rank(x);
    int ry = rank(y);
    return rx != ry ? Integer.compare(rx, ry) : x.compareTo(y);
  }

  private static int rank(String c) {
    if (c.equals(Whiteouts.OPAQUE)) return 0;
    return c.startsWith(Whiteouts.PREFIX) ? 1 : 2;
  }
}
