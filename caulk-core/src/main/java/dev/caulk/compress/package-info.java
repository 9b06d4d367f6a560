/**
 * Layer compressions: gzip and zstd told apart by their magic bytes, streams that decompress them,
 * and {@link dev.caulk.compress.ParallelGzipOutputStream}, gzip compressed on every core with
 * output fixed by the input alone.
 *
 * <p>Null-marked: nothing in this package is null unless it is declared {@code @Nullable}.
 */
@NullMarked
package dev.caulk.compress;

import org.jspecify.annotations.NullMarked;
