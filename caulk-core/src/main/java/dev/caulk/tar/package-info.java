/**
 * Layer tarballs: reading entries with their PAX headers, safe extraction, whiteouts, and
 * reproducible layer writing.
 *
 * <p>Null-marked: nothing in this package is null unless it is declared {@code @Nullable}.
 */
@NullMarked
package dev.caulk.tar;

import org.jspecify.annotations.NullMarked;
