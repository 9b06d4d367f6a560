/**
 * The merged file tree of an image's layers, built in one streaming pass with bounded memory, and
 * the visitors that read file contents on the way.
 *
 * <p>Null-marked: nothing in this package is null unless it is declared {@code @Nullable}.
 */
@NullMarked
package dev.caulk.fs;

import org.jspecify.annotations.NullMarked;
