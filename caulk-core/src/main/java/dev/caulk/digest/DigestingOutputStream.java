package dev.caulk.digest;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/** Passes bytes through to another stream while counting them and computing their sha256. */
public final class DigestingOutputStream extends FilterOutputStream {
  private final MessageDigest md = Digest.newMessageDigest("sha256");
  private long count;

  public DigestingOutputStream(OutputStream out) {
    super(out);
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    md.update((byte) b);
    count++;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    md.update(b, off, len);
    count += len;
  }

  /** The digest of everything written; call once, after the last write. */
  public Digest digest() {
    return new Digest("sha256", HexFormat.of().formatHex(md.digest()));
  }

  public long count() {
    return count;
  }
}
