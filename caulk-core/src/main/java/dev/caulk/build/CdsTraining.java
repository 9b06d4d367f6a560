package dev.caulk.build;

import dev.caulk.event.EventListener;
import dev.caulk.image.Image;
import dev.caulk.jvm.JvmException;
import dev.caulk.run.Container;
import dev.caulk.run.Probe;
import dev.caulk.run.RunException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * {@code java.cds: train}: the service's image is run once under runc with {@code
 * -XX:ArchiveClassesAtExit} (through {@code JAVA_TOOL_OPTIONS}), until it accepts connections on
 * its first port (or for {@link #UP_TIME} when it has none), then stopped with SIGTERM: the JVM
 * writes the dynamic archive of the classes it loaded as it exits. The archive is written to the
 * container's {@code /tmp} (a tmpfs: the root filesystem is read-only) and read through a directory
 * handle opened on {@code /proc/PID/root/tmp} while the process ran, which keeps that tmpfs
 * reachable after the container is gone. The archive is remembered by the training image's digest,
 * so a rebuild with the same inputs reuses the same bytes (the JVM does not write an archive byte
 * for byte the same twice).
 */
final class CdsTraining {
  /** Where the archive is in the final image. */
  static final String ARCHIVE = "/app/app.jsa";

  /** How long the service has to accept connections on its port. */
  static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  /** How long a service without a port runs before it is stopped. */
  static final Duration UP_TIME = Duration.ofSeconds(10);

  /** How long the JVM has to write the archive and exit after SIGTERM. */
  static final Duration EXIT_TIMEOUT = Duration.ofSeconds(60);

  static final long MAX_ARCHIVE = 1L << 30;

  private static final String IN_CONTAINER = "caulk-app.jsa";

  /** The first bytes of a HotSpot dynamic archive: its magic 0xf00baba8, little-endian. */
  private static final int DYNAMIC_MAGIC = 0xf00baba8;

  private CdsTraining() {}

  /** The dynamic CDS archive of {@code image}'s app, from the cache or a training run. */
  static byte[] archive(Image image, String service, Path cacheDir, EventListener events)
      throws IOException {
    Path store = cacheDir.resolve("jvm").resolve("cds");
    Path memo = store.resolve(image.digest().hex() + ".jsa");
    if (Files.isRegularFile(memo) && Files.size(memo) <= MAX_ARCHIVE) {
      byte[] b = Files.readAllBytes(memo);
      if (isDynamicArchive(b)) {
        return b;
      }
    }
    long start = System.nanoTime();
    byte[] b = train(image, service, cacheDir, events);
    events.info(
        service
            + ": java.cds: train: "
            + b.length / 1024
            + " KiB archive from a training run in "
            + (System.nanoTime() - start) / 1_000_000
            + " ms");
    Files.createDirectories(store);
    Path t = Files.createTempFile(store, ".jsa-", ".tmp");
    Files.write(t, b);
    Files.move(t, memo, StandardCopyOption.REPLACE_EXISTING);
    return b;
  }

  private static byte[] train(Image image, String service, Path cacheDir, EventListener events)
      throws IOException {
    String what = service + ": java.cds: train: ";
    Path work = cacheDir.resolve("jvm").resolve("work");
    Files.createDirectories(work);
    Container.Options opts =
        Container.Options.defaults()
            .withTempDir(work)
            .withListener(events)
            .withEnv("JAVA_TOOL_OPTIONS", "-XX:ArchiveClassesAtExit=/tmp/" + IN_CONTAINER);
    Container c;
    try {
      c = Container.start(image, opts);
    } catch (RunException e) {
      throw new JvmException(
          what + "cannot run the image under runc: " + firstLine(e.getMessage()));
    }
    try (c) {
      Path tmp = Path.of("/proc", Long.toString(c.pid()), "root", "tmp");
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmp)) {
        if (!(ds instanceof SecureDirectoryStream<Path> dir)) {
          throw new JvmException(what + "this system cannot hold the container's /tmp open");
        }
        if (c.port().isPresent()) {
          try {
            Probe.check(c, new Probe.Tcp(), START_TIMEOUT);
          } catch (RunException e) {
            throw new JvmException(
                what + "the service did not come up: " + firstLine(e.getMessage()));
          }
        } else {
          waitWhileRunning(c, UP_TIME);
        }
        if (!c.isRunning()) {
          throw new JvmException(
              what + "the service exited during the training run: " + oneLine(c.outputTail(512)));
        }
        Optional<ProcessHandle> h = ProcessHandle.of(c.pid());
        if (h.isEmpty()) {
          throw new JvmException(what + "the service exited during the training run");
        }
        h.get().destroy(); // SIGTERM: the JVM writes the archive as it exits
        if (waitWhileRunning(c, EXIT_TIMEOUT)) {
          throw new JvmException(
              what
                  + "the service did not exit within "
                  + EXIT_TIMEOUT.toSeconds()
                  + " s of SIGTERM");
        }
        byte[] b = read(dir, what, c);
        if (!isDynamicArchive(b)) {
          throw new JvmException(
              what + "the JVM wrote no dynamic archive: " + oneLine(c.outputTail(512)));
        }
        return b;
      }
    }
  }

  /** Waits up to {@code d}; true when the container still runs. */
  private static boolean waitWhileRunning(Container c, Duration d) throws JvmException {
    long deadline = System.nanoTime() + d.toNanos();
    while (c.isRunning() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new JvmException("java.cds: train: interrupted");
      }
    }
    return c.isRunning();
  }

  private static byte[] read(SecureDirectoryStream<Path> dir, String what, Container c)
      throws IOException {
    try (SeekableByteChannel ch =
            dir.newByteChannel(Path.of(IN_CONTAINER), Set.of(StandardOpenOption.READ));
        InputStream in = Channels.newInputStream(ch)) {
      if (ch.size() > MAX_ARCHIVE) {
        throw new JvmException(what + "the archive is larger than " + MAX_ARCHIVE + " bytes");
      }
      return in.readNBytes((int) ch.size());
    } catch (NoSuchFileException e) {
      throw new JvmException(
          what + "the JVM wrote no archive at exit: " + oneLine(c.outputTail(512)));
    }
  }

  static boolean isDynamicArchive(byte[] b) {
    if (b.length < 4) {
      return false;
    }
    int magic = (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
    return magic == DYNAMIC_MAGIC;
  }

  private static String firstLine(String s) {
    String t = s == null ? "" : s.strip();
    int nl = t.indexOf('\n');
    String first = nl >= 0 ? t.substring(0, nl) : t;
    return first.length() > 300 ? first.substring(0, 300) : first;
  }

  /** The last line of the output (where the JVM's own error is). */
  private static String oneLine(String s) {
    String t = s == null ? "" : s.strip();
    int nl = t.lastIndexOf('\n');
    String last = nl >= 0 ? t.substring(nl + 1) : t;
    return last.length() > 300 ? last.substring(0, 300) : last;
  }
}
