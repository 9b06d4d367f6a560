/**
 * Content digests ({@code sha256:...}): parsing and validation, and streams that compute a digest
 * or verify one as the bytes pass.
 *
 * <p>Null-marked: nothing in this package is null unless it is declared {@code @Nullable}.
 */
@NullMarked
package dev.caulk.digest;

import org.jspecify.annotations.NullMarked;
