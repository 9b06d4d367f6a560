package dev.caulk.build;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stamp that stands for a host file's bytes changes with every change that can change them, and
 * the CA bundle remembered by it is checked again when the file changes.
 */
class FileStampTest {
  @TempDir Path tmp;

  @Test
  void theStampChangesWithContentModeMtimeAndLinkTarget() throws Exception {
    Path f = Files.writeString(tmp.resolve("f"), "one");
    String before = FileStamp.of(f);
    assertEquals(before, FileStamp.of(f), "nothing changed, the same stamp");
    FileTime mtime = Files.getLastModifiedTime(f);

    Thread.sleep(20);
    Files.writeString(f, "two"); // same size
    Files.setLastModifiedTime(f, mtime);
    String rewritten = FileStamp.of(f);
    assertNotEquals(before, rewritten, "a rewrite with size and mtime restored still shows");

    Thread.sleep(20);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwx------"));
    assertNotEquals(rewritten, FileStamp.of(f), "a chmod shows");

    String chmodded = FileStamp.of(f);
    Files.setLastModifiedTime(f, FileTime.fromMillis(mtime.toMillis() + 1000));
    assertNotEquals(chmodded, FileStamp.of(f), "a touch shows");

    Path a = Files.writeString(tmp.resolve("a"), "aaa");
    Path b = Files.writeString(tmp.resolve("b"), "bbb");
    Path link = Files.createSymbolicLink(tmp.resolve("link"), a.getFileName());
    String toA = FileStamp.of(link);
    Files.delete(link);
    Files.createSymbolicLink(link, b.getFileName());
    assertNotEquals(toA, FileStamp.of(link), "the stamp is the target's");
    assertThrows(IOException.class, () -> FileStamp.of(tmp.resolve("missing")));
  }

  @Test
  void theCheckedCaBundleIsRememberedUntilTheFileChanges() throws Exception {
    Path host = Path.of("/etc/ssl/certs/ca-certificates.crt");
    assumeTrue(Files.isRegularFile(host), "a host CA bundle");
    Path pem = Files.copy(host, tmp.resolve("ca.pem"));
    Path memo = tmp.resolve("memo");
    byte[] checked = HostFiles.pemBundle(pem, null);
    assertArrayEquals(checked, HostFiles.pemBundle(pem, null, memo));
    List<Path> memos = list(memo);
    assertEquals(1, memos.size());
    Object key = Files.readAttributes(memos.get(0), BasicFileAttributes.class).fileKey();
    assertArrayEquals(checked, HostFiles.pemBundle(pem, null, memo));
    assertEquals(
        key,
        Files.readAttributes(memos.get(0), BasicFileAttributes.class).fileKey(),
        "read back, not made again");

    Files.write(memos.get(0), "damaged".getBytes(StandardCharsets.US_ASCII));
    assertArrayEquals(
        checked, HostFiles.pemBundle(pem, null, memo), "a damaged memo is made again");

    // the same size and mtime, now holding a private key: checked again, and refused
    FileTime mtime = Files.getLastModifiedTime(pem);
    byte[] bad = Files.readAllBytes(pem);
    byte[] key64 = "-----BEGIN PRIVATE KEY-----".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(key64, 0, bad, bad.length - key64.length - 1, key64.length);
    Files.write(pem, bad);
    Files.setLastModifiedTime(pem, mtime);
    BuildConfigException e =
        assertThrows(BuildConfigException.class, () -> HostFiles.pemBundle(pem, null, memo));
    assertTrue(e.getMessage().contains("private key"), e.getMessage());
    assertArrayEquals(
        checked, HostFiles.pemBundle(host, null, memo), "another file, the same bundle");
  }

  private static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".pem")).toList();
    }
  }
}
