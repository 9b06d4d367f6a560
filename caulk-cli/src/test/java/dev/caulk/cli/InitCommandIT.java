package dev.caulk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.layout.MediaFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code caulk init --from-dockerfile} on the article's project shape: the C example's services,
 * its binaries in build/, and the Dockerfile the article builds them with; the caulk.yaml written
 * must build images that say what the Dockerfile said.
 */
class InitCommandIT {
  static final String DOCKERFILE =
      """
      FROM alpine:latest

      ARG service_name

      WORKDIR /app

      ENV TZ Europe/Ljubljana
      RUN apk --no-cache add ca-certificates tzdata && \\
          ln -s /usr/share/zoneinfo/$TZ /etc/localtime

      RUN adduser -S www-data -u 1000
      RUN rm -rf /bin /sbin /usr/bin /usr/sbin /usr/local/bin /etc/apk /lib/apk
      USER www-data

      COPY /build/${service_name}-linux-amd64 /app/service

      EXPOSE 3000
      HEALTHCHECK CMD wget -q -O- http://localhost:3000/health || exit 1

      ENTRYPOINT ["/app/service"]
      """;

  @TempDir static Path shared;
  static Path binaries;

  @BeforeAll
  static void compile() throws Exception {
    Path copy =
        BuildCommandIT.copyProject(
            BuildCommandIT.repositoryRoot().resolve("examples/advent"), shared.resolve("compiled"));
    MediaFixtures.run(copy, "make", "-s", "build");
    binaries = copy.resolve("build");
  }

  /** The example without its caulk.yaml, with build/ and docker/serve/Dockerfile. */
  static Path project(Path dir) throws Exception {
    Path p =
        BuildCommandIT.copyProject(BuildCommandIT.repositoryRoot().resolve("examples/advent"), dir);
    Files.delete(p.resolve("caulk.yaml"));
    Files.createDirectories(p.resolve("build"));
    for (Path b : Files.list(binaries).toList())
      Files.copy(b, p.resolve("build").resolve(b.getFileName()));
    Files.createDirectories(p.resolve("docker/serve"));
    Files.writeString(p.resolve("docker/serve/Dockerfile"), DOCKERFILE);
    return p;
  }

  @Test
  void theArticlesDockerfileBecomesACaulkYamlThatBuildsTheSameImage(@TempDir Path tmp)
      throws Exception {
    Path p = project(tmp.resolve("p"));
    Cli.Run init =
        Cli.run("init", "-C", p.toString(), "--from-dockerfile", "docker/serve/Dockerfile");
    assertEquals(0, init.exit(), init.toString());
    assertTrue(
        init.out().contains("docker/serve/Dockerfile:1: not needed: FROM alpine:latest"),
        init.out());
    assertTrue(
        init.out().contains("docker/serve/Dockerfile:12: not needed: RUN rm -rf /bin"), init.out());
    assertTrue(
        init.out().contains("docker/serve/Dockerfile:18: not mapped: HEALTHCHECK"), init.out());
    assertEquals(12, init.out().lines().count(), "one line per instruction");
    assertTrue(Files.isRegularFile(p.resolve("caulk.mk")));
    assertTrue(Files.readString(p.resolve("caulk.mk")).contains("docker.%:"));

    Cli.Run build =
        Cli.run(
            "build",
            "-C",
            p.toString(),
            "--cache",
            tmp.resolve("cache").toString(),
            "--all",
            "--to",
            "oci:" + tmp.resolve("oci"));
    assertEquals(0, build.exit(), build.toString());
    Cli.Run inspect =
        Cli.run("inspect", "--format", "json", "oci:" + tmp.resolve("oci") + ":stats");
    assertEquals(0, inspect.exit(), inspect.toString());
    String json = inspect.out();
    assertTrue(
        json.contains("\"User\" : \"1000:1000\"") || json.contains("\"User\":\"1000:1000\""), json);
    assertTrue(json.contains("3000/tcp"), json);
    assertTrue(json.contains("TZ=Europe/Ljubljana"), json);
    assertTrue(json.contains("/app/service"), json);
  }

  @Test
  void existingFilesAreKeptUnlessForced(@TempDir Path tmp) throws Exception {
    Path p = project(tmp.resolve("p"));
    Files.writeString(p.resolve("caulk.yaml"), "prefix: mine/\n");
    Cli.Run again = Cli.run("init", "-C", p.toString());
    assertEquals(1, again.exit(), again.toString());
    assertTrue(
        again.err().contains("already exists") && again.err().contains("--force"), again.err());
    assertEquals("prefix: mine/\n", Files.readString(p.resolve("caulk.yaml")));
    assertFalse(Files.exists(p.resolve("caulk.mk")), "nothing written when one file is refused");
    Cli.Run forced = Cli.run("init", "-C", p.toString(), "--force");
    assertEquals(0, forced.exit(), forced.toString());
    String yaml = Files.readString(p.resolve("caulk.yaml"));
    assertTrue(yaml.contains("# Services found: hello, stats"), yaml);
    assertTrue(
        yaml.contains("# binary: build/{service}-linux-{arch}"),
        "the default naming found in build/ stays a comment");
    try (var s = Files.list(p)) {
      assertTrue(
          s.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary file left");
    }
    Cli.Run built =
        Cli.run(
            "build",
            "-C",
            p.toString(),
            "--cache",
            tmp.resolve("cache").toString(),
            "hello",
            "--to",
            "oci:" + tmp.resolve("oci"));
    assertEquals(0, built.exit(), built.toString());
  }

  @Test
  void aBadDockerfileIsOneLine(@TempDir Path tmp) throws Exception {
    Path p = project(tmp.resolve("p"));
    Files.writeString(p.resolve("docker/serve/Dockerfile"), "FROM alpine\nRUN <<EOF\necho\n");
    Cli.Run r = Cli.run("init", "-C", p.toString(), "--from-dockerfile", "docker/serve/Dockerfile");
    assertEquals(1, r.exit(), r.toString());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(
        r.err().contains("docker/serve/Dockerfile:2: heredoc <<EOF is never closed"), r.err());
    assertFalse(Files.exists(p.resolve("caulk.yaml")));
    Cli.Run missing = Cli.run("init", "-C", p.toString(), "--from-dockerfile", "nope/Dockerfile");
    assertEquals(1, missing.exit(), missing.toString());
    assertTrue(missing.err().contains("no such file"), missing.err());
  }
}
