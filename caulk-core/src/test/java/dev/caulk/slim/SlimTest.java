package dev.caulk.slim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.fs.CapturingVisitor;
import dev.caulk.fs.FileTree;
import dev.caulk.fs.Node;
import dev.caulk.image.Image;
import dev.caulk.spec.ConfigFile;
import dev.caulk.spec.ContainerConfig;
import dev.caulk.spec.History;
import dev.caulk.tar.TestTars;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlimTest {
  @TempDir Path tmp;

  private Slimmer.Options options() {
    return Slimmer.Options.defaults().withTempDir(tmp);
  }

  /** The result's tree and the final content of its small files. */
  record Result(Image image, FileTree tree, CapturingVisitor files, Summary summary) {
    String text(String path) {
      return new String(
          files.content(tree, path).orElseThrow(() -> new AssertionError("no file " + path)),
          StandardCharsets.UTF_8);
    }

    boolean has(String path) {
      return tree.node(path).isPresent();
    }

    Node node(String path) {
      return tree.node(path).orElseThrow(() -> new AssertionError("no " + path));
    }
  }

  static Result read(Slimmer.Result r) throws Exception {
    CapturingVisitor v = new CapturingVisitor((Predicate<String>) p -> true, 1 << 16);
    FileTree t = FileTree.build(r.image(), FileTree.Options.defaults(), v);
    return new Result(r.image(), t, v, r.summary());
  }

  @Test
  void keepsTheClosureTheEssentialsAndTheMetadataOfWhatRemains() throws Exception {
    ContainerConfig rc = TinyDebian.config().user("1000").build();
    Image original = TinyDebian.image(rc);
    Result r = read(Slimmer.slim(original, options()));
    // the program, its loader and libc through the merged-/usr symlinks, the glibc run-time extras
    for (String p :
        List.of(
            "/app/service",
            "/usr/lib/x86_64-linux-gnu/libc.so.6",
            "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
            "/usr/lib/x86_64-linux-gnu/libnss_files.so.2",
            "/usr/lib/x86_64-linux-gnu/libgcc_s.so.1")) {
      assertTrue(r.node(p).isRegular(), p);
    }
    assertEquals("usr/lib", r.node("/lib").linkTarget());
    assertEquals("usr/lib64", r.node("/lib64").linkTarget());
    assertEquals(
        "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
        r.node("/usr/lib64/ld-linux-x86-64.so.2").linkTarget());
    // essential /etc, with symlink chains kept as symlinks
    for (String p :
        List.of(
            "/etc/passwd",
            "/etc/group",
            "/etc/nsswitch.conf",
            "/etc/hosts",
            "/usr/lib/os-release",
            "/etc/ssl/certs/ca-certificates.crt",
            "/usr/share/zoneinfo/Etc/UTC")) {
      assertTrue(r.node(p).isRegular(), p);
    }
    assertEquals("../usr/lib/os-release", r.node("/etc/os-release").linkTarget());
    assertEquals("/usr/share/zoneinfo/Etc/UTC", r.node("/etc/localtime").linkTarget());
    assertEquals(01777, r.node("/tmp").mode());
    assertEquals("mine", r.text("/home/app/notes"), "the user's home is kept");
    // everything else is gone, hidden files included
    for (String p :
        List.of(
            "/usr/bin/dash",
            "/usr/bin/sh",
            "/usr/bin/true",
            "/usr/bin/apt-get",
            "/usr/bin/passwd",
            "/var/cache/apt",
            "/etc/apt",
            "/usr/share/zoneinfo/Europe/Paris",
            "/opt/tools/busybox",
            "/root/secret",
            "/var/lib/dpkg/status",
            "/var/lib/dpkg/info",
            "/bin",
            "/sbin",
            "/usr/libexec/pinger")) {
      assertFalse(r.has(p), p);
    }
    // package metadata: exactly the packages whose files remain, distroless style
    List<String> statusD = new ArrayList<>();
    for (Node n : r.tree.children("/var/lib/dpkg/status.d")) statusD.add(n.name());
    assertEquals(
        List.of(
            "base-files",
            "base-files.md5sums",
            "libc6",
            "libc6.md5sums",
            "tzdata",
            "tzdata.md5sums"),
        statusD);
    assertTrue(
        r.text("/var/lib/dpkg/status.d/libc6")
            .startsWith("Package: libc6\nStatus: install ok installed\n"));
    String sums = r.text("/var/lib/dpkg/status.d/tzdata.md5sums");
    assertTrue(sums.contains("usr/share/zoneinfo/Etc/UTC") && !sums.contains("Paris"), sums);
    assertTrue(
        r.text("/var/lib/dpkg/status.d/libc6.md5sums")
            .contains("  lib/x86_64-linux-gnu/libc.so.6\n"));
    assertEquals(
        "libc copyright", r.text("/usr/share/doc/libc6/copyright"), "copyright of kept packages");
    assertFalse(r.has("/usr/share/doc/coreutils"));
    assertEquals(List.of("base-files", "libc6", "tzdata"), r.summary().packagesKept());
    assertTrue(r.summary().packagesDropped().containsAll(List.of("apt", "coreutils", "dash")));
    // one layer; run config kept; history: old entries empty, one new entry
    ConfigFile c = r.image().config();
    assertEquals(1, r.image().layers().size());
    assertEquals(rc, c.runConfig());
    List<History> h = c.history();
    assertEquals(3, h.size());
    assertTrue(h.get(0).emptyLayer() && h.get(1).emptyLayer() && !h.get(2).emptyLayer());
    assertEquals("caulk slim", h.get(2).createdBy());
    assertTrue(
        h.get(2).comment().contains("package metadata declares 3 of 6 packages"),
        h.get(2).comment());
    assertTrue(r.summary().bytesAfter() < r.summary().bytesBefore());
    assertTrue(
        r.summary().floorBytes() > 2_000_000
            && r.summary().floorBytes() <= r.summary().bytesAfter());
  }

  @Test
  void reportShowsBeforeAndAfter() throws Exception {
    Image original = TinyDebian.image(TinyDebian.config().build());
    Slimmer.Result r = Slimmer.slim(original, options());
    Comparison c =
        Comparison.of(
            "oci:in:app",
            "oci:out:app@sha256:0",
            original,
            r,
            null,
            dev.caulk.audit.Auditor.Options.defaults().withSecrets(false));
    com.fasterxml.jackson.databind.node.ObjectNode j =
        c.toJson(new com.fasterxml.jackson.databind.ObjectMapper());
    assertEquals("slim", j.path("verb").asText());
    assertEquals("oci:out:app@sha256:0", j.path("result").asText());
    assertTrue(j.path("probe").isNull());
    assertEquals(
        2, j.path("before").path("shells").size(), j.path("before").path("shells").toString());
    assertEquals(0, j.path("after").path("shells").size());
    assertEquals(2, j.path("before").path("setuid").size());
    assertEquals(0, j.path("after").path("setuid").size());
    assertTrue(j.path("before").path("findings").has("critical"));
    assertEquals("libc6", j.path("packages").path("kept").get(1).asText());
    String t = c.table();
    assertTrue(t.startsWith("slim oci:in:app -> oci:out:app@sha256:0\n"), t);
    assertTrue(t.matches("(?s).*\nshells +2 \\(/usr/bin/dash, /usr/bin/sh\\) +0\n.*"), t);
    assertTrue(t.matches("(?s).*\nsetuid +2 \\(/usr/bin/passwd, /usr/libexec/helper\\) +0\n.*"), t);
    assertTrue(t.contains("probe: not run"), t);
    assertTrue(
        t.contains("  /home ") && !t.contains("  /tmp "),
        "folders without files on either side are left out: " + t);
  }

  @Test
  void sameImageSameDigest() throws Exception {
    Image original = TinyDebian.image(TinyDebian.config().build());
    assertEquals(
        Slimmer.slim(original, options()).image().digest(),
        Slimmer.slim(original, options()).image().digest());
  }

  @Test
  void keepsTheZoneOfTzAndIncludes() throws Exception {
    ContainerConfig rc = TinyDebian.config().env("TZ", ":Europe/Paris").build();
    Result r =
        read(
            Slimmer.slim(
                TinyDebian.image(rc),
                options().withKeep(List.of("/opt/**")).withIncludeExe(List.of("sh"))));
    assertEquals("TZif-paris", r.text("/usr/share/zoneinfo/Europe/Paris"));
    assertTrue(r.node("/opt/tools/busybox").isRegular(), "--include glob");
    assertEquals(
        "dash",
        r.node("/usr/bin/sh").linkTarget(),
        "--include-exe keeps the name as found in PATH");
    assertTrue(r.node("/usr/bin/dash").isRegular());
    assertTrue(r.summary().packagesKept().contains("dash"));
  }

  @Test
  void shellFormKeepsTheShellAndWhatItExecs() throws Exception {
    ContainerConfig rc =
        TinyDebian.config()
            .entrypoint(List.of("sh", "-c", "exec true --serve"))
            .cmd(null)
            .workingDir("/")
            .build();
    Result r = read(Slimmer.slim(TinyDebian.image(rc), options()));
    assertTrue(r.has("/usr/bin/sh") && r.has("/usr/bin/dash") && r.has("/usr/bin/true"));
    assertFalse(r.has("/app/service"), "workdir / is not kept whole");
    assertEquals("/usr/bin/sh", r.summary().program());
  }

  @Test
  void entrypointThatCannotBeResolvedIsAnErrorNamingIt() throws Exception {
    EntrypointException e =
        assertThrows(
            EntrypointException.class,
            () ->
                Slimmer.slim(
                    TinyDebian.image(
                        TinyDebian.config().entrypoint(List.of("/app/missing")).build()),
                    options()));
    assertEquals(
        "entrypoint '/app/missing' is not an executable file in the image", e.getMessage());
    e =
        assertThrows(
            EntrypointException.class,
            () ->
                Slimmer.slim(
                    TinyDebian.image(
                        TinyDebian.config().entrypoint(List.of("server")).cmd(null).build()),
                    options()));
    assertTrue(
        e.getMessage()
            .startsWith("entrypoint 'server' not found in the image's PATH (/usr/local/sbin:"),
        e.getMessage());
    e =
        assertThrows(
            EntrypointException.class,
            () ->
                Slimmer.slim(
                    TinyDebian.image(TinyDebian.config().entrypoint(null).cmd(null).build()),
                    options()));
    assertTrue(e.getMessage().contains("no entrypoint and no cmd"));
    e =
        assertThrows(
            EntrypointException.class,
            () ->
                Slimmer.slim(
                    TinyDebian.image(TinyDebian.config().build()),
                    options().withIncludeExe(List.of("curl"))));
    assertTrue(e.getMessage().startsWith("--include-exe 'curl' not found"), e.getMessage());
    TestTars.Tar notElf =
        TinyDebian.base()
            .file(
                "app/data.bin",
                "\0\0\0\0 binary data".getBytes(StandardCharsets.UTF_8),
                0755,
                0,
                0);
    e =
        assertThrows(
            EntrypointException.class,
            () ->
                Slimmer.slim(
                    TinyDebian.image(
                        TinyDebian.config().entrypoint(List.of("/app/data.bin")).build(), notElf),
                    options()));
    assertTrue(
        e.getMessage().contains("'/app/data.bin'")
            && e.getMessage().contains("not an ELF file or script"),
        e.getMessage());
  }

  @Test
  void scriptEntrypointKeepsItsInterpreterAndMissingLibrariesAreReported() throws Exception {
    TestTars.Tar t =
        TinyDebian.base()
            .file(
                "app/run.sh",
                "#!/bin/sh\nexec /app/service\n".getBytes(StandardCharsets.UTF_8),
                0755,
                0,
                0);
    Result r =
        read(
            Slimmer.slim(
                TinyDebian.image(TinyDebian.config().entrypoint(List.of("/app/run.sh")).build(), t),
                options()));
    assertEquals("usr/bin", r.node("/bin").linkTarget());
    assertTrue(r.has("/usr/bin/dash") && r.has("/usr/bin/sh"));
    assertTrue(r.summary().missingLibraries().isEmpty());
  }

  @Test
  void hardLinksStayHardLinks() throws Exception {
    TestTars.Tar t = TinyDebian.base().hardlink("app/service-again", "app/service");
    Result r = read(Slimmer.slim(TinyDebian.image(TinyDebian.config().build(), t), options()));
    Node a = r.node("/app/service");
    Node b = r.node("/app/service-again");
    assertTrue(a.isRegular() && b.isRegular());
    assertTrue(a.type() != b.type(), "one file and one link to it");
  }
}
