package dev.caulk.maven;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import dev.caulk.build.BuildConfig;
import dev.caulk.name.Reference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The checks {@code caulk.yaml}'s loader makes of its keys, made of the POM's elements instead, so
 * that a mistake names the element ({@code <caulk><ports>: 'x' is not a port}) rather than a file
 * line the POM does not have.
 */
final class PomSettings {
  private static final Pattern PORT = Pattern.compile("([0-9]{1,5})(/(tcp|udp|sctp))?");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern MODULE =
      Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");

  private PomSettings() {}

  static @Nullable List<String> ports(String element, @Nullable List<String> ports) {
    if (ports == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (String p : ports) {
      String v = p == null ? "" : p.strip();
      Matcher m = PORT.matcher(v);
      int n = m.matches() ? Integer.parseInt(m.group(1)) : 0;
      if (n < 1 || n > 65535) {
        throw new PomException(
            element, "'" + printable(v) + "' is not a port (PORT or PORT/tcp|udp|sctp, 1-65535)");
      }
      out.add(v);
    }
    return out;
  }

  static @Nullable Map<String, String> env(String element, @Nullable Map<String, String> env) {
    if (env == null) {
      return null;
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : env.entrySet()) {
      if (!ENV_NAME.matches(e.getKey())) {
        throw new PomException(
            element,
            "'" + printable(e.getKey()) + "' is not a variable name ([A-Za-z_][A-Za-z0-9_]*)");
      }
      out.put(e.getKey(), e.getValue() == null ? "" : e.getValue());
    }
    return out;
  }

  static BuildConfig.@Nullable User user(String element, @Nullable String user) {
    if (user == null) {
      return null;
    }
    try {
      return BuildConfig.User.parse(user.strip());
    } catch (IllegalArgumentException e) {
      throw new PomException(element, String.valueOf(e.getMessage()));
    }
  }

  static @Nullable String absolute(String element, @Nullable String path) {
    if (path == null) {
      return null;
    }
    if (!path.startsWith("/") || path.contains("/../") || path.endsWith("/..")) {
      throw new PomException(
          element, "'" + printable(path) + "' is not an absolute path without '..'");
    }
    return path;
  }

  static @Nullable String oneOf(String element, @Nullable String value, List<String> accepted) {
    if (value == null) {
      return null;
    }
    if (!accepted.contains(value)) {
      throw new PomException(
          element, "'" + printable(value) + "' is not one of " + String.join(", ", accepted));
    }
    return value;
  }

  static @Nullable Integer level(String element, @Nullable Integer level) {
    if (level != null && (level < 0 || level > 9)) {
      throw new PomException(element, level + " is not a gzip level (0-9)");
    }
    return level;
  }

  static @Nullable List<String> modules(String element, @Nullable List<String> modules) {
    if (modules == null) {
      return null;
    }
    for (String m : modules) {
      if (m == null || !MODULE.matches(m)) {
        throw new PomException(
            element, "'" + printable(String.valueOf(m)) + "' is not a module name");
      }
    }
    return modules;
  }

  /** An image name (the part after the prefix): what a registry repository path accepts. */
  static String imageName(String element, String name) {
    try {
      Reference.parse("localhost/" + name + ":t");
    } catch (IllegalArgumentException e) {
      throw new PomException(
          element, "'" + printable(String.valueOf(name)) + "' is not an image name");
    }
    if (!name.equals(name.toLowerCase(Locale.ROOT))) {
      throw new PomException(
          element, "'" + printable(name) + "' is not an image name (lower case)");
    }
    return name;
  }

  /** A tag as registries take it; Maven versions are ({@code 1.0-SNAPSHOT}). */
  static @Nullable String tag(String element, @Nullable String tag) {
    if (tag == null) {
      return null;
    }
    try {
      Reference.parse("localhost/x:" + tag);
    } catch (IllegalArgumentException e) {
      throw new PomException(element, "'" + printable(tag) + "' is not an image tag");
    }
    return tag;
  }

  /** Control characters as {@code ?}, for one-line messages. */
  static String printable(String text) {
    StringBuilder b = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return b.toString();
  }
}
