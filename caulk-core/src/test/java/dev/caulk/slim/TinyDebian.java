package dev.caulk.slim;

import dev.caulk.image.Image;
import dev.caulk.image.Images;
import dev.caulk.image.Layer;
import dev.caulk.mutate.Mutate;
import dev.caulk.spec.ContainerConfig;
import dev.caulk.spec.History;
import dev.caulk.spec.Platform;
import dev.caulk.tar.EntryType;
import dev.caulk.tar.TestTars;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A small merged-/usr Debian-like image for unit tests: the host's loader, libc, NSS module,
 * libgcc_s, dash and true (real ELF files, so closures are real), accounts, zones, a CA bundle, a
 * dpkg database (status, .list, .md5sums) for libc6, tzdata, dash, coreutils, apt and base-files,
 * apt's cache, a setuid helper, a file with capabilities, and a secret that a second layer deletes.
 */
final class TinyDebian {
  static final String LIBDIR = "usr/lib/x86_64-linux-gnu/";
  static final String STATUS =
      """
      Package: libc6
      Status: install ok installed
      Architecture: amd64
      Version: 2.36-9
      Description: GNU C Library

      Package: tzdata
      Status: install ok installed
      Architecture: all
      Version: 2024a

      Package: dash
      Status: install ok installed
      Architecture: amd64
      Version: 0.5.12

      Package: coreutils
      Status: install ok installed
      Architecture: amd64
      Version: 9.1

      Package: apt
      Status: install ok installed
      Architecture: amd64
      Version: 2.6.1

      Package: base-files
      Status: install ok installed
      Architecture: amd64
      Version: 12.4

      Package: removed-pkg
      Status: deinstall ok config-files
      Architecture: amd64
      Version: 1
      """;

  private TinyDebian() {}

