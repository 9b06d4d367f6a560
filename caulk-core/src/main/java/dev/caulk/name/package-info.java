/**
 * Image references ({@code registry/repository[:tag][@digest]}), parsed and normalised as Docker
 * and skopeo do.
 *
 * <p>Null-marked: nothing in this package is null unless it is declared {@code @Nullable}.
 */
@NullMarked
package dev.caulk.name;

import org.jspecify.annotations.NullMarked;
