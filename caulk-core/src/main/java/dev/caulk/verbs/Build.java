package dev.caulk.verbs;

import dev.caulk.build.BaseImage;
import dev.caulk.build.BaseImages;
import dev.caulk.build.BuildConfig;
import dev.caulk.build.BuildRecord;
import dev.caulk.build.BuildSettings;
import dev.caulk.build.Builder;
import dev.caulk.build.GitInfo;
import dev.caulk.build.Project;
import dev.caulk.digest.Digest;
import dev.caulk.location.ImageLocation;
import dev.caulk.name.Reference;
import dev.caulk.registry.RegistryOptions;
import dev.caulk.sign.Signer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds one image per service of a project ({@code caulk build}): loads {@code caulk.yaml} (or the
 * given file) under the caller's overrides, finds the services under {@code cmd/}, builds the ones
 * asked for, verifies them, writes them to every {@code to} location and to the project's OCI
 * layout, records the build ({@link BuildRecord}, which {@link Push} reads) and pushes when asked.
 */
public final class Build {
  private Build() {}

  /**
   * What to build.
   *
   * @param projectDir the project root
   * @param configFile the settings file, or null for {@code PROJECT/caulk.yaml} when present
   * @param overrides settings that win over the file's (the CLI's flags)
   * @param services the services to build; empty with {@code all} false means the only one
   * @param all build every service
   * @param to where to write the images besides the project layout: layouts (a tag per service) and
   *     archives (every service); the first layout is the one recorded
   * @param push push each image to {@code PREFIXSERVICE:TAG}
   * @param verify fail when a result runs as root or has a shell, setuid file or package manager
   * @param cache the layer cache, or null for {@code $CAULK_CACHE} or {@code ~/.cache/caulk}
   * @param allowHostFiles let {@code files[].source} name files outside the project
   * @param environment where {@code SOURCE_DATE_EPOCH}, {@code JAVA_HOME} and the cache's variables
   *     are read
   * @param attachments what to attach beside each image (SBOM, provenance, signatures)
   */
  public record Options(
      Path projectDir,
      Path configFile,
      BuildConfig overrides,
      List<String> services,
      boolean all,
      List<ImageLocation> to,
      boolean push,
      boolean verify,
      Path cache,
      boolean allowHostFiles,
      Map<String, String> environment,
      BuildAttachments.Request attachments) {
    public Options {
      services = List.copyOf(services);
      to = List.copyOf(to);
      environment = Map.copyOf(environment);
      attachments = attachments == null ? BuildAttachments.Request.NONE : attachments;
    }
  }

  /**
   * One service built.
   *
   * @param reference its name and tag ({@code PREFIXSERVICE:TAG})
   * @param digest its manifest's digest (the index's, for several platforms)
   * @param notes what the build noticed (a static binary, libraries copied), one line each
   */
  public record Built(String service, Reference reference, Digest digest, List<String> notes) {
    public Built {
      notes = List.copyOf(notes);
    }

    /** {@code NAME:TAG@DIGEST}, as the CLI prints it. */
    public String pinned() {
      return reference.name() + ":" + reference.tag() + "@" + digest;
    }
  }

  /**
   * What the build did.
   *
   * @param images the services in the order asked for
   * @param layout the OCI layout the build record points to
   * @param attached the signatures and attestations stored beside the images
   */
  public record Result(List<Built> images, Path layout, List<BuildAttachments.Attached> attached) {
    public Result {
      images = List.copyOf(images);
      attached = List.copyOf(attached);
    }

    public Result(List<Built> images, Path layout) {
      this(images, layout, List.of());
    }
  }

  public static OptionsBuilder options() {
    return new OptionsBuilder();
  }

