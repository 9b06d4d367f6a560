package dev.caulk.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.digest.Digest;
import dev.caulk.image.Image;
import dev.caulk.image.Images;
import dev.caulk.image.Layer;
import dev.caulk.image.Layers;
import dev.caulk.mutate.Mutate;
import dev.caulk.report.Finding;
import dev.caulk.report.Report;
import dev.caulk.spec.ContainerConfig;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.MediaType;
import dev.caulk.spec.Platform;
import dev.caulk.tar.TestTars;
import dev.caulk.testing.DebianRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The audit of a real Debian root (debootstrap minbase, packed by GNU tar as one layer) against
 * {@code find} on the same root unpacked: counts and bytes per top-level folder, programs on PATH,
 * setuid and setgid files.
 */
class DebianRootTest {
  static final String DEBIAN_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  private static DebianRoot debian;
  private static Layer base;
  private static AuditContext ctx;

  @BeforeAll
  static void audit() throws IOException {
    debian = DebianRoot.get();
    Digest d = Digest.parse("sha256:" + debian.sha256());
    base =
        Layers.fromFile(
            debian.tarball(),
            Descriptor.of(MediaType.OCI_LAYER, d, Files.size(debian.tarball())),
            d);
    ctx = Auditor.context(image(List.of(base)), Auditor.Options.defaults());
  }

  private static Image image(List<Layer> layers) throws IOException {
    Image img = Mutate.appendLayers(Images.scratch(Platform.LINUX_AMD64), layers, null);
    return Mutate.withConfig(
        img,
        ContainerConfig.EMPTY.toBuilder().env("PATH", DEBIAN_PATH).cmd(List.of("bash")).build());
  }

  @Test
  void filesAndBytesPerTopLevelFolderMatchFind() throws IOException {
    Map<String, long[]> expected = new TreeMap<>();
    for (String dir : find("-mindepth", "1", "-maxdepth", "1", "-type", "d", "-printf", "/%P\\n"))
      expected.put(dir, new long[2]);
    for (String line : find("-type", "f", "-printf", "/%P\\t%s\\n")) {
      String[] f = line.split("\t");
      int slash = f[0].indexOf('/', 1);
      long[] c =
          expected.computeIfAbsent(slash < 0 ? "/" : f[0].substring(0, slash), k -> new long[2]);
      c[0]++;
      c[1] += Long.parseLong(f[1]);
    }
    Map<String, Inventory.Folder> got = ctx.inventory().topLevel();
    assertEquals(expected.keySet(), got.keySet());
    expected.forEach((dir, c) -> assertEquals(new Inventory.Folder(c[0], c[1]), got.get(dir), dir));
    assertTrue(got.get("/usr").files() > 1000, "a real root");
  }

  @Test
  void pathExecutablesMatchFind() throws IOException {
    List<String> args = new ArrayList<>();
    for (String dir : DEBIAN_PATH.split(":")) args.add(debian.root() + dir);
    // find -P does not follow the starting points /bin and /sbin (symlinks to usr/bin and
    // usr/sbin): each
    // program is listed once, under its real folder, as the inventory does
    args.addAll(
        List.of(
            "-mindepth",
            "1",
            "-maxdepth",
            "1",
            "(",
            "-type",
            "f",
            "-perm",
            "/111",
            "-o",
            "-type",
            "l",
            ")",
            "-printf",
            "%p\\n"));
    Set<String> expected = new HashSet<>();
    for (String p : run(args)) expected.add(p.substring(debian.root().toString().length()));
    Set<String> got = new HashSet<>(ctx.inventory().pathExecutables());
    assertEquals(expected, got);
    assertEquals(ctx.inventory().pathExecutables().size(), got.size(), "no program listed twice");
    assertTrue(got.contains("/usr/bin/ls") && got.contains("/usr/sbin/useradd"), got.toString());
  }

