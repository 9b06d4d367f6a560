package dev.caulk.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code #!interpreter [argument]} line of a script, parsed the way Linux {@code binfmt_script}
 * does: only the first {@value #MAX_LINE} bytes count, the interpreter ends at the first space or
 * tab, and everything after it (trimmed) is one single argument, spaces included.
 *
 * @param interpreter the interpreter path as written (usually absolute, e.g. {@code /bin/sh})
 * @param argument the optional single argument (e.g. {@code -e}, or {@code python3} for {@code
 *     /usr/bin/env})
 */
public record Shebang(String interpreter, Optional<String> argument) {
  /** The kernel's {@code BINPRM_BUF_SIZE} since Linux 5.1: bytes of the file considered. */
  public static final int MAX_LINE = 256;

  /** Checks for nulls and an empty interpreter. */
  public Shebang {
    Objects.requireNonNull(interpreter, "interpreter");
    Objects.requireNonNull(argument, "argument");
    if (interpreter.isEmpty()) {
      throw new IllegalArgumentException("empty interpreter");
    }
  }

  /**
   * Parses the start of a file.
   *
   * @param head the first bytes of the file (only the first {@value #MAX_LINE} are looked at)
   * @return the shebang, or empty when the file does not start with {@code #!} followed by an
   *     interpreter, or when the interpreter name does not fit in the first {@value #MAX_LINE}
   *     bytes
   */
  public static Optional<Shebang> parse(byte[] head) {
    int n = Math.min(head.length, MAX_LINE);
    if (n < 2 || head[0] != '#' || head[1] != '!') {
      return Optional.empty();
    }
    int end = 2;
    while (end < n && head[end] != '\n') {
      end++;
    }
    boolean complete = end < n || head.length < MAX_LINE;
    int i = 2;
    while (i < end && isBlank(head[i])) {
      i++;
    }
    int start = i;
    while (i < end && !isBlank(head[i]) && head[i] != 0) {
      i++;
    }
    if (i == start || (i == end && !complete)) {
      return Optional.empty();
    }
    String interpreter = new String(head, start, i - start, StandardCharsets.UTF_8);
    while (i < end && isBlank(head[i])) {
      i++;
    }
    int argEnd = end;
    while (argEnd > i
        && (isBlank(head[argEnd - 1]) || head[argEnd - 1] == '\r' || head[argEnd - 1] == 0)) {
      argEnd--;
    }
    int nul = i;
    while (nul < argEnd && head[nul] != 0) {
      nul++;
    }
    Optional<String> argument =
        nul > i
            ? Optional.of(new String(head, i, nul - i, StandardCharsets.UTF_8))
            : Optional.empty();
    return Optional.of(new Shebang(interpreter, argument));
  }

  /**
   * Reads up to {@value #MAX_LINE} bytes from the start of a source and parses them.
   *
   * @throws IOException if reading fails
   */
  public static Optional<Shebang> read(ElfSource source) throws IOException {
    return parse(head(source, MAX_LINE));
  }

  /** Reads up to {@code max} bytes from the start of {@code source}. */
  static byte[] head(ElfSource source, int max) throws IOException {
    ByteBuffer b = ByteBuffer.allocate((int) Math.min(max, Math.max(0, source.size())));
    while (b.hasRemaining()) {
      if (source.read(b.position(), b) <= 0) {
        break;
      }
    }
    byte[] out = new byte[b.position()];
    b.flip().get(out);
    return out;
  }

  private static boolean isBlank(byte b) {
    return b == ' ' || b == '\t';
  }
}
