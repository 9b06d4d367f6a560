package dev.caulk.verbs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.location.ImageLocation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LastBuild} reads what {@link Build} recorded: nothing before a build, then each service's
 * image in the layout with the digest built (the images open there); a damaged record is a one-line
 * error, not "nothing built".
 */
class LastBuildTest {
  @TempDir Path tmp;
  final Session session = Session.defaults(null);

  @Test
  void nothingBeforeABuildThenEveryServiceBuilt() throws Exception {
    Path project = Files.createDirectories(tmp.resolve("project"));
    Files.createDirectories(project.resolve("build"));
    for (String s : List.of("api", "worker")) {
      Files.createDirectories(project.resolve("cmd").resolve(s));
      Files.copy(Path.of("/bin/true"), project.resolve("build/" + s + "-linux-amd64"));
    }
    assertTrue(LastBuild.read(project).isEmpty(), "nothing built yet");

    Path out = tmp.resolve("out");
    Build.Result r =
        Build.run(
            Build.options()
                .projectDir(project)
                .all(true)
                .cache(tmp.resolve("cache"))
                .environment(Map.of("SOURCE_DATE_EPOCH", "1700000000"))
                .to(List.of(ImageLocation.parse("oci:" + out)))
                .build(),
            session);
    LastBuild.Result last = LastBuild.read(project).orElseThrow();
    assertEquals(out.toAbsolutePath().normalize(), last.layout());
    assertEquals("latest", last.tag());
    assertEquals(r.images().size(), last.images().size());
    for (Build.Built b : r.images()) {
      LastBuild.Image i =
          last.images().stream()
              .filter(x -> x.service().equals(b.service()))
              .findFirst()
              .orElseThrow();
      assertEquals(b.digest(), i.digest());
      assertEquals(new ImageLocation.OciLayout(last.layout(), b.service()), i.location());
      assertEquals(b.digest(), i.location().open(session.source()).digest());
    }

    Files.writeString(project.resolve(".caulk/last-build.json"), "{\"layout\": \"/x\"}");
    IOException e = assertThrows(IOException.class, () -> LastBuild.read(project));
    assertTrue(e.getMessage().endsWith("incomplete build record; build again"), e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
  }
}
