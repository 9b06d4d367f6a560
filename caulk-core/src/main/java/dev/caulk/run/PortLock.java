package dev.caulk.run;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Serialises containers that listen on the same port of the host's network ({@link
 * Sandbox#withProbeHostNetwork}). They share that network, so a second one would fail to bind, or
 * worse, a probe would reach the first. A semaphore per port orders threads of this JVM; a file
 * lock under {@code java.io.tmpdir/caulk-run-locks} orders processes (caulk runs in parallel CI
 * jobs on one machine).
 */
final class PortLock implements AutoCloseable {
  private static final ConcurrentHashMap<Integer, Semaphore> LOCAL = new ConcurrentHashMap<>();
  private static final long POLL_MILLIS = 25;

  private final int port;
  private final FileChannel channel;
  private final FileLock lock;
  private boolean released;

  private PortLock(int port, FileChannel channel, FileLock lock) {
    this.port = port;
    this.channel = channel;
    this.lock = lock;
  }

  /** Waits up to {@code timeout} for the port to be free of other caulk containers. */
  static PortLock acquire(int port, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Semaphore local = LOCAL.computeIfAbsent(port, p -> new Semaphore(1, true));
    try {
      if (!local.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) throw busy(port, timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RunException("interrupted while waiting for port " + port);
    }
    FileChannel ch = null;
    try {
      Path dir = Path.of(System.getProperty("java.io.tmpdir"), "caulk-run-locks");
      Files.createDirectories(dir);
      ch =
          FileChannel.open(
              dir.resolve("port-" + port + ".lock"),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              LinkOption.NOFOLLOW_LINKS);
      while (true) {
        FileLock l = tryLock(ch);
        if (l != null) return new PortLock(port, ch, l);
        if (System.nanoTime() > deadline) throw busy(port, timeout);
        Thread.sleep(POLL_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeQuietly(ch);
      local.release();
      throw new RunException("interrupted while waiting for port " + port);
    } catch (IOException | RuntimeException e) {
      closeQuietly(ch);
      local.release();
      throw e;
    }
  }

  private static FileLock tryLock(FileChannel ch) throws IOException {
    try {
      return ch.tryLock();
    } catch (OverlappingFileLockException e) {
      return null;
    }
  }

  private static RunException busy(int port, Duration timeout) {
    return new RunException(
        "port "
            + port
            + ": another caulk container has been using it for more than "
            + timeout.toSeconds()
            + " s; containers share the host network, so give each run its own port");
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch == null) return;
    try {
      ch.close();
    } catch (IOException ignored) {
      // nothing more to release
    }
  }

  int port() {
    return port;
  }

  /** Releases both locks; safe to call twice. */
  @Override
  public synchronized void close() {
    if (released) return;
    released = true;
    try {
      lock.release();
    } catch (IOException ignored) {
      // closing the channel releases it too
    }
    closeQuietly(channel);
    LOCAL.get(port).release();
  }
}
