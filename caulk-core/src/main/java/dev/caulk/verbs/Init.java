package dev.caulk.verbs;

import dev.caulk.build.ConfigTemplate;
import dev.caulk.build.Dockerfile;
import dev.caulk.build.DockerfileImport;
import dev.caulk.build.Project;
import dev.caulk.io.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code caulk init}: writes a commented {@code caulk.yaml} for a service repository (the services
 * under {@code cmd/}, the binary naming found in {@code build/}) and {@code caulk.mk}, a Makefile
 * snippet with the {@code docker}, {@code docker.%}, {@code push} and {@code push.%} targets; with
 * a Dockerfile, maps what it says ({@link DockerfileImport}) and reports each line it could not
 * map. Existing files are never replaced unless {@code force} is set; each file is written under a
 * temporary name and renamed into place.
 */
public final class Init {
  private Init() {}

  /**
   * @param projectDir the repository root
   * @param dockerfile a Dockerfile to map, or null
   * @param force replace caulk.yaml and caulk.mk when they exist
   */
  public record Options(Path projectDir, Path dockerfile, boolean force) {}

  /** Builds {@link Options}. */
  public static final class OptionsBuilder {
    private Path projectDir = Path.of(".");
    private Path dockerfile;
    private boolean force;

    private OptionsBuilder() {}

    public OptionsBuilder projectDir(Path dir) {
      this.projectDir = dir;
      return this;
    }

    public OptionsBuilder fromDockerfile(Path file) {
      this.dockerfile = file;
      return this;
    }

    public OptionsBuilder force(boolean f) {
      this.force = f;
      return this;
    }

    public Options build() {
      if (projectDir == null) throw new InvalidOptionsException("init: no project folder");
      if (!Files.isDirectory(projectDir))
        throw new InvalidOptionsException("init: " + projectDir + " is not a folder");
      return new Options(projectDir.toAbsolutePath().normalize(), dockerfile, force);
    }
  }

  public static OptionsBuilder options() {
    return new OptionsBuilder();
  }

  /**
   * What was written.
   *
   * @param written the files written, in order
   * @param services the services found under cmd/
   * @param notes the Dockerfile's instructions and what became of each (empty without a Dockerfile)
   */
  public record Result(
      List<Path> written, List<String> services, List<DockerfileImport.Note> notes) {
    /** The notes of lines that could not be mapped. */
    public List<DockerfileImport.Note> unmapped() {
      return notes.stream()
          .filter(n -> n.outcome() == DockerfileImport.Outcome.NOT_MAPPED)
          .toList();
    }
  }

  public static Result run(Options o, Session session) throws IOException {
    Path dir = o.projectDir();
    Path yaml = dir.resolve(Project.CONFIG_FILE);
    Path mk = dir.resolve(ConfigTemplate.MAKE_SNIPPET);
    if (!o.force()) {
      for (Path p : List.of(yaml, mk)) {
        if (Files.exists(p))
          throw new FileAlreadyExistsException(p + " (use --force to replace it)");
      }
    }
    List<String> services = Project.discoverServices(dir);
    DockerfileImport.Result mapped = null;
    String dockerfileName = null;
    if (o.dockerfile() != null) {
      Path df = o.dockerfile().isAbsolute() ? o.dockerfile() : dir.resolve(o.dockerfile());
      dockerfileName = o.dockerfile().toString();
      mapped = DockerfileImport.map(Dockerfile.read(df, dockerfileName));
    }
    String binary = ConfigTemplate.discoverBinaryPattern(dir, services);
    List<Path> written = new ArrayList<>();
    write(yaml, ConfigTemplate.caulkYaml(services, binary, mapped, dockerfileName));
    written.add(yaml);
    write(mk, ConfigTemplate.makeSnippet());
    written.add(mk);
    for (Path p : written) session.events().info("wrote " + p);
    return new Result(written, services, mapped == null ? List.of() : mapped.notes());
  }

  private static void write(Path target, String text) throws IOException {
    AtomicFile.write(target, text.getBytes(StandardCharsets.UTF_8));
  }
}
