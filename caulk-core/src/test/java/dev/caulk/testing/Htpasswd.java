package dev.caulk.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Writes an htpasswd file for the registry's Basic auth. distribution 2.8 accepts bcrypt entries
 * only, which the JDK cannot compute, so the file comes from {@code htpasswd -B} (apache2-utils).
 * Without that tool the default credentials still work from a bcrypt line computed once with it.
 */
final class Htpasswd {
  /**
   * {@code htpasswd -Bbn caulk caulk-secret} (bcrypt cost 5), for machines without apache2-utils.
   */
  private static final String DEFAULT_ENTRY =
      "caulk:$2y$05$l06vOiQ6QMsaUfO1i3vr.u0nXcWH9gqNcS4.lDHRK/gXe0e7CBzzC";

  private Htpasswd() {}

  static Path write(Path dir, TestRegistry.Credentials credentials) throws IOException {
    String entry;
    Optional<Path> tool = Processes.which("htpasswd");
    if (tool.isPresent()) {
      // -i: password on stdin, so it never shows in a process listing.
      String out =
          Processes.run(
              List.of(tool.get().toString(), "-Bin", credentials.username()),
              dir,
              credentials.password().getBytes(StandardCharsets.UTF_8),
              30);
      entry =
          out.lines()
              .filter(l -> l.startsWith(credentials.username() + ":"))
              .findFirst()
              .orElseThrow(() -> new IOException("htpasswd printed no entry"));
    } else if (credentials.equals(TestRegistry.Credentials.DEFAULT)) {
      entry = DEFAULT_ENTRY;
    } else {
      throw new IOException(
          "htpasswd not found (apt-get install apache2-utils): needed for custom credentials");
    }
    Path file = dir.resolve("htpasswd");
    Files.writeString(file, entry + "\n");
    return file;
  }
}
