package dev.caulk.build;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A project's layout: its services are the folders under {@code cmd/}. */
public final class Project {
  /** The optional configuration file at the project root. */
  public static final String CONFIG_FILE = "caulk.yaml";

  private Project() {}

  /** The service names: every folder under {@code cmd/} with a valid image name, sorted. */
  public static List<String> discoverServices(Path projectDir) throws IOException {
    Path cmd = projectDir.resolve("cmd");
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(cmd)) return out;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(cmd, Files::isDirectory)) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        if (name.matches("[a-z0-9][a-z0-9._-]{0,127}")) out.add(name);
      }
    }
    out.sort(null);
    return out;
  }

  /** Loads caulk.yaml when present, else an empty config. */
  public static BuildConfig loadConfig(Path projectDir, Path explicitFile) throws IOException {
    if (explicitFile != null) return BuildConfigLoader.load(explicitFile);
    Path f = projectDir.resolve(CONFIG_FILE);
    return Files.isRegularFile(f) ? BuildConfigLoader.load(f) : BuildConfig.EMPTY;
  }
}
