package dev.caulk.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The files {@code caulk init} writes: a commented {@code caulk.yaml} (from what the project holds
 * and, when given, what a Dockerfile said) and {@code caulk.mk}, a Makefile snippet with the usual
 * {@code docker}, {@code docker.%}, {@code push} and {@code push.%} targets calling caulk.
 */
public final class ConfigTemplate {
  /** The Makefile snippet's name. */
  public static final String MAKE_SNIPPET = "caulk.mk";

  private ConfigTemplate() {}

  /**
   * The binary naming found under {@code build/} or {@code bin/} for the first service that has a
   * file there ({@code build/stats-linux-amd64} gives {@code build/{service}-linux-{arch}}), or
   * null.
   */
  public static String discoverBinaryPattern(Path projectDir, List<String> services)
      throws IOException {
    for (String folder : List.of("build", "bin", "dist", "out")) {
      Path dir = projectDir.resolve(folder);
      if (!Files.isDirectory(dir)) continue;
      List<String> names;
      try (Stream<Path> s = Files.list(dir)) {
        names =
            s.filter(Files::isRegularFile)
                .map(p -> p.getFileName().toString())
                .sorted()
                .limit(10_000)
                .toList();
      }
      for (String service : services) {
        for (String n : names) {
          if (!n.startsWith(service)) continue;
          String rest = n.substring(service.length());
          if (!rest.isEmpty() && Character.isLetterOrDigit(rest.charAt(0)))
            continue; // "stats2" is not "stats"
          String arch =
              rest.replace("amd64", "{arch}")
                  .replace("arm64", "{arch}")
                  .replace("x86_64", "{arch}");
          return folder + "/{service}" + arch;
        }
      }
    }
    return null;
  }

  /**
   * caulk.yaml for {@code services}; {@code binary} is the discovered pattern (or null), {@code
   * from} the Dockerfile's mapping (or null) and {@code dockerfile} its name as the user gave it.
   */
  public static String caulkYaml(
      List<String> services, String binary, DockerfileImport.Result from, String dockerfile) {
    StringBuilder y = new StringBuilder();
    y.append(
        "# caulk build settings (written by caulk init; every key is optional, flags of caulk build override them).\n");
    y.append("# Each folder under cmd/ is one service and one image, named PREFIX + service.\n");
    y.append("# Services found: ")
        .append(services.isEmpty() ? "none yet (add cmd/<service>/)" : String.join(", ", services))
        .append('\n');
    if (from != null)
      y.append("# Mapped from ")
          .append(dockerfile)
          .append(": see the comments for the line each key came from.\n");
    y.append('\n');
    y.append(
        "# Image name prefix, e.g. registry.example.com/team/ (push with caulk build --push).\n");
    y.append("# prefix: registry.example.com/team/\n");
    String bin = from != null && from.binary() != null ? from.binary() : binary;
    y.append("\n# Where each service's binary is; {service} and {arch} are filled in.")
        .append(source(from, "binary", dockerfile))
        .append('\n');
    if (bin == null || bin.equals("build/{service}-linux-{arch}"))
      y.append("# binary: build/{service}-linux-{arch}\n");
    else y.append("binary: ").append(scalar(bin)).append('\n');

    y.append("\n# The user the service runs as (never root).")
        .append(source(from, "user", dockerfile))
        .append('\n');
    BuildConfig.User u = from == null ? null : from.user();
    if (u == null) {
      y.append("# user:\n#   name: nonroot\n#   uid: 65532\n#   gid: 65532\n");
    } else {
      y.append("user:\n  name: ")
          .append(scalar(u.name()))
          .append("\n  uid: ")
          .append(u.uid())
          .append("\n  gid: ")
          .append(u.gid())
          .append('\n');
    }
    String workdir = from == null ? null : from.workdir();
    y.append("\n# Working directory.").append(source(from, "workdir", dockerfile)).append('\n');
    y.append(workdir == null ? "# workdir: /app\n" : "workdir: " + scalar(workdir) + "\n");

    List<String> ports = from == null ? List.of() : from.ports();
    y.append("\n# Exposed ports (unprivileged: above 1023).")
        .append(source(from, "ports", dockerfile))
        .append('\n');
    y.append(ports.isEmpty() ? "# ports: [3000]\n" : "ports: " + ports(ports) + "\n");

    Map<String, String> env = from == null ? Map.of() : from.env();
    y.append("\n# Environment variables.").append(source(from, "env", dockerfile)).append('\n');
    if (env.isEmpty()) {
      y.append("# env:\n#   LOG_LEVEL: info\n");
    } else {
      y.append("env:\n");
      env.forEach(
          (k, v) -> y.append("  ").append(scalar(k)).append(": ").append(scalar(v)).append('\n'));
    }
    String tz = from == null ? null : from.timezone();
    y.append("\n# TZ and /etc/localtime; the zone's zoneinfo is copied from the host.")
        .append(source(from, "timezone", dockerfile))
        .append('\n');
    y.append(tz == null ? "# timezone: UTC\n" : "timezone: " + scalar(tz) + "\n");
    y.append("\n# CA bundle: host (the build machine's), none, or a PEM file.");
    if (from != null && from.caCertificates())
      y.append(" The Dockerfile installed ca-certificates.");
    y.append('\n');
    y.append("# ca-certificates: host\n");

    Map<String, String> labels = from == null ? Map.of() : from.labels();
    y.append("\n# Image labels (title, revision, source and created are set by caulk).")
        .append(source(from, "labels", dockerfile))
        .append('\n');
    if (labels.isEmpty()) {
      y.append("# labels:\n#   org.opencontainers.image.vendor: example\n");
    } else {
      y.append("labels:\n");
      labels.forEach(
          (k, v) -> y.append("  ").append(scalar(k)).append(": ").append(scalar(v)).append('\n'));
    }
    List<String> entrypoint = from == null ? List.of() : from.entrypoint();
    y.append("\n# Entrypoint (default: the binary, /app/service) and cmd.")
        .append(source(from, "entrypoint", dockerfile))
        .append('\n');
    y.append(
        entrypoint.isEmpty()
            ? "# entrypoint: [/app/service]\n"
            : "entrypoint: " + flow(entrypoint) + "\n");
    List<String> cmd = from == null ? List.of() : from.cmd();
    y.append(
        cmd.isEmpty()
            ? "# cmd: []\n"
            : "cmd: " + flow(cmd) + source(from, "cmd", dockerfile) + "\n");
    y.append(
        "\n# Platforms: one binary per architecture, several make an index.\n# platforms: [linux/amd64]\n");
    return y.toString();
  }

