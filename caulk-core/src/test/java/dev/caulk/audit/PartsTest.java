package dev.caulk.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.accounts.Accounts;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The small parts: command splitting, masking, account parsing, user resolution, capabilities. */
class PartsTest {

  @Test
  void commandsSplitOnShellSeparatorsOutsideQuotes() {
    assertEquals(
        List.of(
            List.of("/bin/sh", "-c", "apt-get", "update"),
            List.of("apt-get", "install", "-y", "a b"),
            List.of("echo", "x && y; z"),
            List.of("grep", "q")),
        Commands.split(
            "/bin/sh -c apt-get update; apt-get install -y 'a b' && echo \"x && y; z\" | grep q"));
    assertEquals(List.of(List.of("a", "b"), List.of("c")), Commands.split("a \\\n b || c"));
    assertEquals(List.of(), Commands.split(""));
    assertTrue(Commands.apt(List.of("apt", "-y", "install", "x"), "install"));
    assertFalse(Commands.apt(List.of("aptitude", "install"), "install"));
    assertEquals(1, Commands.split("x".repeat(Commands.MAX_LINE * 2)).size());
  }

  @Test
  void historyLinesAreMaskedBeforeTheyAreShown() {
    String pat = "gh" + "p_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5b";
    String m =
        AuditContext.masked(
            "RUN |2 DB_PASSWORD=hunter2 TOKEN="
                + pat
                + " /bin/sh -c mysql --password s3cr3t-value && curl -H 'x: "
                + pat
                + "'");
    assertFalse(m.contains("hunter2") || m.contains("s3cr3t") || m.contains(pat.substring(4)), m);
    assertTrue(m.contains("DB_PASSWORD=****") && m.contains("--password s3****"), m);
    assertTrue(AuditContext.masked("x".repeat(1000)).length() <= AuditContext.MAX_EVIDENCE + 1);
    assertEquals("apt-get install -y curl", AuditContext.masked("apt-get install   -y\ncurl"));
  }

  @Test
  void accountsParseAndSkipMalformedLines() {
    Accounts a =
        Accounts.parse(
            "root:x:0:0:root:/root:/bin/bash\nbad\n+nis\nuser:x:abc:1::/:/bin/sh\napp:x:10:20::/app:/usr/sbin/nologin\n"
                .getBytes(StandardCharsets.UTF_8),
            "root:x:0:\nstaff:x:50:app,other\nbroken\n".getBytes(StandardCharsets.UTF_8),
            null);
    assertEquals(List.of("root", "app"), a.users().stream().map(Accounts.User::name).toList());
    assertEquals(List.of(50L), a.supplementaryGids("app"));
    assertFalse(a.shadowPresent());
    assertTrue(a.users().get(0).loginShell());
    assertFalse(a.users().get(1).loginShell());
    assertEquals(Accounts.none(), Accounts.parse(null, null, null));
  }

  @Test
  void runtimeUserResolvesNamesNumbersAndGroups() {
    Accounts a =
        Accounts.parse(
            "root:x:0:0::/root:/bin/sh\nadmin:x:0:0::/:/bin/sh\napp:x:10:20::/app:/bin/false\n"
                .getBytes(),
            "root:x:0:\napp:x:20:\nextra:x:30:app\n".getBytes(),
            null);
    assertTrue(RuntimeUser.resolve("", a).root());
    assertTrue(RuntimeUser.resolve("admin", a).root());
    assertTrue(RuntimeUser.resolve("0:5", a).root());
    RuntimeUser app = RuntimeUser.resolve("app", a);
    assertEquals(10, app.uid());
    assertEquals(20, app.gid());
    assertEquals(List.of(30L), app.supplementaryGids());
    assertEquals(30, RuntimeUser.resolve("app:extra", a).gid());
    assertEquals(-1, RuntimeUser.resolve("ghost", a).uid());
    assertEquals(1234, RuntimeUser.resolve("1234", a).uid());
    assertFalse(RuntimeUser.resolve("1234", a).root());
  }

  @Test
  void capabilitiesAsGetcapShowsThem() {
    byte[] v2 = new byte[20];
    v2[0] = 1; // effective
    v2[3] = 2; // revision 2
    v2[5] = 0x30; // bits 12, 13: net_admin, net_raw permitted
    v2[8] = 0x01; // bit 0 inheritable: chown
    assertEquals("cap_chown=i cap_net_admin,cap_net_raw=ep", Capabilities.describe(v2));
    assertTrue(Capabilities.describe(new byte[3]).startsWith("unreadable"));
    byte[] v9 = new byte[20];
    v9[3] = 9;
    assertTrue(Capabilities.describe(v9).startsWith("unreadable"));
    assertFalse(Capabilities.powerful("cap_net_bind_service=ep"));
  }
}
