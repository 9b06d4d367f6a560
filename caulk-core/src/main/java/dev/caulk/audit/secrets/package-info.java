/**
 * Secret detection for image audits: credentials in file content ({@link dev.caulk.audit.secrets.SecretScanner#scan}),
 * in strings taken from image metadata such as environment values, history lines and labels
 * ({@link dev.caulk.audit.secrets.SecretScanner#scanText}, {@link dev.caulk.audit.secrets.SecretScanner#scanAssignment}),
 * and in file names ({@link dev.caulk.audit.secrets.SecretFiles}).
 *
 * <p>Pure and JDK-only: callers hand in bytes and strings, nothing here reads files. Every hit carries a masked
 * value only ({@link dev.caulk.audit.secrets.SecretScanner#mask}); no public method returns or throws with a full
 * secret. Detector ids are stable because ignores and fingerprints refer to them. See {@code docs/secrets.md}.
 */
package dev.caulk.audit.secrets;
