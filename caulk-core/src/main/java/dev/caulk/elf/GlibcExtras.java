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
 * Libraries glibc opens with {@code dlopen} rather than through {@code DT_NEEDED}, which a closure
 * built from the dynamic section alone would miss: the NSS service modules named in {@code
 * /etc/nsswitch.conf} ({@code libnss_SERVICE.so.2}, glibc manual "NSS Module Names"), and {@code
 * libgcc_s.so.1}, which glibc loads for unwinding in {@code pthread_cancel}/{@code pthread_exit}.
 * Since glibc 2.34, {@code files} and {@code dns} are built into {@code libc.so.6}; their modules
 * are named anyway and kept only if present.
 */
final class GlibcExtras {
  static final String NSSWITCH = "/etc/nsswitch.conf";
  static final String LIBGCC_S = "libgcc_s.so.1";
  private static final int MAX_SERVICES = 64;
  private static final int MAX_BYTES = 64 * 1024;
  private static final Pattern SERVICE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.+-]*");

  private GlibcExtras() {}

  /** True when a closure uses glibc: it loads {@code libc.so.6} or {@code libpthread.so.0}. */
  static boolean usesGlibc(LibraryClosure closure) {
    return closure.library("libc.so.6").isPresent()
        || closure.library("libpthread.so.0").isPresent();
  }

  /** The module names glibc may dlopen for a program using it, NSS modules first. */
  static List<String> names(PathWalker walker) throws IOException {
    Set<String> names = new LinkedHashSet<>();
    for (String service : services(walker)) {
      names.add("libnss_" + service + ".so.2");
    }
    names.add(LIBGCC_S);
    return List.copyOf(names);
  }

  /** Service names in order of first use; glibc's built-in defaults when the file is absent. */
  static List<String> services(PathWalker walker) throws IOException {
    Optional<byte[]> bytes = walker.readHead(NSSWITCH, MAX_BYTES);
    if (bytes.isEmpty()) {
      return List.of("files", "dns");
    }
    Set<String> services = new LinkedHashSet<>();
    for (String raw : new String(bytes.get(), StandardCharsets.UTF_8).split("\n")) {
      int hash = raw.indexOf('#');
      String line = hash >= 0 ? raw.substring(0, hash) : raw;
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      for (String word : withoutActions(line.substring(colon + 1)).trim().split("\\s+")) {
        if (services.size() < MAX_SERVICES && SERVICE.matcher(word).matches()) {
          services.add(word);
        }
      }
    }
    return new ArrayList<>(services);
  }

  /** Removes {@code [STATUS=ACTION ...]} blocks, which may contain spaces. */
  private static String withoutActions(String s) {
    StringBuilder out = new StringBuilder(s.length());
    boolean inAction = false;
    for (char c : s.toCharArray()) {
      if (c == '[') {
        inAction = true;
      } else if (c == ']') {
        inAction = false;
        out.append(' ');
      } else if (!inAction) {
        out.append(c);
      }
    }
    return out.toString();
  }
}
