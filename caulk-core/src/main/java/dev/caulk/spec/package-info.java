/**
 * The OCI image and distribution data model: manifests, indexes, descriptors, configs, platforms
 * and media types, read from and written to JSON with the specification's rules checked.
 *
 * <p>Null-marked: nothing in this package is null unless it is declared {@code @Nullable}.
 */
@NullMarked
package dev.caulk.spec;

import org.jspecify.annotations.NullMarked;