  /** The Makefile snippet: include it from the project's Makefile ({@code include caulk.mk}). */
  public static String makeSnippet() {
    return String.join(
        "\n",
        "# caulk targets (written by caulk init): include this file from your Makefile with `include caulk.mk`.",
        "#   make docker        every service's image into an OCI layout and a docker-archive",
        "#   make docker.NAME   one service's image",
        "#   make push          every image to $(CAULK_PREFIX)SERVICE:TAG",
        "#   make push.NAME     one",
        "# Build the binaries first (build/<service>-linux-amd64); caulk needs no Docker daemon.",
        "CAULK        ?= caulk",
        "CAULK_OUT    ?= out",
        "CAULK_PREFIX ?= registry.example.com/team/",
        "",
        ".PHONY: docker push",
        "",
        "docker:",
        "\t$(CAULK) build --all --to oci:$(CAULK_OUT)/oci --to docker-archive:$(CAULK_OUT)/images.tar",
        "",
        "docker.%:",
        "\t$(CAULK) build $* --to oci:$(CAULK_OUT)/oci",
        "",
        "push:",
        "\t$(CAULK) build --all --push --prefix $(CAULK_PREFIX)",
        "",
        "push.%:",
        "\t$(CAULK) build $* --push --prefix $(CAULK_PREFIX)",
        "");
  }

  private static String source(DockerfileImport.Result from, String key, String dockerfile) {
    if (from == null || !from.sources().containsKey(key)) return "";
    return " (" + dockerfile + " line " + from.sources().get(key) + ")";
  }

  private static String ports(List<String> ports) {
    List<String> q = new ArrayList<>();
    for (String p : ports) q.add(p.matches("[0-9]{1,5}(/(tcp|udp|sctp))?") ? p : scalar(p));
    return "[" + String.join(", ", q) + "]";
  }

  private static String flow(List<String> items) {
    List<String> q = new ArrayList<>();
    for (String s : items) q.add(scalar(s));
    return "[" + String.join(", ", q) + "]";
  }

  /** A YAML scalar: plain when it is only safe characters, else double-quoted with escapes. */
  static String scalar(String s) {
    boolean plain =
        !s.isEmpty()
            && s.chars().allMatch(c -> Character.isLetterOrDigit(c) || "_./-{}".indexOf(c) >= 0)
            && s.charAt(0) != '{'
            && s.charAt(0) != '-'
            && !List.of("true", "false", "yes", "no", "on", "off", "null", "~")
                .contains(s.toLowerCase(Locale.ROOT))
            && !looksNumeric(s);
    if (plain) return s;
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) b.append(String.format("\\x%02x", (int) c));
          else b.append(c);
        }
      }
    }
    return b.append('"').toString();
  }

  private static boolean looksNumeric(String s) {
    return s.chars().allMatch(c -> Character.isDigit(c) || c == '.' || c == '_');
  }
}
