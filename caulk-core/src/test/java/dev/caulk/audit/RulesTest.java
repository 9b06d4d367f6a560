package dev.caulk.audit;

import static dev.caulk.audit.AuditFixtures.audit;
import static dev.caulk.audit.AuditFixtures.cleanBase;
import static dev.caulk.audit.AuditFixtures.cleanConfig;
import static dev.caulk.audit.AuditFixtures.findings;
import static dev.caulk.audit.AuditFixtures.image;
import static dev.caulk.audit.AuditFixtures.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.image.Image;
import dev.caulk.report.Finding;
import dev.caulk.report.Report;
import dev.caulk.report.Severity;
import dev.caulk.spec.ContainerConfig;
import dev.caulk.spec.Healthcheck;
import dev.caulk.spec.History;
import dev.caulk.tar.EntryType;
import dev.caulk.tar.TestTars;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each rule fires on an image crafted to break it, and stays quiet on the clean image. */
class RulesTest {

  /**
   * Fires {@code id} at least once on {@code bad}, never on the clean image; returns the findings.
   */
  private static List<Finding> fires(String id, Image bad) throws IOException {
    return fires(id, audit(bad));
  }

  private static List<Finding> fires(String id, Report bad) throws IOException {
    List<Finding> f = findings(bad, id);
    assertFalse(f.isEmpty(), id + " should fire; got " + bad.findings());
    assertTrue(
        findings(audit(AuditFixtures.clean()), id).isEmpty(), id + " fires on the clean image");
    return f;
  }

  private static Image withConfig(ContainerConfig c) throws IOException {
    return image(c, null, cleanBase().bytes());
  }

  private static Image withHistory(String... lines) throws IOException {
    List<History> h = new java.util.ArrayList<>();
    for (int i = 0; i < lines.length - 1; i++) h.add(AuditFixtures.empty(lines[i]));
    h.add(run(lines[lines.length - 1]));
    return image(cleanConfig().build(), h, cleanBase().bytes());
  }

  @Test
  void theCleanImagePassesEveryRule() throws IOException {
    Report r = audit(AuditFixtures.clean(), "registry.example/app:1.0", "1.0");
    assertEquals(List.of(), r.findings());
    assertEquals(Rules.builtIn().size(), r.rules().size());
    Set<String> ids = new HashSet<>();
    for (Rule rule : Rules.builtIn())
      assertTrue(ids.add(rule.id()), "duplicate rule id " + rule.id());
  }

  @Test
  void rootUserIncludingNumericAndAliases() throws IOException {
    for (String user : List.of("", "root", "0", "0:0", "root:root", "toor")) {
      byte[] base =
          cleanBase()
              .file("etc/passwd", AuditFixtures.PASSWD + "toor:x:0:0::/root:/bin/sh\n")
              .bytes();
      Report r = audit(image(cleanConfig().user(user).build(), null, base));
      List<Finding> f = findings(r, "CIS-DI-0001");
      assertEquals(1, f.size(), "User '" + user + "'");
      assertEquals(Severity.MEDIUM, f.get(0).severity());
      assertTrue(f.get(0).references().contains("CIS-4.1"));
    }
    fires("CIS-DI-0001", withConfig(cleanConfig().user("").build()));
    assertTrue(
        findings(audit(withConfig(cleanConfig().user("10001:10001").build())), "CIS-DI-0001")
            .isEmpty());
    assertTrue(
        findings(audit(withConfig(cleanConfig().user("nobody").build())), "CIS-DI-0001").isEmpty(),
        "a name that is not in /etc/passwd is not root");
  }

  @Test
  void missingOrDisabledHealthcheck() throws IOException {
    fires("CIS-DI-0006", withConfig(cleanConfig().healthcheck(null).build()));
    List<Finding> none =
        fires(
            "CIS-DI-0006",
            withConfig(
                cleanConfig()
                    .healthcheck(new Healthcheck(List.of("NONE"), 0, 0, 0, 0, 0))
                    .build()));
    assertTrue(none.get(0).detail().contains("NONE"));
  }

