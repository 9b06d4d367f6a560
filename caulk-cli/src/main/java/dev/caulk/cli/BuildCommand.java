package dev.caulk.cli;

import dev.caulk.build.BuildConfig;
import dev.caulk.location.ImageLocation;
import dev.caulk.verbs.Build;
import dev.caulk.verbs.BuildAttachments;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code caulk build}: one image per service, from scratch, reproducible. */
@Command(
    name = "build",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Build one image per service (every folder under cmd/, or the SERVICEs named) without a Docker daemon.",
      "Each image holds the service binary at /app/service plus what it needs: /etc/passwd and /etc/group with a",
      "non-root user, nsswitch.conf, the CA bundle, zoneinfo, /tmp, and for a dynamic binary its ELF interpreter and",
      "shared libraries. Same inputs give the same digests (SOURCE_DATE_EPOCH sets file times and 'created').",
      "Settings come from caulk.yaml at the project root; every flag overrides the key of the same name.",
      "Prints IMAGE:TAG@DIGEST per service on stdout."
    },
    footer = {
      "",
      "Examples:",
      "  caulk build --all --to oci:out/oci --to docker-archive:out/images.tar",
      "  caulk build stats --push --prefix 127.0.0.1:5000/advent/",
      "  caulk build --all --platform linux/amd64,linux/arm64 --to oci:out/multi",
      "  CAULK_PASSWORD=… caulk build --all --push --prefix reg.example/team/ --sbom --provenance --sign"
          + " --key cosign.key",
      "",
      "--sbom, --provenance and --sign store signatures and attestations beside each image, never in it",
      "(the digest is the same without them): as sha256-<hex>.sig/.att and OCI 1.1 referrers with --push,",
      "as sha256-<hex>.sig/.att tags in each --to oci:DIR. Attestations are DSSE envelopes signed with --key,",
      "as cosign's are, so each of the three needs --key. The key's password comes from CAULK_PASSWORD or",
      "COSIGN_PASSWORD, else it is asked on the terminal. What was attached is listed on a terminal."
    })
final class BuildCommand implements Callable<Integer>, ConsoleAware {
  @Mixin CommonOptions common;
  @Mixin RegistryFlags registry;
  private Console console;

  @Parameters(
      paramLabel = "SERVICE",
      arity = "0..*",
      description = "Services to build (folders under cmd/).")
  List<String> services = new ArrayList<>();

  @Option(names = "--all", description = "Build every service.")
  boolean all;