  @Test
  void setuidAndSetgidMatchFind() throws IOException {
    assertEquals(
        Set.copyOf(find("-perm", "-4000", "-printf", "/%P\\n")),
        Set.copyOf(ctx.inventory().setuid()));
    assertEquals(
        Set.copyOf(find("-perm", "-2000", "!", "-type", "d", "-printf", "/%P\\n")),
        Set.copyOf(ctx.inventory().setgid()));
    assertTrue(ctx.inventory().setuid().contains("/usr/bin/passwd"));
  }

  @Test
  void aRealRootHasNoSecretsAndAccountsAsDebianShipsThem() {
    List<Finding> fs = Auditor.report(ctx, Rules.builtIn()).findings();
    List<String> secretIds = new ArrayList<>();
    Rules.builtIn().stream()
        .filter(r -> r.references().contains("CIS-4.10"))
        .forEach(r -> secretIds.add(r.id()));
    assertEquals(
        List.of(),
        fs.stream().filter(f -> secretIds.contains(f.id())).toList(),
        "false positives on Debian");
    assertEquals(List.of("root"), ctx.inventory().accounts().uid0());
    assertEquals(List.of(), ctx.inventory().accounts().emptyPasswords());
  }

  @Test
  void deletingTheBinFoldersInALaterLayerShipsEveryByteStill() throws IOException {
    Layer rm =
        TestTars.layer(
            TestTars.tar()
                .file(".wh.bin", "")
                .file(".wh.sbin", "")
                .file("usr/.wh.bin", "")
                .file("usr/.wh.sbin", "")
                .bytes());
    Report r = Auditor.audit(image(List.of(base, rm)), Auditor.Options.defaults());
    List<Finding> f = AuditFixtures.findings(r, "removed-binaries-still-shipped");
    assertEquals(1, f.size(), r.findings().toString());
    // what still ships: the content of every regular file in the two folders, once per inode (hard
    // links share it)
    Set<String> inodes = new HashSet<>();
    long bytes = 0;
    for (String line :
        run(
            List.of(
                debian.root() + "/usr/bin",
                debian.root() + "/usr/sbin",
                "-type",
                "f",
                "-printf",
                "%i %s\\n"))) {
      String[] p = line.split(" ");
      if (inodes.add(p[0])) bytes += Long.parseLong(p[1]);
    }
    long programs =
        run(List.of(
                debian.root() + "/usr/bin",
                debian.root() + "/usr/sbin",
                "-mindepth",
                "1",
                "-maxdepth",
                "1",
                "!",
                "-type",
                "d"))
            .size();
    String detail = f.get(0).detail();
    assertTrue(
        detail.startsWith(programs + " programs in /usr/bin, /usr/sbin were deleted by layer 1"),
        detail);
    assertTrue(
        detail.contains("(" + bytes + " bytes) of them still ship in layer 0"),
        detail + " expected " + bytes);
    assertTrue(detail.contains("the image did not shrink"), detail);
    assertEquals(
        r.inventory().get("hiddenBytes").asLong(), bytes, "only the deleted programs are hidden");
    assertEquals(List.of(), r.inventory().get("pathExecutables").findValuesAsText("x"));
    assertEquals(0, r.inventory().get("pathExecutables").size(), "nothing is left on PATH");
  }

  private static List<String> find(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(debian.root().toString()));
    cmd.addAll(List.of(args));
    return run(cmd);
  }

  private static List<String> run(List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("find"));
    cmd.addAll(args);
    Path out = Files.createTempFile("caulk-find-", ".txt");
    try {
      Process p =
          new ProcessBuilder(cmd)
              .redirectOutput(out.toFile())
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0)
        throw new IOException("find failed: " + cmd);
      List<String> lines = new ArrayList<>();
      for (String l : Files.readAllLines(out, StandardCharsets.UTF_8))
        if (!l.isEmpty()) lines.add(l);
      return lines;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    } finally {
      Files.deleteIfExists(out);
    }
  }
}
