/**
 * Images, indexes and layers as values: an {@link dev.caulk.image.Artifact} is what a location
 * holds; images are made from a manifest and a blob source, and built ones from layers and a
 * config.
 *
 * <p>Null-marked: nothing in this package is null unless it is declared {@code @Nullable}.
 */
@NullMarked
package dev.caulk.image;

import org.jspecify.annotations.NullMarked;
