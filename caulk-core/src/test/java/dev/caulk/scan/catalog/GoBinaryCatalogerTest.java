package dev.caulk.scan.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Go build info against the real thing: Go binaries installed from apt, checked against {@code go
 * version -m} (Debian's golang-go) as the oracle; hand-built ELF files for the older pointer format
 * and for damage.
 */
class GoBinaryCatalogerTest {
  /** Installed by scripts/install-test-deps; required under CI. */
  static final List<String> APT_BINARIES =
      List.of("/usr/bin/docker-registry", "/usr/bin/skopeo", "/usr/bin/umoci", "/usr/sbin/runc");

  /**
   * Present on some machines only; they carry many deps and replacements, so they are checked when
   * there.
   */
  static final List<String> OPTIONAL_BINARIES =
      List.of("/usr/bin/kubectl", "/usr/bin/kpt", "/usr/bin/anthoscli", "/usr/bin/cbt");

  static Stream<String> binaries() {
    return Stream.concat(
        APT_BINARIES.stream(),
        OPTIONAL_BINARIES.stream().filter(p -> Files.isRegularFile(Path.of(p))));
  }

  /** What {@code go version -m} says about a binary. */
  record Oracle(String goVersion, String mainPath, Set<String> deps) {}

  static Path goTool() {
    Path go = CatalogTesting.which("go");
    if (go == null && Files.isExecutable(Path.of("/usr/lib/go/bin/go")))
      go = Path.of("/usr/lib/go/bin/go");
    if (go == null && CatalogTesting.ci())
      fail("the go tool (Debian golang-go) is required under CI");
    assumeTrue(go != null, "go tool not installed (apt-get install golang-go)");
    return go;
  }

  static Oracle oracle(Path go, Path binary) throws IOException {
    String out =
        CatalogTesting.run(
            List.of(go.toString(), "version", "-m", binary.toString()), null, null, 60);
    String[] lines = out.split("\n");
    String version = lines[0].substring(lines[0].lastIndexOf(": ") + 2).strip();
    String main = null;
    Set<String> deps = new TreeSet<>();
    String[] lastDep = null;
    for (int i = 1; i < lines.length; i++) {
      String[] f = lines[i].replaceFirst("^\t", "").split("\t", -1);
      switch (f[0]) {
        case "mod" -> main = f[1];
        case "dep" -> {
          if (lastDep != null) deps.add(lastDep[0] + "@" + lastDep[1]);
          lastDep = new String[] {f[1], f[2]};
        }
        case "=>" -> {
          if (lastDep != null) {
            // The documented rule: module replacements report the replacement, local directories
            // keep the path.
            if (GoBinaryCataloger.isLocalPath(f[1]))
              lastDep = new String[] {lastDep[0], f[2].isEmpty() ? "(devel)" : f[2]};
            else lastDep = new String[] {f[1], f[2]};
            deps.add(lastDep[0] + "@" + lastDep[1]);
            lastDep = null;
          }
        }
        default -> {}
      }
    }
    if (lastDep != null) deps.add(lastDep[0] + "@" + lastDep[1]);
    return new Oracle(version, main, deps);
  }

  static Inventory catalog(String imagePath, Path host) throws IOException {
    Cataloger c = Catalogers.goBinaries(CatalogLimits.defaults());
    CatalogTesting.stream(c, imagePath, host, true);
    return new Inventory(OsRelease.UNKNOWN, c.packages(OsRelease.UNKNOWN), c.problems());
  }

  static void assertMatchesOracle(Inventory inv, Oracle o, String imagePath) {
    assertEquals(List.of(), inv.problems());
    List<Package> pkgs = inv.packages();
    Optional<Package> main = pkgs.stream().filter(Package::mainModule).findFirst();
    assertEquals(o.mainPath(), main.map(Package::name).orElse(null), "main module");
    Package std = pkgs.stream().filter(p -> p.name().equals("stdlib")).findFirst().orElseThrow();
    assertEquals(GoBuildInfo.stdlibVersion(o.goVersion()), std.version(), "Go version");
    assertEquals("pkg:golang/stdlib@" + std.version(), std.purl().toString());
    assertEquals(o.goVersion(), std.properties().get("go.toolchain"));
    Set<String> deps =
        pkgs.stream()
            .filter(p -> !p.mainModule() && !p.name().equals("stdlib"))
            .map(p -> p.name() + "@" + p.version())
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(o.deps(), deps, "dependencies");
    assertTrue(
        pkgs.stream()
            .allMatch(
                p ->
                    p.locations().equals(List.of(imagePath)) && p.cataloger().equals("go-binary")));
  }

  @ParameterizedTest
  @MethodSource("binaries")
  void matchesGoVersionOnRealBinaries(String path) throws IOException {
    Path bin = Path.of(path);
    if (!Files.isRegularFile(bin)) {
      if (CatalogTesting.ci()) fail(path + " is required under CI (scripts/install-test-deps)");
      assumeTrue(false, path + " not installed");
    }
    Path go = goTool();
    Oracle o = oracle(go, bin);
    Inventory inv = catalog("/usr/local/bin/tool", bin);
    assertMatchesOracle(inv, o, "/usr/local/bin/tool");
    assertTrue(inv.packages().size() >= 1);
  }

  @Test
  void buildsAModuleWithDependenciesAndReplacementsAndReadsItBack(
      @org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
    Path go = goTool();
    Path proxy = tmp.resolve("proxy");
    GoFixture.writeProxyModule(
        proxy,
        "example.com/newlib",
        "v1.1.0",
        "example.com/oldlib",
        Map.of("lib.go", "package oldlib\n\nfunc Name() string { return \"new\" }\n"));
    GoFixture.writeProxyModule(
        proxy,
        "example.com/plain",
        "v0.4.2",
        "example.com/plain",
        Map.of("plain.go", "package plain\n\nfunc Name() string { return \"plain\" }\n"));
    Path local = Files.createDirectories(tmp.resolve("local"));
    Files.writeString(local.resolve("go.mod"), "module example.com/local\n\ngo 1.19\n");
    Files.writeString(
        local.resolve("local.go"), "package local\n\nfunc Name() string { return \"local\" }\n");
    Path app = Files.createDirectories(tmp.resolve("app"));
    Files.writeString(
        app.resolve("go.mod"),
        """
        module example.com/app

        go 1.19

        require (
        \texample.com/local v0.3.0
        \texample.com/oldlib v1.0.0
        \texample.com/plain v0.4.2
        )

        replace example.com/oldlib v1.0.0 => example.com/newlib v1.1.0

        replace example.com/local => ../local
        """);
    Files.writeString(
        app.resolve("main.go"),
        """
        package main

        import (
        \t"fmt"

        \t"example.com/local"
        \t"example.com/oldlib"
        \t"example.com/plain"
        )

        func main() { fmt.Println(oldlib.Name(), local.Name(), plain.Name()) }
        """);
    Path out = tmp.resolve("app.bin");
    Path cache = Path.of("target", "go-build-cache").toAbsolutePath();
    Map<String, String> env =
        Map.of(
            "GOPROXY",
            proxy.toUri().toString(),
            "GOSUMDB",
            "off",
            "GOFLAGS",
            "-mod=mod -modcacherw",
            "GOPATH",
            tmp.resolve("gopath").toString(),
            "GOCACHE",
            cache.toString(),
            "CGO_ENABLED",
            "0",
            "GO111MODULE",
            "on",
            "GOTOOLCHAIN",
            "local",
            "HOME",
            tmp.toString());
    CatalogTesting.run(
        List.of(go.toString(), "build", "-trimpath", "-buildvcs=false", "-o", out.toString(), "."),
        app,
        env,
        300);

    Inventory inv = catalog("/app/server", out);
    assertMatchesOracle(inv, oracle(go, out), "/app/server");
    Map<String, Package> byName =
        inv.packages().stream().collect(Collectors.toMap(Package::name, p -> p));
    Package main = byName.get("example.com/app");
    assertTrue(main.mainModule());
    assertEquals("(devel)", main.version());
    assertEquals("pkg:golang/example.com/app@%28devel%29", main.purl().toString());
    assertEquals("example.com/app", main.properties().get("go.mainPackage"));
    assertEquals("linux", main.properties().get("go.build.GOOS"));
    Package replaced = byName.get("example.com/newlib");
    assertEquals("v1.1.0", replaced.version());
    assertEquals("example.com/oldlib@v1.0.0", replaced.properties().get("go.replaces"));
    assertEquals("pkg:golang/example.com/newlib@v1.1.0", replaced.purl().toString());
    assertFalse(byName.containsKey("example.com/oldlib"));
    Package dir = byName.get("example.com/local");
    assertEquals("../local", dir.properties().get("go.replacedByDirectory"));
    assertEquals("v0.4.2", byName.get("example.com/plain").version());
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void readsThePointerFormatOfOlderLinkers(boolean is64) throws IOException {
    String modinfo =
        "path\texample.com/old/cmd\nmod\texample.com/old\tv1.2.3\th1:abc=\n"
            + "dep\tgolang.org/x/text\tv0.3.7\th1:def=\ndep\tgithub.com/a/b\tv1.0.0\n=>\tgithub.com/c/b\tv1.0.1\th1:x=\n";
    byte[] elf = SyntheticElf.pointerFormat(is64, !is64, "go1.16.15", modinfo);
    Cataloger c = Catalogers.goBinaries(CatalogLimits.defaults());
    List<Package> pkgs = CatalogTesting.feed(c, "/bin/old", elf, true);
    assertEquals(List.of(), c.problems());
    assertEquals(
        List.of(
            "example.com/old@v1.2.3",
            "github.com/c/b@v1.0.1",
            "golang.org/x/text@v0.3.7",
            "stdlib@1.16.15"),
        pkgs.stream().map(p -> p.name() + "@" + p.version()).sorted().toList());
    assertTrue(pkgs.stream().anyMatch(p -> p.mainModule() && p.name().equals("example.com/old")));
  }

  @Test
  void pointerFormatNeedsItsReadOnlySegment() throws IOException {
    byte[] elf =
        SyntheticElf.pointerFormat(true, false, "go1.16.15", "path\tx\nmod\tx\tv1.0.0\t\n");
    Cataloger c = Catalogers.goBinaries(CatalogLimits.defaults().withMaxElfRetainedBytes(0x100));
    assertEquals(List.of(), CatalogTesting.feed(c, "/bin/old", elf, true));
    assertEquals(1, c.problems().size());
    assertTrue(
        c.problems().get(0).reason().contains("not in a kept data segment"),
        c.problems().toString());
  }

  @Test
  void truncatedBuildInfoIsAProblemNotACrash() throws IOException {
    byte[] mod = SyntheticElf.framed("path\tx\nmod\tx\tv1.0.0\t\n");
    byte[] lying = SyntheticElf.inlineFormat("go1.22.1", mod, 1 << 20);
    Cataloger c = Catalogers.goBinaries(CatalogLimits.defaults());
    assertEquals(List.of(), CatalogTesting.feed(c, "/bin/lying", lying, true));
    assertEquals("Go build info: module info truncated", c.problems().get(0).reason());

    byte[] whole = SyntheticElf.inlineFormat("go1.22.1", mod, mod.length);
    byte[] cut = java.util.Arrays.copyOf(whole, 0x2000 + 20);
    Cataloger c2 = Catalogers.goBinaries(CatalogLimits.defaults());
    if (c2.wants("/bin/cut", whole.length, true))
      c2.accept("/bin/cut", new java.io.ByteArrayInputStream(cut), whole.length);
    assertEquals(List.of(), c2.packages(OsRelease.UNKNOWN));
    assertEquals("Go build info: header truncated", c2.problems().get(0).reason());

    byte[] huge = SyntheticElf.inlineFormat("go1.22.1", mod, Integer.MAX_VALUE);
    Cataloger c3 = Catalogers.goBinaries(CatalogLimits.defaults());
    CatalogTesting.feed(c3, "/bin/huge", huge, true);
    assertTrue(c3.problems().get(0).reason().contains("over the bound"), c3.problems().toString());
  }

  @Test
  void inlineFormatRoundTrip() throws IOException {
    byte[] mod =
        SyntheticElf.framed(
            "path\tx/cmd\nmod\tx\t(devel)\t\nbuild\t-ldflags=\"-s -w\"\nbuild\tGOARCH=arm64\n");
    byte[] elf = SyntheticElf.inlineFormat("go1.21rc2 X:boringcrypto", mod, mod.length);
    List<Package> pkgs =
        CatalogTesting.feed(Catalogers.goBinaries(CatalogLimits.defaults()), "/x", elf, true);
    assertEquals(
        List.of("stdlib@1.21.0-rc.2", "x@(devel)"),
        pkgs.stream().map(p -> p.name() + "@" + p.version()).sorted().toList());
    assertTrue(pkgs.stream().allMatch(p -> "arm64".equals(p.arch())));
  }

  @Test
  void nonGoExecutablesAreIgnoredQuietly() throws IOException {
    Cataloger c = Catalogers.goBinaries(CatalogLimits.defaults());
    CatalogTesting.feed(
        c,
        "/usr/bin/script",
        CatalogTesting.utf8("#!/bin/sh\necho hello there, this is long enough to be examined\n"),
        true);
    Path ls = Path.of("/bin/ls");
    if (Files.isRegularFile(ls)) CatalogTesting.stream(c, "/bin/ls", ls, true);
    assertEquals(List.of(), c.packages(OsRelease.UNKNOWN));
    assertEquals(List.of(), c.problems());
    assertFalse(c.wants("/app/app.jar", 1000, true));
    assertFalse(c.wants("/usr/bin/skopeo", 1000, false));
  }

  @Test
  void stdlibVersionFollowsOsvSpelling() {
    assertEquals("1.22.1", GoBuildInfo.stdlibVersion("go1.22.1"));
    assertEquals("1.21.0", GoBuildInfo.stdlibVersion("go1.21"));
    assertEquals("1.0.0", GoBuildInfo.stdlibVersion("go1"));
    assertEquals("1.19.0-beta.1", GoBuildInfo.stdlibVersion("go1.19beta1"));
    assertEquals("1.21.5", GoBuildInfo.stdlibVersion("go1.21.5 X:boringcrypto"));
    assertEquals("1.26.0", GoBuildInfo.stdlibVersion("go1.26.0-X:nodwarf5"));
    assertEquals("1.26.5", GoBuildInfo.stdlibVersion("go1.26.5 (Red Hat 1.26.5-1.el10_2.alma.1)"));
    assertNull(GoBuildInfo.stdlibVersion("devel go1.23-abcdef Tue"));
  }
}