  public static Result run(Options o, Session session) throws IOException {
    Instant started = Instant.now();
    Signer signer = BuildAttachments.signer(o.attachments());
    Path dir = o.projectDir().toAbsolutePath().normalize();
    BuildConfig config = Project.loadConfig(dir, o.configFile()).merge(o.overrides());
    List<String> discovered = Project.discoverServices(dir);
    GitInfo git = GitInfo.of(dir).orElse(null);
    BuildSettings settings = BuildSettings.resolveIn(config, dir, discovered, git, o.environment());
    List<String> chosen = chooseServices(o, settings);
    BaseImage base = null;
    if (settings.base() != null) {
      base =
          BaseImages.open(
              settings.base(), settings, session.source(ImageLocation.parse(settings.base())));
    }
    Path cache = o.cache() != null ? o.cache() : BuildRecord.defaultCache(o.environment());
    Builder.Options builderOptions =
        new Builder.Options(cache, base, session.events(), o.verify(), o.allowHostFiles());
    List<Builder.Result> results = new Builder(settings, builderOptions).build(chosen);
    for (Builder.Result r : results) {
      r.verification().throwIfFailed();
    }
    List<ImageLocation.Named> named = new ArrayList<>();
    List<ImageLocation> pushTargets = new ArrayList<>();
    for (Builder.Result r : results) {
      Reference ref = reference(r, settings);
      named.add(new ImageLocation.Named(r.service(), ref, r.artifact()));
      pushTargets.add(new ImageLocation.Registry(ref));
    }
    RegistryOptions dst = session.destination(pushTargets.toArray(ImageLocation[]::new));
    Optional<Path> firstLayout = Optional.empty();
    for (ImageLocation loc : o.to()) {
      loc.writeAll(named, dst);
      if (firstLayout.isEmpty()) {
        firstLayout = loc.layoutDirectory().map(Path::toAbsolutePath);
      }
    }
    Path layout = firstLayout.orElse(dir.resolve(BuildRecord.DEFAULT_LAYOUT));
    if (firstLayout.isEmpty()) {
      new ImageLocation.OciLayout(layout, null).writeAll(named, dst);
    }
    List<Built> built = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      Builder.Result r = results.get(i);
      built.add(new Built(r.service(), named.get(i).reference(), r.artifact().digest(), r.notes()));
    }
    BuildRecord.write(dir, settings, layout, digests(built));
    if (o.push()) {
      for (int i = 0; i < results.size(); i++) {
        pushTargets.get(i).write(results.get(i).artifact(), dst);
      }
    }
    BuildAttachments.Inputs in = new BuildAttachments.Inputs(o, settings, git, base, started);
    return new Result(built, layout, BuildAttachments.attach(in, results, built, signer, session));
  }

  private static Map<String, Digest> digests(List<Built> built) {
    Map<String, Digest> m = new LinkedHashMap<>();
    for (Built b : built) {
      m.put(b.service(), b.digest());
    }
    return m;
  }

  private static List<String> chooseServices(Options o, BuildSettings settings) {
    List<String> known = settings.services();
    if (o.all() || o.services().isEmpty()) {
      if (!o.all() && known.size() > 1) {
        throw new InvalidOptionsException(
            "several services (" + String.join(", ", known) + "): name them or use --all");
      }
      return known;
    }
    for (String s : o.services()) {
      if (!known.contains(s)) {
        throw new InvalidOptionsException(
            "unknown service '" + s + "' (services: " + String.join(", ", known) + ")");
      }
    }
    return o.services();
  }

  private static Reference reference(Builder.Result r, BuildSettings s) {
    try {
      return Reference.parse(r.imageName() + ":" + s.tag());
    } catch (IllegalArgumentException e) {
      throw new InvalidOptionsException(
          "image name '"
              + r.imageName()
              + ":"
              + s.tag()
              + "': "
              + e.getMessage()
              + " (check prefix)");
    }
  }

  /**
   * Builds {@link Options}; everything has a default (the current directory's project, its only
   * service).
   */
  public static final class OptionsBuilder {
    private Path projectDir = Path.of(".");
    private Path configFile;
    private BuildConfig overrides = BuildConfig.EMPTY;
    private final List<String> services = new ArrayList<>();
    private boolean all;
    private final List<ImageLocation> to = new ArrayList<>();
    private boolean push;
    private boolean verify = true;
    private Path cache;
    private boolean allowHostFiles;
    private Map<String, String> environment = System.getenv();
    private BuildAttachments.Request attachments = BuildAttachments.Request.NONE;

    private OptionsBuilder() {}

    public OptionsBuilder projectDir(Path dir) {
      this.projectDir = dir;
      return this;
    }

    public OptionsBuilder configFile(Path file) {
      this.configFile = file;
      return this;
    }

    /** Settings that win over the config file's (null: none). */
    public OptionsBuilder overrides(BuildConfig c) {
      this.overrides = c == null ? BuildConfig.EMPTY : c;
      return this;
    }

    public OptionsBuilder services(List<String> names) {
      this.services.addAll(names);
      return this;
    }

    public OptionsBuilder all(boolean v) {
      this.all = v;
      return this;
    }

    /**
     * Where to write the images too: an OCI layout (a tag per service) or a docker archive (all of
     * them).
     */
    public OptionsBuilder to(ImageLocation location) {
      this.to.add(location);
      return this;
    }

    public OptionsBuilder to(List<ImageLocation> locations) {
      this.to.addAll(locations);
      return this;
    }

    public OptionsBuilder push(boolean v) {
      this.push = v;
      return this;
    }

    public OptionsBuilder verify(boolean v) {
      this.verify = v;
      return this;
    }

    public OptionsBuilder cache(Path dir) {
      this.cache = dir;
      return this;
    }

    public OptionsBuilder allowHostFiles(boolean v) {
      this.allowHostFiles = v;
      return this;
    }

    /**
     * The environment read for {@code SOURCE_DATE_EPOCH} and the cache (default: the process's).
     */
    public OptionsBuilder environment(Map<String, String> env) {
      this.environment = env;
      return this;
    }

    /** What to attach beside each image ({@code --sbom}, {@code --provenance}, {@code --sign}). */
    public OptionsBuilder attachments(BuildAttachments.Request r) {
      this.attachments = r == null ? BuildAttachments.Request.NONE : r;
      return this;
    }

    public Options build() {
      if (all && !services.isEmpty()) {
        throw new InvalidOptionsException("give SERVICE names or --all, not both");
      }
      if (projectDir == null) {
        throw new InvalidOptionsException("--project: a directory is required");
      }
      for (ImageLocation l : to) {
        if (!l.holdsSeveral()) {
          throw new InvalidOptionsException(
              "--to " + l + ": use --push (with --prefix) to build into a registry");
        }
      }
      BuildAttachments.validate(attachments, push, to);
      return new Options(
          projectDir,
          configFile,
          overrides,
          services,
          all,
          to,
          push,
          verify,
          cache,
          allowHostFiles,
          environment == null ? Map.of() : environment,
          attachments);
    }
  }
}
