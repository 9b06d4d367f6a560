/**
 * Registry credentials: the Docker config file, credential helpers and the keychain that chooses
 * between them per registry host.
 *
 * <p>Null-marked: nothing in this package is null unless it is declared {@code @Nullable}.
 */
@NullMarked
package dev.caulk.auth;

import org.jspecify.annotations.NullMarked;
