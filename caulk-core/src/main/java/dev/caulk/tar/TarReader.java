package dev.caulk.tar;

import dev.caulk.digest.DigestMismatchException;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.jspecify.annotations.Nullable;

/**
 * Reads a layer tar entry by entry with commons-compress, giving {@link TarEntry} values with
 * normalised names. Made by {@link TarEntries#reader}.
 *
 * <p>When {@link #next()} reaches the end of the archive it reads the rest of the underlying
 * stream, so a verifying stream (a layer's {@code uncompressed()}) gets to check its digest: a
 * consumer that saw {@code null} from {@code next()} has read a verified layer. Not thread-safe.
 */
public final class TarReader implements Closeable {
  private final TapStream tap;
  private final TarArchiveInputStream tar;
  private final String what;
  private @Nullable TarEntry current;
  private boolean done;
  private byte @Nullable [] skipBuffer;

  TarReader(InputStream in, String what, long maxBytes, int maxExtended) {
    this.what = what;
    this.tap = new TapStream(in, what, maxBytes, maxExtended);
    this.tar = new TarArchiveInputStream(tap, "UTF-8");
  }

  /**
   * The next entry, or null at the end of the archive (after which the underlying stream has been
   * read to its end). Unread content of the previous entry is skipped.
   *
   * @throws InvalidLayerException for a corrupt header, an escaping name, an unsupported type or a
   *     limit reached; a {@link DigestMismatchException} from the underlying stream passes through
   */
  public @Nullable TarEntry next() throws IOException {
    if (done) return null;
    if (current != null) {
      try {
        drain(tar);
      } catch (IOException | RuntimeException ex) {
        throw translate(ex);
      }
    }
    current = null;
    TarArchiveEntry e;
    byte[] raw;
    tap.startRecording();
    try {
      e = tar.getNextEntry();
    } catch (IOException | RuntimeException ex) {
      throw translate(ex);
    } finally {
      raw = tap.stopRecording();
    }
    if (e == null) {
      done = true;
      try {
        drain(tap);
      } catch (IOException ex) {
        throw translate(ex);
      }
      return null;
    }
    current = convert(e, raw);
    return current;
  }

  /**
   * The content of the current entry: exactly {@code size} bytes for a regular file, nothing for
   * other types. Closing the returned stream does not close the reader.
   */
  public InputStream content() {
    if (current == null || current.type() != EntryType.FILE) return InputStream.nullInputStream();
    return new FilterInputStream(tar) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        try {
          return super.read(b, off, len);
        } catch (IOException | RuntimeException ex) {
          throw translate(ex);
        }
      }