  @Test
  void updateWithoutInstallInTheSameStep() throws IOException {
    List<Finding> f = fires("CIS-DI-0007", withHistory("RUN /bin/sh -c apt-get update # buildkit"));
    assertTrue(f.get(0).detail().contains("apt-get update"), f.get(0).detail());
    assertEquals(
        1, findings(audit(withHistory("RUN /bin/sh -c apk update")), "CIS-DI-0007").size());
    assertTrue(
        findings(
                audit(withHistory("RUN /bin/sh -c apt-get update; apt-get install -y curl")),
                "CIS-DI-0007")
            .isEmpty());
    assertTrue(
        findings(
                audit(withHistory("RUN /bin/sh -c apt-get update && apt-get -y upgrade")),
                "CIS-DI-0007")
            .isEmpty());
  }

  @Test
  void setuidAndSetgidFiles() throws IOException {
    Image bad =
        image(
            cleanConfig().build(),
            null,
            cleanBase()
                .file("app/helper", AuditFixtures.SERVER, 04755, 0, 0)
                .file("app/group-tool", AuditFixtures.SERVER, 02755, 0, 0)
                .dir("app/shared", 02775)
                .bytes());
    List<Finding> f = fires("CIS-DI-0008", bad);
    assertEquals(
        List.of("/app/group-tool", "/app/helper"), f.stream().map(Finding::path).sorted().toList());
    assertTrue(f.stream().anyMatch(x -> x.detail().startsWith("setuid: -rwsr-xr-x")));
  }

  @Test
  void addInHistoryExceptTheBaseRootFileSystem() throws IOException {
    Image bad =
        image(
            cleanConfig().build(),
            List.of(
                run("/bin/sh -c #(nop) ADD file:0123abcd in / "),
                AuditFixtures.empty("/bin/sh -c #(nop)  CMD [\"bash\"]"),
                run("ADD app.tar.gz /app # buildkit")),
            cleanBase().bytes(),
            TestTars.tar().file("app/x", "x").bytes());
    List<Finding> f = fires("CIS-DI-0009", bad);
    assertEquals(1, f.size());
    assertTrue(f.get(0).detail().contains("ADD app.tar.gz /app"), f.get(0).detail());
    assertEquals(Integer.toString(2), f.get(0).key().replace("history:", ""));
  }

  @Test
  void credentialsInEnvLabelsHistoryAndFileNamesAreMasked() throws IOException {
    AuditFixtures.Secrets s = new AuditFixtures.Secrets(7);
    String awsSecret = s.awsSecret();
    String pat = s.githubPat();
    ContainerConfig c =
        cleanConfig()
            .env("AWS_SECRET_ACCESS_KEY", awsSecret)
            .env("DB_PASSWORD", "hunter2")
            .env("GPG_KEY", "ABCDEF0123456789")
            .env("PASSWORD_FILE", "/run/secrets/db")
            .label("api_token", pat)
            .build();
    Image bad =
        image(
            c,
            List.of(
                run(
                    "RUN |1 NPM_AUTH="
                        + pat.substring(0, 10)
                        + "Zq9Xw2 /bin/sh -c curl -H 'Authorization: token "
                        + pat
                        + "' https://example.invalid # buildkit")),
            cleanBase().file("app/.env", "DEBUG=1\n").bytes());
    List<Finding> f = fires("CIS-DI-0010", bad);
    Set<String> keys = new HashSet<>();
    f.forEach(x -> keys.add(x.key()));
    assertTrue(
        keys.containsAll(
            List.of(
                "env:AWS_SECRET_ACCESS_KEY",
                "env:DB_PASSWORD",
                "label:api_token",
                "history:0",
                "dotenv-file")),
        keys.toString());
    assertFalse(
        keys.contains("env:GPG_KEY") || keys.contains("env:PASSWORD_FILE"), keys.toString());
    for (Finding x : f) {
      String all = x.detail() + x.title() + x.key();
      assertFalse(
          all.contains(awsSecret)
              || all.contains(pat)
              || all.contains(pat.substring(4, 20))
              || all.contains("hunter2"),
          "unmasked secret in " + all);
    }
    Finding env =
        f.stream()
            .filter(x -> "env:AWS_SECRET_ACCESS_KEY".equals(x.key()))
            .findFirst()
            .orElseThrow();
    assertTrue(env.detail().contains("****"), env.detail());
    assertEquals(
        Severity.MEDIUM,
        f.stream()
            .filter(x -> "env:DB_PASSWORD".equals(x.key()))
            .findFirst()
            .orElseThrow()
            .severity());
    assertEquals(
        "/app/.env",
        f.stream().filter(x -> "dotenv-file".equals(x.key())).findFirst().orElseThrow().path());
  }

