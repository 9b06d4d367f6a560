package dev.caulk.archive;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An index of a tar file's entries (name → offset and size), built in one pass over the headers,
 * then used for positioned, bounded reads of single entries, so nothing is extracted and no entry
 * is ever read whole unless asked.
 *
 * <p>The header parser is caulk's own, because the archive is untrusted: it bounds the number of
 * entries and the size of PAX and GNU long-name records, checks header checksums, and refuses
 * absolute names, {@code ..} components, duplicates, hard links, device files, symlinks whose
 * target leaves the archive, and entries that claim bytes past the end of the file. Relative
 * symlinks that stay inside are kept (skopeo writes {@code <id>/layer.tar -> ../<digest>.tar}) and
 * followed only inside the index, never on disk.
 */
final class TarIndex implements Closeable {
  static final int MAX_ENTRIES = 100_000;
  private static final int BLOCK = 512;
  private static final int MAX_NAME = 64 * 1024;
  private static final int MAX_PAX = 1024 * 1024;
  private static final int MAX_HOPS = 16;

  enum Kind {
    FILE,
    DIR,
    SYMLINK
  }

  /** One entry; for a symlink, {@code target} is the normalised path it points at. */
  record Entry(String name, Kind kind, long offset, long size, @Nullable String target) {}

  private final FileChannel channel;
  private final long fileSize;
  private final Map<String, Entry> entries;
  private final String what;

  private TarIndex(FileChannel channel, long fileSize, Map<String, Entry> entries, String what) {
    this.channel = channel;
    this.fileSize = fileSize;
    this.entries = entries;
    this.what = what;
  }

