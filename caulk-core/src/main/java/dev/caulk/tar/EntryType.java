package dev.caulk.tar;

/**
 * The kinds of tar entries a layer may hold (layer.md, "File Types"). Anything else (GNU volume
 * labels, multi-volume continuations, unknown type flags) is rejected when read, as Docker does.
 */
public enum EntryType {
  /** A regular file (type flags {@code 0}, NUL and {@code 7}). */
  FILE('0'),
  /** A directory ({@code 5}). */
  DIR('5'),
  /** A symbolic link ({@code 2}); its target is stored as written, relative or absolute. */
  SYMLINK('2'),
  /** A hard link ({@code 1}) to an earlier regular file of the archive or of a lower layer. */
  HARDLINK('1'),
  /** A character device ({@code 3}). */
  CHAR_DEVICE('3'),
  /** A block device ({@code 4}). */
  BLOCK_DEVICE('4'),
  /** A named pipe ({@code 6}). */
  FIFO('6');

  private final char flag;

  EntryType(char flag) {
    this.flag = flag;
  }

  /** The ustar type flag written for this type. */
  public char typeflag() {
    return flag;
  }

  /** The character {@code ls -l} shows for this type ({@code -}, {@code d}, {@code l}, ...). */
  public char lsChar() {
    return switch (this) {
      case FILE, HARDLINK -> '-';
      case DIR -> 'd';
      case SYMLINK -> 'l';
      case CHAR_DEVICE -> 'c';
      case BLOCK_DEVICE -> 'b';
      case FIFO -> 'p';
    };
  }
}
