package dev.caulk.scan.vuln;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.digest.Digest;
import dev.caulk.image.Image;
import dev.caulk.image.Layers;
import dev.caulk.scan.catalog.Inventory;
import dev.caulk.scan.catalog.Package;
import dev.caulk.scan.catalog.PackageType;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.MediaType;
import dev.caulk.tar.TestTars;
import dev.caulk.testing.DebianRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real Debian root ({@code debootstrap --variant=minbase bookworm}, the shared {@link
 * DebianRoot}) as a one-layer image: the package list caulk's single layer pass finds must equal
 * what {@code dpkg-query} reports in that root, binary and source.
 */
class DebianRootTest {
  static Path root;
  static Inventory inventory;

  @BeforeAll
  static void catalog() throws IOException {
    DebianRoot debian = DebianRoot.get();
    root = debian.root();
    Path tar = debian.tarball();
    Digest d = Digest.parse("sha256:" + debian.sha256());
    Descriptor desc = Descriptor.of(MediaType.OCI_LAYER, d, Files.size(tar));
    Image image = TestTars.imageOf(List.of(Layers.fromFile(tar, desc, d)));
    inventory = Scanner.catalog(image);
  }

  static List<String> dpkgQuery(String format) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                "dpkg-query", "--admindir=" + root.resolve("var/lib/dpkg"), "-W", "-f", format)
            .redirectErrorStream(true)
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), new String(out, StandardCharsets.UTF_8));
    return new String(out, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
  }

  @Test
  void packageListEqualsDpkgQuery() throws Exception {
    Set<String> expected = new TreeSet<>(dpkgQuery("${Package} ${Version} ${Architecture}\n"));
    Set<String> actual =
        inventory.packages().stream()
            .filter(p -> p.type() == PackageType.DEB)
            .map(p -> p.name() + " " + p.version() + " " + p.arch())
            .collect(Collectors.toCollection(TreeSet::new));
    assertTrue(expected.size() > 50, "minbase has about 90 packages: " + expected.size());
    assertTrue(
        actual.stream().anyMatch(l -> l.startsWith("tzdata ")), "the fixture includes tzdata");
    assertEquals(expected, actual);
  }

  @Test
  void sourcePackagesEqualDpkgQuery() throws Exception {
    Set<String> expected =
        new TreeSet<>(dpkgQuery("${Package} ${source:Package} ${source:Version}\n"));
    Set<String> actual =
        inventory.packages().stream()
            .filter(p -> p.type() == PackageType.DEB)
            .map(p -> p.name() + " " + p.sourceName() + " " + p.sourceVersion())
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(expected, actual);
    assertTrue(
        actual.stream().anyMatch(l -> l.startsWith("libc6 glibc ")), "libc6 is built from glibc");
  }

  @Test
  void everyBinaryOfAVulnerableSourceIsReported(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    String glibc =
        dpkgQuery("${source:Package} ${source:Version}\n").stream()
            .filter(l -> l.startsWith("glibc "))
            .findFirst()
            .orElseThrow()
            .substring("glibc ".length());
    Osv.record("DEBIAN-CVE-2099-0001")
        .upstream("CVE-2099-0001")
        .summary("glibc: test advisory")
        .affected("Debian:12", "glibc", "introduced", "0", "fixed", glibc + "+really99")
        .into(dir.resolve("osv"));
    Osv.record("DEBIAN-CVE-2099-0002")
        .upstream("CVE-2099-0002")
        .summary("glibc: fixed before this version")
        .affected("Debian:12", "glibc", "introduced", "0", "fixed", glibc)
        .into(dir.resolve("osv"));
    Set<String> fromGlibc = new TreeSet<>();
    for (String l : dpkgQuery("${Package} ${source:Package}\n")) {
      String[] f = l.split(" ");
      if (f[1].equals("glibc")) fromGlibc.add(f[0]);
    }
    try (dev.caulk.scan.db.VulnDb db = Osv.store(dir)) {
      ScanResult r = Scanner.scan(inventory, db, ScanOptions.defaults());
      Set<String> flagged =
          r.vulnerabilities().stream()
              .map(v -> v.pkg().name())
              .collect(Collectors.toCollection(TreeSet::new));
      assertEquals(fromGlibc, flagged, "exactly the binaries dpkg says are built from glibc");
      assertTrue(flagged.contains("libc6") && flagged.contains("libc-bin"), flagged.toString());
      assertTrue(
          r.vulnerabilities().stream().allMatch(v -> v.id().equals("CVE-2099-0001")),
          "the installed version is the fix of the other");
      assertEquals(java.util.Set.of(), r.missingEcosystems());
    }
  }

  @Test
  void osAndOwnedFiles() {
    assertEquals("debian", inventory.os().id());
    assertEquals("12", inventory.os().versionId());
    Package bash =
        inventory.packages().stream()
            .filter(p -> p.name().equals("bash"))
            .findFirst()
            .orElseThrow();
    assertEquals("/var/lib/dpkg/status", bash.locations().get(0));
    assertTrue(
        bash.locations().contains("/bin/bash") || bash.locations().contains("/usr/bin/bash"),
        bash.locations().toString());
    assertTrue(bash.purl().toString().startsWith("pkg:deb/debian/bash@"), bash.purl().toString());
    assertTrue(bash.purl().qualifiers().get("distro").equals("debian-12"));
  }
}
