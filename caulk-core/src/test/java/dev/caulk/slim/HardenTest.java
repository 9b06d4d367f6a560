package dev.caulk.slim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.fs.Node;
import dev.caulk.image.Image;
import dev.caulk.spec.ContainerConfig;
import dev.caulk.spec.History;
import dev.caulk.tar.EntryType;
import dev.caulk.tar.TestTars;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HardenTest {
  @TempDir Path tmp;

  private Slimmer.Options options() {
    return Slimmer.Options.defaults().withTempDir(tmp);
  }

  @Test
  void removesWhatAnAttackerWouldUseAndKeepsWhatTheEntrypointNeeds() throws Exception {
    ContainerConfig rc = TinyDebian.config().build();
    Image original =
        TinyDebian.image(rc, TinyDebian.base().file("usr/bin/README", "not a program"));
    SlimTest.Result r =
        SlimTest.read(Slimmer.harden(original, options().withKeep(List.of("/usr/bin/true"))));
    // PATH folders emptied but for --keep; the closure stays
    List<String> bin = new ArrayList<>();
    for (Node n : r.tree().children("/usr/bin")) bin.add(n.name());
    assertEquals(List.of("README", "true"), bin, "programs and links go, other files stay");
    assertEquals("usr/bin", r.node("/bin").linkTarget(), "the /bin alias is not in a PATH folder");
    assertTrue(r.node("/usr/lib/x86_64-linux-gnu/libc.so.6").isRegular());
    assertTrue(r.node("/app/service").isRegular());
    // shells anywhere, package managers with their data and caches
    assertFalse(r.has("/opt/tools/busybox"));
    for (String p :
        List.of(
            "/var/cache/apt",
            "/etc/apt",
            "/var/lib/dpkg/status",
            "/var/lib/dpkg/info",
            "/usr/lib/x86_64-linux-gnu/libapt-pkg.so.6.0",
            "/usr/share/doc/apt",
            "/usr/bin/dash",
            "/usr/bin/apt-get")) {
      assertFalse(r.has(p), p);
    }
    assertTrue(r.has("/usr/share/zoneinfo/Europe/Paris"), "harden keeps what is not dangerous");
    assertTrue(r.has("/var/lib/dpkg/status.d/libc6") && r.has("/var/lib/dpkg/status.d/tzdata"));
    assertTrue(
        r.has("/var/lib/dpkg/status.d/coreutils"),
        "/usr/bin/true was kept, so coreutils is still there");
    assertFalse(r.has("/var/lib/dpkg/status.d/apt") || r.has("/var/lib/dpkg/status.d/dash"));
    // hidden files are gone: one layer of the merged tree
    assertFalse(r.has("/root/secret"));
    assertEquals(1, r.image().layers().size());
    // privileges
    assertEquals(0755, r.node("/usr/libexec/helper").mode(), "setuid cleared");
    assertTrue(r.node("/usr/libexec/pinger").xattrs().isEmpty(), "file capabilities removed");
    // root became nonroot
    assertEquals("65532:65532", r.image().config().runConfig().user());
    assertTrue(
        r.text("/etc/passwd")
            .endsWith(
                "app:x:1000:1000:app:/home/app:/usr/sbin/nologin\n"
                    + "nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n"));
    assertTrue(r.text("/etc/group").endsWith("nonroot:x:65532:\n"));
    Node home = r.node("/home/nonroot");
    assertTrue(
        home.isDirectory() && home.mode() == 0700 && home.uid() == 65532 && home.gid() == 65532);
    // write permission: /tmp keeps 1777, /var/tmp loses o+w
    assertEquals(01777, r.node("/tmp").mode());
    assertEquals(01775, r.node("/var/tmp").mode());
    // config kept but the user; a history entry says what was done; times reset
    assertEquals(rc.toBuilder().user("65532:65532").build(), r.image().config().runConfig());
    History last = r.image().config().history().get(r.image().config().history().size() - 1);
    assertEquals("caulk harden", last.createdBy());
    for (String s :
        List.of(
            "PATH folders",
            "package managers apt",
            "setuid",
            "capabilities",
            "nonroot",
            "squashed 2 layers")) {
      assertTrue(last.comment().contains(s), s + " in " + last.comment());
    }
    assertEquals("65532:65532", r.summary().userAfter());
    assertEquals("", r.summary().userBefore());
  }

  @Test
  void aNonRootUserLosesWritePermissionOutsideItsHome() throws Exception {
    TestTars.Tar t =
        TinyDebian.base()
            .entry("app/cache", EntryType.DIR, 0775, 1000, 1000, new byte[0], null, Map.of())
            .entry(
                "app/cache/state",
                EntryType.FILE,
                0664,
                1000,
                1000,
                "x".getBytes(StandardCharsets.UTF_8),
                null,
                Map.of())
            .entry("srv", EntryType.DIR, 0777, 0, 0, new byte[0], null, Map.of());
    SlimTest.Result r =
        SlimTest.read(
            Slimmer.harden(
                TinyDebian.image(TinyDebian.config().user("app").build(), t), options()));
    assertEquals("app", r.image().config().runConfig().user(), "a non-root user is kept");
    assertEquals(0555, r.node("/app/cache").mode());
    assertEquals(0444, r.node("/app/cache/state").mode());
    assertEquals(0775, r.node("/srv").mode(), "only the world bit: the group is root's");
    assertEquals(0644, r.node("/home/app/notes").mode(), "home stays writable");
    assertFalse(r.text("/etc/passwd").contains("nonroot"));
  }

  @Test
  void userOption() throws Exception {
    SlimTest.Result r =
        SlimTest.read(
            Slimmer.harden(
                TinyDebian.image(TinyDebian.config().build()), options().withUser("1000:1000")));
    assertEquals("1000:1000", r.image().config().runConfig().user());
    assertFalse(r.text("/etc/passwd").contains("nonroot"));
    SlimException e =
        assertThrows(
            SlimException.class,
            () ->
                Slimmer.harden(
                    TinyDebian.image(TinyDebian.config().build()), options().withUser("www-data")));
    assertEquals("user 'www-data' is not in the image's /etc/passwd", e.getMessage());
    e =
        assertThrows(
            SlimException.class,
            () ->
                Slimmer.harden(
                    TinyDebian.image(TinyDebian.config().build()),
                    options().withUser("1000:staff")));
    assertEquals("group 'staff' is not in the image's /etc/group", e.getMessage());
  }

  @Test
  void entrypointInAPathFolderIsKept() throws Exception {
    SlimTest.Result r =
        SlimTest.read(
            Slimmer.harden(
                TinyDebian.image(TinyDebian.config().entrypoint(List.of("true")).cmd(null).build()),
                options()));
    assertTrue(r.node("/usr/bin/true").isRegular());
    assertFalse(r.has("/usr/bin/dash"));
    assertEquals("/usr/bin/true", r.summary().program());
  }

  @Test
  void sameImageSameDigest() throws Exception {
    Image original = TinyDebian.image(TinyDebian.config().build());
    assertEquals(
        Slimmer.harden(original, options()).image().digest(),
        Slimmer.harden(original, options()).image().digest());
  }

  @Test
  void badKeepGlobIsAnError() {
    SlimException e =
        assertThrows(
            SlimException.class,
            () ->
                Slimmer.harden(
                    TinyDebian.image(TinyDebian.config().build()),
                    options().withKeep(List.of("/usr/[bin"))));
    assertEquals("unclosed '[' in '/usr/[bin'", e.getMessage());
  }

  /** The tiny Debian with its account files replaced by a later layer. */
  private static Image withAccounts(String passwd, String shadow) throws Exception {
    Image base = TinyDebian.image(TinyDebian.config().build());
    TestTars.Tar t = TestTars.tar().file("etc/passwd", passwd);
    if (shadow != null) t.file("etc/shadow", shadow.getBytes(StandardCharsets.UTF_8), 0640, 0, 42);
    return dev.caulk.mutate.Mutate.appendLayers(
        base,
        List.of(TestTars.layer(t.bytes())),
        List.of(new History("2026-01-01T00:00:00Z", null, "accounts", null, false)));
  }

  private static final String PASSWD =
      "root::0:0:root:/root:/bin/sh\ntoor:x:0:0:backdoor:/root:/bin/sh\n"
          + "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\napp:x:1000:1000:app:/home/app:/usr/sbin/nologin\n";
  private static final String SHADOW =
      "root::19000:0:99999:7:::\ntoor:$6$salt$hash:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n"
          + "app:!:19000:0:99999:7:::\n";

  @Test
  void emptyPasswordsAreLockedAndASecondRootIsReported() throws Exception {
    List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
    SlimTest.Result r =
        SlimTest.read(
            Slimmer.harden(
                withAccounts(PASSWD, SHADOW),
                options()
                    .withListener(
                        e -> {
                          if (e instanceof dev.caulk.event.Event.Log l
                              && l.level() == dev.caulk.event.Event.Level.WARN)
                            warnings.add(l.message());
                        })));
    assertTrue(
        r.text("/etc/passwd").startsWith("root:*:0:0:root:/root:/bin/sh\ntoor:x:0:0:"),
        r.text("/etc/passwd"));
    assertTrue(
        r.text("/etc/shadow").startsWith("root:!:19000:0:99999:7:::\ntoor:$6$salt$hash:"),
        r.text("/etc/shadow"));
    assertEquals(0640, r.node("/etc/shadow").mode(), "the shadow file keeps its mode and owner");
    assertEquals(42, r.node("/etc/shadow").gid());
    assertEquals(
        List.of("harden: the account toor has uid 0 like root (--fix-accounts removes it)"),
        warnings);
    String comment =
        r.image().config().history().get(r.image().config().history().size() - 1).comment();
    assertTrue(comment.contains("locked root (no password) in /etc/passwd"), comment);
    assertTrue(comment.contains("locked root (empty password) in /etc/shadow"), comment);
    assertTrue(
        r.text("/etc/passwd").contains("nonroot:x:65532:65532:"),
        "the user change still happens on the locked files");
  }

  @Test
  void fixAccountsRemovesTheSecondRoot() throws Exception {
    SlimTest.Result r =
        SlimTest.read(
            Slimmer.harden(withAccounts(PASSWD, SHADOW), options().withFixAccounts(true)));
    assertFalse(r.text("/etc/passwd").contains("toor"), r.text("/etc/passwd"));
    assertFalse(r.text("/etc/shadow").contains("toor"), r.text("/etc/shadow"));
    assertTrue(r.text("/etc/passwd").startsWith("root:*:0:0:"));
    assertTrue(
        r.text("/etc/shadow").contains("daemon:*:") && r.text("/etc/shadow").contains("app:!:"));
    String comment =
        r.image().config().history().get(r.image().config().history().size() - 1).comment();
    assertTrue(comment.contains("removed the account toor (uid 0 besides root)"), comment);
  }

  @Test
  void lockedAccountsAndASingleRootAreLeftAsTheyAre() throws Exception {
    String passwd =
        "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/usr/sbin/nologin\n";
    String shadow = "root:*:19000:0:99999:7:::\napp:!:19000:0:99999:7:::";
    SlimTest.Result r = SlimTest.read(Slimmer.harden(withAccounts(passwd, shadow), options()));
    assertEquals(shadow, r.text("/etc/shadow"), "not rewritten");
  }

  @Test
  void aLayerThatExpandsPastTheSpoolLimitIsRefusedAndLeavesNoSpool() throws Exception {
    Image base = TinyDebian.image(TinyDebian.config().build());
    byte[] zeros = new byte[24 << 20]; // 24 MiB of zeros: a few KiB compressed
    Image bomb =
        dev.caulk.mutate.Mutate.appendLayers(
            base,
            List.of(TestTars.layer(TestTars.tar().file("data/zeros", zeros, 0644, 0, 0).bytes())),
            List.of(new History("2026-01-01T00:00:00Z", null, "bomb", null, false)));
    java.nio.file.Path work = java.nio.file.Files.createDirectories(tmp.resolve("work"));
    java.io.IOException e =
        assertThrows(
            java.io.IOException.class,
            () -> Slimmer.harden(bomb, options().withTempDir(work).withMaxSpoolBytes(8 << 20)));
    assertEquals(
        "harden: the image's files take more than 8.0 MiB in the temporary folder "
            + work
            + " (--max-spool); --max-spool SIZE raises the limit",
        e.getMessage());
    try (var files = java.nio.file.Files.list(work)) {
      assertEquals(List.of(), files.toList(), "the spool is deleted");
    }
    // the default: ten times the compressed layers, at least 2 GiB
    assertEquals(Slimmer.Options.DEFAULT_MIN_SPOOL, Slimmer.Options.defaults().spoolLimit(4 << 20));
    assertEquals(50L << 30, Slimmer.Options.defaults().spoolLimit(5L << 30));
    assertEquals(1000, Slimmer.Options.defaults().withMaxSpoolBytes(1000).spoolLimit(5L << 30));
    assertEquals(
        1,
        Slimmer.harden(bomb, options().withTempDir(work)).image().layers().size(),
        "within the default limit it works");
  }
}
