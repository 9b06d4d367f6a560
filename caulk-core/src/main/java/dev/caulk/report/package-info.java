/**
 * Findings and the verdict over them, shared by {@code audit}, {@code slim} and {@code scan}.
 *
 * <p>A rule produces {@link dev.caulk.report.Finding}s; they are collected into a {@link
 * dev.caulk.report.Report} together with metadata about the image (the subject) and an optional
 * inventory; a {@link dev.caulk.report.Gate} decides pass or fail from a severity threshold and the
 * user's {@link dev.caulk.report.Ignore}s (from {@code --ignore} and the {@value
 * dev.caulk.report.IgnoreFile#NAME} file). Rendering lives in {@code dev.caulk.report.format}.
 *
 * <p>Dependencies: the JDK, and Jackson only for the inventory, which is carried as an opaque JSON
 * tree so that this package does not depend on {@code scan}. Nothing here prints or touches files.
 */
package dev.caulk.report;
