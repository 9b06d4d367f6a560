package dev.caulk.verbs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.build.BuildConfig;
import dev.caulk.build.BuildConfigException;
import dev.caulk.digest.Digest;
import dev.caulk.image.Artifact;
import dev.caulk.layout.MediaFixtures;
import dev.caulk.location.ImageLocation;
import dev.caulk.testing.RegistryTest;
import dev.caulk.testing.TestRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Build} and {@link Push} on a project whose service binary is the host's {@code /bin/true}
 * (a dynamic ELF: the build copies its interpreter and libraries), against a real registry.
 */
@RegistryTest(TestRegistry.Mode.PLAIN)
class BuildPushTest {
  static final Map<String, String> ENV = Map.of("SOURCE_DATE_EPOCH", "1700000000");
  @TempDir Path tmp;
  final Session session = Session.defaults(null);

  private Path project(String... services) throws Exception {
    Path p = Files.createDirectories(tmp.resolve("project"));
    Files.createDirectories(p.resolve("build"));
    for (String s : services) {
      Files.createDirectories(p.resolve("cmd").resolve(s));
      Files.copy(Path.of("/bin/true"), p.resolve("build/" + s + "-linux-amd64"));
    }
    return p;
  }

  private Build.OptionsBuilder options(Path project) {
    return Build.options().projectDir(project).cache(tmp.resolve("cache")).environment(ENV);
  }

  @Test
  void buildsWritesEveryTargetRecordsAndPushesThenPushAgainFromTheRecord(TestRegistry registry)
      throws Exception {
    Path project = project("hello");
    ImageLocation layout = ImageLocation.parse("oci:" + tmp.resolve("out"));
    ImageLocation archive = ImageLocation.parse("docker-archive:" + tmp.resolve("all.tar"));
    BuildConfig flags = BuildConfig.builder().prefix(registry.host() + "/built/").tag("v1").build();

    Build.Result r =
        Build.run(
            options(project).overrides(flags).to(List.of(layout, archive)).push(true).build(),
            session);
    assertEquals(1, r.images().size());
    Build.Built b = r.images().get(0);
    assertEquals("hello", b.service());
    assertEquals(registry.host() + "/built/hello:v1@" + b.digest(), b.pinned());
    assertEquals(tmp.resolve("out").toAbsolutePath(), r.layout());
    assertEquals(
        b.digest(),
        new ImageLocation.OciLayout(tmp.resolve("out"), "hello").open(session.source()).digest());
    assertEquals(
        b.digest(),
        ImageLocation.parse(
                "docker-archive:"
                    + tmp.resolve("all.tar")
                    + ":"
                    + registry.host()
                    + "/built/hello:v1")
            .open(session.source())
            .digest());
    assertEquals(
        b.digest(),
        ImageLocation.parse(registry.host() + "/built/hello:v1").open(session.source()).digest());
    assertTrue(Files.isRegularFile(project.resolve(".caulk/last-build.json")));
    assertFalse(
        Files.exists(project.resolve(".caulk/oci")), "a --to layout replaces the default one");

    Build.Result again = Build.run(options(project).overrides(flags).to(layout).build(), session);
    assertEquals(b.digest(), again.images().get(0).digest(), "same inputs, same digest");

    Push.Result pushed =
        Push.run(
            Push.options()
                .projectDir(project)
                .prefix(registry.host() + "/pushed/")
                .tag("v2")
                .build(),
            session);
    assertEquals(1, pushed.pushed().size());
    Push.Pushed p = pushed.pushed().get(0);
    assertEquals(registry.host() + "/pushed/hello:v2@" + b.digest(), p.pinned());
    assertEquals(
        b.digest(),
        ImageLocation.parse(registry.host() + "/pushed/hello:v2").open(session.source()).digest());

    InvalidOptionsException unknown =
        assertThrows(
            InvalidOptionsException.class,
            () ->
                Push.run(
                    Push.options().projectDir(project).services(List.of("nope")).build(), session));
    assertEquals("service 'nope' was not built (built: hello)", unknown.getMessage());
  }

  @Test
  void withoutToTheImagesGoToTheProjectLayoutAndPushRefusesAChangedOne() throws Exception {
    Path project = project("hello");
    Build.Result r = Build.run(options(project).build(), session);
    Path layout = project.resolve(".caulk/oci");
    assertEquals(layout.toAbsolutePath().normalize(), r.layout().toAbsolutePath().normalize());
    Digest built = r.images().get(0).digest();
    assertEquals(
        "hello:latest@" + built, r.images().get(0).pinned().replace("docker.io/library/", ""));

    // Another image under the same tag: push sees it is not what the build recorded.
    Path other = Files.createDirectories(tmp.resolve("other"));
    new ImageLocation.OciLayout(layout, "hello")
        .write(Artifact.of(MediaFixtures.image(other, "x.txt")), session.destination());
    Exception e =
        assertThrows(
            IOException.class, () -> Push.run(Push.options().projectDir(project).build(), session));
    assertTrue(e.getMessage().endsWith("the last build recorded; build again"), e.getMessage());
  }

  @Test
  void servicesAndOptionsAreChecked() throws Exception {
    Path project = project("hello", "other");
    assertEquals(
        "give SERVICE names or --all, not both",
        assertThrows(
                InvalidOptionsException.class,
                () -> options(project).all(true).services(List.of("hello")).build())
            .getMessage());
    assertEquals(
        "--to docker://docker.io/library/app:v1: use --push (with --prefix) to build into a registry",
        assertThrows(
                InvalidOptionsException.class,
                () -> options(project).to(ImageLocation.parse("app:v1")).build())
            .getMessage());
    assertEquals(
        "several services (hello, other): name them or use --all",
        assertThrows(
                InvalidOptionsException.class, () -> Build.run(options(project).build(), session))
            .getMessage());
    assertEquals(
        "unknown service 'nope' (services: hello, other)",
        assertThrows(
                InvalidOptionsException.class,
                () -> Build.run(options(project).services(List.of("nope")).build(), session))
            .getMessage());
    BuildConfig badPrefix = BuildConfig.builder().prefix("UPPER/").build();
    String m =
        assertThrows(
                InvalidOptionsException.class,
                () ->
                    Build.run(
                        options(project).services(List.of("hello")).overrides(badPrefix).build(),
                        session))
            .getMessage();
    assertTrue(
        m.startsWith("image name 'UPPER/hello:latest': ") && m.endsWith("(check prefix)"), m);

    assertEquals(
        "give SERVICE names or --all, not both",
        assertThrows(
                InvalidOptionsException.class,
                () -> Push.options().all(true).services(List.of("a")).build())
            .getMessage());
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    BuildConfigException none =
        assertThrows(
            BuildConfigException.class,
            () -> Push.run(Push.options().projectDir(empty).build(), session));
    assertTrue(none.getMessage().startsWith("nothing built yet"), none.getMessage());
  }
}
