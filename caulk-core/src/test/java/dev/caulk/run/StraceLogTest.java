package dev.caulk.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StraceLogTest {
  @TempDir Path dir;

  @Test
  void pathsAfterTheEntrypointsExecOnly() throws Exception {
    Files.writeString(
        dir.resolve("trace.100"),
        String.join(
            "\n",
            "1700000000.000100 openat(AT_FDCWD, \"/proc/self/fd\", O_RDONLY|O_CLOEXEC) = 5",
            "1700000000.000200 newfstatat(AT_FDCWD, \"/run/runc-init-only\", {st_mode=S_IFREG|0644, st_size=1, ...}, 0) = 0",
            "1700000000.001000 execve(\"/app/service\", [\"/app/service\"], 0x7ffd /* 3 vars */) = 0",
            "1700000000.001100 access(\"/etc/ld.so.preload\", R_OK) = 0",
            "1700000000.001200 openat(AT_FDCWD, \"/etc/ld.so.cache\", O_RDONLY|O_CLOEXEC) = 3",
            "1700000000.001300 openat(AT_FDCWD, \"conf/app.yaml\", O_RDONLY) = 4",
            "1700000000.001400 openat(7, \"relative-to-a-descriptor\", O_RDONLY) = 5",
            "1700000000.001500 chdir(\"/srv/data\") = 0",
            "1700000000.001600 openat(AT_FDCWD, \"../x\\\"y\\303\\251\", O_RDONLY) = 6",
            "1700000000.001700 readlink(\"/etc/localtime\", \"/usr/share/zoneinfo/Etc/UTC\", 4095) = 27",
            "1700000000.001800 openat(AT_FDCWD, \"/dev/null\", O_RDWR) = 7",
            "1700000000.001900 newfstatat(3, \"\", {st_mode=S_IFREG|0644, st_size=1, ...}, AT_EMPTY_PATH) = 0",
            "1700000000.002000 +++ exited with 0 +++",
            ""));
    Files.writeString(
        dir.resolve("trace.101"),
        String.join(
            "\n",
            "1700000000.000500 openat(AT_FDCWD, \"/before/exec\", O_RDONLY) = 3",
            "1700000000.003000 openat(AT_FDCWD, \"/var/lib/app/child.db\", O_RDWR|O_CREAT, 0600) = 3",
            "1700000000.003100 fchdir(3) = 0",
            "1700000000.003200 openat(AT_FDCWD, \"lost-cwd\", O_RDONLY) = 4",
            ""));
    assertEquals(
        List.of(
            "/app/conf/app.yaml",
            "/app/service",
            "/etc/ld.so.cache",
            "/etc/ld.so.preload",
            "/etc/localtime",
            "/srv/data",
            "/srv/x\"y\u00e9",
            "/var/lib/app/child.db"),
        StraceLog.paths(dir, "trace", "/app"));
  }

  @Test
  void stringsAndNormalisation() throws Exception {
    assertEquals(
        List.of("a\nb", "c", "\u00e9"),
        StraceLog.strings("\"a\\nb\", 3, \"c\"..., \"\\xc3\\xa9\""));
    assertEquals("/", StraceLog.normalize("/a/../.."));
    assertEquals("/a/c", StraceLog.normalize("//a/./b/../c/"));
    Files.writeString(
        dir.resolve("trace.1"),
        "garbage\n1700000000.001000 execve(\"/app/service\", [], 0x0 /* 0 vars */) = 0\n");
    assertEquals(List.of("/app/service"), StraceLog.paths(dir, "trace", "/"));
  }
}
