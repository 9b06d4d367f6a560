package dev.caulk.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.build.DockerfileImport.Outcome;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerfileImportTest {
  /**
   * The shape of the article's docker/serve/Dockerfile: alpine, CA bundle and tzdata, a non-root
   * user, one binary per service.
   */
  static final String ARTICLE =
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

  static DockerfileImport.Result map(String text) {
    return DockerfileImport.map(Dockerfile.parse(text, "Dockerfile"));
  }

  static DockerfileImport.Note note(DockerfileImport.Result r, String prefix) {
    return r.notes().stream()
        .filter(n -> n.instruction().startsWith(prefix))
        .findFirst()
        .orElseThrow(() -> new AssertionError(prefix + " in " + r.notes()));
  }

  @Test
  void theArticlesDockerfileBecomesSettings() {
    DockerfileImport.Result r = map(ARTICLE);
    assertEquals("build/{service}-linux-{arch}", r.binary());
    assertEquals(new BuildConfig.User("www-data", 1000, 1000), r.user());
    assertEquals("/app", r.workdir());
    assertEquals(List.of("3000"), r.ports());
    assertEquals("Europe/Ljubljana", r.timezone());
    assertTrue(r.caCertificates());
    assertTrue(r.tzdata());
    assertEquals(List.of(), r.entrypoint(), "ENTRYPOINT [/app/service] is caulk's default");
    assertEquals(Map.of(), r.env(), "TZ is the timezone, not an env entry");
    assertEquals(Outcome.NOT_NEEDED, note(r, "FROM").outcome());
    assertEquals(Outcome.NOT_NEEDED, note(r, "RUN rm -rf").outcome());
    assertTrue(note(r, "RUN rm -rf").reason().contains("frees no bytes"));
    assertEquals(Outcome.MAPPED, note(r, "RUN apk").outcome());
    assertEquals(Outcome.MAPPED, note(r, "RUN adduser").outcome());
    assertEquals(Outcome.NOT_MAPPED, note(r, "HEALTHCHECK").outcome());
    assertEquals(Outcome.MAPPED, note(r, "ARG").outcome());
    assertTrue(note(r, "ARG").reason().contains("{service}"));
    assertEquals(12, r.notes().size(), "one note per instruction");
    assertEquals(15, r.sources().get("binary"), "the COPY line");
  }

  @Test
  void aHugeFileIsRefusedBeforeItIsRead(@TempDir Path dir) throws Exception {
    Path big = dir.resolve("Dockerfile");
    try (var ch = FileChannel.open(big, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ch.position(10L << 30).write(ByteBuffer.wrap(new byte[] {'\n'}));
    }
    assertEquals(
        "docker/Dockerfile: larger than " + Dockerfile.MAX_BYTES + " bytes, not a Dockerfile",
        assertThrows(
                IllegalArgumentException.class, () -> Dockerfile.read(big, "docker/Dockerfile"))
            .getMessage());
    Path small = Files.writeString(dir.resolve("ok"), "FROM alpine\nUSER 1000\n");
    assertEquals(2, Dockerfile.read(small, "ok").instructions().size());
  }

  @Test
  void theWrittenCaulkYamlLoadsBackToTheSameSettings(@TempDir Path dir) throws Exception {
    DockerfileImport.Result r = map(ARTICLE);
    Path yaml = dir.resolve("caulk.yaml");
    Files.writeString(
        yaml,
        ConfigTemplate.caulkYaml(List.of("hello", "stats"), null, r, "docker/serve/Dockerfile"));
    BuildConfig c = BuildConfigLoader.load(yaml);
    assertEquals(new BuildConfig.User("www-data", 1000, 1000), c.user());
    assertEquals("/app", c.workdir());
    assertEquals(List.of("3000"), c.ports());
    assertEquals("Europe/Ljubljana", c.timezone());
    assertNull(c.binary(), "the default pattern stays a comment");
    assertNull(c.entrypoint());
    assertTrue(
        Files.readString(yaml).contains("(docker/serve/Dockerfile line 13)"),
        "user: the USER line");
  }

  @Test
  void withoutADockerfileTheTemplateIsAllCommentsButTheBinaryFound(@TempDir Path dir)
      throws Exception {
    Files.createDirectories(dir.resolve("bin"));
    Files.writeString(dir.resolve("bin/api-arm64"), "x");
    Files.writeString(dir.resolve("bin/api2-amd64"), "x");
    String pattern = ConfigTemplate.discoverBinaryPattern(dir, List.of("api"));
    assertEquals("bin/{service}-{arch}", pattern);
    Path yaml = dir.resolve("caulk.yaml");
    Files.writeString(yaml, ConfigTemplate.caulkYaml(List.of("api"), pattern, null, null));
    BuildConfig c = BuildConfigLoader.load(yaml);
    assertEquals("bin/{service}-{arch}", c.binary());
    assertNull(c.user());
    assertNull(c.ports());
  }

  @Test
  void aMultiStageGoDockerfileMapsItsFinalStage() {
    DockerfileImport.Result r =
        map(
            """
        # syntax=docker/dockerfile:1
        FROM golang:1.22 AS build
        WORKDIR /src
        COPY . .
        RUN CGO_ENABLED=0 go build -o /out/server ./cmd/server

        FROM gcr.io/distroless/static:nonroot
        COPY --from=build /out/server /server
        USER 65532:65532
        EXPOSE 8080/tcp 9090/udp
        ENV GIN_MODE=release LOG="info json"
        LABEL org.opencontainers.image.vendor="Example Co" team=core
        ENTRYPOINT ["/server"]
        CMD ["--listen", ":8080"]
        """);
    assertEquals(Outcome.NOT_NEEDED, note(r, "RUN CGO_ENABLED").outcome(), "build-stage lines");
    assertEquals(Outcome.NOT_NEEDED, note(r, "WORKDIR /src").outcome());
    assertNull(r.workdir(), "the build stage's WORKDIR is not the image's");
    assertEquals(Outcome.NOT_MAPPED, note(r, "COPY --from").outcome());
    assertTrue(note(r, "COPY --from").reason().contains("build the binary on the host"));
    assertNull(r.binary());
    assertEquals(new BuildConfig.User("app", 65532, 65532), r.user());
    assertEquals(List.of("8080", "9090/udp"), r.ports());
    assertEquals(Map.of("GIN_MODE", "release", "LOG", "info json"), r.env());
    assertEquals(
        Map.of("org.opencontainers.image.vendor", "Example Co", "team", "core"), r.labels());
    assertEquals(
        List.of(), r.entrypoint(), "the binary's place in the Dockerfile becomes /app/service");
    assertEquals(List.of("--listen", ":8080"), r.cmd());
  }

  @Test
  void shellFormsUsersAndPackagesAreJudgedOneByOne() {
    DockerfileImport.Result r =
        map(
            """
        FROM debian:bookworm-slim
        RUN groupadd -g 2000 svc && useradd -u 2001 -g svc -m svc
        RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl && rm -rf /var/lib/apt/lists/*
        USER svc
        ENTRYPOINT /app/service --port 3000
        CMD echo $HOME | tee /tmp/x
        VOLUME /data
        """);
    assertEquals(new BuildConfig.User("svc", 2001, 2000), r.user());
    DockerfileImport.Note apt = note(r, "RUN apt-get");
    assertEquals(Outcome.NOT_MAPPED, apt.outcome());
    assertTrue(apt.reason().contains("packages curl"), apt.reason());
    assertTrue(r.caCertificates());
    assertEquals(List.of("/app/service", "--port", "3000"), r.entrypoint());
    assertTrue(note(r, "ENTRYPOINT").reason().contains("exec form"));
    assertEquals(Outcome.NOT_MAPPED, note(r, "CMD").outcome(), "a pipe needs a shell");
    assertEquals(Outcome.NOT_MAPPED, note(r, "VOLUME").outcome());
  }

  @Test
  void rootAndInvalidUsersAreNotMapped() {
    assertEquals(Outcome.NOT_MAPPED, note(map("FROM alpine\nUSER root\n"), "USER").outcome());
    DockerfileImport.Result bad = map("FROM alpine\nUSER Web.Server\n");
    assertNull(bad.user());
    assertTrue(
        bad.notes().stream()
            .anyMatch(
                n ->
                    n.outcome() == Outcome.NOT_MAPPED && n.reason().contains("invalid user name")));
  }

  @Test
  void variablesExpandFromArgAndEnvDefaults() {
    DockerfileImport.Result r =
        map(
            """
        FROM alpine
        ARG PORT=8080
        ARG APP_HOME
        ENV HOME_DIR=${APP_HOME:-/srv/app}
        WORKDIR $HOME_DIR
        EXPOSE ${PORT}
        """);
    assertEquals("/srv/app", r.workdir());
    assertEquals(List.of("8080"), r.ports());
  }

  @Test
  void parsingFollowsTheDockerfileReference() {
    Dockerfile f =
        Dockerfile.parse(
            """
        # escape=`
        FROM alpine
        RUN echo a `
          # a comment inside is dropped
          && echo b
        run <<EOF
        echo inside
        EOF
        COPY a b
        """,
            "Dockerfile");
    List<Dockerfile.Instruction> in = f.instructions();
    assertEquals(4, in.size());
    assertEquals(
        "echo a   && echo b",
        in.get(1).arguments().replaceAll("\\s+", " ").replace("a &&", "a   &&"));
    assertEquals("RUN", in.get(2).keyword(), "keywords are case-insensitive");
    assertEquals("echo inside\n", in.get(2).heredoc());
    assertEquals(9, in.get(3).line());
    assertEquals(Outcome.NOT_MAPPED, note(DockerfileImport.map(f), "RUN <<EOF").outcome());
  }

  @Test
  void badDockerfilesGetOneLineErrors() {
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> Dockerfile.parse("FROM a\nRUN <<EOF\necho\n", "D"))
            .getMessage()
            .contains("D:2: heredoc <<EOF is never closed"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> Dockerfile.parse("FROM a\n{\"json\": 1}\n", "D"))
            .getMessage()
            .startsWith("D:2: not a Dockerfile instruction"));
    assertThrows(
        IllegalArgumentException.class,
        () -> Dockerfile.parse("RUN x\n".repeat(Dockerfile.MAX_INSTRUCTIONS + 1), "D"));
    assertThrows(
        IllegalArgumentException.class,
        () -> Dockerfile.parse("#".repeat(Dockerfile.MAX_BYTES + 1), "D"));
  }

  @Test
  void hostileShapesCostLinearTime() {
    String longRun = "FROM a\nRUN " + "x && ".repeat(100_000) + "y\n";
    String quotes = "FROM a\nLABEL " + "a=\"".repeat(100_000) + "\n";
    String vars = "FROM a\nARG A=1\nWORKDIR " + "${A}$A$".repeat(50_000) + "\n";
    String continued = "FROM a\nRUN a \\\n" + "  b \\\n".repeat(100_000) + "  c\n";
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () -> {
          for (String s : List.of(longRun, quotes, vars, continued))
            DockerfileImport.map(Dockerfile.parse(s, "D"));
        });
  }
}
