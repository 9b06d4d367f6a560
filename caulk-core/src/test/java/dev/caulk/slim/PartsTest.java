package dev.caulk.slim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.accounts.Accounts;
import dev.caulk.pkgdb.DpkgDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The small pieces: globs, zones, accounts, package databases, shell commands. */
class PartsTest {
  @Test
  void globs() throws Exception {
    PathGlob g = PathGlob.compile("/usr/lib/python3*/**/*.py");
    assertTrue(g.matches("/usr/lib/python3.11/os.py"));
    assertTrue(g.matches("/usr/lib/python3.11/json/decoder.py"));
    assertFalse(g.matches("/usr/lib/python2.7/os.py"));
    assertTrue(PathGlob.compile("etc/ssl/certs/*.pem").matches("/etc/ssl/certs/a.pem"));
    assertFalse(PathGlob.compile("/etc/*").matches("/etc/ssl/certs"));
    assertTrue(PathGlob.compile("/opt/**").matches("/opt/a/b"));
    assertTrue(PathGlob.compile("/bin/[bd]ash").matches("/bin/dash"));
    assertFalse(PathGlob.compile("/bin/[!bd]ash").matches("/bin/dash"));
    assertTrue(
        PathGlob.compile("/a?c").matches("/abc") && !PathGlob.compile("/a?c").matches("/a/c"));
    assertTrue(PathGlob.isGlob("/a/*") && !PathGlob.isGlob("/a/b"));
    assertThrows(SlimException.class, () -> PathGlob.compile(" "));
  }

  @Test
  void zones() {
    assertEquals("/usr/share/zoneinfo/Europe/Paris", Essentials.zoneFile(":Europe/Paris"));
    assertEquals("/usr/share/zoneinfo/Asia/Tokyo", Essentials.zoneFile("Asia/Tokyo"));
    assertEquals("/etc/zone", Essentials.zoneFile("/etc/zone"));
    assertNull(Essentials.zoneFile("../../etc/passwd"));
    assertNull(Essentials.zoneFile("EST5EDT,M3.2.0,M11.1.0"));
    assertNull(Essentials.zoneFile(null));
  }

