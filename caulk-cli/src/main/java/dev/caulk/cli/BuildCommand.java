package dev.caulk.cli;

import dev.caulk.build.BuildConfig;
import dev.caulk.build.BuildRecord;
import dev.caulk.build.BuildSettings;
import dev.caulk.build.Builder;
import dev.caulk.build.GitInfo;
import dev.caulk.build.Project;
import dev.caulk.digest.Digest;
import dev.caulk.image.Artifact;
import dev.caulk.location.ImageLocation;
import dev.caulk.location.Locations;
import dev.caulk.name.Reference;
import dev.caulk.registry.RegistryOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code caulk build}: one image per service, from scratch, reproducible. */
@Command(name = "build", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Build one image per service (every folder under cmd/, or the SERVICEs named) without a Docker daemon.",
        "Each image holds the service binary at /app/service plus what it needs: /etc/passwd and /etc/group with a",
        "non-root user, nsswitch.conf, the CA bundle, zoneinfo, /tmp, and for a dynamic binary its ELF interpreter and",
        "shared libraries. Same inputs give the same digests (SOURCE_DATE_EPOCH sets file times and 'created').",
        "Settings come from caulk.yaml at the project root; every flag overrides the key of the same name.",
        "Prints IMAGE:TAG@DIGEST per service on stdout."},
    footer = {"", "Examples:",
        "  caulk build --all --to oci:out/oci --to docker-archive:out/images.tar",
        "  caulk build stats --push --prefix 127.0.0.1:5000/advent/",
        "  caulk build --all --platform linux/amd64,linux/arm64 --to oci:out/multi"})
final class BuildCommand implements Callable<Integer>, ConsoleAware {
  @Mixin CommonOptions common;
  @Mixin RegistryFlags registry;
  private Console console;

  @Parameters(paramLabel = "SERVICE", arity = "0..*", description = "Services to build (folders under cmd/).")
  List<String> services = new ArrayList<>();

  @Option(names = "--all", description = "Build every service.") boolean all;
  @Option(names = {"-C", "--project"}, paramLabel = "DIR", description = "Project root (default: the current folder).") Path project = Path.of(".");
  @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Settings file (default: PROJECT/caulk.yaml when present).") Path configFile;
  @Option(names = "--to", paramLabel = "LOCATION", converter = LocationConverter.class,
      description = "Write the images here (repeatable): oci:DIR (a tag per service), docker-archive:FILE (all services).")
  List<ImageLocation> to = new ArrayList<>();
  @Option(names = "--push", description = "Push each image to PREFIXSERVICE:TAG.") boolean push;
  @Option(names = "--no-verify", description = "Do not fail when the result runs as root or has a shell, setuid file or package manager.") boolean noVerify;
  @Option(names = "--cache", paramLabel = "DIR", description = "Layer cache (default: $CAULK_CACHE or ~/.cache/caulk).") Path cache;

  @Option(names = "--prefix", paramLabel = "PREFIX", description = "Image name prefix, e.g. registry.example/team/service-.") String prefix;
  @Option(names = "--tag", description = "Image tag (default: git describe --tags --always --dirty, else latest).") String tag;
  @Option(names = "--binary", paramLabel = "PATTERN", description = "Binary path pattern (default build/{service}-linux-{arch}).") String binary;
  @Option(names = "--base", paramLabel = "LOCATION", description = "Base image (default scratch).") String base;
  @Option(names = "--user", paramLabel = "NAME:UID[:GID]", description = "Runtime user (default nonroot:65532:65532).") String user;
  @Option(names = "--workdir", paramLabel = "DIR", description = "Working directory (default /app).") String workdir;
  @Option(names = "--port", paramLabel = "PORT[/PROTO]", description = "Exposed port (repeatable; default 3000).") List<String> ports;
  @Option(names = "--env", paramLabel = "KEY=VALUE", description = "Environment variable (repeatable).") Map<String, String> env;
  @Option(names = "--timezone", paramLabel = "ZONE", description = "TZ and /etc/localtime (default UTC).") String timezone;
  @Option(names = "--zoneinfo", paramLabel = "used|all", description = "Zoneinfo to copy: the zone and UTC, or all (default used).") String zoneinfo;
  @Option(names = "--ca-certificates", paramLabel = "host|none|FILE", description = "CA bundle source (default host).") String ca;
  @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Image label (repeatable).") Map<String, String> labels;
  @Option(names = "--entrypoint", paramLabel = "ARG", split = ",", description = "Entrypoint (default /app/service).") List<String> entrypoint;
  @Option(names = "--cmd", paramLabel = "ARG", split = ",", description = "Cmd arguments.") List<String> cmd;
  @Option(names = "--file", paramLabel = "SRC:DST[:MODE]", description = "Extra file (repeatable).") List<String> files;
  @Option(names = "--allow-host-files", description = "Let files[].source name files outside the project (default: the project only, symlinks followed).")
  boolean allowHostFiles;
  @Option(names = "--strip", description = "Strip debug sections from the binary (needs binutils).") Boolean strip;
  @Option(names = "--static-only", description = "Fail on a dynamically linked binary instead of copying its libraries.") Boolean staticOnly;
  @Option(names = "--platform", paramLabel = "OS/ARCH[,…]", split = ",", description = "Platforms (default linux/amd64); several make an index.") List<String> platforms;
  @Option(names = "--sysroot", paramLabel = "DIR", description = "Where CA bundle, zoneinfo and shared libraries come from (default /).") String sysroot;

