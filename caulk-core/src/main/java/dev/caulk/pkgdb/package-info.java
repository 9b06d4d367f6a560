/**
 * The one reader of package databases in images: dpkg's status, status.d, info lists and md5sums
 * ({@link dev.caulk.pkgdb.DpkgDatabase}) and apk's installed database ({@link
 * dev.caulk.pkgdb.ApkDatabase}). Pure, linear parsers over bounded lines; budgets belong to the
 * callers' sinks. Used by {@code scan.catalog} and {@code slim}; depends on nothing else in caulk.
 */
package dev.caulk.pkgdb;
