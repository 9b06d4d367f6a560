package dev.caulk.verbs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.event.EventListener;
import dev.caulk.location.ImageLocation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java example of docs/verbs.md (building and copying an image with caulk-core alone) runs, and
 * the page shows exactly the lines between the markers below.
 */
class VerbsExampleTest {
  @TempDir Path tmp;

  @Test
  void theExampleBuildsAndCopies() throws Exception {
    Path project = Files.createDirectories(tmp.resolve("project"));
    Files.createDirectories(project.resolve("cmd/stats"));
    Files.createDirectories(project.resolve("build"));
    Files.copy(Path.of("/bin/true"), project.resolve("build/stats-linux-amd64"));
    Path out = tmp.resolve("out");
    List<String> printed = new ArrayList<>();

    // example:start
    Session session = Session.defaults(EventListener.NONE);
    ImageLocation layout = ImageLocation.parse("oci:" + out.resolve("oci"));
    Build.Result built =
        Build.run(
            Build.options()
                .projectDir(project)
                .services(List.of("stats"))
                .to(layout)
                .cache(out.resolve("cache"))
                .build(),
            session);
    for (Build.Built image : built.images()) {
      ImageLocation from = ImageLocation.parse("oci:" + out.resolve("oci") + ":" + image.service());
      ImageLocation to =
          ImageLocation.parse("docker-archive:" + out.resolve(image.service() + ".tar"));
      printed.add(Copy.run(Copy.options().source(from).destination(to).build(), session).pinned());
    }
    // example:end

    assertEquals(1, printed.size());
    assertEquals(
        "docker-archive:" + out.resolve("stats.tar") + "@" + built.images().get(0).digest(),
        printed.get(0));
    assertTrue(Files.isRegularFile(out.resolve("stats.tar")));
  }

  @Test
  void thePageShowsTheExample() throws Exception {
    Path here = Path.of("src/test/java/dev/caulk/verbs/VerbsExampleTest.java");
    String source = Files.readString(here, StandardCharsets.UTF_8);
    String code =
        source.substring(
            source.indexOf("// example:start\n") + "// example:start\n".length(),
            source.indexOf("    // example:end"));
    StringBuilder expected = new StringBuilder();
    for (String line : code.split("\n", -1)) {
      if (!line.isEmpty()) {
        expected.append(line.substring(Math.min(4, line.length()))).append('\n');
      }
    }
    Path page = Path.of("..").resolve("docs/verbs.md");
    String doc = Files.readString(page, StandardCharsets.UTF_8);
    int start = doc.indexOf("```java\n") + "```java\n".length();
    String shown = doc.substring(start, doc.indexOf("```", start));
    assertEquals(expected.toString(), shown, "docs/verbs.md shows the example this test runs");
  }
}
