package dev.caulk.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;

/** The {@link ElfSource} implementations behind its factories. */
final class Sources {
  private Sources() {}

  /** A channel; positional reads for file channels, seek-then-read otherwise. */
  static final class Channel implements ElfSource {
    private final SeekableByteChannel channel;

    Channel(SeekableByteChannel channel) {
      this.channel = channel;
    }

    @Override
    public long size() throws IOException {
      return channel.size();
    }

    @Override
    public int read(long position, ByteBuffer dst) throws IOException {
      if (channel instanceof FileChannel file) {
        return file.read(dst, position);
      }
      channel.position(position);
      return channel.read(dst);
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  /** An in-memory byte array. */
  static final class Bytes implements ElfSource {
    private final byte[] bytes;

    Bytes(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public long size() {
      return bytes.length;
    }

    @Override
    public int read(long position, ByteBuffer dst) {
      if (position < 0 || position >= bytes.length) {
        return -1;
      }
      int n = (int) Math.min(dst.remaining(), bytes.length - position);
      dst.put(bytes, (int) position, n);
      return n;
    }
  }

  /** A window of another source. */
  static final class Slice implements ElfSource {
    private final ElfSource base;
    private final long offset;
    private final long length;

    Slice(ElfSource base, long offset, long length) {
      this.base = base;
      this.offset = offset;
      this.length = length;
    }

    @Override
    public long size() {
      return length;
    }

    @Override
    public int read(long position, ByteBuffer dst) throws IOException {
      if (position < 0 || position >= length) {
        return -1;
      }
      long max = length - position;
      if (dst.remaining() <= max) {
        return base.read(offset + position, dst);
      }
      ByteBuffer window = dst.slice();
      window.limit((int) max);
      int n = base.read(offset + position, window);
      if (n > 0) {
        dst.position(dst.position() + n);
      }
      return n;
    }

    @Override
    public void close() throws IOException {
      base.close();
    }
  }
}