      @Override
      public void close() {}
    };
  }

  /** Uncompressed tar bytes consumed so far. */
  public long bytesRead() {
    return tap.position();
  }

  /** The name given to this tar in error messages. */
  public String what() {
    return what;
  }

  /** Closes the reader and the stream it reads. */
  @Override
  public void close() throws IOException {
    tar.close();
  }

  /**
   * Reads {@code in} to its end into one reused buffer (a fresh 64 KiB array per entry costs more
   * than the tar).
   */
  private void drain(InputStream in) throws IOException {
    if (skipBuffer == null) skipBuffer = new byte[64 * 1024];
    while (in.read(skipBuffer, 0, skipBuffer.length) >= 0) {
      /* skipping */
    }
  }

  private IOException translate(Throwable ex) {
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (t instanceof InvalidLayerException || t instanceof DigestMismatchException)
        return (IOException) t;
    }
    String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
    return new InvalidLayerException(what + ": unreadable tar: " + TarEntries.quote(msg), ex);
  }

  private TarEntry convert(TarArchiveEntry e, byte @Nullable [] raw) throws InvalidLayerException {
    String rawName = e.getName();
    String name = TarEntries.normalize(rawName, what);
    EntryType type = typeOf(e, rawName);
    String link = null;
    if (type == EntryType.HARDLINK) {
      link = TarEntries.normalize(e.getLinkName(), what + ": hard link " + TarEntries.quote(name));
      if (link.isEmpty())
        throw new InvalidLayerException(
            what + ": hard link " + TarEntries.quote(name) + " points to the root");
    } else if (type == EntryType.SYMLINK) {
      link = e.getLinkName();
      if (link == null || link.isEmpty())
        throw new InvalidLayerException(
            what + ": symlink " + TarEntries.quote(name) + " has no target");
      if (link.indexOf('\0') >= 0 || link.length() > TarEntries.MAX_NAME_BYTES) {
        throw new InvalidLayerException(
            what + ": symlink " + TarEntries.quote(name) + " has an invalid target");
      }
    }
    long size = type == EntryType.FILE ? (e.isSparse() ? e.getRealSize() : e.getSize()) : 0;
    if (size < 0)
      throw new InvalidLayerException(
          what + ": entry " + TarEntries.quote(name) + " has a negative size");
    long uid = e.getLongUserId();
    long gid = e.getLongGroupId();
    if (uid < 0 || gid < 0)
      throw new InvalidLayerException(
          what + ": entry " + TarEntries.quote(name) + " has a negative owner");
    Instant mtime =
        e.getLastModifiedTime() == null ? Instant.EPOCH : e.getLastModifiedTime().toInstant();
    boolean dev = type == EntryType.CHAR_DEVICE || type == EntryType.BLOCK_DEVICE;
    return new TarEntry(
        name,
        type,
        e.getMode() & 07777,
        uid,
        gid,
        size,
        link,
        xattrs(e, raw),
        mtime,
        dev ? e.getDevMajor() : 0,
        dev ? e.getDevMinor() : 0);
  }

  private EntryType typeOf(TarArchiveEntry e, String rawName) throws InvalidLayerException {
    byte flag = e.getLinkFlag();
    return switch (flag) {
      case '0', 0, '7' -> rawName.endsWith("/") ? EntryType.DIR : EntryType.FILE;
      case 'S' -> EntryType.FILE; // GNU sparse: commons-compress expands the holes
      case '1' -> EntryType.HARDLINK;
      case '2' -> EntryType.SYMLINK;
      case '3' -> EntryType.CHAR_DEVICE;
      case '4' -> EntryType.BLOCK_DEVICE;
      case '5', 'D' -> EntryType.DIR;
      case '6' -> EntryType.FIFO;
      default ->
          throw new InvalidLayerException(
              what
                  + ": entry "
                  + TarEntries.quote(rawName)
                  + " has unsupported type "
                  + (flag >= 0x20 && flag < 0x7f
                      ? "'" + (char) flag + "'"
                      : "0x" + Integer.toHexString(flag & 0xff)));
    };
  }

  private Map<String, String> xattrs(TarArchiveEntry e, byte @Nullable [] raw) {
    Map<String, String> pax = e.getExtraPaxHeaders();
    if (pax.isEmpty()) return Map.of();
    Map<String, String> out = new TreeMap<>();
    Map<String, byte[]> rawValues = null;
    for (Map.Entry<String, String> h : pax.entrySet()) {
      String k = h.getKey();
      if (!k.startsWith("SCHILY.xattr.")) continue;
      String attr = k.substring("SCHILY.xattr.".length());
      String v = h.getValue();
      byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
      if (v.indexOf('\uFFFD') >= 0 && raw != null) {
        if (rawValues == null) rawValues = TapStream.rawPaxXattrs(raw, tap.recordStart());
        byte[] r = rawValues.get(attr);
        if (r != null) bytes = r;
      }
      out.put(attr, new String(bytes, StandardCharsets.ISO_8859_1));
    }
    for (Map.Entry<String, String> h : pax.entrySet()) {
      String k = h.getKey();
      if (!k.startsWith("LIBARCHIVE.xattr.")) continue;
      try {
        String attr =
            URLDecoder.decode(k.substring("LIBARCHIVE.xattr.".length()), StandardCharsets.UTF_8);
        String b64 = h.getValue().trim();
        while (b64.length() % 4 != 0) b64 += "=";
        out.putIfAbsent(
            attr, new String(Base64.getDecoder().decode(b64), StandardCharsets.ISO_8859_1));
      } catch (IllegalArgumentException ignored) {
        // a malformed libarchive record carries no usable attribute
      }
    }
    return out;
  }
}
