package dev.caulk.fs;

import dev.caulk.tar.EntryType;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One path of an image's merged filesystem, as the last layer that wrote it left it.
 *
 * @param path absolute and normalised ({@code /}, {@code /etc}, {@code /etc/passwd})
 * @param type what the path is
 * @param mode permission bits with setuid ({@code 04000}), setgid ({@code 02000}) and sticky
 *     ({@code 01000})
 * @param uid numeric owner
 * @param gid numeric group
 * @param size content bytes of a file; for a hard link the size of the file it shares; 0 otherwise
 * @param linkTarget a symlink's target as written, or a hard link's absolute target path; null
 *     otherwise
 * @param xattrs extended attributes, values as raw bytes in ISO-8859-1 characters (see {@link
 *     #xattrBytes})
 * @param layerIndex the index (base layer 0) of the layer that last wrote this path; -1 for the
 *     root when no layer names it, and for directories only implied by their children the layer
 *     that implied them
 * @param devMajor device major number (devices only)
 * @param devMinor device minor number (devices only)
 */
public record Node(
    String path,
    EntryType type,
    int mode,
    long uid,
    long gid,
    long size,
    @Nullable String linkTarget,
    Map<String, String> xattrs,
    int layerIndex,
    int devMajor,
    int devMinor) {

  public Node {
    xattrs = xattrs == null || xattrs.isEmpty() ? Map.of() : Map.copyOf(xattrs);
  }

  /** The last path component ({@code ""} for the root). */
  public String name() {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** The parent directory's path ({@code /} for top-level paths; null for the root). */
  public @Nullable String parent() {
    if (path.equals("/")) return null;
    int slash = path.lastIndexOf('/');
    return slash == 0 ? "/" : path.substring(0, slash);
  }

  /** True for directories. */
  public boolean isDirectory() {
    return type == EntryType.DIR;
  }

  /** True for regular files and hard links (both have content). */
  public boolean isRegular() {
    return type == EntryType.FILE || type == EntryType.HARDLINK;
  }

  /** True for symbolic links. */
  public boolean isSymlink() {
    return type == EntryType.SYMLINK;
  }

  /** The setuid bit ({@code 04000}). */
  public boolean isSetuid() {
    return (mode & 04000) != 0;
  }

  /** The setgid bit ({@code 02000}). */
  public boolean isSetgid() {
    return (mode & 02000) != 0;
  }

  /** World-writable ({@code o+w}). */
  public boolean isWorldWritable() {
    return (mode & 0002) != 0;
  }

  /** The raw bytes of an extended attribute (e.g. {@code security.capability}), or null. */
  public byte @Nullable [] xattrBytes(String attribute) {
    String v = xattrs.get(attribute);
    return v == null ? null : v.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** The mode as {@code ls -l} shows it, e.g. {@code -rwsr-xr-x} or {@code drwxrwxrwt}. */
  public String modeString() {
    char[] c = new char[10];
    c[0] = type.lsChar();
    String rwx = "rwxrwxrwx";
    for (int i = 0; i < 9; i++) c[i + 1] = (mode & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-';
    if ((mode & 04000) != 0) c[3] = c[3] == 'x' ? 's' : 'S';
    if ((mode & 02000) != 0) c[6] = c[6] == 'x' ? 's' : 'S';
    if ((mode & 01000) != 0) c[9] = c[9] == 'x' ? 't' : 'T';
    return new String(c);
  }
}
