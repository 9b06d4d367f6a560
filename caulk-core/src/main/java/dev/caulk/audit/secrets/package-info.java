/**
 * Secret detection for image audits: credentials in file content ({@link
 * dev.caulk.audit.secrets.SecretScanner#scan}), in strings taken from image metadata such as
 * environment values, history lines and labels ({@link
 * dev.caulk.audit.secrets.SecretScanner#scanText}, {@link
 * dev.caulk.audit.secrets.SecretScanner#scanAssignment}), and in file names ({@link
 * dev.caulk.audit.secrets.SecretFiles}). {@link dev.caulk.audit.secrets.SecretRuleBook} does the
 * same with a user configuration ({@link dev.caulk.audit.secrets.SecretConfig}: added rules,
 * disabled ids, allow lists).
 *
 * <p>Pure: callers hand in bytes and strings, nothing here reads image files (only {@code
 * SecretConfig.load} reads the configuration file). JDK, RE2/J and SnakeYAML's node API. Every hit
 * carries a masked value only ({@link dev.caulk.audit.secrets.SecretScanner#mask}); no public
 * method returns or throws with a full secret. Detector ids are stable because ignores and
 * fingerprints refer to them. See {@code docs/secrets.md}.
 */
package dev.caulk.audit.secrets;
