/**
 * {@code caulk harden} and {@code caulk slim}: rewrite an image into one reproducible layer that
 * holds less ({@link dev.caulk.slim.Slimmer}), prove the result still answers like the original
 * under runc ({@link dev.caulk.slim.Prover}, optionally tracing the original with strace), and
 * compare the audit inventories before and after ({@link dev.caulk.slim.Comparison}).
 *
 * <p>Plans read an {@code Image} and its merged tree, never a path or URL; only the probe runs
 * processes, through {@code dev.caulk.run}. See {@code docs/slim.md}.
 */
package dev.caulk.slim;
