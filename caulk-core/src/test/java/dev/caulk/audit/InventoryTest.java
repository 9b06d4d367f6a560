package dev.caulk.audit;

import static dev.caulk.audit.AuditFixtures.cleanBase;
import static dev.caulk.audit.AuditFixtures.cleanConfig;
import static dev.caulk.audit.AuditFixtures.image;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.image.Image;
import dev.caulk.tar.EntryType;
import dev.caulk.tar.TestTars;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InventoryTest {

  private static Inventory inventory(Image img) throws IOException {
    return Auditor.context(img, Auditor.Options.defaults()).inventory();
  }

  @Test
  void mergedUsrAndPathWithoutEnvFollowFindSemantics() throws IOException {
    // merged /usr: /bin -> usr/bin; no PATH in the config, so the default PATH applies
    Image dflt =
        image(
            dev.caulk.spec.ContainerConfig.EMPTY.toBuilder()
                .user("app")
                .entrypoint(List.of("/app/server"))
                .build(),
            null,
            cleanBase()
                .symlink("bin", "usr/bin")
                .symlink("sbin", "usr/sbin")
                .file("usr/bin/ls", new byte[100], 0755, 0, 0)
                .file("usr/bin/README", new byte[7], 0644, 0, 0)
                .symlink("usr/bin/dir", "ls")
                .hardlink("usr/bin/vdir", "usr/bin/ls")
                .file("usr/sbin/fsck", new byte[50], 0755, 0, 0)
                .dir("usr/local/bin")
                .file("top.txt", "abc")
                .bytes());
    Inventory inv = inventory(dflt);
    assertEquals(
        List.of("/usr/local/bin", "/usr/sbin", "/usr/bin"),
        inv.pathFolders(),
        "/sbin and /bin are the same folders");
    assertEquals(
        List.of("/usr/sbin/fsck", "/usr/bin/dir", "/usr/bin/ls", "/usr/bin/vdir"),
        inv.pathExecutables());
    assertEquals(
        new Inventory.Folder(4, 257),
        inv.topLevel().get("/usr"),
        "ls, README, fsck and the hard link vdir");
    assertEquals(new Inventory.Folder(1, 3), inv.topLevel().get("/"), "files directly in the root");
    assertTrue(!inv.topLevel().containsKey("/bin"), "a symlinked folder is not a folder");
    assertEquals(9, inv.files(), "4 system files, ls, README, vdir, fsck, top.txt");
    Image emptyPath = image(cleanConfig().env("PATH", "").build(), null, cleanBase().bytes());
    assertEquals(
        List.of(), inventory(emptyPath).pathFolders(), "PATH set but empty: nothing is searched");
    assertEquals(
        157
            + 3
            + AuditFixtures.SERVER.length
            + AuditFixtures.PASSWD.length()
            + AuditFixtures.GROUP.length()
            + AuditFixtures.SHADOW.length(),
        inv.treeBytes(),
        "the hard link's bytes count once");
  }

  @Test
  void privilegedAndWritableEntries() throws IOException {
    byte[] cap = {
      0, 0, 0, 2, 0, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
    }; // bit 21: sys_admin
    cap[0] = 1;
    cap[3] = 3; // revision 3, with a root uid
    cap[20] = 7;
    Image img =
        image(
            cleanConfig().build(),
            null,
            cleanBase()
                .file("app/su", AuditFixtures.SERVER, 06755, 0, 0)
                .dir("app/shared", 02775)
                .entry(
                    "app/raw",
                    EntryType.FILE,
                    0755,
                    0,
                    0,
                    AuditFixtures.SERVER,
                    null,
                    Map.of(
                        "security.capability",
                        new String(cap, java.nio.charset.StandardCharsets.ISO_8859_1)))
                .file("app/open", "x".getBytes(), 0646, 0, 0)
                .dir("app/drop", 0757)
                .dir("tmp", 01777)
                .bytes());
    Inventory inv = inventory(img);
    assertEquals(List.of("/app/su"), inv.setuid());
    assertEquals(
        List.of("/app/su"), inv.setgid(), "folders are not listed, as Dockle and find -type f");
    assertEquals(
        List.of(new Inventory.Capability("/app/raw", "cap_sys_admin=ep [rootid=7]")),
        inv.capabilities());
    assertEquals(
        List.of(
            new Inventory.WorldWritable("/app/drop", "directory"),
            new Inventory.WorldWritable("/app/open", "file")),
        inv.worldWritable());
    assertTrue(Capabilities.powerful(inv.capabilities().get(0).capabilities()));
  }

  @Test
  void accountsAndLayers() throws IOException {
    Image img =
        image(
            cleanConfig().build(),
            List.of(AuditFixtures.run("RUN /bin/sh -c echo PASSWORD=hunter2hunter2 > /x")),
            cleanBase()
                .file(
                    "etc/passwd",
                    AuditFixtures.PASSWD + "toor:x:0:0::/root:/bin/bash\nold::5:5::/:/bin/sh\n")
                .file(
                    "etc/shadow",
                    (AuditFixtures.SHADOW + "toor:$6$abc$def:1::::::\n").getBytes(),
                    0640,
                    0,
                    42)
                .bytes());
    Inventory inv = inventory(img);
    assertEquals(List.of("root", "toor"), inv.accounts().uid0());
    assertEquals(List.of("toor", "old"), inv.accounts().loginShells());
    assertEquals(List.of("old"), inv.accounts().emptyPasswords());
    assertEquals(
        List.of("locked", "locked", "set", "empty"),
        inv.accounts().users().stream().map(Inventory.Account::password).toList());
    assertEquals(1, inv.layers().size());
    String line = inv.layers().get(0).createdBy();
    assertTrue(line.contains("PASSWORD=hu****") && !line.contains("hunter2"), line);
  }

  @Test
  void hiddenBytesPerLayer() throws IOException {
    Image img =
        image(
            cleanConfig().build(),
            null,
            cleanBase().file("app/a", new byte[1000], 0644, 0, 0).bytes(),
            TestTars.tar()
                .file("app/a", new byte[10], 0644, 0, 0)
                .file("app/b", new byte[500], 0644, 0, 0)
                .bytes(),
            TestTars.tar().file("app/.wh.b", "").bytes());
    Inventory inv = inventory(img);
    assertEquals(1500, inv.hiddenBytes());
    assertEquals(
        List.of(1000L, 500L, 0L),
        inv.layers().stream().map(Inventory.LayerSummary::hiddenBytes).toList());
    assertEquals(
        List.of(new Inventory.Hidden("/app/a", 1000, 1)), inv.layers().get(0).largestHidden());
    assertEquals(
        List.of(new Inventory.Hidden("/app/b", 500, 2)), inv.layers().get(1).largestHidden());
    long shipped = inv.layers().stream().mapToLong(Inventory.LayerSummary::fileBytes).sum();
    assertEquals(
        shipped,
        inv.treeBytes() + inv.hiddenBytes(),
        "every shipped byte is either in the tree or hidden");
  }
}
