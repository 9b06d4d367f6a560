package dev.caulk.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.digest.Digest;
import dev.caulk.image.Artifact;
import dev.caulk.image.Image;
import dev.caulk.image.Images;
import dev.caulk.image.Layer;
import dev.caulk.layout.MediaFixtures;
import dev.caulk.layout.OciLayout;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.Platform;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Temp files beside outputs never outlive caulk: deleted at exit (signals included) and swept when
 * stale.
 */
class TempFilesTest {
  @TempDir Path tmp;

  private static List<String> temps(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) return List.of();
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(".caulk-") && n.endsWith(".tmp"))
          .sorted()
          .toList();
    }
  }

  @Test
  void staleTempFilesOfDeadRunsAreSweptWhenCaulkNextWritesThere() throws IOException {
    Path layoutDir = Files.createDirectories(tmp.resolve("layout"));
    Path old = Files.write(layoutDir.resolve(".caulk-123.tmp"), new byte[1000]);
    Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofDays(2))));
    Path recent =
        Files.write(layoutDir.resolve(".caulk-456.tmp"), new byte[10]); // maybe another live run's
    Path outside = Files.write(tmp.resolve("precious"), new byte[1]);
    Path link = Files.createSymbolicLink(layoutDir.resolve(".caulk-link.tmp"), outside);
    Files.setLastModifiedTime(outside, FileTime.from(Instant.now().minus(Duration.ofDays(3))));

    OciLayout layout = OciLayout.create(layoutDir); // the first write there: sweeps
    Path other = Files.write(layoutDir.resolve("keep-me.tmp"), new byte[1]);
    Files.setLastModifiedTime(other, FileTime.from(Instant.now().minus(Duration.ofDays(3))));
    layout.write(
        Artifact.of(MediaFixtures.image(Files.createDirectories(tmp.resolve("work")), "a")),
        "x",
        null);
    assertFalse(Files.exists(old), "a day-old temp file is swept");
    assertTrue(Files.exists(recent), "a recent one may belong to a live run");
    assertTrue(
        Files.isSymbolicLink(link) && Files.exists(outside),
        "symlinks are never followed nor removed");
    assertTrue(Files.exists(other));
    assertEquals(List.of(".caulk-456.tmp", ".caulk-link.tmp"), temps(layoutDir));
  }

  @Test
  void theSweepOfAnArchiveDirectoryTakesOnlyOldCaulkTempFiles() throws IOException {
    Path old = Files.write(tmp.resolve(".caulk-a.tar.99.tmp"), new byte[1]);
    Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofHours(25))));
    Path young = Files.write(tmp.resolve(".caulk-a.tar.98.tmp"), new byte[1]);
    Files.setLastModifiedTime(young, FileTime.from(Instant.now().minus(Duration.ofHours(23))));
    Files.createDirectory(tmp.resolve(".caulk-dir.tmp"));
    assertEquals(1, TempFiles.sweep(tmp, Instant.now().minus(TempFiles.STALE)));
    assertFalse(Files.exists(old));
    assertTrue(Files.exists(young));
    assertTrue(Files.isDirectory(tmp.resolve(".caulk-dir.tmp")));
  }

  @Test
  void aTempFileIsRemovedWhenCaulkIsStoppedBySigtermOrSigint() throws Exception {
    for (String signal : List.of("TERM", "INT")) {
      Path dir = Files.createDirectories(tmp.resolve(signal));
      Process p =
          new ProcessBuilder(javaBin(), "-cp", classPath(), Holder.class.getName(), dir.toString())
              .redirectErrorStream(true)
              .start();
      try {
        BufferedReader r =
            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        assertNotNull(line, "the writer started");
        assertTrue(line.startsWith("writing"), line);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (temps(dir.resolve("layout")).isEmpty() && System.nanoTime() < deadline)
          Thread.sleep(20);
        assertEquals(
            1, temps(dir.resolve("layout")).size(), "a layer is being written through a temp file");
        new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid()))
            .inheritIO()
            .start()
            .waitFor();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "stopped by SIG" + signal);
        assertEquals(
            List.of(), temps(dir.resolve("layout")), "SIG" + signal + " leaves no temp file");
      } finally {
        p.destroyForcibly();
      }
    }
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static String classPath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
  }

  /** Writes an image whose layer never ends into a layout, until a signal stops it. */
  public static final class Holder {
    public static void main(String[] args) throws Exception {
      Path dir = Path.of(args[0]);
      Layer real = MediaFixtures.layer(dir, Map.of("f", "x"), true, false);
      Layer endless =
          new Layer() {
            @Override
            public Digest digest() {
              return real.digest();
            }

            @Override
            public Digest diffId() {
              return real.diffId();
            }

            @Override
            public long size() {
              return real.size();
            }

            @Override
            public String mediaType() {
              return real.mediaType();
            }

            @Override
            public Descriptor descriptor() {
              return real.descriptor();
            }

            @Override
            public InputStream uncompressed() throws IOException {
              return real.uncompressed();
            }

            @Override
            public InputStream compressed() {
              return new InputStream() {
                @Override
                public int read() throws IOException {
                  try {
                    Thread.sleep(100_000);
                  } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException();
                  }
                  return -1;
                }
              };
            }
          };
      Image img =
          Images.of(Images.scratch(Platform.LINUX_AMD64).config(), List.of(endless), false, null);
      OciLayout layout =
          OciLayout.create(
              dir.resolve("layout")); // its own temp files come and go before the line below
      System.out.println("writing");
      System.out.flush();
      layout.write(Artifact.of(img), "x", null);
    }
  }
}
