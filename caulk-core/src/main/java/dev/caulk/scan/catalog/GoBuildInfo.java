package dev.caulk.scan.catalog;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The build information the Go linker embeds in every binary since Go 1.13 (golang/go {@code
 * src/debug/buildinfo/buildinfo.go}): a 32-byte header starting with the magic {@code "\xff Go
 * buildinf:"}, 16-byte aligned in the {@code .go.buildinfo} section, then the Go version and the
 * module information.
 *
 * <p>Header: magic (14 bytes), pointer size (4 or 8), flags (bit 0 big-endian, bit 1 inline
 * strings). Go 1.18+ linkers write the strings inline after the header, each as a uvarint length
 * and its bytes. Older linkers write two pointers at offsets 16 and 16+ptrSize, each to a Go string
 * header {@code {data pointer, length}} elsewhere in the image; those are followed through the
 * program headers via {@link ElfSegments#readVirtual}.
 *
 * @param goVersion the toolchain version string, e.g. {@code go1.22.1}
 * @param modInfo the module information text with its sentinels removed; empty for GOPATH builds
 */
record GoBuildInfo(String goVersion, String modInfo) {
  static final byte[] MAGIC = {
    (byte) 0xff, ' ', 'G', 'o', ' ', 'b', 'u', 'i', 'l', 'd', 'i', 'n', 'f', ':'
  };
  private static final int HEADER = 32;
  private static final int MAX_STRING = 4 << 20;

  /** Finds and decodes the build info, or returns null when the file has no magic (not Go). */
  static GoBuildInfo find(ElfSegments elf) throws CatalogException {
    for (boolean writable : new boolean[] {true, false}) {
      for (ElfSegments.Segment s : elf.segments) {
        if (s.writable != writable) continue;
        int first = (int) Math.floorMod(-s.vaddr, 16L);
        for (int i = first; i + MAGIC.length <= s.filled; i += 16) {
          if (matches(s.data, i)) return decode(elf, s, i);
        }
      }
    }
    return null;
  }

  private static boolean matches(byte[] d, int at) {
    for (int k = 0; k < MAGIC.length; k++) if (d[at + k] != MAGIC[k]) return false;
    return true;
  }

  private static GoBuildInfo decode(ElfSegments elf, ElfSegments.Segment s, int at)
      throws CatalogException {
    if (at + HEADER > s.filled) throw new CatalogException("Go build info: header truncated");
    int ptrSize = s.data[at + 14];
    int flags = s.data[at + 15];
    if (ptrSize != 4 && ptrSize != 8)
      throw new CatalogException("Go build info: invalid pointer size " + ptrSize);
    String version;
    String mod;
    if ((flags & 2) != 0) {
      int[] pos = {at + HEADER};
      version = inline(s, pos, "version");
      mod = inline(s, pos, "module info");
    } else {
      ByteOrder order = (flags & 1) != 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
      byte[] ptrs = new byte[2 * ptrSize];
      System.arraycopy(s.data, at + 16, ptrs, 0, ptrs.length);
      version = pointed(elf, ptr(ptrs, 0, ptrSize, order), ptrSize, order, "version");
      mod = pointed(elf, ptr(ptrs, ptrSize, ptrSize, order), ptrSize, order, "module info");
    }
    if (version.isEmpty()) throw new CatalogException("Go build info: empty Go version");
    byte[] m = mod.getBytes(StandardCharsets.ISO_8859_1);
    String info = "";
    // Upstream strips the 16-byte sentinels only when this holds; otherwise there is no module
    // info.
    if (m.length >= 33 && m[m.length - 17] == '\n')
      info = new String(m, 16, m.length - 32, StandardCharsets.UTF_8);
    return new GoBuildInfo(version, info);
  }

  /** A uvarint-length-prefixed string inside the segment (bytes kept as ISO-8859-1 chars). */
  private static String inline(ElfSegments.Segment s, int[] pos, String what)
      throws CatalogException {
    long len = 0;
    int shift = 0;
    int p = pos[0];
    while (true) {
      if (p >= s.filled) throw new CatalogException("Go build info: " + what + " length truncated");
      int b = s.data[p++] & 0xff;
      if (shift > 28) throw new CatalogException("Go build info: " + what + " length overflows");
      len |= (long) (b & 0x7f) << shift;
      shift += 7;
      if (b < 0x80) break;
    }
    if (len > MAX_STRING)
      throw new CatalogException(
          "Go build info: " + what + " of " + len + " bytes is over the bound");
    if (p + len > s.filled) throw new CatalogException("Go build info: " + what + " truncated");
    pos[0] = p + (int) len;
    return new String(s.data, p, (int) len, StandardCharsets.ISO_8859_1);
  }

  /** A Go string header {@code {ptr, len}} at {@code addr}, and the bytes it points to. */
  private static String pointed(
      ElfSegments elf, long addr, int ptrSize, ByteOrder order, String what)
      throws CatalogException {
    if (addr == 0) return "";
    byte[] hdr = elf.readVirtual(addr, 2 * ptrSize);
    long data = ptr(hdr, 0, ptrSize, order);
    long len = ptr(hdr, ptrSize, ptrSize, order);
    if (len < 0 || len > MAX_STRING)
      throw new CatalogException(
          "Go build info: " + what + " length " + len + " is over the bound");
    if (len == 0) return "";
    return new String(elf.readVirtual(data, (int) len), StandardCharsets.ISO_8859_1);
  }

  private static long ptr(byte[] b, int off, int size, ByteOrder order) {
    ByteBuffer bb = ByteBuffer.wrap(b, off, size).order(order);
    return size == 8 ? bb.getLong() : Integer.toUnsignedLong(bb.getInt());
  }

  /**
   * The Go version as a release number without {@code go} or {@code v}, the way OSV's {@code
   * stdlib} ranges spell it ({@code go1.21} → {@code 1.21.0}, {@code go1.21rc2} → {@code
   * 1.21.0-rc.2}, {@code go1} → {@code 1.0.0}), after dropping what follows the tag ({@code "
   * X:boringcrypto"}, {@code "-X:nodwarf5"}, {@code " (Red Hat 1.22.5-1.el9)"}). Returns null for
   * development toolchains ({@code devel go1.23-abc}).
   */
  static String stdlibVersion(String goVersion) {
    String v = goVersion.strip();
    int sp = v.indexOf(' ');
    if (sp >= 0) v = v.substring(0, sp);
    int x = v.indexOf("-X:");
    if (x >= 0) v = v.substring(0, x);
    if (!v.startsWith("go")) return null;
    var m =
        java.util.regex.Pattern.compile(
                "([0-9]+)(?:\\.([0-9]+))?(?:\\.([0-9]+))?(?:(rc|beta|alpha)([0-9]+))?")
            .matcher(v.substring(2));
    if (!m.matches()) return null;
    String out =
        m.group(1)
            + "."
            + (m.group(2) == null ? "0" : m.group(2))
            + "."
            + (m.group(3) == null ? "0" : m.group(3));
    if (m.group(4) != null) out += "-" + m.group(4) + "." + m.group(5);
    return out;
  }
}