  @Option(
      names = {"-C", "--project"},
      paramLabel = "DIR",
      description = "Project root (default: the current folder).")
  Path project = Path.of(".");

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "Settings file (default: PROJECT/caulk.yaml when present).")
  Path configFile;

  @Option(
      names = "--to",
      paramLabel = "LOCATION",
      converter = LocationConverter.class,
      description =
          "Write the images here (repeatable): oci:DIR (a tag per service), docker-archive:FILE (all services).")
  List<ImageLocation> to = new ArrayList<>();

  @Option(names = "--push", description = "Push each image to PREFIXSERVICE:TAG.")
  boolean push;

  @Option(
      names = "--no-verify",
      description =
          "Do not fail when the result runs as root or has a shell, setuid file or package manager.")
  boolean noVerify;

  @Option(
      names = "--cache",
      paramLabel = "DIR",
      description = "Layer cache (default: $CAULK_CACHE or ~/.cache/caulk).")
  Path cache;

  @Option(
      names = "--prefix",
      paramLabel = "PREFIX",
      description = "Image name prefix, e.g. registry.example/team/service-.")
  String prefix;

  @Option(
      names = "--tag",
      description = "Image tag (default: git describe --tags --always --dirty, else latest).")
  String tag;

  @Option(
      names = "--binary",
      paramLabel = "PATTERN",
      description = "Binary path pattern (default build/{service}-linux-{arch}).")
  String binary;

  @Option(names = "--base", paramLabel = "LOCATION", description = "Base image (default scratch).")
  String base;

  @Option(
      names = "--user",
      paramLabel = "NAME:UID[:GID]",
      description = "Runtime user (default nonroot:65532:65532).")
  String user;

  @Option(
      names = "--workdir",
      paramLabel = "DIR",
      description = "Working directory (default /app).")
  String workdir;

  @Option(
      names = "--port",
      paramLabel = "PORT[/PROTO]",
      description = "Exposed port (repeatable; default 3000).")
  List<String> ports;

  @Option(
      names = "--env",
      paramLabel = "KEY=VALUE",
      description = "Environment variable (repeatable).")
  Map<String, String> env;

  @Option(
      names = "--timezone",
      paramLabel = "ZONE",
      description = "TZ and /etc/localtime (default UTC).")
  String timezone;

  @Option(
      names = "--zoneinfo",
      paramLabel = "used|all",
      description = "Zoneinfo to copy: the zone and UTC, or all (default used).")
  String zoneinfo;

  @Option(
      names = "--ca-certificates",
      paramLabel = "host|none|FILE",
      description = "CA bundle source (default host).")
  String ca;

  @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Image label (repeatable).")
  Map<String, String> labels;

  @Option(
      names = "--entrypoint",
      paramLabel = "ARG",
      split = ",",
      description = "Entrypoint (default /app/service).")
  List<String> entrypoint;

  @Option(names = "--cmd", paramLabel = "ARG", split = ",", description = "Cmd arguments.")
  List<String> cmd;

  @Option(names = "--file", paramLabel = "SRC:DST[:MODE]", description = "Extra file (repeatable).")
  List<String> files;

  @Option(
      names = "--allow-host-files",
      description =
          "Let files[].source name files outside the project (default: the project only, symlinks followed).")
  boolean allowHostFiles;

  @Option(names = "--strip", description = "Strip debug sections from the binary (needs binutils).")
  Boolean strip;

  @Option(
      names = "--static-only",
      description = "Fail on a dynamically linked binary instead of copying its libraries.")
  Boolean staticOnly;

  @Option(
      names = "--platform",
      paramLabel = "OS/ARCH[,…]",
      split = ",",
      description = "Platforms (default linux/amd64); several make an index.")
  List<String> platforms;

  @Option(
      names = "--sbom",
      description =
          "Attach each image's CycloneDX SBOM (what 'caulk sbom' prints) as a signed attestation; needs --key.")
  boolean sbom;

  @Option(
      names = "--provenance",
      description =
          "Attach SLSA v1 provenance (settings, flags, git revision, inputs by digest) as a signed"
              + " attestation; needs --key.")
  boolean provenance;

  @Option(
      names = "--sign",
      description =
          "Sign each image (and each platform image of an index), as caulk sign; needs --key.")
  boolean sign;

  @Option(
      names = "--key",
      paramLabel = "KEY",
      description = "The private key of --sign, --sbom and --provenance (cosign.key).")
  Path key;

  @Option(
      names = {"--password", "--key-password"},
      hidden = true,
      paramLabel = "PASSWORD")
  String passwordOnCommandLine;

  @Option(
      names = "--sysroot",
      paramLabel = "DIR",
      description = "Where CA bundle, zoneinfo and shared libraries come from (default /).")
  String sysroot;

  @Override
  public void console(Console c) {
    this.console = c;
  }

  @Override
  public Integer call() throws Exception {
    if (passwordOnCommandLine != null) {
      throw new UsageException(Passwords.ON_COMMAND_LINE);
    }
    Build.OptionsBuilder b =
        Build.options()
            .projectDir(project)
            .configFile(configFile)
            .overrides(flags())
            .services(services)
            .all(all)
            .to(to)
            .push(push)
            .verify(!noVerify)
            .cache(cache)
            .allowHostFiles(allowHostFiles)
            .attachments(attachments(null));
    b.build(); // usage mistakes are reported before the password is asked for
    char[] password = key == null ? new char[0] : Passwords.read(key.toString(), false);
    try {
      Build.Result r =
          Build.run(b.attachments(attachments(password)).build(), registry.session(console));
      for (Build.Built built : r.images()) {
        for (String n : built.notes()) {
          console.status(built.service() + ": " + n);
        }
        console.out().println(built.pinned());
      }
      for (BuildAttachments.Attached a : r.attached()) {
        console.status(
            a.service()
                + ": "
                + a.kind()
                + " of "
                + a.subject().shortString()
                + " in "
                + a.where()
                + (a.referrer() != null ? " (referrer " + a.referrer().shortString() + ")" : ""));
      }
    } finally {
      Arrays.fill(password, '\0');
    }
    return ExitCodes.OK;
  }

  private BuildAttachments.Request attachments(char[] password) {
    return new BuildAttachments.Request(
        sbom, provenance, sign, key, password, VersionProvider.version());
  }

  /** The settings given as flags, which win over caulk.yaml's. */
  private BuildConfig flags() {
    if (zoneinfo != null && !Arrays.asList("used", "all").contains(zoneinfo)) {
      throw new UsageException("--zoneinfo: expected used or all");
    }
    return BuildConfig.builder()
        .prefix(prefix)
        .binary(binary)
        .tag(tag)
        .base(base)
        .user(user())
        .workdir(workdir)
        .ports(ports)
        .env(env)
        .timezone(timezone)
        .zoneinfo(zoneinfo)
        .caCertificates(ca)
        .labels(labels)
        .entrypoint(entrypoint)
        .cmd(cmd)
        .files(files())
        .strip(strip)
        .staticOnly(staticOnly)
        .platforms(platforms)
        .sysroot(sysroot)
        .origins(ca == null ? Map.of() : Map.of("ca-certificates", "--ca-certificates"))
        .build();
  }

  private BuildConfig.User user() {
    try {
      return user == null ? null : BuildConfig.User.parse(user);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--user: " + e.getMessage());
    }
  }

  private List<BuildConfig.FileSpec> files() {
    if (files == null) {
      return null;
    }
    List<BuildConfig.FileSpec> out = new ArrayList<>();
    for (String f : files) {
      String[] p = f.split(":");
      if (p.length < 2 || p.length > 3) {
        throw new UsageException("--file " + f + ": expected SRC:DST[:MODE]");
      }
      out.add(
          new BuildConfig.FileSpec(
              p[0], p[1], p.length == 3 ? Integer.parseInt(p[2], 8) : 0644, "--file " + p[0]));
    }
    return out;
  }
}