  @Test
  void sudoInHistoryOrInstalled() throws IOException {
    List<Finding> f =
        fires("DKL-DI-0001", withHistory("RUN /bin/sh -c sudo apt-get install -y curl"));
    assertEquals(1, f.size());
    Image installed =
        image(
            cleanConfig().build(),
            null,
            cleanBase().file("app/sudo", AuditFixtures.SERVER, 0755, 0, 0).bytes());
    assertEquals("/app/sudo", findings(audit(installed), "DKL-DI-0001").get(0).path());
    assertTrue(
        findings(audit(withHistory("RUN /bin/sh -c echo pseudo-sudo")), "DKL-DI-0001").isEmpty());
  }

  @Test
  void sensitiveVolumes() throws IOException {
    ContainerConfig c =
        AuditFixtures.withVolumes(
            cleanConfig().build(), "/proc", "/var/run/docker.sock", "/data", "/sys/");
    List<Finding> f = fires("DKL-DI-0002", withConfig(c));
    assertEquals(
        Set.of("/proc", "/var/run/docker.sock", "/sys"),
        Set.copyOf(f.stream().map(Finding::key).toList()));
  }

  @Test
  void distUpgrade() throws IOException {
    fires("DKL-DI-0003", withHistory("RUN /bin/sh -c apt-get update && apt-get -y dist-upgrade"));
    assertTrue(
        findings(
                audit(withHistory("RUN /bin/sh -c apt-get update && apt-get -y upgrade")),
                "DKL-DI-0003")
            .isEmpty());
  }

  @Test
  void apkAddWithoutNoCache() throws IOException {
    fires(
        "DKL-DI-0004",
        withHistory("RUN /bin/sh -c apk add --update curl && rm -rf /var/cache/apk/*"));
    assertTrue(
        findings(audit(withHistory("RUN /bin/sh -c apk --no-cache add curl")), "DKL-DI-0004")
            .isEmpty());
  }

  @Test
  void aptListsLeftOrDeletedTooLate() throws IOException {
    String list =
        "var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages";
    Image left =
        image(
            cleanConfig().build(),
            List.of(run("RUN /bin/sh -c apt-get update && apt-get install -y curl")),
            cleanBase()
                .file(list, "Package: curl\n".repeat(100))
                .file("var/lib/apt/lists/lock", "")
                .bytes());
    List<Finding> f = fires("DKL-DI-0005", left);
    assertEquals(1, f.size());
    assertTrue(
        f.get(0).detail().startsWith("1 index files, 1.4 kB (1400 bytes)"), f.get(0).detail());
    assertTrue(f.get(0).detail().contains("apt-get install -y curl"), f.get(0).detail());
    Image late =
        image(
            cleanConfig().build(),
            null,
            cleanBase().file(list, "Package: curl\n".repeat(100)).bytes(),
            TestTars.tar()
                .file("var/lib/apt/lists/.wh." + list.substring(list.lastIndexOf('/') + 1), "")
                .bytes());
    List<Finding> h = findings(audit(late), "DKL-DI-0005");
    assertEquals(List.of("hidden"), h.stream().map(Finding::key).toList());
    assertTrue(h.get(0).detail().contains("deleted by layer 1"), h.get(0).detail());
  }

