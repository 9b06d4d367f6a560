package dev.caulk.tar;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Writes ustar headers, with a PAX extended header only when an entry needs one (a long or
 * non-ASCII name or link, a size past 8 GiB, an id past 2097151, xattrs).
 *
 * <p>caulk writes tar headers itself instead of through commons-compress so that every byte is
 * fixed by this code: a library upgrade that changed PAX header naming or filled user names from
 * {@code user.name} would otherwise change every layer digest caulk has ever produced.
 */
final class TarWriter {
  static final int BLOCK = 512;
  private static final long MAX_OCTAL_11 = 077777777777L;
  private static final long MAX_OCTAL_7 = 07777777L;

  private final OutputStream out;
  private final long mtime;
  private final byte[] copyBuf = new byte[64 * 1024];

  /** One entry to write; names are normalised ({@code ""} is the root). */
  record Header(
      String name,
      EntryType type,
      int mode,
      long uid,
      long gid,
      long size,
      @Nullable String link,
      int major,
      int minor,
      Map<String, String> xattrs) {}

  TarWriter(OutputStream out, long mtimeSeconds) {
    if (mtimeSeconds < 0 || mtimeSeconds > MAX_OCTAL_11)
      throw new IllegalArgumentException("mtime out of the ustar range");
    this.out = out;
    this.mtime = mtimeSeconds;
  }

  /**
   * Writes one entry; for files, exactly {@code h.size()} bytes are copied from {@code content}.
   */
  void write(Header h, InputStream content, String what) throws IOException {
    String tarName =
        h.name().isEmpty() ? "./" : h.type() == EntryType.DIR ? h.name() + "/" : h.name();
    Map<String, byte[]> pax = new LinkedHashMap<>();
    byte[] nameField = field(tarName, "path", pax);
    byte[] linkField = h.link() == null ? new byte[0] : field(h.link(), "linkpath", pax);
    long size = h.type() == EntryType.FILE ? h.size() : 0;
    if (size > MAX_OCTAL_11) pax.put("size", ascii(Long.toString(size)));
    if (h.uid() > MAX_OCTAL_7) pax.put("uid", ascii(Long.toString(h.uid())));
    if (h.gid() > MAX_OCTAL_7) pax.put("gid", ascii(Long.toString(h.gid())));
    for (Map.Entry<String, String> x : new TreeMap<>(h.xattrs()).entrySet()) {
      pax.put("SCHILY.xattr." + x.getKey(), x.getValue().getBytes(StandardCharsets.ISO_8859_1));
    }
    if (!pax.isEmpty()) writePax(tarName, pax);
    byte[] hdr = new byte[BLOCK];
    System.arraycopy(nameField, 0, hdr, 0, nameField.length);
    octal(hdr, 100, 8, h.mode() & 07777);
    octal(hdr, 108, 8, h.uid() > MAX_OCTAL_7 ? 0 : h.uid());
    octal(hdr, 116, 8, h.gid() > MAX_OCTAL_7 ? 0 : h.gid());
    octal(hdr, 124, 12, size > MAX_OCTAL_11 ? 0 : size);
    octal(hdr, 136, 12, mtime);
    hdr[156] = (byte) h.type().typeflag();
    System.arraycopy(linkField, 0, hdr, 157, linkField.length);
    finishHeader(hdr, h.major(), h.minor());
    out.write(hdr);
    if (size > 0) copy(content, size, what + ": " + TarEntries.quote(h.name()));
  }

  /** Writes the end-of-archive marker: two zero blocks. */
  void finish() throws IOException {
    out.write(new byte[2 * BLOCK]);
  }

  private byte[] field(String value, String paxKey, Map<String, byte[]> pax) {
    byte[] b = value.getBytes(StandardCharsets.UTF_8);
    if (b.length <= 100 && isAscii(value)) return b;
    pax.put(paxKey, b);
    return sanitized(value, 100);
  }

  private void writePax(String tarName, Map<String, byte[]> pax) throws IOException {
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    for (Map.Entry<String, byte[]> r : pax.entrySet()) {
      byte[] key = r.getKey().getBytes(StandardCharsets.UTF_8);
      int base = 1 + key.length + 1 + r.getValue().length + 1;
      int digits = Integer.toString(base).length();
      if (Integer.toString(base + digits).length() > digits) digits++;
      body.write(ascii((base + digits) + " "));
      body.write(key);
      body.write('=');
      body.write(r.getValue());
      body.write('\n');
    }
    byte[] data = body.toByteArray();
    String base =
        TarEntries.basename(
            tarName.endsWith("/") ? tarName.substring(0, tarName.length() - 1) : tarName);
    byte[] name = sanitized("PaxHeaders/" + base, 100);
    byte[] hdr = new byte[BLOCK];
    System.arraycopy(name, 0, hdr, 0, name.length);
    octal(hdr, 100, 8, 0644);
    octal(hdr, 108, 8, 0);
    octal(hdr, 116, 8, 0);
    octal(hdr, 124, 12, data.length);
    octal(hdr, 136, 12, mtime);
    hdr[156] = 'x';
    finishHeader(hdr, 0, 0);
    out.write(hdr);
    out.write(data);
    pad(data.length);
  }

  private static void finishHeader(byte[] hdr, int major, int minor) {
    System.arraycopy(ascii("ustar\0" + "00"), 0, hdr, 257, 8);
    octal(hdr, 329, 8, major);
    octal(hdr, 337, 8, minor);
    Arrays.fill(hdr, 148, 156, (byte) ' ');
    long sum = 0;
    for (byte b : hdr) sum += b & 0xff;
    byte[] ck = ascii(String.format("%06o", sum));
    System.arraycopy(ck, 0, hdr, 148, 6);
    hdr[154] = 0;
    hdr[155] = ' ';
  }

  private void copy(InputStream in, long size, String what) throws IOException {
    long left = size;
    while (left > 0) {
      int n = in.read(copyBuf, 0, (int) Math.min(copyBuf.length, left));
      if (n < 0)
        throw new IOException(
            what
                + ": content ended after "
                + (size - left)
                + " of "
                + size
                + " bytes (changed while the layer was built?)");
      out.write(copyBuf, 0, n);
      left -= n;
    }
    if (in.read() >= 0)
      throw new IOException(
          what
              + ": content is longer than "
              + size
              + " bytes (changed while the layer was built?)");
    pad(size);
  }

  private void pad(long size) throws IOException {
    int rem = (int) (size % BLOCK);
    if (rem != 0) out.write(new byte[BLOCK - rem]);
  }

  private static void octal(byte[] h, int off, int len, long v) {
    String s = Long.toOctalString(v);
    if (s.length() > len - 1)
      throw new IllegalStateException("value " + v + " does not fit a " + len + "-byte field");
    int pad = len - 1 - s.length();
    for (int i = 0; i < pad; i++) h[off + i] = '0';
    for (int i = 0; i < s.length(); i++) h[off + pad + i] = (byte) s.charAt(i);
    h[off + len - 1] = 0;
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e) return false;
    }
    return true;
  }

  private static byte[] sanitized(String s, int max) {
    byte[] b = new byte[Math.min(max, s.length())];
    for (int i = 0; i < b.length; i++) {
      char c = s.charAt(i);
      b[i] = (byte) (c >= 0x20 && c <= 0x7e ? c : '_');
    }
    return b;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
