package dev.caulk.archive;

import java.nio.charset.StandardCharsets;

/**
 * One 512-byte tar header block (POSIX ustar, with GNU's variant of the magic): name (with the
 * ustar prefix), type flag, size (octal or GNU base-256) and link name, checked against the header
 * checksum.
 */
record TarHeader(String name, char type, long size, String link) {

  static TarHeader parse(byte[] h, long pos, String what) throws InvalidArchiveException {
    if (!checksumOk(h)) {
      throw new InvalidArchiveException(
          what + ": not a tar archive (bad header checksum at offset " + pos + ")");
    }
    String name = str(h, 0, 100);
    boolean posixUstar =
        h[257] == 'u'
            && h[258] == 's'
            && h[259] == 't'
            && h[260] == 'a'
            && h[261] == 'r'
            && h[262] == 0;
    if (posixUstar) {
      String prefix = str(h, 345, 155);
      if (!prefix.isEmpty()) name = prefix + "/" + name;
    }
    long size = number(h, 124, 12, pos, what);
    return new TarHeader(name, (char) (h[156] & 0xff), size, str(h, 157, 100));
  }

  /** Refuses a compressed archive with a hint, before header parsing would call it "not a tar". */
  static void checkNotCompressed(byte[] head, String what) throws InvalidArchiveException {
    if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
      throw new InvalidArchiveException(
          what + ": archive is gzip-compressed; decompress it first (gunzip)");
    }
    if (head.length >= 4
        && (head[0] & 0xff) == 0x28
        && (head[1] & 0xff) == 0xb5
        && (head[2] & 0xff) == 0x2f
        && (head[3] & 0xff) == 0xfd) {
      throw new InvalidArchiveException(
          what + ": archive is zstd-compressed; decompress it first (zstd -d)");
    }
  }

  private static boolean checksumOk(byte[] h) {
    long stored;
    try {
      String s = str(h, 148, 8).trim();
      if (s.isEmpty()) return false;
      stored = Long.parseLong(s, 8);
    } catch (NumberFormatException e) {
      return false;
    }
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < 512; i++) {
      int v = (i >= 148 && i < 156) ? ' ' : h[i];
      unsigned += v & 0xff;
      signed += (i >= 148 && i < 156) ? ' ' : h[i];
    }
    return stored == unsigned || stored == signed;
  }

  private static long number(byte[] h, int off, int len, long pos, String what)
      throws InvalidArchiveException {
    if ((h[off] & 0x80) != 0) {
      if ((h[off] & 0xff) != 0x80)
        throw new InvalidArchiveException(what + ": negative size in header at offset " + pos);
      long v = 0;
      for (int i = off + 1; i < off + len; i++) {
        if (v > (Long.MAX_VALUE >> 8))
          throw new InvalidArchiveException(what + ": size too large in header at offset " + pos);
        v = (v << 8) | (h[i] & 0xff);
      }
      return v;
    }
    String s = str(h, off, len).trim();
    if (s.isEmpty()) return 0;
    try {
      return Long.parseLong(s, 8);
    } catch (NumberFormatException e) {
      throw new InvalidArchiveException(what + ": invalid size in header at offset " + pos);
    }
  }

  /** A NUL-terminated field. */
  private static String str(byte[] h, int off, int len) {
    int end = off;
    while (end < off + len && h[end] != 0) end++;
    return new String(h, off, end - off, StandardCharsets.UTF_8);
  }
}
