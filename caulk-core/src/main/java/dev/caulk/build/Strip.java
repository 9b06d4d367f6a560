package dev.caulk.build;

import dev.caulk.digest.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code strip: true}: removes debug sections with binutils' strip (or objcopy), cached by input.
 */
final class Strip {
  private Strip() {}

  /**
   * A stripped copy of {@code binary} in the cache (made once per distinct input, by its {@link
   * FileStamp}).
   */
  static Path stripped(Path binary, Path cacheDir) throws IOException {
    String key = Digest.sha256("caulk-strip-v2\n" + FileStamp.of(binary)).hex();
    Path dir = cacheDir.resolve("stripped");
    Files.createDirectories(dir);
    Path out = dir.resolve(key);
    if (Files.isRegularFile(out)) return out;
    Path tmp = Files.createTempFile(dir, ".strip-", "");
    List<List<String>> tools =
        List.of(
            List.of("strip", "--strip-debug", "-o", tmp.toString(), binary.toString()),
            List.of("objcopy", "--strip-debug", binary.toString(), tmp.toString()));
    for (List<String> cmd : tools) {
      if (run(cmd)) {
        Files.move(
            tmp,
            out,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE,
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return out;
      }
    }
    Files.deleteIfExists(tmp);
    throw new BuildConfigException(
        "strip: true needs 'strip' or 'objcopy' (Debian package binutils), and neither could strip "
            + binary);
  }

  private static boolean run(List<String> cmd) throws IOException {
    try {
      Process p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      return false; // tool not installed
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stripping " + cmd.get(cmd.size() - 1));
    }
  }
}
