package dev.caulk.build;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads {@code caulk.yaml}. The YAML is composed into nodes only (no object construction, aliases
 * and size bounded), so a hostile file cannot run code or blow up memory, and every error names the
 * key and its line.
 */
public final class BuildConfigLoader {
  /** The keys caulk.yaml accepts. */
  public static final Set<String> KEYS =
      Set.of(
          "prefix",
          "services",
          "binary",
          "tag",
          "base",
          "user",
          "workdir",
          "ports",
          "env",
          "timezone",
          "zoneinfo",
          "ca-certificates",
          "labels",
          "entrypoint",
          "cmd",
          "files",
          "strip",
          "static-only",
          "platforms",
          "sysroot",
          "java",
          "compression-level");

  /** The keys of the {@code java:} block. */
  public static final Set<String> JAVA_KEYS =
      Set.of("jdk", "modules", "jvm-flags", "main-class", "classpath", "cds");

  private static final long MAX_BYTES = 1024 * 1024;

  private BuildConfigLoader() {}

  /** Loads a file; a missing file is an error (callers check for the optional default file). */
  public static BuildConfig load(Path file) throws IOException {
    if (Files.size(file) > MAX_BYTES) throw new BuildConfigException(file + ": larger than 1 MiB");
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parse(r, file.toString());
    }
  }

  /** Parses YAML text; {@code name} is used in error messages. */
  public static BuildConfig parse(Reader reader, String name) throws BuildConfigException {
    LoaderOptions lo = new LoaderOptions();
    lo.setAllowDuplicateKeys(false);
    lo.setMaxAliasesForCollections(10);
    lo.setCodePointLimit((int) MAX_BYTES);
    lo.setNestingDepthLimit(20);
    Node root;
    try {
      root = new Yaml(lo).compose(reader);
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
      throw new BuildConfigException(name + ":" + line + ": invalid YAML: " + e.getProblem());
    } catch (YAMLException e) {
      throw new BuildConfigException(
          name + ": invalid YAML: " + e.getMessage().replaceAll("\\s+", " "));
    }
    if (root == null) return BuildConfig.EMPTY;
    Ctx c = new Ctx(name);
    MappingNode map = c.mapping(root, "top level");
    BuildConfig.Builder b = BuildConfig.builder();
    Set<String> seen = new java.util.HashSet<>();
    Map<String, String> origins = new LinkedHashMap<>();
    for (NodeTuple t : map.getValue()) {
      String key = c.scalar(t.getKeyNode(), "key");
      if (!seen.add(key)) throw c.error(t.getKeyNode(), "duplicate key '" + key + "'");
      Node v = t.getValueNode();
      switch (key) {
        case "prefix" -> b.prefix(c.scalar(v, key));
        case "services" -> b.services(c.names(v, key));
        case "binary" -> b.binary(c.scalar(v, key));
        case "tag" -> b.tag(c.scalar(v, key));
        case "base" -> b.base(c.scalar(v, key));
        case "user" -> b.user(c.user(v));
        case "workdir" -> b.workdir(c.absolute(v, key));
        case "ports" -> b.ports(c.ports(v));
        case "env" -> b.env(c.stringMap(v, key));
        case "timezone" -> b.timezone(c.timezone(v));
        case "zoneinfo" -> b.zoneinfo(c.oneOf(v, key, "used", "all"));
        case "ca-certificates" -> {
          b.caCertificates(c.scalar(v, key));
          origins.put(key, c.where(v) + ": " + key);
        }
        case "labels" -> b.labels(c.stringMap(v, key));
        case "entrypoint" -> b.entrypoint(c.command(v, key));
        case "cmd" -> b.cmd(c.command(v, key));
        case "files" -> b.files(c.files(v));
        case "strip" -> b.strip(c.bool(v, key));
        case "static-only" -> b.staticOnly(c.bool(v, key));
        case "platforms" -> b.platforms(c.platforms(v));
        case "sysroot" -> b.sysroot(c.scalar(v, key));
        case "java" -> b.java(c.java(v));
        case "compression-level" -> {
          String level = c.scalar(v, key);
          if (!level.matches("[0-9]")) {
            throw c.error(v, key + ": expected a number from 0 to 9, got '" + level + "'");
          }
          b.compressionLevel(Integer.parseInt(level));
        }
        default ->
            throw c.error(
                t.getKeyNode(),
                "unknown key '"
                    + key
                    + "' (known: "
                    + String.join(", ", new java.util.TreeSet<>(KEYS))
                    + ")");
      }
    }
    return b.origins(origins).build();
  }

  /** Node accessors that fail with {@code file:line: key: problem}. */
  private record Ctx(String name) {
    BuildConfigException error(Node n, String message) {
      return new BuildConfigException(where(n) + ": " + message);
    }

    /** {@code file:line} of a node. */
    String where(Node n) {
      return name + ":" + (n.getStartMark().getLine() + 1);
    }

    MappingNode mapping(Node n, String key) throws BuildConfigException {
      if (n instanceof MappingNode m) return m;
      throw error(n, key + ": expected a mapping");
    }

    String scalar(Node n, String key) throws BuildConfigException {
      if (n instanceof ScalarNode s) return s.getValue();
      throw error(n, key + ": expected a single value");
    }

    List<String> list(Node n, String key) throws BuildConfigException {
      if (n instanceof ScalarNode s) return List.of(s.getValue());
      if (!(n instanceof SequenceNode seq)) throw error(n, key + ": expected a list");
      List<String> out = new ArrayList<>();
      for (Node item : seq.getValue()) out.add(scalar(item, key));
      return out;
    }

    List<String> names(Node n, String key) throws BuildConfigException {
      List<String> out = list(n, key);
      for (String s : out) {
        if (!s.matches("[a-z0-9][a-z0-9._-]{0,127}"))
          throw error(
              n, key + ": invalid service name '" + s + "' (lowercase letters, digits, . _ -)");
      }
      return out;
    }

    List<String> command(Node n, String key) throws BuildConfigException {
      List<String> out = list(n, key);
      if (out.isEmpty()) throw error(n, key + ": must not be empty");
      return out;
    }

    String absolute(Node n, String key) throws BuildConfigException {
      String v = scalar(n, key);
      if (!v.startsWith("/") || v.contains("/../") || v.endsWith("/.."))
        throw error(n, key + ": must be an absolute path without '..'");
      return v;
    }

    List<String> ports(Node n) throws BuildConfigException {
      List<String> out = new ArrayList<>();
      for (String p : list(n, "ports")) {
        if (!p.matches("[0-9]{1,5}(/(tcp|udp|sctp))?")
            || Integer.parseInt(p.split("/")[0]) == 0
            || Integer.parseInt(p.split("/")[0]) > 65535) {
          throw error(
              n, "ports: invalid port '" + p + "' (expected PORT or PORT/tcp|udp, 1-65535)");
        }
        out.add(p);
      }
      return out;
    }

    Map<String, String> stringMap(Node n, String key) throws BuildConfigException {
      Map<String, String> out = new LinkedHashMap<>();
      for (NodeTuple t : mapping(n, key).getValue()) {
        String k = scalar(t.getKeyNode(), key);
        if (key.equals("env") && !k.matches("[A-Za-z_][A-Za-z0-9_]*"))
          throw error(t.getKeyNode(), "env: invalid variable name '" + k + "'");
        out.put(k, scalar(t.getValueNode(), key + "." + k));
      }
      return out;
    }

    String timezone(Node n) throws BuildConfigException {
      String v = scalar(n, "timezone");
      if (!v.matches("[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)*") || v.contains(".."))
        throw error(n, "timezone: invalid zone name '" + v + "'");
      return v;
    }

    String oneOf(Node n, String key, String... allowed) throws BuildConfigException {
      String v = scalar(n, key);
      for (String a : allowed) if (a.equals(v)) return v;
      throw error(n, key + ": expected one of " + String.join(", ", allowed) + ", got '" + v + "'");
    }

    Boolean bool(Node n, String key) throws BuildConfigException {
      String v = scalar(n, key);
      if (v.equals("true")) return true;
      if (v.equals("false")) return false;
      throw error(n, key + ": expected true or false, got '" + v + "'");
    }

    List<String> platforms(Node n) throws BuildConfigException {
      List<String> out = list(n, "platforms");
      for (String p : out) {
        if (!p.matches("[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?"))
          throw error(n, "platforms: invalid platform '" + p + "' (expected os/arch[/variant])");
      }
      return out;
    }

    BuildConfig.User user(Node n) throws BuildConfigException {
      try {
        if (n instanceof ScalarNode s) return BuildConfig.User.parse(s.getValue());
        String uname = null;
        Integer uid = null, gid = null;
        for (NodeTuple t : mapping(n, "user").getValue()) {
          String k = scalar(t.getKeyNode(), "user");
          String v = scalar(t.getValueNode(), "user." + k);
          switch (k) {
            case "name" -> uname = v;
            case "uid" -> uid = integer(t.getValueNode(), "user.uid", v);
            case "gid" -> gid = integer(t.getValueNode(), "user.gid", v);
            default ->
                throw error(
                    t.getKeyNode(), "user: unknown key '" + k + "' (known: name, uid, gid)");
          }
        }
        if (uname == null || uid == null) throw error(n, "user: needs name and uid");
        return new BuildConfig.User(uname, uid, gid == null ? uid : gid);
      } catch (IllegalArgumentException e) {
        throw error(n, "user: " + e.getMessage());
      }
    }

    BuildConfig.Java java(Node n) throws BuildConfigException {
      if (n instanceof ScalarNode s && s.getValue().isEmpty()) {
        return BuildConfig.Java.DEFAULTS;
      }
      String jdk = null;
      Map<String, String> jdks = null;
      List<String> modules = null;
      List<String> jvmFlags = null;
      List<String> classpath = null;
      String mainClass = null;
      String cds = null;
      for (NodeTuple t : mapping(n, "java").getValue()) {
        String k = scalar(t.getKeyNode(), "java");
        Node v = t.getValueNode();
        switch (k) {
          case "jdk" -> {
            if (v instanceof MappingNode) {
              jdks = stringMap(v, "java.jdk");
              for (String arch : jdks.keySet()) {
                if (!arch.matches("[a-z0-9_]+")) {
                  throw error(v, "java.jdk: invalid architecture '" + arch + "'");
                }
              }
            } else {
              jdk = scalar(v, "java.jdk");
            }
          }
          case "modules" -> {
            modules = list(v, "java.modules");
            for (String m : modules) {
              if (!m.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*")) {
                throw error(v, "java.modules: invalid module name '" + m + "'");
              }
            }
          }
          case "jvm-flags" -> jvmFlags = list(v, "java.jvm-flags");
          case "main-class" -> {
            mainClass = scalar(v, "java.main-class");
            if (!mainClass.matches("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*")) {
              throw error(v, "java.main-class: invalid class name '" + mainClass + "'");
            }
          }
          case "classpath" -> classpath = list(v, "java.classpath");
          case "cds" ->
              cds = oneOf(v, "java.cds", BuildConfig.Java.CDS_MODES.toArray(new String[0]));
          default ->
              throw error(
                  t.getKeyNode(),
                  "java: unknown key '"
                      + k
                      + "' (known: "
                      + String.join(", ", new java.util.TreeSet<>(JAVA_KEYS))
                      + ")");
        }
      }
      return new BuildConfig.Java(jdk, jdks, modules, jvmFlags, mainClass, classpath, cds);
    }

    int integer(Node n, String key, String v) throws BuildConfigException {
      try {
        return Integer.parseInt(v);
      } catch (NumberFormatException e) {
        throw error(n, key + ": expected a number, got '" + v + "'");
      }
    }

    List<BuildConfig.FileSpec> files(Node n) throws BuildConfigException {
      if (!(n instanceof SequenceNode seq))
        throw error(n, "files: expected a list of {source, destination, mode}");
      List<BuildConfig.FileSpec> out = new ArrayList<>();
      for (Node item : seq.getValue()) {
        String src = null, dst = null, srcWhere = null;
        int mode = 0644;
        for (NodeTuple t : mapping(item, "files").getValue()) {
          String k = scalar(t.getKeyNode(), "files");
          switch (k) {
            case "source" -> {
              src = scalar(t.getValueNode(), "files.source");
              srcWhere = where(t.getValueNode()) + ": files.source";
            }
            case "destination" -> dst = absolute(t.getValueNode(), "files.destination");
            case "mode" -> {
              String m = scalar(t.getValueNode(), "files.mode");
              if (!m.matches("0?[0-7]{3,4}"))
                throw error(
                    t.getValueNode(), "files.mode: expected octal like 0644, got '" + m + "'");
              mode = Integer.parseInt(m, 8);
            }
            default ->
                throw error(
                    t.getKeyNode(),
                    "files: unknown key '" + k + "' (known: source, destination, mode)");
          }
        }
        if (src == null || dst == null)
          throw error(item, "files: each entry needs source and destination");
        out.add(new BuildConfig.FileSpec(src, dst, mode, srcWhere));
      }
      return out;
    }
  }
}