  @Test
  void latestTag() throws IOException {
    fires("DKL-DI-0006", audit(AuditFixtures.clean(), "alpine", "latest"));
    assertTrue(
        findings(audit(AuditFixtures.clean(), "alpine@sha256:…", null), "DKL-DI-0006").isEmpty());
  }

  @Test
  void emptyPasswords() throws IOException {
    Image bad =
        image(
            cleanConfig().build(),
            null,
            cleanBase()
                .file(
                    "etc/shadow",
                    "root:!:19000:0:99999:7:::\napp::19000::::::\n".getBytes(),
                    0640,
                    0,
                    42)
                .bytes());
    List<Finding> f = fires("DKL-LI-0001", bad);
    assertEquals("/etc/shadow", f.get(0).path());
    assertEquals("app", f.get(0).key());
  }

  @Test
  void duplicateUidAndGid() throws IOException {
    Image bad =
        image(
            cleanConfig().build(),
            null,
            cleanBase()
                .file(
                    "etc/passwd", AuditFixtures.PASSWD + "toor:x:0:0::/root:/bin/sh\nbroken-line\n")
                .file("etc/group", AuditFixtures.GROUP + "wheel:x:0:\n")
                .bytes());
    List<Finding> f = fires("DKL-LI-0002", bad);
    assertEquals(Set.of("uid:0", "gid:0"), Set.copyOf(f.stream().map(Finding::key).toList()));
    List<Finding> alias = fires("uid0-account", bad);
    assertTrue(alias.get(0).detail().contains("toor"), alias.get(0).detail());
  }

  @Test
  void unnecessaryFilesAndFolders() throws IOException {
    Image bad =
        image(
            cleanConfig().build(),
            null,
            cleanBase()
                .file("app/.git/config", "[core]")
                .file("app/.git/HEAD", "ref")
                .file("app/Dockerfile", "FROM scratch")
                .file("app/.DS_Store", "x")
                .file("app/node_modules/x/.git/HEAD", "r")
                .bytes());
    List<Finding> f = fires("DKL-LI-0003", bad);
    assertEquals(
        List.of("/app/.DS_Store", "/app/.git", "/app/Dockerfile"),
        f.stream().map(Finding::path).sorted().toList());
  }

  @Test
  void shellAndPackageManagerPresent() throws IOException {
    Image bad =
        image(
            cleanConfig().build(),
            null,
            cleanBase()
                .dir("bin")
                .file("bin/busybox", AuditFixtures.SERVER, 0755, 0, 0)
                .symlink("bin/sh", "busybox")
                .file("usr/local/bin/pip3.11", "#!/usr/bin/python3".getBytes(), 0755, 0, 0)
                .file("etc/cron.daily/dpkg", "#!/bin/sh".getBytes(), 0755, 0, 0)
                .file("usr/bin/apt-get", AuditFixtures.SERVER, 0755, 0, 0)
                .bytes());
    assertEquals(
        List.of("/bin/busybox", "/bin/sh"),
        fires("shell-present", bad).stream().map(Finding::path).toList());
    List<Finding> pm = fires("package-manager-present", bad);
    assertEquals(
        List.of("/usr/bin/apt-get", "/usr/local/bin/pip3.11"),
        pm.stream().map(Finding::path).sorted().toList());
    assertEquals(
        "pip",
        pm.stream().filter(x -> x.path().endsWith("pip3.11")).findFirst().orElseThrow().detail());
  }

  @Test
  void sshAndPrivilegedPorts() throws IOException {
    Image bad =
        withConfig(
            cleanConfig().exposePort("22/tcp").exposePort("80/tcp").exposePort("53/udp").build());
    assertEquals(
        List.of("22/tcp"), fires("ssh-port-exposed", bad).stream().map(Finding::key).toList());
    assertEquals(
        List.of("53/udp", "80/tcp"),
        fires("privileged-port-exposed", bad).stream().map(Finding::key).toList());
  }

