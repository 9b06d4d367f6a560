package dev.caulk.scan.vuln;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.caulk.digest.Digest;
import dev.caulk.fs.FileTree;
import dev.caulk.image.Image;
import dev.caulk.image.Layer;
import dev.caulk.image.Layers;
import dev.caulk.scan.catalog.Catalog;
import dev.caulk.scan.catalog.CatalogLimits;
import dev.caulk.scan.catalog.Inventory;
import dev.caulk.scan.catalog.Package;
import dev.caulk.scan.catalog.PackageType;
import dev.caulk.scan.ecosystem.Ecosystems;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.MediaType;
import dev.caulk.tar.TestTars;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The one-pass cataloging of an image: layers stream once, yet the result is exactly what the
 * catalogers report when fed the final merged tree (the contract of {@code Cataloger}): later
 * layers replace and delete, hard links keep the content they were made from, the distroless marker
 * is read from final paths.
 */
class ImagePassTest {
  static final String OS_RELEASE =
      "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n";

  static String stanza(String pkg, String version, String source) {
    return "Package: "
        + pkg
        + "\nStatus: install ok installed\nArchitecture: amd64\n"
        + (source == null ? "" : "Source: " + source + "\n")
        + "Version: "
        + version
        + "\nMaintainer: Debian <d@debian.org>\n\n";
  }

