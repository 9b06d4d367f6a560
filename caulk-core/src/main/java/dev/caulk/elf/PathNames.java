package dev.caulk.elf;

import java.util.ArrayList;
import java.util.List;

/** String helpers for the absolute, {@code /}-separated paths of an {@link ElfFileSystem}. */
final class PathNames {
  private PathNames() {}

  /**
   * True for {@code "/"} or {@code "/a/b"}: absolute, no empty, {@code .} or {@code ..} components.
   */
  static boolean isNormalizedAbsolute(String path) {
    if (path.isEmpty() || path.charAt(0) != '/' || path.indexOf('\0') >= 0) {
      return false;
    }
    if (path.length() == 1) {
      return true;
    }
    if (path.endsWith("/")) {
      return false;
    }
    for (String part : path.substring(1).split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        return false;
      }
    }
    return true;
  }

  /** The non-empty components of a path, {@code .} dropped, {@code ..} kept for the walker. */
  static List<String> components(String path) {
    List<String> out = new ArrayList<>();
    for (String part : path.split("/")) {
      if (!part.isEmpty() && !part.equals(".")) {
        out.add(part);
      }
    }
    return out;
  }

  /** Joins components into an absolute path ({@code "/"} for none). */
  static String absolute(List<String> components) {
    return components.isEmpty() ? "/" : "/" + String.join("/", components);
  }

  /** The directory part of an absolute path ({@code "/"} for top-level names). */
  static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }

  /** The last component of a path. */
  static String fileName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /**
   * {@code dir + "/" + name} without doubling the slash; {@code name} relative to "/" if dir is
   * empty.
   */
  static String child(String dir, String name) {
    if (dir.isEmpty()) {
      return "/" + name;
    }
    return dir.endsWith("/") ? dir + name : dir + "/" + name;
  }
}
