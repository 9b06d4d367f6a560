package dev.caulk.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppJarTest {
  @TempDir Path dir;

  private Path jar(String name, Map<String, String> attrs, Map<String, String> entries)
      throws IOException {
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    attrs.forEach((k, v) -> m.getMainAttributes().put(new Attributes.Name(k), v));
    Path p = dir.resolve(name);
    try (OutputStream o = Files.newOutputStream(p);
        JarOutputStream j = new JarOutputStream(o, m)) {
      for (Map.Entry<String, String> e : entries.entrySet()) {
        j.putNextEntry(new ZipEntry(e.getKey()));
        j.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        j.closeEntry();
      }
    }
    return p;
  }

  private static Map<String, String> map(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void plainRunnableJar() throws IOException {
    Path p =
        jar(
            "app.jar",
            map("Main-Class", "com.example.Main"),
            map(
                "com/example/Main.class",
                "x",
                "app.properties",
                "a=1",
                "META-INF/INDEX.LIST",
                "i"));
    assertTrue(AppJar.isJar(p));
    AppJar j = AppJar.open(p);
    assertEquals(AppJar.Kind.PLAIN, j.kind());
    assertEquals(Optional.of("com.example.Main"), j.mainClass());
    assertTrue(j.explodable());
    assertFalse(j.signed());
    AppJar.Contents c = j.explode();
    assertEquals(List.of("com/example/Main.class"), List.copyOf(c.classes().keySet()));
    assertEquals(List.of("app.properties"), List.copyOf(c.resources().keySet()));
    assertTrue(c.libs().isEmpty());
  }

  @Test
  void springBootLayout() throws IOException {
    Path p =
        jar(
            "boot.jar",
            map(
                "Main-Class",
                "org.springframework.boot.loader.JarLauncher",
                "Start-Class",
                "x.App"),
            map(
                "org/springframework/boot/loader/JarLauncher.class", "loader",
                "BOOT-INF/classes/x/App.class", "app",
                "BOOT-INF/classes/application.yml", "y: 1",
                "BOOT-INF/lib/dep-1.0.jar", "PK",
                "BOOT-INF/classpath.idx", "idx"));
    AppJar j = AppJar.open(p);
    assertEquals(AppJar.Kind.SPRING_BOOT, j.kind());
    assertEquals(Optional.of("x.App"), j.mainClass());
    AppJar.Contents c = j.explode();
    assertEquals(List.of("x/App.class"), List.copyOf(c.classes().keySet()));
    assertEquals(List.of("application.yml"), List.copyOf(c.resources().keySet()));
    assertEquals(List.of("dep-1.0.jar"), List.copyOf(c.libs().keySet()));
  }

  @Test
  void jarWithDependencyFolderOnItsClassPath() throws IOException {
    Files.createDirectories(dir.resolve("lib"));
    Path p =
        jar(
            "svc.jar",
            map("Main-Class", "a.B", "Class-Path", "lib/one-1.0.jar  lib/two-2.0-SNAPSHOT.jar"),
            map("a/B.class", "b"));
    assertEquals(
        List.of("lib/one-1.0.jar", "lib/two-2.0-SNAPSHOT.jar"), AppJar.open(p).manifestClassPath());
  }

  @Test
  void noMainClassIsEmptyAndMultiReleaseOrSignedIsKeptWhole() throws IOException {
    assertEquals(
        Optional.empty(), AppJar.open(jar("lib.jar", map(), map("a/A.class", "a"))).mainClass());
    AppJar mr = AppJar.open(jar("mr.jar", map("Multi-Release", "true"), map("a/A.class", "a")));
    assertTrue(mr.multiRelease());
    assertFalse(mr.explodable());
    AppJar signed =
        AppJar.open(jar("s.jar", map(), map("META-INF/SIGNER.SF", "s", "a/A.class", "a")));
    assertTrue(signed.signed());
    assertFalse(signed.explodable());
  }

  @Test
  void notAJarAndEscapingNames() throws IOException {
    Path zip = dir.resolve("plain.zip");
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
      z.putNextEntry(new ZipEntry("a.txt"));
      z.closeEntry();
    }
    assertFalse(AppJar.isJar(zip));
    JvmException e = assertThrows(JvmException.class, () -> AppJar.open(zip));
    assertTrue(e.getMessage().contains("has no META-INF/MANIFEST.MF"), e.getMessage());
    Path text = Files.writeString(dir.resolve("x.jar"), "hello");
    assertFalse(AppJar.isJar(text));
    assertThrows(JvmException.class, () -> AppJar.open(text));
    Path evil = jar("evil.jar", map("Main-Class", "a.B"), map("../../etc/passwd", "root"));
    JvmException e2 = assertThrows(JvmException.class, () -> AppJar.open(evil).explode());
    assertTrue(e2.getMessage().contains("leaves its folder"), e2.getMessage());
    assertFalse(e2.getMessage().contains("\n"));
  }
}