  /** Reads every header of the tar file. */
  static TarIndex open(Path file, String what) throws IOException {
    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
    try {
      long size = ch.size();
      return new TarIndex(
          ch, size, Collections.unmodifiableMap(new Parser(ch, size, what).parse()), what);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  Collection<Entry> entries() {
    return entries.values();
  }

  boolean contains(String name) {
    return entries.containsKey(name);
  }

  /**
   * The regular file a path names, following in-archive symlinks; null when absent.
   *
   * @param path a path from a document inside the archive: normalised and refused if it escapes
   */
  @Nullable Entry file(String path, String label) throws InvalidArchiveException {
    String name = normalize(path);
    if (name == null)
      throw new InvalidArchiveException(
          what + ": " + label + " '" + clip(path) + "' leaves the archive (absolute or ..)");
    Entry e = entries.get(name);
    for (int hops = 0; e != null && e.kind() == Kind.SYMLINK; hops++) {
      if (hops >= MAX_HOPS)
        throw new InvalidArchiveException(
            what + ": " + label + " '" + clip(path) + "': too many symlinks");
      e = entries.get(e.target());
    }
    if (e != null && e.kind() != Kind.FILE)
      throw new InvalidArchiveException(
          what + ": " + label + " '" + clip(path) + "' is not a regular file");
    return e;
  }

  /** A stream of the entry's bytes, read at their offset in the file. */
  InputStream open(Entry e) {
    return new EntryStream(e);
  }

  /** Reads a small entry whole. */
  byte[] read(Entry e, int max, String label) throws IOException {
    if (e.size() > max)
      throw new InvalidArchiveException(
          what + ": " + label + " is " + e.size() + " bytes, more than the " + max + " allowed");
    try (InputStream in = open(e)) {
      return in.readAllBytes();
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  /**
   * Normalises an entry or reference path: drops {@code .} and empty components and a trailing
   * slash; returns null for an absolute path, a {@code ..} component or a NUL character; returns ""
   * for the root itself.
   */
  static @Nullable String normalize(@Nullable String raw) {
    if (raw == null || raw.startsWith("/") || raw.indexOf('\0') >= 0) return null;
    StringBuilder b = new StringBuilder();
    for (String part : raw.split("/")) {
      if (part.isEmpty() || part.equals(".")) continue;
      if (part.equals("..")) return null;
      if (b.length() > 0) b.append('/');
      b.append(part);
    }
    return b.toString();
  }

  /**
   * Resolves a symlink target relative to the link's directory; null when it leaves the archive.
   */
  static @Nullable String resolveLink(String linkName, @Nullable String target) {
    if (target == null || target.isEmpty() || target.startsWith("/") || target.indexOf('\0') >= 0)
      return null;
    Deque<String> parts = new ArrayDeque<>();
    String[] base = linkName.split("/");
    for (int i = 0; i < base.length - 1; i++) parts.addLast(base[i]);
    for (String p : target.split("/")) {
      if (p.isEmpty() || p.equals(".")) continue;
      if (p.equals("..")) {
        if (parts.isEmpty()) return null;
        parts.removeLast();
      } else {
        parts.addLast(p);
      }
    }
    return parts.isEmpty() ? null : String.join("/", parts);
  }

  static String clip(String s) {
    if (s == null) return "null";
    String t = s.length() > 100 ? s.substring(0, 100) + "…" : s;
    return t.replaceAll("[^\\x20-\\x7e]", "?");
  }

  /**
   * A bounded stream over one entry's bytes, by positioned reads (thread-safe on a shared channel).
   */
  private final class EntryStream extends InputStream {
    private final Entry entry;
    private long pos;

    EntryStream(Entry entry) {
      this.entry = entry;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (pos >= entry.size()) return -1;
      if (len == 0) return 0;
      int want = (int) Math.min(len, entry.size() - pos);
      int n = channel.read(ByteBuffer.wrap(b, off, want), entry.offset() + pos);
      if (n < 0)
        throw new InvalidArchiveException(what + ": '" + clip(entry.name()) + "' is truncated");
      pos += n;
      return n;
    }

    @Override
    public long skip(long n) {
      long k = Math.max(0, Math.min(n, entry.size() - pos));
      pos += k;
      return k;
    }

    @Override
    public int available() {
      return (int) Math.min(Integer.MAX_VALUE, entry.size() - pos);
    }
  }

  /** One pass over the headers. */
  private static final class Parser {
    private final FileChannel ch;
    private final long fileSize;
    private final String what;
    private final Map<String, Entry> out = new LinkedHashMap<>();
    private final Map<String, String> pax = new HashMap<>();
    private @Nullable String longName;
    private @Nullable String longLink;

    Parser(FileChannel ch, long fileSize, String what) {
      this.ch = ch;
      this.fileSize = fileSize;
      this.what = what;
    }

    Map<String, Entry> parse() throws IOException {
      long pos = 0;
      byte[] h = new byte[BLOCK];
      if (fileSize >= 4) {
        byte[] head = new byte[4];
        readFully(head, 0);
        TarHeader.checkNotCompressed(head, what);
      }
      while (pos < fileSize) {
        if (pos + BLOCK > fileSize)
          throw new InvalidArchiveException(
              what + ": truncated tar (partial header at offset " + pos + ")");
        readFully(h, pos);
        if (allZero(h)) break;
        TarHeader th = TarHeader.parse(h, pos, what);
        long size = pax.containsKey("size") ? parseSize(pax.get("size"), pos) : th.size();
        long data = pos + BLOCK;
        if (size > fileSize - data) {
          throw new InvalidArchiveException(
              what
                  + ": truncated tar: entry at offset "
                  + pos
                  + " claims "
                  + size
                  + " bytes but the file ends "
                  + (fileSize - data)
                  + " bytes later");
        }
        long next = data + (size + BLOCK - 1) / BLOCK * BLOCK;
        switch (th.type()) {
          case 'L' -> longName = stripNul(readString(data, size, MAX_NAME, "GNU long name"));
          case 'K' -> longLink = stripNul(readString(data, size, MAX_NAME, "GNU long link"));
          case 'x' -> parsePax(readString(data, size, MAX_PAX, "PAX header"), pos);
          case 'g' -> {
            /* global PAX header: nothing caulk needs */
          }
          default -> add(th, size, data, pos);
        }
        pos = next;
      }
      return out;
    }

    private void add(TarHeader th, long size, long data, long pos) throws InvalidArchiveException {
      String raw = pax.getOrDefault("path", longName != null ? longName : th.name());
      String link = pax.getOrDefault("linkpath", longLink != null ? longLink : th.link());
      pax.clear();
      longName = null;
      longLink = null;
      Kind kind =
          switch (th.type()) {
            case '0', '\0', '7' -> Kind.FILE;
            case '5' -> Kind.DIR;
            case '2' -> Kind.SYMLINK;
            case '1' ->
                throw new InvalidArchiveException(
                    what
                        + ": entry '"
                        + clip(raw)
                        + "' is a hard link; archives with links are refused");
            default ->
                throw new InvalidArchiveException(
                    what
                        + ": entry '"
                        + clip(raw)
                        + "' has unsupported type '"
                        + clip(String.valueOf(th.type()))
                        + "' (only files, directories and in-archive symlinks)");
          };
      String name = normalize(raw);
      if (name == null)
        throw new InvalidArchiveException(
            what + ": entry '" + clip(raw) + "' has an absolute or .. path; refusing the archive");
      if (name.isEmpty()) {
        if (kind == Kind.DIR) return;
        throw new InvalidArchiveException(what + ": entry at offset " + pos + " has an empty name");
      }
      String target = null;
      if (kind == Kind.SYMLINK) {
        target = resolveLink(name, link);
        if (target == null) {
          throw new InvalidArchiveException(
              what
                  + ": entry '"
                  + clip(name)
                  + "' is a symlink to '"
                  + clip(link)
                  + "', which leaves the archive; refusing the archive");
        }
      }
      Entry prev = out.get(name);
      if (prev != null && !(prev.kind() == Kind.DIR && kind == Kind.DIR)) {
        throw new InvalidArchiveException(
            what + ": duplicate entry '" + clip(name) + "'; refusing an ambiguous archive");
      }
      if (out.size() >= MAX_ENTRIES)
        throw new InvalidArchiveException(what + ": more than " + MAX_ENTRIES + " entries");
      out.put(name, new Entry(name, kind, data, kind == Kind.FILE ? size : 0, target));
    }

    private void parsePax(String records, long pos) throws InvalidArchiveException {
      int i = 0;
      while (i < records.length()) {
        int sp = records.indexOf(' ', i);
        int len;
        try {
          len = sp < 0 ? -1 : Integer.parseInt(records.substring(i, sp));
        } catch (NumberFormatException e) {
          len = -1;
        }
        if (len <= 0 || i + len > records.length() || records.charAt(i + len - 1) != '\n') {
          throw new InvalidArchiveException(what + ": malformed PAX header at offset " + pos);
        }
        String rec = records.substring(sp + 1, i + len - 1);
        int eq = rec.indexOf('=');
        if (eq <= 0)
          throw new InvalidArchiveException(what + ": malformed PAX record at offset " + pos);
        pax.put(rec.substring(0, eq), rec.substring(eq + 1));
        i += len;
      }
    }

    private long parseSize(String s, long pos) throws InvalidArchiveException {
      try {
        long v = Long.parseLong(s.trim());
        if (v >= 0) return v;
      } catch (NumberFormatException e) {
        // fall through
      }
      throw new InvalidArchiveException(what + ": invalid PAX size at offset " + pos);
    }

    private String readString(long at, long size, int max, String label) throws IOException {
      if (size > max)
        throw new InvalidArchiveException(
            what + ": " + label + " at offset " + at + " is larger than " + max + " bytes");
      byte[] b = new byte[(int) size];
      readFully(b, at);
      return new String(b, StandardCharsets.UTF_8);
    }

    private void readFully(byte[] b, long at) throws IOException {
      ByteBuffer buf = ByteBuffer.wrap(b);
      while (buf.hasRemaining()) {
        int n = ch.read(buf, at + buf.position());
        if (n < 0)
          throw new InvalidArchiveException(
              what + ": truncated tar at offset " + (at + buf.position()));
      }
    }

    private static String stripNul(String s) {
      int z = s.indexOf('\0');
      return z >= 0 ? s.substring(0, z) : s;
    }

    private static boolean allZero(byte[] b) {
      for (byte x : b) if (x != 0) return false;
      return true;
    }
  }
}
