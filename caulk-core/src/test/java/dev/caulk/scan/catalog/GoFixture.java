package dev.caulk.scan.catalog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A module in a {@code file://} GOPROXY directory (the GOPROXY protocol: {@code <module>/@v/list},
 * {@code <version>.info}, {@code .mod}, {@code .zip} with entries under {@code
 * <module>@<version>/}), so a test can build a real Go binary with real dependencies without any
 * network.
 */
final class GoFixture {
  private GoFixture() {}

  static void writeProxyModule(
      Path proxy, String module, String version, String declaredPath, Map<String, String> files)
      throws IOException {
    Path dir = Files.createDirectories(proxy.resolve(module).resolve("@v"));
    String goMod = "module " + declaredPath + "\n\ngo 1.19\n";
    Files.writeString(dir.resolve("list"), version + "\n");
    Files.writeString(
        dir.resolve(version + ".info"),
        "{\"Version\":\"" + version + "\",\"Time\":\"2024-01-02T03:04:05Z\"}\n");
    Files.writeString(dir.resolve(version + ".mod"), goMod);
    Map<String, byte[]> entries = new LinkedHashMap<>();
    String prefix = module + "@" + version + "/";
    entries.put(prefix + "go.mod", goMod.getBytes(StandardCharsets.UTF_8));
    files.forEach(
        (name, text) -> entries.put(prefix + name, text.getBytes(StandardCharsets.UTF_8)));
    Files.write(dir.resolve(version + ".zip"), CatalogTesting.zip(entries, false));
  }
}
