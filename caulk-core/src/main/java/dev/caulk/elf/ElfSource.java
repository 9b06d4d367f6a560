package dev.caulk.elf;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * A bounded, random-access view of a file's bytes.
 *
 * <p>ELF parsing needs to jump around (header, program headers, dynamic section, string table,
 * section headers at the end), but never needs the whole file: a 100 MB {@code libjvm.so} is
 * inspected with a few kilobytes of reads. Implementations need not be thread-safe.
 */
public interface ElfSource extends Closeable {

  /**
   * Returns the total length of the underlying file in bytes.
   *
   * @throws IOException if the size cannot be determined
   */
  long size() throws IOException;

  /**
   * Reads bytes starting at {@code position} into {@code dst}, like {@link
   * FileChannel#read(ByteBuffer, long)}.
   *
   * @return the number of bytes read, possibly fewer than {@code dst.remaining()}, or -1 at end of
   *     file
   * @throws IOException if the read fails
   */
  int read(long position, ByteBuffer dst) throws IOException;

  /** Releases the underlying resource; the default does nothing. */
  @Override
  default void close() throws IOException {}

  /**
   * Returns a view of {@code length} bytes of this source starting at {@code offset}, e.g. a file's
   * data inside an uncompressed layer tar. Closing the view closes this source.
   *
   * @throws IllegalArgumentException if offset or length is negative
   */
  default ElfSource slice(long offset, long length) {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("negative slice bounds");
    }
    return new Sources.Slice(this, offset, length);
  }

  /**
   * Wraps a channel; {@link FileChannel}s are read positionally, other channels are repositioned
   * before each read. Closing the source closes the channel.
   */
  static ElfSource of(SeekableByteChannel channel) {
    return new Sources.Channel(Objects.requireNonNull(channel, "channel"));
  }

  /** Wraps an in-memory copy of a (small) file; used by tests and for content already peeked. */
  static ElfSource of(byte[] bytes) {
    return new Sources.Bytes(bytes.clone());
  }

  /**
   * Opens a host file for reading without following a symlink in its last component.
   *
   * @throws IOException if the file cannot be opened (including when it is a symlink)
   */
  static ElfSource open(Path file) throws IOException {
    return of(FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
  }
}
