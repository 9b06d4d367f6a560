/**
 * Layer compressions: gzip and zstd told apart by their magic bytes, and streams that decompress
 * them.
 *
 * <p>Null-marked: nothing in this package is null unless it is declared {@code @Nullable}.
 */
@NullMarked
package dev.caulk.compress;

import org.jspecify.annotations.NullMarked;
