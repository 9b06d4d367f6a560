package dev.caulk.scan.catalog;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Helpers shared by the cataloger tests: feeding files, zips, running programs. */
final class CatalogTesting {
  private CatalogTesting() {}

  /** One file of a fake merged tree. */
  record TreeFile(String path, byte[] content, boolean executable) {
    static TreeFile of(String path, String content) {
      return new TreeFile(path, content.getBytes(StandardCharsets.UTF_8), false);
    }
  }

  /** Runs a full pass over the given files, as the FileTree pass would. */
  static Inventory pass(Catalog catalog, List<TreeFile> files) throws IOException {
    for (TreeFile f : files) {
      if (catalog.wants(f.path(), f.content().length, f.executable())) {
        try (InputStream in = new ByteArrayInputStream(f.content())) {
          catalog.accept(f.path(), in, f.content().length);
        }
      }
    }
    return catalog.finish();
  }

  /** Feeds one cataloger one file (if it wants it) and returns its packages. */
  static List<Package> feed(Cataloger c, String path, byte[] content, boolean executable)
      throws IOException {
    if (c.wants(path, content.length, executable))
      c.accept(path, new ByteArrayInputStream(content), content.length);
    return c.packages(OsRelease.UNKNOWN);
  }

  /**
   * Streams a host file into a cataloger under an image path, in small reads like a tar entry
   * stream.
   */
  static void stream(Cataloger c, String imagePath, Path host, boolean executable)
      throws IOException {
    long size = Files.size(host);
    if (!c.wants(imagePath, size, executable)) return;
    try (InputStream in = Files.newInputStream(host)) {
      c.accept(imagePath, in, size);
    }
  }

  /** A zip built in memory; entries named ending in / are directories; STORED when asked. */
  static byte[] zip(Map<String, byte[]> entries, boolean stored) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        ZipEntry ze = new ZipEntry(e.getKey());
        if (stored) {
          CRC32 crc = new CRC32();
          crc.update(e.getValue());
          ze.setMethod(ZipEntry.STORED);
          ze.setSize(e.getValue().length);
          ze.setCompressedSize(e.getValue().length);
          ze.setCrc(crc.getValue());
        }
        z.putNextEntry(ze);
        z.write(e.getValue());
        z.closeEntry();
      }
    }
    return out.toByteArray();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** True when running under CI, where a missing tool is a failure, not a skip. */
  static boolean ci() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /**
   * Runs a program and returns its stdout+stderr; fails on a non-zero exit or after the timeout.
   */
  static String run(List<String> command, Path dir, Map<String, String> env, int timeoutSeconds)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    if (dir != null) pb.directory(dir.toFile());
    if (env != null) pb.environment().putAll(env);
    Process p = pb.start();
    try {
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readNBytes(8 << 20);
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(command.get(0) + ": timed out");
      }
      String text = new String(out, StandardCharsets.UTF_8);
      if (p.exitValue() != 0)
        throw new IOException(String.join(" ", command) + ": exit " + p.exitValue() + ": " + text);
      return text;
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** Finds an executable on the PATH, or null. */
  static Path which(String name) {
    String path = System.getenv("PATH");
    if (path == null) return null;
    List<String> dirs = new ArrayList<>(List.of(path.split(":")));
    for (String d : dirs) {
      Path p = Path.of(d, name);
      if (Files.isExecutable(p)) return p;
    }
    return null;
  }
}
