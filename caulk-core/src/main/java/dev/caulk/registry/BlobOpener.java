package dev.caulk.registry;

import java.io.IOException;
import java.io.InputStream;

/**
 * Opens a blob's bytes from the start, as often as asked. An upload that fails half-way is
 * restarted from a fresh stream, so uploads take an opener rather than a stream, and never hold a
 * blob in memory.
 */
@FunctionalInterface
public interface BlobOpener {
  InputStream open() throws IOException;
}
