package dev.caulk.elf;

import java.io.IOException;

/**
 * The bytes are not a well-formed ELF object (or not ELF at all). Thrown for hostile or truncated
 * input with a one-line message such as {@code "truncated ELF: program header table beyond end of
 * file"}.
 */
public class ElfFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a one-line message describing what is wrong. */
  public ElfFormatException(String message) {
    super(message);
  }
}
