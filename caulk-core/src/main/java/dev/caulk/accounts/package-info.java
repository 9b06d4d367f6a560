/**
 * The one accounts model: {@code /etc/passwd}, {@code /etc/group} and {@code /etc/shadow} read
 * tolerantly and in linear time ({@link dev.caulk.accounts.Accounts}, {@link
 * dev.caulk.accounts.AccountFile}), looked up by name or id, merged, locked and pruned line by
 * line, and written back reproducibly. Used by {@code audit}, {@code slim}, {@code run} and {@code
 * build}; depends on nothing else in caulk.
 */
package dev.caulk.accounts;