  @Test
  void pathFolderOrEntrypointWritableByTheRuntimeUser() throws IOException {
    Image bad =
        image(
            cleanConfig().build(),
            null,
            cleanBase()
                .dir("app", 0775)
                .entry("app", EntryType.DIR, 0755, 10001, 10001, new byte[0], null, Map.of())
                .file("app/server", AuditFixtures.SERVER, 0755, 10001, 0)
                .bytes());
    List<Finding> f = fires("writable-by-runtime-user", bad);
    assertEquals(List.of("/app", "/app/server"), f.stream().map(Finding::path).sorted().toList());
    // group-writable through a supplementary group
    Image group =
        image(
            cleanConfig().build(),
            null,
            cleanBase()
                .file("etc/group", AuditFixtures.GROUP + "deploy:x:500:app\n")
                .entry("app", EntryType.DIR, 0775, 0, 500, new byte[0], null, Map.of())
                .bytes());
    assertEquals(
        List.of("/app"),
        findings(audit(group), "writable-by-runtime-user").stream().map(Finding::path).toList());
  }

  @Test
  void entrypointMissingOrNotExecutable() throws IOException {
    List<Finding> missing =
        fires(
            "entrypoint-not-executable",
            withConfig(cleanConfig().entrypoint(List.of("/app/missing")).build()));
    assertTrue(missing.get(0).detail().contains("not in the image"));
    Image noExec =
        image(
            cleanConfig().build(),
            null,
            cleanBase().file("app/server", AuditFixtures.SERVER, 0744, 0, 0).bytes());
    assertEquals("/app/server", findings(audit(noExec), "entrypoint-not-executable").get(0).path());
    Image viaPath = withConfig(cleanConfig().entrypoint(List.of("server")).build());
    assertTrue(
        findings(audit(viaPath), "entrypoint-not-executable").isEmpty(), "found through PATH=/app");
  }

  @Test
  void binariesDeletedByALaterLayerStillShip() throws IOException {
    Image bad =
        image(
            cleanConfig().build(),
            null,
            cleanBase()
                .file("usr/bin/tool", new byte[1000], 0755, 0, 0)
                .file("usr/sbin/admin", new byte[500], 0755, 0, 0)
                .file("usr/share/doc/x", new byte[70], 0644, 0, 0)
                .bytes(),
            TestTars.tar()
                .file("usr/.wh.bin", "")
                .file("usr/.wh.sbin", "")
                .file("usr/share/.wh.doc", "")
                .bytes());
    List<Finding> f = fires("removed-binaries-still-shipped", bad);
    assertEquals(1, f.size());
    assertTrue(
        f.get(0).detail().startsWith("2 programs in /usr/bin, /usr/sbin were deleted by layer 1"),
        f.get(0).detail());
    assertTrue(f.get(0).detail().contains("1.5 kB (1500 bytes)"), f.get(0).detail());
    // replacing a program with a newer one is not a removal
    Image upgraded =
        image(
            cleanConfig().build(),
            null,
            cleanBase().file("usr/bin/tool", new byte[1000], 0755, 0, 0).bytes(),
            TestTars.tar().file("usr/bin/tool", new byte[10], 0755, 0, 0).bytes());
    assertTrue(findings(audit(upgraded), "removed-binaries-still-shipped").isEmpty());
  }