  @Override
  public void console(Console c) {
    this.console = c;
  }

  @Override
  public Integer call() throws Exception {
    Path dir = project.toAbsolutePath().normalize();
    BuildConfig fileConfig = Project.loadConfig(dir, configFile);
    BuildConfig config = fileConfig.merge(flags());
    List<String> discovered = Project.discoverServices(dir);
    BuildSettings settings = BuildSettings.resolve(config, dir, discovered, GitInfo.of(dir).orElse(null), System.getenv("SOURCE_DATE_EPOCH"));
    List<String> chosen = chooseServices(settings);
    RegistryOptions src = settings.base() == null ? registry.sourceOptions(console)
        : registry.sourceOptions(console, ImageLocation.parse(settings.base()));
    Builder.Options opts = new Builder.Options(cache != null ? cache : BuildRecord.defaultCache(System.getenv()),
        settings.base() == null ? null : dev.caulk.build.BaseImages.open(settings.base(), settings, src), console, !noVerify, allowHostFiles);
    List<Builder.Result> results = new Builder(settings, opts).build(chosen);
    for (Builder.Result r : results) r.verification().throwIfFailed();
    List<ImageLocation> pushTargets = new ArrayList<>();
    for (Builder.Result r : results) pushTargets.add(new ImageLocation.Registry(reference(r, settings)));
    RegistryOptions dst = registry.destinationOptions(console, pushTargets.toArray(ImageLocation[]::new));
    boolean wroteLayout = false;
    Map<String, Digest> digests = new LinkedHashMap<>();
    for (Builder.Result r : results) digests.put(r.service(), r.artifact().digest());
    for (ImageLocation loc : to) {
      if (loc instanceof ImageLocation.OciLayout l) {
        for (Builder.Result r : results) Locations.write(r.artifact(), new ImageLocation.OciLayout(l.dir(), r.service()), dst);
        wroteLayout = true;
      } else if (loc instanceof ImageLocation.DockerArchive a) {
        Map<Reference, Artifact> all = new LinkedHashMap<>();
        for (Builder.Result r : results) all.put(reference(r, settings), r.artifact());
        Locations.writeArchive(a.file(), all, dst);
      } else {
        throw new UsageException("--to " + loc + ": use --push (with --prefix) to build into a registry");
      }
    }
    Path layout = to.stream().filter(l -> l instanceof ImageLocation.OciLayout).map(l -> ((ImageLocation.OciLayout) l).dir().toAbsolutePath())
        .findFirst().orElse(dir.resolve(BuildRecord.DEFAULT_LAYOUT));
    if (!wroteLayout) {
      for (Builder.Result r : results) Locations.write(r.artifact(), new ImageLocation.OciLayout(layout, r.service()), dst);
    }
    BuildRecord.write(dir, settings, layout, digests);
    for (Builder.Result r : results) {
      Reference ref = reference(r, settings);
      if (push) Locations.write(r.artifact(), new ImageLocation.Registry(ref), dst);
      for (String n : r.notes()) console.status(r.service() + ": " + n);
      console.out().println(ref.name() + ":" + ref.tag() + "@" + digests.get(r.service()));
    }
    return ExitCodes.OK;
  }

  private List<String> chooseServices(BuildSettings settings) {
    if (all && !services.isEmpty()) throw new UsageException("give SERVICE names or --all, not both");
    if (all || services.isEmpty()) {
      if (!all && settings.services().size() > 1) {
        throw new UsageException("several services (" + String.join(", ", settings.services()) + "): name them or use --all");
      }
      return settings.services();
    }
    for (String s : services) {
      if (!settings.services().contains(s)) {
        throw new UsageException("unknown service '" + s + "' (services: " + String.join(", ", settings.services()) + ")");
      }
    }
    return services;
  }

  static Reference reference(Builder.Result r, BuildSettings s) {
    try {
      return Reference.parse(r.imageName() + ":" + s.tag());
    } catch (IllegalArgumentException e) {
      throw new UsageException("image name '" + r.imageName() + ":" + s.tag() + "': " + e.getMessage() + " (check prefix)");
    }
  }

  private BuildConfig flags() {
    List<BuildConfig.FileSpec> fs = null;
    if (files != null) {
      fs = new ArrayList<>();
      for (String f : files) {
        String[] p = f.split(":");
        if (p.length < 2 || p.length > 3) throw new UsageException("--file " + f + ": expected SRC:DST[:MODE]");
        fs.add(new BuildConfig.FileSpec(p[0], p[1], p.length == 3 ? Integer.parseInt(p[2], 8) : 0644, "--file " + p[0]));
      }
    }
    BuildConfig.User u;
    try {
      u = user == null ? null : BuildConfig.User.parse(user);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--user: " + e.getMessage());
    }
    if (zoneinfo != null && !Arrays.asList("used", "all").contains(zoneinfo)) throw new UsageException("--zoneinfo: expected used or all");
    return new BuildConfig(prefix, null, binary, tag, base, u, workdir, ports, env, timezone, zoneinfo, ca, labels, entrypoint, cmd, fs, strip,
        staticOnly, platforms, sysroot, ca == null ? java.util.Map.of() : java.util.Map.of("ca-certificates", "--ca-certificates"));
  }
}