  static byte[] realGoBinary() throws IOException {
    Path p = Path.of("/usr/bin/umoci");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isRegularFile(p) || "true".equals(System.getenv("CI")),
        "umoci (a Go binary from Debian) is not installed");
    return Files.readAllBytes(p);
  }

  static byte[] realJar() throws IOException, URISyntaxException {
    return Files.readAllBytes(
        Path.of(JsonProperty.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
  }

  /** Base, then an upgrade layer, then a layer that deletes and replaces. */
  static List<byte[]> layers() throws Exception {
    byte[] go = realGoBinary();
    byte[] jar = realJar();
    byte[] l0 =
        TestTars.tar()
            .file("etc/os-release", OS_RELEASE)
            .file(
                "var/lib/dpkg/status",
                stanza("base-files", "12.4+deb12u5", null)
                    + stanza("libssl3", "3.0.11-1~deb12u2", "openssl"))
            .file(
                "var/lib/dpkg/info/libssl3:amd64.list",
                "/usr\n/usr/lib\n/usr/lib/x86_64-linux-gnu/libssl.so.3\n")
            .file("app/old.jar", jar, 0644, 0, 0)
            .file("usr/bin/umoci", go, 0755, 0, 0)
            .bytes();
    byte[] l1 =
        TestTars.tar()
            .file(
                "var/lib/dpkg/status",
                stanza("base-files", "12.4+deb12u5", null)
                    + stanza("libssl3", "3.0.13-1~deb12u1", "openssl")
                    + stanza(
                        "libldb2",
                        "2:2.6.2+samba4.17.12+dfsg-0+deb12u1",
                        "samba (2:4.17.12+dfsg-0+deb12u1)"))
            .file("app/.wh.old.jar", "")
            .hardlink("usr/local/bin/umoci2", "usr/bin/umoci")
            .file("opt/lib/kept.jar", jar, 0644, 0, 0)
            .bytes();
    byte[] l2 =
        TestTars.tar()
            .file(
                "usr/bin/umoci",
                "#!/bin/sh\necho not go any more\n".getBytes(StandardCharsets.UTF_8),
                0755,
                0,
                0)
            .file("opt/lib/.wh.gone.jar", "")
            .bytes();
    return List.of(l0, l1, l2);
  }

  /** The final merged files, as the Cataloger contract defines them, fed straight to a Catalog. */
  static Inventory oracle() throws Exception {
    byte[] go = realGoBinary();
    byte[] jar = realJar();
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("/etc/os-release", OS_RELEASE.getBytes(StandardCharsets.UTF_8));
    files.put(
        "/var/lib/dpkg/status",
        (stanza("base-files", "12.4+deb12u5", null)
                + stanza("libssl3", "3.0.13-1~deb12u1", "openssl")
                + stanza(
                    "libldb2",
                    "2:2.6.2+samba4.17.12+dfsg-0+deb12u1",
                    "samba (2:4.17.12+dfsg-0+deb12u1)"))
            .getBytes(StandardCharsets.UTF_8));
    files.put(
        "/var/lib/dpkg/info/libssl3:amd64.list",
        "/usr\n/usr/lib\n/usr/lib/x86_64-linux-gnu/libssl.so.3\n".getBytes(StandardCharsets.UTF_8));
    files.put("/usr/local/bin/umoci2", go);
    files.put("/opt/lib/kept.jar", jar);
    files.put(
        "/usr/bin/umoci", "#!/bin/sh\necho not go any more\n".getBytes(StandardCharsets.UTF_8));
    Catalog c = Ecosystems.catalog();
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      boolean exec = f.getKey().contains("bin/");
      if (c.wants(f.getKey(), f.getValue().length, exec)) {
        c.accept(f.getKey(), new ByteArrayInputStream(f.getValue()), f.getValue().length);
      }
    }
    return c.finish();
  }

  @Test
  void onePassEqualsCatalogingTheFinalTree() throws Exception {
    List<byte[]> tars = layers();
    AtomicInteger opens = new AtomicInteger();
    List<Layer> ls = new ArrayList<>();
    for (byte[] t : tars) {
      Digest d = Digest.sha256(t);
      ls.add(
          Layers.fromBlobs(
              Descriptor.of(MediaType.OCI_LAYER, d, t.length),
              d,
              x -> {
                opens.incrementAndGet();
                return new ByteArrayInputStream(t);
              },
              "test"));
    }
    Image image = TestTars.imageOf(ls);
    Inventory inv = Scanner.catalog(image);
    assertEquals(3, opens.get(), "each layer is read exactly once");
    Inventory expected = oracle();
    assertEquals(expected.os(), inv.os());
    assertEquals(expected.packages(), inv.packages());
    assertEquals(expected.problems(), inv.problems());

    Map<PackageType, Long> byType =
        inv.packages().stream()
            .collect(Collectors.groupingBy(Package::type, Collectors.counting()));
    assertEquals(3L, byType.get(PackageType.DEB), "the upgraded status wins");
    assertTrue(
        inv.packages().stream()
            .anyMatch(p -> p.type() == PackageType.GOLANG && p.name().equals("stdlib")),
        "umoci's Go standard library, found through the hard link (Debian builds Go programs without module info)");
    assertTrue(
        inv.packages().stream()
            .filter(p -> p.type() == PackageType.GOLANG)
            .allMatch(p -> p.locations().equals(List.of("/usr/local/bin/umoci2"))),
        "located at the link, not the replaced target");
    assertTrue(
        inv.packages().stream()
            .filter(p -> p.type() == PackageType.MAVEN)
            .allMatch(p -> p.locations().get(0).startsWith("/opt/lib/kept.jar")),
        "the deleted jar is gone");
    Package ssl =
        inv.packages().stream().filter(p -> p.name().equals("libssl3")).findFirst().orElseThrow();
    assertEquals("3.0.13-1~deb12u1", ssl.version());
    assertEquals("openssl", ssl.sourceName());
    assertTrue(
        ssl.locations().contains("/usr/lib/x86_64-linux-gnu/libssl.so.3"),
        ssl.locations().toString());
    Package ldb =
        inv.packages().stream().filter(p -> p.name().equals("libldb2")).findFirst().orElseThrow();
    assertEquals("samba", ldb.sourceName());
    assertEquals("2:4.17.12+dfsg-0+deb12u1", ldb.sourceVersion());
  }

  @Test
  void deletedDatabaseMeansNoPackagesAndDistrolessIsReadFromFinalPaths() throws Exception {
    byte[] l0 =
        TestTars.tar()
            .file("etc/os-release", OS_RELEASE)
            .file("var/lib/dpkg/status", stanza("bash", "5.2.15-2+b2", "bash (5.2.15-2)"))
            .file(
                "var/lib/dpkg/status.d/tzdata",
                "Package: tzdata\nVersion: 2024a-0+deb12u1\nArchitecture: all\n\n")
            .bytes();
    byte[] l1 = TestTars.tar().file("var/lib/dpkg/.wh.status", "").bytes();
    Inventory inv = Scanner.catalog(TestTars.image(l0, l1));
    assertTrue(inv.os().distroless(), "status.d present and status deleted: the distroless layout");
    assertEquals(List.of("tzdata"), inv.packages().stream().map(Package::name).toList());

    Inventory gone =
        Scanner.catalog(
            TestTars.image(
                TestTars.tar()
                    .file("var/lib/dpkg/status", stanza("bash", "5.2.15-2+b2", null))
                    .bytes(),
                TestTars.tar().dir("var/lib/dpkg").file("var/lib/dpkg/.wh..wh..opq", "").bytes()));
    assertEquals(List.of(), gone.packages(), "an opaque directory hides the lower database");
  }

  @Test
  void databaseFilesOverTheCaptureBudgetBecomeProblems() throws Exception {
    StringBuilder big = new StringBuilder();
    for (int i = 0; i < 2000; i++) big.append(stanza("pkg" + i, "1.0-" + i, null));
    byte[] tar = TestTars.tar().file("var/lib/dpkg/status", big.toString()).bytes();
    Image image = TestTars.image(tar);
    ImagePass pass = new ImagePass(CatalogLimits.defaults(), 1024);
    FileTree tree = FileTree.build(image, FileTree.Options.defaults(), pass);
    Inventory inv = pass.finish(tree);
    assertEquals(List.of(), inv.packages());
    assertFalse(inv.problems().isEmpty());
    assertTrue(inv.problems().get(0).reason().contains("exceed"), inv.problems().toString());

    Inventory ok = Scanner.catalog(image);
    assertEquals(2000, ok.packages().size());
  }

  @Test
  void brokenLayerFailsTheScanWithAClearError() throws Exception {
    byte[] tar = TestTars.tar().file("var/lib/dpkg/status", stanza("bash", "5.2", null)).bytes();
    Digest wrong = Digest.sha256("not this layer");
    Layer l =
        Layers.fromBlobs(
            Descriptor.of(MediaType.OCI_LAYER, wrong, tar.length),
            wrong,
            x -> new ByteArrayInputStream(tar),
            "test");
    IOException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IOException.class, () -> Scanner.catalog(TestTars.imageOf(List.of(l))));
    assertTrue(
        e.getMessage().contains("digest") || e.getMessage().contains("mismatch"), e.getMessage());
  }

  static InputStream stream(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }
}
