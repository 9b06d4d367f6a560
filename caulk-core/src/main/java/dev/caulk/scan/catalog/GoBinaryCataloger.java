package dev.caulk.scan.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Go modules from the build information of ELF executables: the main module (version {@code
 * (devel)} kept as is: that is what {@code go build} records), every dependency with its {@code =>}
 * replacement applied, and {@code stdlib} at the toolchain version, which OSV's Go database names
 * like a module. Files without the ELF magic are dropped after 16 bytes; ELF files without build
 * info are simply not Go.
 */
final class GoBinaryCataloger extends BaseCataloger {
  static final String ID = "go-binary";

  /**
   * Build settings copied into the main module's properties; the rest (e.g. long -ldflags) are not.
   */
  private static final Set<String> SETTINGS =
      Set.of(
          "-buildmode",
          "-compiler",
          "-tags",
          "-trimpath",
          "CGO_ENABLED",
          "GOARCH",
          "GOOS",
          "GOAMD64",
          "GOARM",
          "vcs",
          "vcs.revision",
          "vcs.time",
          "vcs.modified");

  private final List<Package> found = new ArrayList<>();

  GoBinaryCataloger(CatalogLimits limits) {
    super(limits);
  }

  @Override
  public String name() {
    return ID;
  }

  @Override
  public boolean wants(String path, long size, boolean executable) {
    return executable
        && size >= 64
        && size <= limits.maxBinaryBytes()
        && !JavaArchiveCataloger.isArchiveName(path);
  }

  @Override
  void read(String path, InputStream in, long size) throws IOException {
    byte[] head = in.readNBytes(16);
    if (!ElfSegments.isElf(head)) return;
    ElfSegments elf = ElfSegments.read(head, in, size, limits.maxElfRetainedBytes());
    GoBuildInfo info = GoBuildInfo.find(elf);
    if (info == null) {
      if (elf.writableOverBudget()) {
        throw new CatalogException(
            "writable segments over the "
                + limits.maxElfRetainedBytes()
                + "-byte bound were not searched for Go build info");
      }
      return;
    }
    found.addAll(packages(path, info));
  }

  /** The packages one binary's build info describes. */
  static List<Package> packages(String path, GoBuildInfo info) {
    GoModInfo mod = GoModInfo.parse(info.modInfo());
    String arch = mod.settings().get("GOARCH");
    List<Package> out = new ArrayList<>();
    if (mod.main() != null) {
      Map<String, String> props = new LinkedHashMap<>();
      props.put("go.toolchain", info.goVersion());
      if (mod.path() != null) props.put("go.mainPackage", mod.path());
      mod.settings()
          .forEach(
              (k, v) -> {
                if (SETTINGS.contains(k)) props.put("go.build." + k, v);
              });
      out.add(module(path, mod.main(), arch).mainModule(true).properties(props).build());
    }
    for (GoModInfo.Module dep : mod.deps()) out.add(module(path, dep, arch).build());
    String std = GoBuildInfo.stdlibVersion(info.goVersion());
    if (std != null) {
      out.add(
          Package.builder(PackageType.GOLANG, "stdlib", std)
              .purl(Purl.of("golang", null, "stdlib", std))
              .arch(arch)
              .cataloger(ID)
              .location(path)
              .property("go.toolchain", info.goVersion())
              .build());
    }
    return out;
  }

  /**
   * A module after its replacement: a module replacement reports the replacement's path and version
   * (the code actually built); a local-directory replacement ({@code ./x}, {@code ../x}, {@code
   * /x}) has no module identity of its own, so the original path is kept with the replacement's
   * version (usually {@code (devel)}).
   */
  private static Package.Builder module(String binary, GoModInfo.Module m, String arch) {
    String name = m.path();
    String version = m.version();
    GoModInfo.Module r = m.replace();
    String replaced = null;
    String replacedBy = null;
    if (r != null) {
      if (isLocalPath(r.path())) {
        version = r.version().isEmpty() ? "(devel)" : r.version();
        replacedBy = r.path();
      } else {
        replaced = m.path() + (m.version().isEmpty() ? "" : "@" + m.version());
        name = r.path();
        version = r.version();
      }
    }
    return Package.builder(PackageType.GOLANG, name, version)
        .purl(purl(name, version))
        .arch(arch)
        .cataloger(ID)
        .location(binary)
        .property("go.replaces", replaced)
        .property("go.replacedByDirectory", replacedBy);
  }

  static boolean isLocalPath(String p) {
    return p.startsWith("./")
        || p.startsWith("../")
        || p.startsWith("/")
        || p.equals(".")
        || p.equals("..")
        || (p.length() > 2 && p.charAt(1) == ':' && (p.charAt(2) == '\\' || p.charAt(2) == '/'));
  }

  /** {@code pkg:golang/<path up to the last slash>/<last element>@<version>}. */
  static Purl purl(String modulePath, String version) {
    int slash = modulePath.lastIndexOf('/');
    String ns = slash > 0 ? modulePath.substring(0, slash) : null;
    String name = slash >= 0 ? modulePath.substring(slash + 1) : modulePath;
    if (name.isEmpty()) name = modulePath;
    return Purl.of("golang", ns, name, version);
  }

  @Override
  public List<Package> packages(OsRelease os) {
    List<Package> out = new ArrayList<>(new java.util.LinkedHashSet<>(found));
    out.sort(Package.ORDER);
    return out;
  }
}
