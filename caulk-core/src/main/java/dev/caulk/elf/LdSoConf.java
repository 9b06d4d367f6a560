package dev.caulk.elf;

import com.google.re2j.Pattern;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code /etc/ld.so.conf} the way {@code ldconfig(8)} does to build {@code ld.so.cache}: one
 * directory per line, {@code #} comments, {@code include PATTERN...} lines (patterns relative to
 * the including file's directory; wildcards {@code * ? [..]} in the last component), {@code hwcap}
 * lines ignored. The resolver searches these directories where glibc would consult its cache.
 * Bounded: at most {@value #MAX_FILES} files, {@value #MAX_BYTES} bytes each, {@value #MAX_DEPTH}
 * nested includes.
 */
final class LdSoConf {
  static final int MAX_FILES = 256;
  static final int MAX_BYTES = 256 * 1024;
  static final int MAX_DEPTH = 8;

  private final PathWalker walker;
  private final Set<String> dirs = new LinkedHashSet<>();
  private final Set<String> seenFiles = new LinkedHashSet<>();

  private LdSoConf(PathWalker walker) {
    this.walker = walker;
  }

  /** The directories listed by {@code file} and its includes, in order, without duplicates. */
  static List<String> read(PathWalker walker, String file) throws IOException {
    LdSoConf conf = new LdSoConf(walker);
    conf.parse(file, 0);
    return List.copyOf(conf.dirs);
  }

  private void parse(String file, int depth) throws IOException {
    if (depth > MAX_DEPTH || seenFiles.size() >= MAX_FILES) {
      return;
    }
    Optional<PathWalker.Resolved> resolved = walker.resolve(file);
    if (resolved.isEmpty() || !seenFiles.add(resolved.get().path())) {
      return;
    }
    Optional<byte[]> bytes = walker.readHead(file, MAX_BYTES);
    if (bytes.isEmpty()) {
      return;
    }
    String dir = PathNames.parent(file);
    for (String raw : new String(bytes.get(), StandardCharsets.UTF_8).split("\n")) {
      int hash = raw.indexOf('#');
      String line = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] words = line.split("[ \t]+");
      if (words[0].equals("include") && words.length > 1) {
        for (int i = 1; i < words.length; i++) {
          String pattern = words[i].startsWith("/") ? words[i] : PathNames.child(dir, words[i]);
          for (String included : glob(pattern)) {
            parse(included, depth + 1);
          }
        }
      } else if (!words[0].equals("hwcap")) {
        String entry = line;
        int eq = entry.indexOf('=');
        if (eq >= 0) {
          entry = entry.substring(0, eq).strip();
        }
        while (entry.length() > 1 && entry.endsWith("/")) {
          entry = entry.substring(0, entry.length() - 1);
        }
        if (entry.startsWith("/")) {
          dirs.add(entry);
        }
      }
    }
  }

  /** Expands wildcards in the last component, sorted like {@code glob(3)}. */
  private List<String> glob(String pattern) throws IOException {
    String name = PathNames.fileName(pattern);
    if (name.indexOf('*') < 0 && name.indexOf('?') < 0 && name.indexOf('[') < 0) {
      return List.of(pattern);
    }
    String parent = PathNames.parent(pattern);
    Optional<PathWalker.Resolved> dir = walker.resolve(parent);
    if (dir.isEmpty() || !(dir.get().node() instanceof ElfFileSystem.Directory)) {
      return List.of();
    }
    Pattern regex = Pattern.compile(globToRegex(name));
    List<String> matches = new ArrayList<>();
    for (String entry : walker.fileSystem().list(dir.get().path())) {
      if (!entry.startsWith(".") && regex.matcher(entry).matches()) {
        matches.add(PathNames.child(parent, entry));
      }
    }
    matches.sort(null);
    return matches;
  }

  static String globToRegex(String glob) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*') {
        re.append("[^/]*");
      } else if (c == '?') {
        re.append("[^/]");
      } else if (c == '[' && glob.indexOf(']', i + 2) > 0) {
        int close = glob.indexOf(']', i + 2);
        String set = glob.substring(i + 1, close);
        boolean negate = set.startsWith("!") || set.startsWith("^");
        re.append('[').append(negate ? "^" : "");
        for (char s : (negate ? set.substring(1) : set).toCharArray()) {
          boolean plain = s == '-' || (s < 128 && Character.isLetterOrDigit(s));
          re.append(plain ? String.valueOf(s) : "\\" + s);
        }
        re.append(']');
        i = close;
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return re.toString();
  }
}
