/**
 * Package catalogers: parsers that find installed packages in an image's merged file tree, fed one
 * file at a time by a single streaming pass ({@link dev.caulk.scan.catalog.Catalog}, {@link
 * dev.caulk.scan.catalog.Cataloger}). dpkg and apk databases, Go build information in ELF
 * executables, Maven metadata in Java archives, and the OS from os-release. Pure: no file system,
 * no image types; every read is bounded ({@link dev.caulk.scan.catalog.CatalogLimits}).
 */
package dev.caulk.scan.catalog;
