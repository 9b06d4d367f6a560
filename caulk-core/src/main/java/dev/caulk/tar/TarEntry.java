package dev.caulk.tar;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a layer tar, as {@link TarReader} decodes it.
 *
 * @param name the normalised name: relative, no {@code ./} or leading {@code /}, no {@code //}, no
 *     trailing {@code /}; the empty string is the root directory (an entry named {@code ./})
 * @param type what the entry is
 * @param mode permission bits plus setuid, setgid and sticky ({@code 07777})
 * @param uid numeric owner (user names in the tar are ignored, as layer.md allows)
 * @param gid numeric group
 * @param size content bytes for {@link EntryType#FILE}, 0 for everything else
 * @param linkTarget a symlink's target as written (may be absolute or contain {@code ..}); a hard
 *     link's target normalised like {@code name}; null otherwise
 * @param xattrs extended attributes from PAX {@code SCHILY.xattr.*} (or {@code LIBARCHIVE.xattr.*})
 *     records, name to value; each value holds the raw bytes as ISO-8859-1 characters (one char per
 *     byte) so binary values such as {@code security.capability} survive intact: use {@link
 *     #xattrBytes(String)} to get the bytes back
 * @param mtime modification time (seconds precision or finer, as the tar says)
 * @param devMajor device major number for devices, else 0
 * @param devMinor device minor number for devices, else 0
 */
public record TarEntry(
    String name,
    EntryType type,
    int mode,
    long uid,
    long gid,
    long size,
    @Nullable String linkTarget,
    Map<String, String> xattrs,
    Instant mtime,
    int devMajor,
    int devMinor) {

  public TarEntry {
    xattrs = xattrs == null || xattrs.isEmpty() ? Map.of() : Map.copyOf(xattrs);
  }

  /** The absolute path inside the image: {@code /} + name. */
  public String path() {
    return "/" + name;
  }

  /** The raw bytes of an extended attribute, or null when absent. */
  public byte @Nullable [] xattrBytes(String attribute) {
    String v = xattrs.get(attribute);
    return v == null ? null : v.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
  }
}
