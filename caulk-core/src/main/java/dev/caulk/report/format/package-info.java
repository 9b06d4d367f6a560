/**
 * Renders a {@link dev.caulk.report.Report} for people and machines: a table for terminals, caulk's
 * JSON, SARIF 2.1.0 for code-scanning services, and JUnit XML for CI test views. Format details and
 * field lists are in {@code docs/report-formats.md}.
 *
 * <p>Every writer is pure: {@code write(report, out)} reads nothing but its arguments, renders the
 * findings in {@link dev.caulk.report.Finding#ORDER} so output is byte-for-byte stable, and flushes
 * but never closes {@code out}. Text that comes from the image (paths, history, labels) is
 * untrusted: the table escapes control characters so a crafted file name cannot drive the terminal,
 * and the XML writer replaces characters XML 1.0 forbids.
 */
@NullMarked
package dev.caulk.report.format;

import org.jspecify.annotations.NullMarked;
