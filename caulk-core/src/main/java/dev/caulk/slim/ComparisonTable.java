package dev.caulk.slim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caulk.report.Report;
import dev.caulk.report.Severity;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** Renders a {@link Comparison} as a before/after table followed by packages, probe and changes. */
final class ComparisonTable {
  private static final int MAX_NAMES = 3;

  private ComparisonTable() {}

  static String render(Comparison c) {
    JsonNode b = Comparison.inventory(c.before());
    JsonNode a = Comparison.inventory(c.after());
    Summary s = c.summary();
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"", "before", "after"});
    rows.add(
        new String[] {
          "image size", bytes(b.path("imageBytes").asLong()), bytes(a.path("imageBytes").asLong())
        });
    rows.add(new String[] {"layers", count(b.path("layers")), count(a.path("layers"))});
    rows.add(
        new String[] {
          "files", Long.toString(b.path("files").asLong()), Long.toString(a.path("files").asLong())
        });
    rows.add(
        new String[] {
          "content", bytes(b.path("treeBytes").asLong()), bytes(a.path("treeBytes").asLong())
        });
    rows.add(
        new String[] {
          "hidden by later layers",
          bytes(b.path("hiddenBytes").asLong()),
          bytes(a.path("hiddenBytes").asLong())
        });
    TreeSet<String> folders = new TreeSet<>();
    b.path("topLevel").fieldNames().forEachRemaining(folders::add);
    a.path("topLevel").fieldNames().forEachRemaining(folders::add);
    for (String f : folders) {
      JsonNode bf = b.path("topLevel").path(f);
      JsonNode af = a.path("topLevel").path(f);
      if (bf.path("files").asLong() == 0 && af.path("files").asLong() == 0) continue;
      rows.add(new String[] {"  " + f, folder(bf), folder(af)});
    }
    rows.add(
        new String[] {
          "PATH executables", names(b.path("pathExecutables")), names(a.path("pathExecutables"))
        });
    rows.add(new String[] {"setuid", names(b.path("setuid")), names(a.path("setuid"))});
    rows.add(new String[] {"setgid", names(b.path("setgid")), names(a.path("setgid"))});
    rows.add(
        new String[] {
          "file capabilities", paths(b.path("capabilities")), paths(a.path("capabilities"))
        });
    rows.add(
        new String[] {
          "world-writable", paths(b.path("worldWritable")), paths(a.path("worldWritable"))
        });
    rows.add(new String[] {"shells", names(b.path("shells")), names(a.path("shells"))});
    rows.add(
        new String[] {
          "package managers", paths(b.path("packageManagers")), paths(a.path("packageManagers"))
        });
    rows.add(new String[] {"user", user(s.userBefore()), user(s.userAfter())});
    rows.add(new String[] {"findings", findings(c.before()), findings(c.after())});
    StringBuilder sb = new StringBuilder();
    sb.append(s.verb().word())
        .append(' ')
        .append(c.source())
        .append(" -> ")
        .append(c.destination())
        .append('\n');
    table(rows, sb);
    sb.append('\n');
    sb.append("entrypoint: ")
        .append(String.join(" ", s.entrypoint()))
        .append(" (")
        .append(s.program())
        .append(")\n");
    sb.append("floor (files that must remain): ").append(bytes(s.floorBytes())).append('\n');
    sb.append("packages declared: ")
        .append(s.packagesKept().size())
        .append(" (")
        .append(String.join(", ", first(s.packagesKept(), 12)))
        .append("); dropped: ")
        .append(s.packagesDropped().size())
        .append('\n');
    if (!s.missingLibraries().isEmpty())
      sb.append("missing libraries: ").append(String.join(", ", s.missingLibraries())).append('\n');
    if (c.probe() != null) {
      Prover.Outcome p = c.probe();
      sb.append("probe: ")
          .append(Prover.describe(p.check()))
          .append(" on port ")
          .append(p.result().port())
          .append(": original ")
          .append(answer(p.original()))
          .append(", result ")
          .append(answer(p.result()))
          .append(p.compareBody() ? ", bodies equal" : "")
          .append(" — passed\n");
    } else {
      sb.append("probe: not run (--probe runs both images under runc)\n");
    }
    sb.append("changes:\n");
    for (String ch : s.changes()) sb.append("  - ").append(ch).append('\n');
    return sb.toString();
  }

  private static String answer(dev.caulk.run.ProbeResult r) {
    return (r.status() == 0 ? "connected" : Integer.toString(r.status()))
        + " in "
        + r.duration().toMillis()
        + " ms";
  }

  private static void table(List<String[]> rows, StringBuilder sb) {
    int[] w = new int[3];
    for (String[] r : rows) {
      for (int i = 0; i < 3; i++) w[i] = Math.max(w[i], r[i].length());
    }
    for (String[] r : rows) {
      String line =
          String.format(Locale.ROOT, "%-" + w[0] + "s  %-" + w[1] + "s  %s", r[0], r[1], r[2]);
      sb.append(line.stripTrailing()).append('\n');
    }
  }

  private static String findings(Report r) {
    List<String> parts = new ArrayList<>();
    Map<Severity, Integer> counts = r.counts();
    for (int i = Severity.values().length - 1; i >= 0; i--) {
      Severity sv = Severity.values()[i];
      int n = counts.get(sv);
      if (n > 0) parts.add(n + " " + sv.lowerName());
    }
    return parts.isEmpty() ? "none" : String.join(", ", parts);
  }

  private static String user(String u) {
    return u == null || u.isEmpty() ? "root (default)" : u;
  }

  private static String folder(JsonNode f) {
    if (f.isMissingNode()) return "-";
    long n = f.path("files").asLong();
    return n + (n == 1 ? " file, " : " files, ") + bytes(f.path("bytes").asLong());
  }

  private static String count(JsonNode array) {
    return Integer.toString(array.size());
  }

  private static String names(JsonNode array) {
    List<String> l = new ArrayList<>();
    array.forEach(x -> l.add(x.asText()));
    return listed(l);
  }

  private static String paths(JsonNode array) {
    List<String> l = new ArrayList<>();
    array.forEach(x -> l.add(x.path("path").asText()));
    return listed(l);
  }

  private static String listed(List<String> l) {
    if (l.isEmpty()) return "0";
    return l.size() + " (" + String.join(", ", first(l, MAX_NAMES)) + ")";
  }

  private static List<String> first(List<String> l, int n) {
    List<String> out = new ArrayList<>();
    Iterator<String> it = l.iterator();
    while (it.hasNext() && out.size() < n) out.add(it.next());
    if (l.size() > n) out.add("…");
    return out;
  }

  static String bytes(long n) {
    return dev.caulk.report.Bytes.human(n);
  }
}