  static byte[] host(String path) {
    try {
      return Files.readAllBytes(Path.of(path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The base layer, before any test-specific additions. */
  static TestTars.Tar base() {
    TestTars.Tar t = TestTars.tar();
    for (String d :
        List.of(
            "usr",
            "usr/bin",
            "usr/sbin",
            "usr/lib",
            "usr/lib/x86_64-linux-gnu",
            "usr/lib64",
            "usr/share",
            "usr/share/doc",
            "usr/share/doc/libc6",
            "usr/share/doc/coreutils",
            "usr/share/doc/apt",
            "usr/share/zoneinfo",
            "usr/share/zoneinfo/Etc",
            "usr/share/zoneinfo/Europe",
            "usr/libexec",
            "etc",
            "etc/ssl",
            "etc/ssl/certs",
            "etc/apt",
            "var",
            "var/lib",
            "var/lib/dpkg",
            "var/lib/dpkg/info",
            "var/cache",
            "var/cache/apt",
            "home",
            "app",
            "opt",
            "opt/tools")) {
      t.dir(d);
    }
    t.dir("tmp", 01777).dir("var/tmp", 01777).dir("root", 0700);
    t.symlink("bin", "usr/bin")
        .symlink("lib", "usr/lib")
        .symlink("lib64", "usr/lib64")
        .symlink("sbin", "usr/sbin");
    t.file(
        LIBDIR + "ld-linux-x86-64.so.2",
        host("/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"),
        0755,
        0,
        0);
    t.file(LIBDIR + "libc.so.6", host("/usr/lib/x86_64-linux-gnu/libc.so.6"), 0755, 0, 0);
    t.file(
        LIBDIR + "libnss_files.so.2",
        host("/usr/lib/x86_64-linux-gnu/libnss_files.so.2"),
        0644,
        0,
        0);
    t.file(LIBDIR + "libgcc_s.so.1", host("/usr/lib/x86_64-linux-gnu/libgcc_s.so.1"), 0644, 0, 0);
    t.file(
        LIBDIR + "libapt-pkg.so.6.0",
        "not really a library".getBytes(StandardCharsets.UTF_8),
        0644,
        0,
        0);
    t.symlink("usr/lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2");
    t.file("usr/bin/dash", host("/usr/bin/dash"), 0755, 0, 0).symlink("usr/bin/sh", "dash");
    t.file("usr/bin/true", host("/usr/bin/true"), 0755, 0, 0);
    t.file("usr/bin/apt-get", "#!/bin/sh\necho apt\n".getBytes(StandardCharsets.UTF_8), 0755, 0, 0);
    t.file("usr/bin/passwd", host("/usr/bin/true"), 04755, 0, 0);
    t.file("usr/libexec/helper", host("/usr/bin/true"), 04755, 0, 0);
    t.entry(
        "usr/libexec/pinger",
        EntryType.FILE,
        0755,
        0,
        0,
        host("/usr/bin/true"),
        null,
        Map.of(
            "security.capability",
            "\u0001\u0000\u0000\u0002\u0000\u0020\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000"));
    t.file("opt/tools/busybox", host("/usr/bin/true"), 0755, 0, 0);
    t.file("app/service", host("/usr/bin/true"), 0755, 0, 0);
    t.file(
        "etc/passwd",
        "root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
            + "app:x:1000:1000:app:/home/app:/usr/sbin/nologin\n");
    t.file("etc/group", "root:x:0:\ndaemon:x:1:\napp:x:1000:\n");
    t.file("etc/nsswitch.conf", "passwd: files\ngroup: files\nhosts: files dns\n");
    t.file("etc/hosts", "127.0.0.1 localhost\n");
    t.file("usr/lib/os-release", "ID=debian\nVERSION_ID=\"12\"\n")
        .symlink("etc/os-release", "../usr/lib/os-release");
    t.file("usr/share/zoneinfo/Etc/UTC", "TZif-utc")
        .file("usr/share/zoneinfo/Europe/Paris", "TZif-paris");
    t.symlink("etc/localtime", "/usr/share/zoneinfo/Etc/UTC");
    t.file("etc/ssl/certs/ca-certificates.crt", "-----BEGIN CERTIFICATE-----\n");
    t.file("etc/apt/sources.list", "deb http://deb.debian.org/debian bookworm main\n");
    t.file("var/cache/apt/pkgcache.bin", new byte[4096], 0644, 0, 0);
    t.file("usr/share/doc/libc6/copyright", "libc copyright")
        .file("usr/share/doc/coreutils/copyright", "coreutils copyright");
    t.file("usr/share/doc/apt/copyright", "apt copyright");
    t.dir("home/app", 0755);
    t.entry(
        "home/app/notes",
        EntryType.FILE,
        0644,
        1000,
        1000,
        "mine".getBytes(StandardCharsets.UTF_8),
        null,
        Map.of());
    t.file("root/secret", "TOKEN=hidden-by-a-later-layer");
    t.file("var/lib/dpkg/status", STATUS);
    list(
        t,
        "libc6:amd64",
        "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
        "/lib/x86_64-linux-gnu/libc.so.6",
        "/lib/x86_64-linux-gnu/libnss_files.so.2",
        "/usr/share/doc/libc6/copyright");
    list(t, "tzdata", "/usr/share/zoneinfo/Etc/UTC", "/usr/share/zoneinfo/Europe/Paris");
    list(t, "dash", "/bin/dash", "/bin/sh");
    list(t, "coreutils", "/bin/true", "/usr/share/doc/coreutils/copyright");
    list(
        t,
        "apt",
        "/usr/bin/apt-get",
        "/etc/apt/sources.list",
        "/usr/lib/x86_64-linux-gnu/libapt-pkg.so.6.0",
        "/usr/share/doc/apt/copyright");
    list(t, "base-files", "/usr/lib/os-release");
    return t;
  }

  /** A dpkg {@code .list} (with the folders dpkg writes) and {@code .md5sums} of made-up sums. */
  private static void list(TestTars.Tar t, String pkg, String... files) {
    StringBuilder list = new StringBuilder("/.\n");
    List<String> dirs = new ArrayList<>();
    StringBuilder sums = new StringBuilder();
    for (String f : files) {
      for (String p = f.substring(0, f.lastIndexOf('/'));
          !p.isEmpty();
          p = p.substring(0, Math.max(0, p.lastIndexOf('/')))) {
        if (!dirs.contains(p)) dirs.add(p);
      }
      sums.append(String.format("%032x", f.hashCode() & 0xffffffffL))
          .append("  ")
          .append(f.substring(1))
          .append('\n');
    }
    dirs.sort(null);
    for (String d : dirs) list.append(d).append('\n');
    for (String f : files) list.append(f).append('\n');
    t.file("var/lib/dpkg/info/" + pkg + ".list", list.toString());
    t.file("var/lib/dpkg/info/" + pkg + ".md5sums", sums.toString());
  }

  /** The run configuration: {@code /app/service} as root, workdir /app, port 8080. */
  static ContainerConfig.Builder config() {
    return ContainerConfig.EMPTY.toBuilder()
        .entrypoint(List.of("/app/service"))
        .cmd(List.of("--serve"))
        .env("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
        .workingDir("/app")
        .exposePort("8080/tcp")
        .label("org.example.team", "core");
  }

  /** The image: the base layer and a layer deleting /root/secret. */
  static Image image(ContainerConfig config) throws IOException {
    return image(config, base());
  }

  static Image image(ContainerConfig config, TestTars.Tar base) throws IOException {
    List<Layer> layers =
        List.of(
            TestTars.layer(base.bytes()),
            TestTars.layer(TestTars.tar().file("root/.wh.secret", "").bytes()));
    List<History> h =
        List.of(
            new History("2026-01-01T00:00:00Z", null, "debootstrap", null, false),
            new History("2026-01-01T00:00:00Z", null, "RUN rm /root/secret", null, false));
    return Mutate.withConfig(
        Mutate.appendLayers(Images.scratch(Platform.LINUX_AMD64), layers, h), config);
  }
}
