/**
 * The offline vulnerability store: OSV records imported from the bulk export ({@code
 * <Ecosystem>/all.zip}) or a folder of JSON files, kept on disk as one sorted data file and one
 * binary-searchable index per ecosystem.
 *
 * <p>Why this shape (scan.md §7.3): a scan must never wait for a download or a server; opening the
 * store reads one small manifest, and a lookup maps one index file and reads only the records of
 * the package asked for. Imports stream the input (one bounded record in memory at a time), build a
 * new generation beside the old one, and switch to it with one atomic rename, so a failed or
 * interrupted import leaves the previous store untouched.
 *
 * <p>This is the one part of {@code scan} that touches files; the matching itself ({@code
 * scan.osv}) stays pure.
 */
package dev.caulk.scan.db;
