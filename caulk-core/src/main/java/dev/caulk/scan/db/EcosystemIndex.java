package dev.caulk.scan.db;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One ecosystem's files: {@code <name>.dat} (compact OSV JSON records back to back) and {@code
 * <name>.idx} (package name → record locations), both big-endian.
 *
 * <pre>
 * .idx: "CAULKIDX" | u32 version=1 | u32 nameCount | u32 refCount | u32 namesLength | 8 bytes reserved
 *       nameCount × { u32 nameOffset, u32 nameLength, u32 firstRef, u32 refCount }   sorted by name bytes
 *       refCount  × { u64 datOffset, u32 length }
 *       namesLength bytes of UTF-8 names
 * .dat: "CAULKDAT" | u32 version=1 | records…
 * </pre>
 *
 * <p>The index is memory-mapped and binary-searched in place, so opening costs one {@code mmap} and
 * a lookup touches a handful of pages; the data file is read with positional reads of exactly the
 * records asked for. Every offset is checked against the file sizes, so a damaged store fails with
 * a clear error instead of reading garbage.
 */
final class EcosystemIndex implements Closeable {
  static final byte[] IDX_MAGIC = "CAULKIDX".getBytes(UTF_8);
  static final byte[] DAT_MAGIC = "CAULKDAT".getBytes(UTF_8);
  static final int VERSION = 1;
  static final int HEADER = 32;
  static final int SLOT = 16;
  static final int REF = 12;

  private final String label;
  private final MappedByteBuffer idx;
  private final FileChannel dat;
  private final long datSize;
  private final int names;
  private final int refs;
  private final int namesStart;

  private EcosystemIndex(
      String label,
      MappedByteBuffer idx,
      FileChannel dat,
      long datSize,
      int names,
      int refs,
      int namesStart) {
    this.label = label;
    this.idx = idx;
    this.dat = dat;
    this.datSize = datSize;
    this.names = names;
    this.refs = refs;
    this.namesStart = namesStart;
  }

  static EcosystemIndex open(Path idxFile, Path datFile) throws IOException {
    String label = Sources.label(idxFile);
    MappedByteBuffer map;
    try (FileChannel ch = FileChannel.open(idxFile, StandardOpenOption.READ)) {
      if (ch.size() < HEADER || ch.size() > Integer.MAX_VALUE) {
        throw corrupt(label, "bad size");
      }
      map = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
    }
    byte[] magic = new byte[8];
    map.get(0, magic);
    int names = map.getInt(12);
    int refs = map.getInt(16);
    int namesLength = map.getInt(20);
    long expected = HEADER + (long) names * SLOT + (long) refs * REF + namesLength;
    if (!Arrays.equals(magic, IDX_MAGIC)
        || map.getInt(8) != VERSION
        || names < 0
        || refs < 0
        || namesLength < 0
        || expected != map.capacity()) {
      throw corrupt(label, "bad header");
    }
    FileChannel dat = FileChannel.open(datFile, StandardOpenOption.READ);
    try {
      ByteBuffer head = ByteBuffer.allocate(12);
      dat.read(head, 0);
      if (head.position() != 12
          || !Arrays.equals(Arrays.copyOf(head.array(), 8), DAT_MAGIC)
          || head.getInt(8) != VERSION) {
        throw corrupt(Sources.label(datFile), "bad header");
      }
      return new EcosystemIndex(
          label, map, dat, dat.size(), names, refs, HEADER + names * SLOT + refs * REF);
    } catch (IOException | RuntimeException e) {
      dat.close();
      throw e;
    }
  }

  /**
   * The raw JSON records filed under exactly this package name; empty when the name is not in the
   * index.
   */
  List<byte[]> records(String packageName) throws IOException {
    byte[] key = packageName.getBytes(UTF_8);
    int lo = 0;
    int hi = names - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = compareName(mid, key);
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return read(mid);
      }
    }
    return List.of();
  }

  private int compareName(int slot, byte[] key) throws VulnDbException {
    int base = HEADER + slot * SLOT;
    int off = idx.getInt(base);
    int len = idx.getInt(base + 4);
    if (off < 0 || len < 0 || (long) namesStart + off + len > idx.capacity()) {
      throw corrupt(label, "name out of bounds");
    }
    int n = Math.min(len, key.length);
    for (int k = 0; k < n; k++) {
      int c = Byte.compareUnsigned(idx.get(namesStart + off + k), key[k]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(len, key.length);
  }

  private List<byte[]> read(int slot) throws IOException {
    int base = HEADER + slot * SLOT;
    int first = idx.getInt(base + 8);
    int count = idx.getInt(base + 12);
    if (first < 0 || count < 0 || (long) first + count > refs) {
      throw corrupt(label, "reference out of bounds");
    }
    List<byte[]> out = new ArrayList<>(count);
    for (int k = 0; k < count; k++) {
      int r = HEADER + names * SLOT + (first + k) * REF;
      long offset = idx.getLong(r);
      int length = idx.getInt(r + 8);
      if (offset < DAT_MAGIC.length + 4
          || length <= 0
          || length > Sources.MAX_ENTRY_BYTES
          || offset + length > datSize) {
        throw corrupt(label, "record out of bounds");
      }
      ByteBuffer buf = ByteBuffer.allocate(length);
      while (buf.hasRemaining()) {
        if (dat.read(buf, offset + buf.position()) < 0) {
          throw corrupt(label, "data file truncated");
        }
      }
      out.add(buf.array());
    }
    return out;
  }

  int packageCount() {
    return names;
  }

  @Override
  public void close() throws IOException {
    dat.close();
  }

  static VulnDbException corrupt(String file, String what) {
    return new VulnDbException(
        "vulnerability database file "
            + file
            + " is corrupt ("
            + what
            + "); import the data again");
  }
}
