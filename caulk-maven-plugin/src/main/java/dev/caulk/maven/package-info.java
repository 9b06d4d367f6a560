/**
 * The Maven plugin: goals {@code caulk:build}, {@code caulk:push}, {@code caulk:audit} and {@code
 * caulk:sbom}, each a front end of one verb of {@link dev.caulk.verbs} (as the CLI's commands are):
 * POM parameters become the verb's options, the verb's events become Maven log lines, and its
 * one-line errors become build failures that name the POM element at fault.
 *
 * <p>Fields Maven injects are non-null when the parameter has a default or is required, else
 * {@code @Nullable}; the classes suppress NullAway's initialisation check for them.
 */
@NullMarked
package dev.caulk.maven;

import org.jspecify.annotations.NullMarked;
