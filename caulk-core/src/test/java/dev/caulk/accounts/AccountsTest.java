package dev.caulk.accounts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccountsTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String s(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private static final String PASSWD =
      "# comment\nroot:x:0:0:root:/root:/bin/bash\r\n+nis\n-gone\n\nbad\n"
          + "user:x:abc:1::/:/bin/sh\nshort:x:7:8\nbig:x:12345678901:1::/:/bin/sh\n"
          + "  app:x:10:20:App:/app:/usr/sbin/nologin  \n"
          + "dup:x:10:30::/:/bin/sh\n";

  @Test
  void parsesTolerantlyAsGlibcDoes() {
    Accounts a =
        Accounts.parse(
            b(PASSWD),
            b("root:x:0:\nstaff:x:50: app , other,,\nbroken\nodd:x:-1:\n"),
            b("root:!:19000:0:99999:7:::\n:empty\napp::19000::::::\nsolo\n"));
    assertEquals(
        List.of("root", "short", "app", "dup"),
        a.users().stream().map(Accounts.User::name).toList());
    assertEquals(new Accounts.User("short", "x", 7, 8, "", "", ""), a.user("short").orElseThrow());
    assertEquals("/bin/bash", a.user("root").orElseThrow().shell());
    assertEquals("app", a.userById(10).orElseThrow().name());
    assertEquals(List.of("app", "other"), a.group("staff").orElseThrow().members());
    assertEquals(List.of(50L), a.supplementaryGids("app"));
    assertEquals(List.of(), a.supplementaryGids(null));
    assertEquals(2, a.groups().size());
    assertEquals(List.of("root", "app"), a.shadow().stream().map(Accounts.Shadow::name).toList());
    assertTrue(a.shadow("root").orElseThrow().locked());
    assertTrue(a.shadow("app").orElseThrow().emptyPassword());
    assertTrue(a.user("root").orElseThrow().loginShell());
    assertFalse(a.user("app").orElseThrow().loginShell());
    assertTrue(a.passwdPresent() && a.groupPresent() && a.shadowPresent());
    assertEquals(Accounts.none(), Accounts.parse(null, null, null));
    assertFalse(Accounts.none().passwdPresent());
    assertTrue(Accounts.parse(new byte[0], null, null).passwdPresent());
  }

  @Test
  void anUneditedFileIsWrittenBackByteForByte() {
    Accounts a = Accounts.parse(b(PASSWD), b("root:x:0:"), null);
    assertArrayEquals(b(PASSWD), a.passwdBytes());
    assertArrayEquals(b("root:x:0:"), a.groupBytes());
    assertSame(a, a.withUser(new Accounts.User("other", "x", 0, 0, "", "/", "/bin/sh")));
    assertSame(a, a.withUser(new Accounts.User("root", "x", 5, 5, "", "/", "/bin/sh")));
    assertSame(a, a.withGroup(new Accounts.Group("root", "x", 9, List.of())));
    assertArrayEquals(new byte[0], Accounts.none().passwdBytes());
  }

  @Test
  void mergesAppendAndKeepEveryOtherLine() {
    Accounts a =
        Accounts.parse(b("root:x:0:0:root:/root:/bin/sh\nbroken line"), b("root:x:0:"), null)
            .withUser(
                new Accounts.User("svc", "x", 1000, 1000, "svc", "/home/svc", "/sbin/nologin"))
            .withGroup(new Accounts.Group("svc", "x", 1000, List.of("a", "b")));
    assertEquals(
        "root:x:0:0:root:/root:/bin/sh\nbroken line\nsvc:x:1000:1000:svc:/home/svc:/sbin/nologin\n",
        s(a.passwdBytes()));
    assertEquals("root:x:0:\nsvc:x:1000:a,b\n", s(a.groupBytes()));
    assertEquals(1000, a.user("svc").orElseThrow().uid());
    Accounts again =
        Accounts.parse(b("root:x:0:0:root:/root:/bin/sh\nbroken line"), b("root:x:0:"), null)
            .withUser(
                new Accounts.User("svc", "x", 1000, 1000, "svc", "/home/svc", "/sbin/nologin"))
            .withGroup(new Accounts.Group("svc", "x", 1000, List.of("a", "b")));
    assertEquals(a, again);
    assertArrayEquals(a.passwdBytes(), again.passwdBytes());
  }

  @Test
  void removesAndLocksOnlyTheLinesTheyTouch() {
    Accounts a =
        Accounts.parse(
            b("root::0:0::/root:/bin/sh\ntoor:x:0:0::/:/bin/sh\n#keep\n"),
            null,
            b("root::1:2:3:4:5:6:\ntoor:$6$h:1::::::\n"));
    assertEquals(List.of("root"), a.emptyPasswdPasswords());
    assertEquals(List.of("root"), a.emptyShadowPasswords());
    Accounts fixed = a.withoutUsers(List.of("toor")).lockEmptyPasswords();
    assertEquals("root:*:0:0::/root:/bin/sh\n#keep\n", s(fixed.passwdBytes()));
    assertEquals("root:!:1:2:3:4:5:6:\n", s(fixed.shadowBytes()));
    assertTrue(fixed.passwdFile().edited());
    assertFalse(fixed.groupPresent());
    Accounts none = Accounts.parse(b("a:x:1:1::/:/bin/sh\n"), null, null);
    assertSame(none.passwdFile(), none.lockEmptyPasswords().passwdFile());
    assertSame(none.passwdFile(), none.withoutUsers(List.of("b")).passwdFile());
  }

  @Test
  void hostileFilesAreReadInLinearTime() {
    String colons = ":".repeat(4_000_000);
    String members = "root:x:0:" + ",".repeat(2_000_000) + "a";
    String lines = "x:x:1:1::/:/bin/sh\n".repeat(200_000);
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () -> {
          Accounts a = Accounts.parse(b(colons), b(members), b(lines));
          assertEquals(0, a.users().size());
          assertEquals(List.of("a"), a.group("root").orElseThrow().members());
          assertEquals(200_000, a.shadow().size());
          StringBuilder users = new StringBuilder();
          StringBuilder hashes = new StringBuilder();
          for (int i = 0; i < 100_000; i++) {
            users
                .append("u")
                .append(i)
                .append(":x:")
                .append(i)
                .append(":")
                .append(i)
                .append("::/:/bin/sh\n");
            hashes.append("u").append(i).append(":!:1::::::\n");
          }
          Accounts many = Accounts.parse(b(users.toString()), null, b(hashes.toString()));
          long locked =
              many.users().stream()
                  .filter(u -> many.shadow(u.name()).orElseThrow().locked())
                  .count();
          assertEquals(100_000, locked, "every user looked up in shadow: constant time each");
          assertEquals("u99999", many.userById(99_999).orElseThrow().name());
          assertEquals(-1, Accounts.number("9".repeat(11)));
          assertEquals(4294967295L, Accounts.number("4294967295"));
        });
  }
}