  @Test
  void secretsInDeletedOrReplacedFilesStillShip() throws IOException {
    AuditFixtures.Secrets s = new AuditFixtures.Secrets(11);
    String key = s.awsKeyId();
    Image bad =
        image(
            cleanConfig().build(),
            null,
            cleanBase()
                .file("app/config.yml", "aws:\n  access_key_id: " + key + "\n")
                .file("root/.ssh/id_rsa", "x".repeat(40))
                .bytes(),
            TestTars.tar().file("app/.wh.config.yml", "").file("root/.ssh/.wh.id_rsa", "").bytes());
    Report r = audit(bad);
    List<Finding> f = fires("secret-in-hidden-layer", r);
    assertEquals(
        List.of("/app/config.yml", "/root/.ssh/id_rsa"),
        f.stream().map(Finding::path).sorted().toList());
    Finding aws =
        f.stream().filter(x -> x.path().equals("/app/config.yml")).findFirst().orElseThrow();
    assertEquals(Severity.CRITICAL, aws.severity());
    assertTrue(
        aws.detail().contains("line 2: AKIA****") && aws.detail().contains("deleted by layer 1"),
        aws.detail());
    assertFalse(aws.detail().contains(key.substring(4)));
    assertTrue(findings(r, "aws-access-key-id").isEmpty(), "not in the final tree");
    assertTrue(
        findings(r, "CIS-DI-0010").isEmpty(), "the credential file is not in the final tree");
  }

  @Test
  void secretContentInTheFinalTreeUnderTheDetectorsId() throws IOException {
    AuditFixtures.Secrets s = new AuditFixtures.Secrets(13);
    String key = s.awsKeyId();
    Image bad =
        image(
            cleanConfig().build(),
            null,
            cleanBase().file("app/config.yml", "id: " + key + "\n").bytes());
    List<Finding> f = fires("aws-access-key-id", bad);
    assertEquals("/app/config.yml", f.get(0).path());
    assertEquals("line 1: AKIA****", f.get(0).detail());
    assertEquals("aws-access-key-id#1", f.get(0).key());
    assertTrue(f.get(0).references().contains("CIS-4.10"));
  }

  @Test
  void packageDatabasesAndDocumentationAreNotScannedButDebconfAnswersAre() throws IOException {
    AuditFixtures.Secrets s = new AuditFixtures.Secrets(17);
    String line = "id: " + s.awsKeyId() + "\n";
    Image img =
        image(
            cleanConfig().build(),
            null,
            cleanBase()
                .file("usr/share/doc/pkg/README", line)
                .file("var/lib/dpkg/status", line)
                .file("var/cache/debconf/templates.dat", line)
                .file("var/cache/debconf/passwords.dat", line)
                .file("usr/share/app/conf", line)
                .bytes());
    List<String> paths =
        findings(audit(img), "aws-access-key-id").stream().map(Finding::path).sorted().toList();
    assertEquals(List.of("/usr/share/app/conf", "/var/cache/debconf/passwords.dat"), paths);
  }

  @Test
  void worldWritableFilesAndFoldersWithoutStickyBit() throws IOException {
    Image bad =
        image(
            cleanConfig().build(),
            null,
            cleanBase()
                .file("app/data", "x".getBytes(), 0666, 0, 0)
                .dir("app/drop", 0777)
                .dir("app/shared", 01777)
                .symlink("app/link", "data")
                .bytes());
    List<Finding> f = fires("world-writable", bad);
    assertEquals(List.of("/app/data", "/app/drop"), f.stream().map(Finding::path).toList());
  }

  @Test
  void fileCapabilitiesDecoded() throws IOException {
    byte[] cap = {
      0, 0, 0, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
    }; // v2, effective, cap_net_bind_service
    cap[0] = 1;
    String raw = new String(cap, java.nio.charset.StandardCharsets.ISO_8859_1);
    Image bad =
        image(
            cleanConfig().build(),
            null,
            cleanBase()
                .entry(
                    "app/ping",
                    EntryType.FILE,
                    0755,
                    0,
                    0,
                    AuditFixtures.SERVER,
                    null,
                    Map.of("security.capability", raw))
                .bytes());
    List<Finding> f = fires("file-capabilities", bad);
    assertEquals("cap_net_bind_service=ep", f.get(0).detail());
    assertEquals(Severity.LOW, f.get(0).severity());
  }
}
