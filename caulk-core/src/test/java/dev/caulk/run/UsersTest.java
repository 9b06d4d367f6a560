package dev.caulk.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** User resolution against a rootfs's /etc/passwd and /etc/group, every form config.md allows. */
class UsersTest {
  @TempDir Path tmp;
  Path rootfs;

  @BeforeEach
  void rootfs() throws Exception {
    rootfs = tmp.resolve("rootfs");
    Files.createDirectories(rootfs.resolve("etc"));
    write(
        "etc/passwd",
        "# comment\nroot:x:0:0:root:/root:/bin/sh\nwww-data:x:1000:1000::/home/www:/sbin/nologin\n"
            + "app:x:2000:2001::/srv/app:/sbin/nologin\nbroken:x:notanumber:1::/:\n");
    write(
        "etc/group",
        "root:x:0:\nwww-data:x:1000:\napp:x:2001:\nstaff:x:50:app,other\naudio:x:29:app\nwheel:x:10:www-data\n");
  }

  private void write(String rel, String content) throws Exception {
    Files.writeString(rootfs.resolve(rel), content, StandardCharsets.UTF_8);
  }

  private Users.ExecUser resolve(String spec) throws Exception {
    return Users.resolve(spec, rootfs);
  }

  @Test
  void emptyMeansRoot() throws Exception {
    assertEquals(new Users.ExecUser(0, 0, List.of(), "/root"), resolve(null));
    assertEquals(new Users.ExecUser(0, 0, List.of(), "/root"), resolve(""));
  }

  @Test
  void namesResolveWithPrimaryAndSupplementaryGroups() throws Exception {
    assertEquals(new Users.ExecUser(2000, 2001, List.of(50, 29), "/srv/app"), resolve("app"));
    assertEquals(new Users.ExecUser(1000, 1000, List.of(10), "/home/www"), resolve("www-data"));
  }

  @Test
  void numericUidTakesTheGidOfItsEntryOrZero() throws Exception {
    assertEquals(new Users.ExecUser(1000, 1000, List.of(10), "/home/www"), resolve("1000"));
    assertEquals(new Users.ExecUser(4242, 0, List.of(), "/"), resolve("4242"));
  }

  @Test
  void explicitGroupsInEveryForm() throws Exception {
    assertEquals(new Users.ExecUser(1000, 1000, List.of(), "/home/www"), resolve("1000:1000"));
    assertEquals(new Users.ExecUser(4242, 4243, List.of(), "/"), resolve("4242:4243"));
    assertEquals(new Users.ExecUser(2000, 50, List.of(), "/srv/app"), resolve("app:staff"));
    assertEquals(new Users.ExecUser(1000, 2001, List.of(), "/home/www"), resolve("1000:app"));
    assertEquals(new Users.ExecUser(2000, 7, List.of(), "/srv/app"), resolve("app:7"));
  }

  @Test
  void unknownNamesAreClearErrors() {
    RunException u = assertThrows(RunException.class, () -> resolve("ghost"));
    assertEquals(
        "image User 'ghost': user 'ghost' not found in the image's /etc/passwd", u.getMessage());
    RunException g = assertThrows(RunException.class, () -> resolve("app:ghosts"));
    assertEquals(
        "image User 'app:ghosts': group 'ghosts' not found in the image's /etc/group",
        g.getMessage());
    RunException big = assertThrows(RunException.class, () -> resolve("99999999999"));
    assertTrue(big.getMessage().contains("out of range"), big.getMessage());
  }

  @Test
  void noPasswdFileSaysSo() throws Exception {
    Files.delete(rootfs.resolve("etc/passwd"));
    RunException e = assertThrows(RunException.class, () -> resolve("app"));
    assertTrue(e.getMessage().endsWith("(the image has none)"), e.getMessage());
    assertEquals(new Users.ExecUser(1000, 0, List.of(), "/"), resolve("1000"));
  }

  @Test
  void linksResolveInsideTheRootfsNeverOnTheHost() throws Exception {
    Path host = tmp.resolve("host-passwd");
    Files.writeString(host, "evil:x:0:0::/:/bin/sh\n");
    Files.delete(rootfs.resolve("etc/passwd"));
    // an absolute target means the rootfs's own path, and .. stops at the rootfs
    Files.createSymbolicLink(rootfs.resolve("etc/passwd"), Path.of("/../../../.." + host));
    assertThrows(RunException.class, () -> resolve("evil"));
    Files.createDirectories(rootfs.resolve(host.getParent().toString().substring(1)));
    Files.writeString(rootfs.resolve(host.toString().substring(1)), "inside:x:5:5::/:/bin/sh\n");
    assertEquals(5, resolve("inside").uid(), "the link target read inside the rootfs");
  }

  @Test
  void symlinkLoopsEnd() throws Exception {
    Files.delete(rootfs.resolve("etc/passwd"));
    Files.createSymbolicLink(rootfs.resolve("etc/passwd"), Path.of("/etc/loop"));
    Files.createSymbolicLink(rootfs.resolve("etc/loop"), Path.of("passwd"));
    RunException e = assertThrows(RunException.class, () -> resolve("app"));
    assertTrue(e.getMessage().contains("too many levels of symbolic links"), e.getMessage());
  }
}
