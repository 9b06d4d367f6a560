/**
 * Image audits: what is inside an image ({@link dev.caulk.audit.Inventory}) and what is wrong with
 * it ({@link dev.caulk.audit.Rule}s: every checkpoint Dockle implements, CIS Docker Benchmark
 * section 4, and caulk's own checks on the file tree, accounts and secrets), from one streaming
 * pass over the layers ({@link dev.caulk.audit.Auditor}).
 *
 * <p>Rules see an {@link dev.caulk.audit.AuditContext}, never a path or a URL, so they are tested
 * on hand-made trees. Secret values are masked everywhere; see {@code docs/audit.md} for the rule
 * table.
 */
package dev.caulk.audit;
