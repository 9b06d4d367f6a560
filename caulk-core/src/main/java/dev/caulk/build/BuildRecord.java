package dev.caulk.build;

import dev.caulk.digest.Digest;
import dev.caulk.spec.SpecJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the last {@code caulk build} of a project wrote ({@code .caulk/last-build.json}): the OCI
 * layout holding the images (tagged by service), and each image's name, tag and digest. {@code
 * caulk push} reads it, so the recipe's {@code push} targets need no rebuild.
 *
 * @param layout the OCI layout directory (absolute)
 * @param prefix the image name prefix
 * @param tag the tag
 * @param services service → manifest (or index) digest
 */
public record BuildRecord(String layout, String prefix, String tag, Map<String, Digest> services) {
  /** Where a build writes its images when no {@code --to oci:} is given. */
  public static final String DEFAULT_LAYOUT = ".caulk/oci";

  static final String FILE = ".caulk/last-build.json";

  /** Records a build, atomically. */
  public static void write(
      Path projectDir, BuildSettings s, Path layout, Map<String, Digest> digests)
      throws IOException {
    Path f = projectDir.resolve(FILE);
    Files.createDirectories(f.getParent());
    Map<String, Digest> merged = new LinkedHashMap<>();
    if (Files.isRegularFile(f)) {
      try {
        BuildRecord old = read(projectDir);
        if (old.layout().equals(layout.toString())
            && old.tag().equals(s.tag())
            && old.prefix().equals(s.prefix())) merged.putAll(old.services());
      } catch (IOException e) {
        // an unreadable record is replaced
      }
    }
    merged.putAll(digests);
    Path tmp = Files.createTempFile(f.getParent(), ".last-build-", ".json");
    Files.write(
        tmp, SpecJson.write(new BuildRecord(layout.toString(), s.prefix(), s.tag(), merged)));
    Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Whether a build of the project was recorded (the record may still be unreadable). */
  public static boolean exists(Path projectDir) {
    return Files.isRegularFile(projectDir.resolve(FILE));
  }

  /** Reads the record of the last build. */
  public static BuildRecord read(Path projectDir) throws IOException {
    Path f = projectDir.resolve(FILE);
    if (!exists(projectDir))
      throw new BuildConfigException(
          "nothing built yet in " + projectDir + " (run caulk build first)");
    BuildRecord r = SpecJson.read(Files.readAllBytes(f), BuildRecord.class, f.toString());
    if (r.layout() == null || r.services() == null || r.tag() == null)
      throw new BuildConfigException(f + ": incomplete build record; build again");
    return r;
  }

  /** The layer cache directory for this environment. */
  public static Path defaultCache(Map<String, String> env) {
    return LayerCache.defaultDir(env);
  }
}