  @Test
  void accounts() throws Exception {
    Accounts a =
        Accounts.parse(
            "root:x:0:0:root:/root:/bin/sh\nweb:x:33:33::/var/www:/bin/false\nbroken line\n"
                .getBytes(StandardCharsets.UTF_8),
            "root:x:0:\nweb:x:33:\nstaff:x:50:\n".getBytes(StandardCharsets.UTF_8),
            null);
    assertTrue(Users.resolve(a, null).isRoot());
    assertEquals(new Users.RunAs(33, 33, "/var/www", "web"), Users.resolve(a, "web"));
    assertEquals(new Users.RunAs(33, 50, "/var/www", "33:staff"), Users.resolve(a, "33:staff"));
    assertEquals(new Users.RunAs(4242, 4242, null, "4242"), Users.resolve(a, "4242"));
    assertThrows(SlimException.class, () -> Users.resolve(a, "nobody"));
    Accounts n = Users.withNonroot(a);
    assertTrue(
        new String(n.passwdBytes(), StandardCharsets.UTF_8)
            .endsWith("broken line\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n"));
    assertEquals(
        "root:x:0:\nweb:x:33:\nstaff:x:50:\nnonroot:x:65532:\n",
        new String(n.groupBytes(), StandardCharsets.UTF_8));
    Accounts empty = Users.withNonroot(Accounts.parse(null, null, null));
    assertEquals(
        "root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n",
        new String(empty.passwdBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void shellCommands() {
    assertEquals("nginx", Entrypoint.firstCommand("exec nginx -g 'daemon off;'"));
    assertEquals("/app/run", Entrypoint.firstCommand("  A=1 B=2 /app/run --x"));
    assertNull(Entrypoint.firstCommand("$(evil)"));
  }

  /** A reader over a map of paths. */
  private static PackageDb.Reader reader(Map<String, String> files) {
    return new PackageDb.Reader() {
      @Override
      public Optional<byte[]> read(String path, int max) throws IOException {
        return Optional.ofNullable(files.get(path)).map(s -> s.getBytes(StandardCharsets.UTF_8));
      }

      @Override
      public List<String> list(String dir) {
        return files.keySet().stream()
            .filter(p -> p.startsWith(dir + "/"))
            .map(p -> p.substring(dir.length() + 1))
            .filter(p -> !p.contains("/"))
            .sorted()
            .toList();
      }
    };
  }

  @Test
  void apkDatabaseIsReducedToWhatRemains() throws Exception {
    String installed =
        """
        C:Q1musl
        P:musl
        V:1.2.4-r2
        A:x86_64
        F:lib
        R:ld-musl-x86_64.so.1
        a:0:0:755
        Z:Q1aaa
        R:libc.musl-x86_64.so.1
        Z:Q1bbb

        C:Q1bb
        P:busybox
        V:1.36.1-r15
        A:x86_64
        F:bin
        R:busybox
        Z:Q1ccc
        F:etc
        R:securetty

        """;
    PackageDb db = PackageDb.read(reader(Map.of("/lib/apk/db/installed", installed)));
    assertEquals("/lib/apk/db/installed", db.apkDb());
    Set<String> kept = Set.of("/lib/ld-musl-x86_64.so.1");
    List<PackageDb.Pkg> remaining = db.remaining(kept::contains);
    assertEquals(List.of("musl"), remaining.stream().map(PackageDb.Pkg::name).toList());
    String out =
        new String(
            PackageDb.apkInstalled(remaining, kept::contains, "/lib"::equals),
            StandardCharsets.UTF_8);
    assertEquals(
        "C:Q1musl\nP:musl\nV:1.2.4-r2\nA:x86_64\nF:lib\nR:ld-musl-x86_64.so.1\na:0:0:755\nZ:Q1aaa\n\n",
        out);
  }

  @Test
  void distrolessStatusDirectoryIsReadAndDocumentationDoesNotKeepAPackage() throws Exception {
    PackageDb db =
        PackageDb.read(
            reader(
                Map.of(
                    "/var/lib/dpkg/status.d/libssl3",
                        "Package: libssl3\nVersion: 3.0.15\nArchitecture: amd64\n",
                    "/var/lib/dpkg/status.d/libssl3.md5sums",
                        "aa  usr/lib/x86_64-linux-gnu/libssl.so.3\nbb  usr/share/doc/libssl3/copyright\n",
                    "/var/lib/dpkg/status.d/tzdata",
                        "Package: tzdata\nVersion: 2024a\nArchitecture: all\n",
                    "/var/lib/dpkg/status.d/tzdata.md5sums", "cc  usr/share/zoneinfo/UTC\n")));
    assertEquals(
        List.of("libssl3", "tzdata"), db.packages().stream().map(PackageDb.Pkg::name).toList());
    Set<String> onlyDocs = Set.of("/usr/share/doc/libssl3/copyright");
    assertTrue(
        db.remaining(onlyDocs::contains).isEmpty(), "a package whose payload is gone is gone");
    Set<String> lib =
        Set.of("/usr/lib/x86_64-linux-gnu/libssl.so.3", "/usr/share/doc/libssl3/copyright");
    List<PackageDb.Pkg> r = db.remaining(lib::contains);
    Map<String, byte[]> files = PackageDb.statusD(r, lib::contains);
    assertEquals(
        Set.of("/var/lib/dpkg/status.d/libssl3", "/var/lib/dpkg/status.d/libssl3.md5sums"),
        files.keySet());
    assertEquals(
        List.of("/a/b/c", "/d"), DpkgDatabase.leaves(List.of("/a", "/a/b", "/a/b/c", "/d")));
  }
}
