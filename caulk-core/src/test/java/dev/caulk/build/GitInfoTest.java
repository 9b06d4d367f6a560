package dev.caulk.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The labels git gives a build: source only from a URL remote, without credentials; title is the
 * service.
 */
class GitInfoTest {
  static final String SOURCE = "org.opencontainers.image.source";
  static final String TITLE = "org.opencontainers.image.title";

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "https://github.com/acme/app.git                 | https://github.com/acme/app.git",
        "https://user:s3cret@github.com/acme/app.git     | https://github.com/acme/app.git",
        "https://ghp_token@github.com/acme/app           | https://github.com/acme/app",
        "https://us@r:p@ss@git.example:8443/acme/app.git | https://git.example:8443/acme/app.git",
        "HTTP://git.example/acme/app                     | http://git.example/acme/app",
        "ssh://git@git.example:2222/acme/app.git         | ssh://git.example:2222/acme/app.git",
        "git://git.example/acme/app.git                  | git://git.example/acme/app.git",
        "git+ssh://deploy:pw@git.example/acme/app        | git+ssh://git.example/acme/app",
        "git@github.com:acme/app.git                     | ssh://github.com/acme/app.git",
        "github.com:acme/app.git                         | ssh://github.com/acme/app.git",
        "git@git.example:/srv/git/app.git                | ssh://git.example/srv/git/app.git",
        "git@[::1]:acme/app.git                          | ssh://[::1]/acme/app.git",
      })
  void aUrlRemoteIsTheSourceWithoutUserInfo(String remote, String source) {
    assertEquals(source, GitInfo.sourceUrl(remote));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/srv/git/app.git",
        "../app",
        "./app.git",
        "app",
        "file:///srv/git/app.git",
        "file://host/srv/app.git",
        "C:\\src\\app",
        "ftp://host/app.git",
        "https:///app.git",
        " ",
        "https://host/a b"
      })
  void aPathOrAnotherSchemeIsNoSource(String remote) {
    assertNull(GitInfo.sourceUrl(remote), remote);
  }

  @Test
  void aClonedFolderGivesNoSourceLabel(@TempDir Path tmp) throws Exception {
    Path origin = tmp.resolve("origin");
    Files.createDirectories(origin);
    git(origin, "init", "-q");
    Path project = repo(tmp.resolve("project"), origin.toString());
    GitInfo g = GitInfo.of(project).orElseThrow();
    assertNull(g.remoteUrl());
    Map<String, String> labels = settings(project, g).labelsFor("stats");
    assertFalse(labels.containsKey(SOURCE), labels.toString());
    assertEquals(g.revision(), labels.get("org.opencontainers.image.revision"));
  }

  @Test
  void aUrlRemoteWithCredentialsGivesTheUrlWithout(@TempDir Path tmp) throws Exception {
    Path project =
        repo(tmp.resolve("project"), "https://ci:glpat-XXXX@gitlab.example/acme/app.git");
    Map<String, String> labels =
        settings(project, GitInfo.of(project).orElseThrow()).labelsFor("stats");
    assertEquals("https://gitlab.example/acme/app.git", labels.get(SOURCE));
    assertFalse(labels.toString().contains("glpat"), labels.toString());
  }

  @Test
  void theTitleIsTheServiceWhateverThePrefix(@TempDir Path tmp) throws Exception {
    BuildConfig withPrefix =
        BuildConfig.builder().prefix("127.0.0.1:5000/team/service-").tag("v1").build();
    BuildSettings s = BuildSettings.resolve(withPrefix, tmp, List.of("stats"), null, null);
    assertEquals("127.0.0.1:5000/team/service-stats", s.imageName("stats"));
    assertEquals("stats", s.labelsFor("stats").get(TITLE));
    BuildSettings plain =
        BuildSettings.resolve(BuildConfig.EMPTY, tmp, List.of("stats"), null, null);
    assertEquals(plain.labelsFor("stats"), s.labelsFor("stats"), "the prefix changes no label");

    BuildConfig titled = BuildConfig.builder().tag("v1").labels(Map.of(TITLE, "Stats API")).build();
    assertEquals(
        "Stats API",
        BuildSettings.resolve(titled, tmp, List.of("stats"), null, null)
            .labelsFor("stats")
            .get(TITLE));
  }

  private static BuildSettings settings(Path project, GitInfo git) throws BuildConfigException {
    return BuildSettings.resolve(BuildConfig.EMPTY, project, List.of("stats"), git, null);
  }

  /** A work tree with one commit and {@code origin} set to {@code remote}. */
  private static Path repo(Path dir, String remote) throws Exception {
    Files.createDirectories(dir);
    git(dir, "init", "-q");
    Files.writeString(dir.resolve("README"), "x\n");
    git(dir, "add", "README");
    git(
        dir,
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@example.invalid",
        "commit",
        "-q",
        "-m",
        "one");
    git(dir, "remote", "add", "origin", remote);
    return dir;
  }

  private static void git(Path dir, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor() == 0, String.join(" ", cmd) + ": " + out);
  }
}
