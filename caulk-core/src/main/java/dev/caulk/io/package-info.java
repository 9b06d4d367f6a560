/**
 * Small file-system helpers every writer shares and that depend on nothing else in caulk: the
 * registry of live temp files deleted at exit, and the sweep of stale ones ({@link
 * dev.caulk.io.TempFiles}).
 */
@NullMarked
package dev.caulk.io;

import org.jspecify.annotations.NullMarked;
