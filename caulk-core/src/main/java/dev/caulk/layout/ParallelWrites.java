package dev.caulk.layout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs blob writes on a few threads and reports the first failure (after every write has ended).
 */
final class ParallelWrites {
  /** One write. */
  @FunctionalInterface
  interface Write<T> {
    void run(T item) throws IOException;
  }

  private ParallelWrites() {}

  static <T> void run(Collection<T> items, int threads, Write<T> write) throws IOException {
    if (items.size() <= 1) {
      for (T t : items) write.run(t);
      return;
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.min(threads, items.size()),
            r -> {
              Thread t = new Thread(r, "caulk-layout-write");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (T t : items) {
        futures.add(
            pool.submit(
                () -> {
                  try {
                    write.run(t);
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                  return null;
                }));
      }
      IOException first = null;
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          Throwable c =
              e.getCause() instanceof UncheckedIOException u ? u.getCause() : e.getCause();
          if (first == null) first = c instanceof IOException io ? io : new IOException(c);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("interrupted while writing blobs");
        }
      }
      if (first != null) throw first;
    } finally {
      pool.shutdownNow();
    }
  }
}
