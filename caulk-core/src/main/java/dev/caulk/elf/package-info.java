/**
 * ELF inspection and shared-library closure resolution.
 *
 * <p>{@link dev.caulk.elf.ElfFile} reads only what a dynamic loader reads (the ELF header, the
 * program header table, {@code PT_INTERP}, the {@code PT_DYNAMIC} entries and the strings they
 * name) plus, when cheap, the section header table, from a random-access {@link
 * dev.caulk.elf.ElfSource}; it never loads a whole binary. {@link dev.caulk.elf.LibraryResolver}
 * computes the set of files a program needs at run time (interpreter, {@code DT_NEEDED} closure,
 * every symlink on the way) inside an abstract read-only {@link dev.caulk.elf.ElfFileSystem},
 * following the search order of glibc's {@code ld.so} (or musl's when the interpreter is {@code
 * ld-musl-*}). See {@code docs/elf.md}.
 */
@NullMarked
package dev.caulk.elf;

import org.jspecify.annotations.NullMarked;
