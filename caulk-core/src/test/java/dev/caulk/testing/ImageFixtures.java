package dev.caulk.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Test content: deterministic pseudo-random bytes, layer-style tar archives with exactly the
 * entries a test asks for (names kept verbatim, so hostile names like {@code ../x} or {@code
 * /etc/x} can be written), and gzip. Generic on purpose: it knows nothing of caulk's own classes.
 */
public final class ImageFixtures {
  private ImageFixtures() {}

  /** The kind of a tar entry. */
  public enum Type {
    FILE,
    DIR,
    SYMLINK,
    HARDLINK
  }

  /**
   * One tar entry. {@code linkTarget} is used by links only; {@code content} by files only.
   * Defaults from the factories: mode 0644 (files), 0755 (dirs), 0777 (symlinks); owner 0:0; mtime
   * the epoch.
   */
  public record Entry(
      String name,
      Type type,
      int mode,
      byte[] content,
      String linkTarget,
      long uid,
      long gid,
      Instant mtime) {
    /** Checks the values and copies the content. */
    public Entry {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(mtime, "mtime");
      content = content == null ? new byte[0] : content.clone();
      if ((type == Type.SYMLINK || type == Type.HARDLINK) && linkTarget == null) {
        throw new IllegalArgumentException(name + ": a link needs a target");
      }
    }

    /** The content (a copy). */
    @Override
    public byte[] content() {
      return content.clone();
    }

    /** Same entry with another permission mode, e.g. {@code 04755}. */
    public Entry withMode(int newMode) {
      return new Entry(name, type, newMode, content, linkTarget, uid, gid, mtime);
    }

    /** Same entry with another numeric owner. */
    public Entry withOwner(long newUid, long newGid) {
      return new Entry(name, type, mode, content, linkTarget, newUid, newGid, mtime);
    }

    /** Same entry with another modification time. */
    public Entry withMtime(Instant newMtime) {
      return new Entry(name, type, mode, content, linkTarget, uid, gid, newMtime);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Entry e
          && name.equals(e.name)
          && type == e.type
          && mode == e.mode
          && Arrays.equals(content, e.content)
          && Objects.equals(linkTarget, e.linkTarget)
          && uid == e.uid
          && gid == e.gid
          && mtime.equals(e.mtime);
    }

    @Override
    public int hashCode() {
      return Objects.hash(name, type, mode, Arrays.hashCode(content), linkTarget, uid, gid, mtime);
    }

    @Override
    public String toString() {
      return "Entry["
          + type
          + " "
          + name
          + (linkTarget != null ? " -> " + linkTarget : "")
          + " mode="
          + Integer.toOctalString(mode)
          + " "
          + uid
          + ":"
          + gid
          + " "
          + content.length
          + " B]";
    }
  }

  /** A regular file. */
  public static Entry file(String name, byte[] content) {
    return new Entry(name, Type.FILE, 0644, content, null, 0, 0, Instant.EPOCH);
  }

  /** A regular file with UTF-8 text. */
  public static Entry file(String name, String text) {
    return file(name, text.getBytes(StandardCharsets.UTF_8));
  }

  /** A directory; a trailing {@code /} is added to the name if missing, as tar does. */
  public static Entry dir(String name) {
    return new Entry(
        name.endsWith("/") ? name : name + "/", Type.DIR, 0755, null, null, 0, 0, Instant.EPOCH);
  }

  /** A symbolic link to {@code target} (kept verbatim, may be absolute or escape). */
  public static Entry symlink(String name, String target) {
    return new Entry(name, Type.SYMLINK, 0777, null, target, 0, 0, Instant.EPOCH);
  }

  /** A hard link to an earlier entry named {@code target}. */
  public static Entry hardlink(String name, String target) {
    return new Entry(name, Type.HARDLINK, 0644, null, target, 0, 0, Instant.EPOCH);
  }

  /** An OCI whiteout deleting {@code path} from lower layers (image-spec layer.md, "Whiteouts"). */
  public static Entry whiteout(String path) {
    String base = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    int slash = base.lastIndexOf('/');
    return file(base.substring(0, slash + 1) + ".wh." + base.substring(slash + 1), new byte[0]);
  }

  /** An OCI opaque-directory marker: hides everything lower layers put in {@code dir}. */
  public static Entry opaque(String dir) {
    return file((dir.endsWith("/") ? dir : dir + "/") + ".wh..wh..opq", new byte[0]);
  }

  /** {@code size} pseudo-random bytes, the same for the same seed on every machine and JDK. */
  public static byte[] randomBytes(long seed, int size) {
    byte[] b = new byte[size];
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < size; i += 8) {
      long v = r.nextLong();
      for (int j = 0; j < 8 && i + j < size; j++) {
        b[i + j] = (byte) (v >>> (8 * j));
      }
    }
    return b;
  }

  /**
   * The same bytes as {@link #randomBytes} as a stream of any length, for blobs too large to hold.
   */
  public static InputStream randomStream(long seed, long size) {
    return new InputStream() {
      private final SplittableRandom r = new SplittableRandom(seed);
      private long pos;
      private long word;

      @Override
      public int read() {
        if (pos >= size) {
          return -1;
        }
        if (pos % 8 == 0) {
          word = r.nextLong();
        }
        return (int) (word >>> (8 * (pos++ % 8))) & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        if (pos >= size) {
          return len == 0 ? 0 : -1;
        }
        int n = (int) Math.min(len, size - pos);
        int i = 0;
        while (i < n) {
          if (pos % 8 == 0 && n - i >= 8) { // whole words at a time: benchmarks stream gigabytes
            long v = r.nextLong();
            for (int j = 0; j < 8; j++) {
              b[off + i + j] = (byte) (v >>> (8 * j));
            }
            pos += 8;
            i += 8;
          } else {
            b[off + i++] = (byte) read();
          }
        }
        return n;
      }
    };
  }

  /** {@code sha256:<hex>} of the bytes, the OCI digest form (image-spec descriptor.md). */
  public static String sha256(byte[] data) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JDK without SHA-256", e);
    }
  }

  /** A tar (POSIX/PAX for long names and big numbers) with exactly these entries in this order. */
  public static byte[] tar(Entry... entries) {
    return tar(List.of(entries));
  }

  /** A tar with exactly these entries in this order. */
  public static byte[] tar(List<Entry> entries) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out =
        new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name())) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      for (Entry e : entries) {
        byte flag =
            switch (e.type()) {
              case FILE -> TarConstants.LF_NORMAL;
              case DIR -> TarConstants.LF_DIR;
              case SYMLINK -> TarConstants.LF_SYMLINK;
              case HARDLINK -> TarConstants.LF_LINK;
            };
        TarArchiveEntry te = new TarArchiveEntry(e.name(), flag, true); // true: keep names verbatim
        te.setMode(e.mode());
        te.setUserId(e.uid());
        te.setGroupId(e.gid());
        te.setModTime(e.mtime().toEpochMilli());
        if (e.linkTarget() != null) {
          te.setLinkName(e.linkTarget());
        }
        byte[] content = e.type() == Type.FILE ? e.content() : new byte[0];
        te.setSize(content.length);
        out.putArchiveEntry(te);
        out.write(content);
        out.closeArchiveEntry();
      }
      out.finish();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in-memory: cannot happen short of a bad entry
    }
    return bytes.toByteArray();
  }

  /** Gzip of the bytes, deterministic (no name, mtime 0). */
  public static byte[] gzip(byte[] data) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** {@code gzip(tar(entries))}: a typical compressed layer. */
  public static byte[] tarGz(Entry... entries) {
    return gzip(tar(entries));
  }
}
