package dev.caulk.scan.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The module information text of a Go binary, in the line grammar of {@code runtime/debug}'s {@code
 * ParseBuildInfo} ({@code src/runtime/debug/mod.go}): tab-separated lines {@code path}, {@code mod}
 * (main module), {@code dep}, {@code =>} (replacement of the line before) and {@code build
 * key=value}. Keys and values of build settings may be Go-quoted. Unknown or malformed lines are
 * skipped rather than failing the whole binary.
 *
 * @param path the main package's import path ({@code command-line-arguments} for {@code go build
 *     file.go})
 * @param main the main module, or null
 * @param deps the dependencies in file order
 * @param settings build settings ({@code -ldflags}, {@code GOOS}, {@code vcs.revision}, …)
 */
record GoModInfo(String path, Module main, List<Module> deps, Map<String, String> settings) {

  /**
   * A module line, with its replacement if a {@code =>} line followed it.
   *
   * @param path module path
   * @param version version ({@code (devel)} for the main module of a plain {@code go build})
   * @param sum {@code h1:} checksum or empty
   * @param replace the replacement, or null
   */
  record Module(String path, String version, String sum, Module replace) {
    Module withReplace(Module r) {
      return new Module(path, version, sum, r);
    }
  }

  static GoModInfo parse(String text) {
    String path = null;
    Module main = null;
    List<Module> deps = new ArrayList<>();
    Map<String, String> settings = new TreeMap<>();
    boolean lastWasMain = false;
    for (String line : text.split("\n", -1)) {
      String[] f = line.split("\t", -1);
      switch (f[0]) {
        case "path" -> {
          if (f.length >= 2) path = f[1];
        }
        case "mod", "dep" -> {
          if (f.length < 3 || f[1].isEmpty()) continue;
          Module m = new Module(f[1], f[2], f.length > 3 ? f[3] : "", null);
          if (f[0].equals("mod")) {
            main = m;
            lastWasMain = true;
          } else {
            deps.add(m);
            lastWasMain = false;
          }
        }
        case "=>" -> {
          if (f.length < 3 || f[1].isEmpty()) continue;
          Module r = new Module(f[1], f[2], f.length > 3 ? f[3] : "", null);
          if (lastWasMain && main != null && main.replace() == null) main = main.withReplace(r);
          else if (!lastWasMain && !deps.isEmpty() && deps.get(deps.size() - 1).replace() == null) {
            deps.set(deps.size() - 1, deps.get(deps.size() - 1).withReplace(r));
          }
        }
        case "build" -> {
          if (f.length < 2) continue;
          String kv = line.substring("build\t".length());
          String[] parsed = setting(kv);
          if (parsed != null) settings.put(parsed[0], parsed[1]);
        }
        default -> {}
      }
    }
    return new GoModInfo(path, main, List.copyOf(deps), settings);
  }

  /** {@code key=value}, either side possibly a Go double-quoted string. */
  private static String[] setting(String kv) {
    String key;
    String rest;
    if (kv.startsWith("\"")) {
      int end = closingQuote(kv);
      if (end < 0) return null;
      key = unquote(kv.substring(0, end + 1));
      rest = kv.substring(end + 1);
      if (!rest.startsWith("=")) return null;
      rest = rest.substring(1);
    } else {
      int eq = kv.indexOf('=');
      if (eq <= 0) return null;
      key = kv.substring(0, eq);
      rest = kv.substring(eq + 1);
    }
    String value =
        rest.startsWith("\"") && closingQuote(rest) == rest.length() - 1 ? unquote(rest) : rest;
    return new String[] {key, value};
  }

  private static int closingQuote(String s) {
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') i++;
      else if (c == '"') return i;
    }
    return -1;
  }

  /** A Go interpreted string literal: common escapes; unknown escapes keep the character. */
  private static String unquote(String q) {
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i < q.length() - 1; i++) {
      char c = q.charAt(i);
      if (c != '\\' || i + 1 >= q.length() - 1) {
        sb.append(c);
        continue;
      }
      char e = q.charAt(++i);
      switch (e) {
        case 'n' -> sb.append('\n');
        case 't' -> sb.append('\t');
        case 'r' -> sb.append('\r');
        case 'x', 'u' -> {
          int digits = e == 'x' ? 2 : 4;
          int cp = i + digits <= q.length() - 2 ? hex(q.substring(i + 1, i + 1 + digits)) : -1;
          if (cp < 0) {
            sb.append('\\').append(e);
          } else {
            sb.append((char) cp);
            i += digits;
          }
        }
        default -> sb.append(e);
      }
    }
    return sb.toString();
  }

  private static int hex(String s) {
    int v = 0;
    for (int k = 0; k < s.length(); k++) {
      int d = Character.digit(s.charAt(k), 16);
      if (d < 0) return -1;
      v = v * 16 + d;
    }
    return v;
  }
}
