package dev.caulk.verbs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caulk.build.BaseImage;
import dev.caulk.build.BuildConfig;
import dev.caulk.build.BuildSettings;
import dev.caulk.build.Builder;
import dev.caulk.build.GitInfo;
import dev.caulk.build.HostFiles;
import dev.caulk.build.Project;
import dev.caulk.digest.Digest;
import dev.caulk.image.Artifact;
import dev.caulk.location.ImageLocation;
import dev.caulk.scan.sbom.SbomFormat;
import dev.caulk.sign.Provenance;
import dev.caulk.sign.Signer;
import dev.caulk.sign.Statement;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.MediaType;
import dev.caulk.spec.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code caulk build --sbom --provenance --sign --key KEY} attaches to each built image, the
 * way {@link Sign} and {@link Attest} store it: beside the image ({@code sha256-<hex>.sig} and
 * {@code .att}) in every {@code oci:} layout written and, with {@code --push}, in the registry,
 * where each is an OCI 1.1 referrer as well. Nothing is ever put inside an image: a built image's
 * digest is the same with and without these flags.
 *
 * <ul>
 *   <li>{@code --sbom}: the CycloneDX SBOM the {@link Sbom} verb makes of the image where it was
 *       written (each platform image of an index), as a {@code https://cyclonedx.org/bom}
 *       attestation of that image;
 *   <li>{@code --provenance}: SLSA v1 provenance ({@link Provenance}) of the image (the index, for
 *       several platforms): the resolved settings and the flags as external parameters, the git
 *       revision, {@code caulk.yaml}, each binary, base image and host file by digest as resolved
 *       dependencies, start and finish from {@code SOURCE_DATE_EPOCH} when it is set;
 *   <li>{@code --sign}: a simple-signing signature of the image (and of each platform image of an
 *       index), as {@code caulk sign --recursive} writes.
 * </ul>
 *
 * <p>Attestations are DSSE envelopes signed with the key, as cosign's are, so {@code --sbom} and
 * {@code --provenance} need {@code --key} just as {@code --sign} does: an unsigned attestation is
 * one {@code verify-attestation}, cosign, Kyverno or Trivy would not accept.
 */
public final class BuildAttachments {
  /** The build type of caulk's provenance: what its external parameters mean. */
  public static final String BUILD_TYPE = "https://caulk.dev/build/v1";

  /** The builder id of caulk's provenance. */
  public static final String BUILDER_ID = "https://caulk.dev/builder/caulk-build";

  /** The predicate type of the SBOM attestations. */
  public static final String SBOM_PREDICATE_TYPE = Statement.predicateTypeOf("cyclonedx");

  /** What {@link Attached#kind} says. */
  public static final String SIGNATURE = "signature";

  public static final String SBOM = "sbom";
  public static final String PROVENANCE = "provenance";

  private static final ObjectMapper JSON = new ObjectMapper();

  private BuildAttachments() {}

  /**
   * What to attach.
   *
   * @param sbom attach each image's CycloneDX SBOM
   * @param provenance attach SLSA v1 provenance
   * @param sign sign each image
   * @param key the private key file (cosign.key), or null when nothing is attached
   * @param password its password (an empty one for unencrypted keys); never logged
   * @param toolVersion caulk's version, named by the SBOM and the provenance's builder
   */
  public record Request(
      boolean sbom,
      boolean provenance,
      boolean sign,
      Path key,
      char[] password,
      String toolVersion) {
    /** Nothing attached. */
    public static final Request NONE = new Request(false, false, false, null, null, "dev");

    public Request {
      toolVersion = toolVersion == null || toolVersion.isBlank() ? "dev" : toolVersion.strip();
    }

    /** Whether anything is attached. */
    public boolean any() {
      return sbom || provenance || sign;
    }

    /** The flags given, as the CLI spells them, for messages. */
    String flags() {
      List<String> f = new ArrayList<>();
      if (sbom) {
        f.add("--sbom");
      }
      if (provenance) {
        f.add("--provenance");
      }
      if (sign) {
        f.add("--sign");
      }
      return String.join(", ", f);
    }

    @Override
    public String toString() {
      return "BuildAttachments.Request[sbom "
          + sbom
          + ", provenance "
          + provenance
          + ", sign "
          + sign
          + ", key "
          + key
          + "]";
    }
  }

  /**
   * One thing attached.
   *
   * @param service the service whose image it is attached to
   * @param kind {@link #SIGNATURE}, {@link #SBOM} or {@link #PROVENANCE}
   * @param subject the digest it is attached to (an image's or an index's)
   * @param where the {@code .sig} or {@code .att} image holding it
   * @param referrer the OCI 1.1 referrer manifest's digest (registries), or null
   */
  public record Attached(
      String service, String kind, Digest subject, ImageLocation where, Digest referrer) {}

  /**
   * What {@link Build#run} knows once the images are written.
   *
   * @param options the build's options (flags)
   * @param settings the resolved settings
   * @param git what git says about the project, or null
   * @param base the base image, or null for scratch
   * @param started when the build started
   */
  record Inputs(
      Build.Options options,
      BuildSettings settings,
      GitInfo git,
      BaseImage base,
      Instant started) {}

  /** Checks a request against where the build writes its images (usage mistakes: exit 2). */
  static void validate(Request r, boolean push, List<ImageLocation> to) {
    if (!r.any()) {
      if (r.key() != null) {
        throw new InvalidOptionsException(
            "--key is for --sign, --sbom and --provenance; give at least one of them");
      }
      return;
    }
    if (r.key() == null) {
      throw new InvalidOptionsException(
          r.flags()
              + ": --key KEY is required (attestations are DSSE envelopes signed with it, as"
              + " cosign's are; make a key with 'caulk key generate')");
    }
    boolean layout = to.stream().anyMatch(l -> l.layoutDirectory().isPresent());
    if (!push && !layout) {
      throw new InvalidOptionsException(
          r.flags()
              + ": nowhere to attach to; add --push or --to oci:DIR (attachments are stored beside"
              + " the image, and a docker-archive file holds none)");
    }
  }

  /** The key, decrypted before anything is built (a wrong password fails first); null: none. */
  static Signer signer(Request r) throws IOException {
    if (!r.any()) {
      return null;
    }
    return Signer.ecdsa(SignSupport.privateKey(r.key(), r.password()));
  }

  /**
   * Attaches what {@code in.options().attachments()} asks for to each built image, in every layout
   * written and in the registry when pushed.
   *
   * @param results the builder's results, in the order of {@code built}
   * @param built what the build reports for each (reference and digest)
   */
  static List<Attached> attach(
      Inputs in, List<Builder.Result> results, List<Build.Built> built, Signer signer, Session s)
      throws IOException {
    Request r = in.options().attachments();
    List<Attached> out = new ArrayList<>();
    if (!r.any()) {
      return out;
    }
    for (ImageLocation l : in.options().to()) {
      if (l.layoutDirectory().isEmpty()) {
        s.events().info(l + " holds no signatures or attestations; attached to the others only");
      }
    }
    for (int i = 0; i < built.size(); i++) {
      Build.Built b = built.get(i);
      Artifact artifact = results.get(i).artifact();
      JsonNode provenance = r.provenance() ? provenance(in, b.service()).toJson() : null;
      for (ImageLocation site : sites(in.options(), b)) {
        attachAt(in, b, artifact, site, provenance, signer, s, out);
      }
    }
    return out;
  }

  /** Where the image of {@code b} was written and attachments can be stored: by digest. */
  private static List<ImageLocation> sites(Build.Options o, Build.Built b) {
    List<ImageLocation> out = new ArrayList<>();
    for (ImageLocation l : o.to()) {
      l.layoutDirectory()
          .ifPresent(dir -> out.add(new ImageLocation.OciLayout(dir, "@" + b.digest())));
    }
    if (o.push()) {
      out.add(new ImageLocation.Registry(b.reference().withDigest(b.digest())));
    }
    return out;
  }

  private static void attachAt(
      Inputs in,
      Build.Built b,
      Artifact artifact,
      ImageLocation site,
      JsonNode provenance,
      Signer signer,
      Session s,
      List<Attached> out)
      throws IOException {
    Request r = in.options().attachments();
    boolean referrers = site.isRegistry();
    String identity = b.reference().name();
    if (r.sign()) {
      Sign.Options so =
          Sign.options()
              .location(site)
              .key(r.key())
              .identity(identity)
              .recursive(true)
              .referrers(referrers)
              .build();
      for (Sign.Signed signed : Sign.run(so, signer, s).signed()) {
        out.add(
            new Attached(
                b.service(), SIGNATURE, signed.digest(), signed.attachment(), signed.referrer()));
      }
    }
    if (r.sbom()) {
      for (Map.Entry<Digest, Platform> image : images(artifact).entrySet()) {
        ImageLocation at = byDigest(site, image.getKey());
        Sbom.Result sbom =
            Sbom.run(
                Sbom.options()
                    .location(at)
                    .platform(image.getValue())
                    .format(SbomFormat.CYCLONEDX)
                    .toolVersion(r.toolVersion())
                    .clock(clock(in))
                    .build(),
                s);
        if (!sbom.subject().digest().equals(image.getKey())) {
          throw new IOException(
              at + ": the SBOM describes " + sbom.subject().digest() + ", not the image built");
        }
        JsonNode predicate = JSON.readTree(sbom.document());
        Attest.Result a =
            Attest.attest(at, signer, SBOM_PREDICATE_TYPE, predicate, identity, referrers, s);
        out.add(new Attached(b.service(), SBOM, a.subject(), a.attachment(), a.referrer()));
      }
    }
    if (provenance != null) {
      Attest.Result a =
          Attest.attest(
              site, signer, Provenance.PREDICATE_TYPE, provenance, identity, referrers, s);
      out.add(new Attached(b.service(), PROVENANCE, a.subject(), a.attachment(), a.referrer()));
    }
  }

  /** The images of an artifact by digest with their platforms: itself, or an index's children. */
  private static Map<Digest, Platform> images(Artifact a) throws IOException {
    Map<Digest, Platform> out = new LinkedHashMap<>();
    if (!a.isIndex()) {
      Platform p = a.image().config().platform();
      out.put(a.digest(), p == null ? Platform.LINUX_AMD64 : p);
      return out;
    }
    for (Descriptor d : a.index().index().manifests()) {
      if (!MediaType.isIndex(d.mediaType())) {
        out.put(d.digest(), d.platform() == null ? Platform.LINUX_AMD64 : d.platform());
      }
    }
    return out;
  }

  /** {@code site}'s repository or layout, naming {@code digest}. */
  private static ImageLocation byDigest(ImageLocation site, Digest digest) {
    if (site instanceof ImageLocation.Registry reg) {
      return SignSupport.byDigest(reg, digest);
    }
    Path dir = site.layoutDirectory().orElseThrow();
    return new ImageLocation.OciLayout(dir, "@" + digest);
  }

  /** The SBOM's creation time: SOURCE_DATE_EPOCH's when set (reproducible), else now. */
  private static Clock clock(Inputs in) {
    return epochSet(in) ? Clock.fixed(in.settings().epoch(), ZoneOffset.UTC) : Clock.systemUTC();
  }

  private static boolean epochSet(Inputs in) {
    String v = in.options().environment().get("SOURCE_DATE_EPOCH");
    return v != null && !v.isBlank();
  }

  /** The SLSA v1 provenance of one service's image. */
  static Provenance provenance(Inputs in, String service) throws IOException {
    Build.Options o = in.options();
    BuildSettings st = in.settings();
    Path project = st.projectDir().toAbsolutePath().normalize();
    ObjectNode ext = JSON.createObjectNode();
    ext.put("service", service);
    Path config = configFile(o, project);
    if (config != null) {
      ext.put("configFile", shown(project, config));
    }
    ext.set("settings", settings(st));
    ext.set("flags", flags(o));
    if (epochSet(in)) {
      ext.put("SOURCE_DATE_EPOCH", o.environment().get("SOURCE_DATE_EPOCH").strip());
    }
    List<Provenance.ResourceDescriptor> deps = new ArrayList<>();
    GitInfo git = in.git();
    if (git != null) {
      deps.add(
          new Provenance.ResourceDescriptor(
              "source",
              git.remoteUrl() == null ? null : "git+" + git.remoteUrl(),
              Map.of("gitCommit", git.revision()),
              Map.of("describe", git.describe())));
    }
    if (config != null) {
      deps.add(file(project, config, Map.of("role", "config")));
    }
    for (String p : st.platforms()) {
      Platform platform = Platform.parse(p);
      Path binary = st.binary(service, platform.os(), platform.architecture());
      deps.add(file(project, binary, Map.of("role", "binary", "platform", p)));
    }
    if (in.base() != null) {
      for (String p : st.platforms()) {
        Digest d = in.base().image(Platform.parse(p)).digest();
        deps.add(
            new Provenance.ResourceDescriptor(
                "base",
                st.base(),
                Map.of(d.algorithm(), d.hex()),
                Map.of("role", "base-image", "platform", p)));
      }
    }
    Path ca = HostFiles.caBundle(st.caCertificates(), st.sysroot(), st.projectDir());
    if (ca != null) {
      deps.add(file(project, ca, Map.of("role", "ca-certificates")));
    }
    for (BuildConfig.FileSpec f : st.files()) {
      Path src = HostFiles.projectFile(st.projectDir(), f.source(), f.where(), o.allowHostFiles());
      deps.add(file(project, src, Map.of("role", "file", "destination", f.destination())));
    }
    Instant started;
    Instant finished;
    if (epochSet(in)) {
      started = st.epoch();
      finished = st.epoch();
    } else {
      started = in.started().truncatedTo(ChronoUnit.MILLIS);
      finished = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
    return new Provenance(
        BUILD_TYPE,
        ext,
        null,
        deps,
        BUILDER_ID,
        Map.of("caulk", o.attachments().toolVersion()),
        started,
        finished,
        List.of());
  }

  private static Path configFile(Build.Options o, Path project) {
    if (o.configFile() != null) {
      return o.configFile().toAbsolutePath().normalize();
    }
    Path f = project.resolve(Project.CONFIG_FILE);
    return Files.isRegularFile(f) ? f : null;
  }

  /** A path relative to the project when inside it, else absolute. */
  private static String shown(Path project, Path p) {
    Path abs = p.toAbsolutePath().normalize();
    return abs.startsWith(project) ? project.relativize(abs).toString() : abs.toString();
  }

  /**
   * A file by its sha256: named by its path in the project, or by a {@code file:} URI when it is
   * outside (a host file).
   */
  private static Provenance.ResourceDescriptor file(
      Path project, Path file, Map<String, String> annotations) throws IOException {
    Digest d;
    try (InputStream in = Files.newInputStream(file)) {
      d = Digest.sha256(in);
    }
    Path abs = file.toAbsolutePath().normalize();
    boolean inside = abs.startsWith(project);
    return new Provenance.ResourceDescriptor(
        inside ? project.relativize(abs).toString() : abs.getFileName().toString(),
        inside ? null : abs.toUri().toString(),
        Map.of(d.algorithm(), d.hex()),
        annotations);
  }

  /** The resolved settings, every key as caulk.yaml spells it; maps sorted. */
  private static ObjectNode settings(BuildSettings s) {
    ObjectNode n = JSON.createObjectNode();
    n.put("prefix", s.prefix());
    strings(n, "services", s.services());
    n.put("binary", s.binaryPattern());
    n.put("tag", s.tag());
    n.put("base", s.base() == null ? "scratch" : s.base());
    user(n, s.user());
    n.put("workdir", s.workdir());
    strings(n, "ports", s.ports());
    map(n, "env", s.env());
    n.put("timezone", s.timezone());
    n.put("zoneinfo", s.allZoneinfo() ? "all" : "used");
    n.put("ca-certificates", s.caCertificates());
    map(n, "labels", s.labels());
    strings(n, "entrypoint", s.entrypoint());
    strings(n, "cmd", s.cmd());
    files(n, s.files());
    n.put("strip", s.strip());
    n.put("static-only", s.staticOnly());
    strings(n, "platforms", s.platforms());
    n.put("sysroot", s.sysroot().toString());
    n.put("epoch", s.epoch().toString());
    BuildSettings.JavaSettings j = s.java();
    ObjectNode jn = n.putObject("java");
    ObjectNode jdks = jn.putObject("jdks");
    new TreeMap<>(j.jdks()).forEach((arch, dir) -> jdks.put(arch, dir.toString()));
    if (j.jdk() != null) {
      jn.put("jdk", j.jdk().toString());
    }
    strings(jn, "modules", j.modules());
    strings(jn, "jvm-flags", j.jvmFlags());
    putIf(jn, "main-class", j.mainClass());
    strings(jn, "classpath", j.classpath());
    jn.put("cds", j.cds());
    return n;
  }

  /** The build's flags: the verb's options and the settings given on the command line. */
  private static ObjectNode flags(Build.Options o) {
    ObjectNode n = JSON.createObjectNode();
    strings(n, "services", o.services());
    n.put("all", o.all());
    List<String> to = new ArrayList<>();
    o.to().forEach(l -> to.add(l.toString()));
    strings(n, "to", to);
    n.put("push", o.push());
    n.put("verify", o.verify());
    n.put("allow-host-files", o.allowHostFiles());
    n.put("sbom", o.attachments().sbom());
    n.put("provenance", o.attachments().provenance());
    n.put("sign", o.attachments().sign());
    n.set("overrides", overrides(o.overrides()));
    return n;
  }

  /** The settings a {@link BuildConfig} sets (the flags'), unset ones left out. */
  private static ObjectNode overrides(BuildConfig c) {
    ObjectNode n = JSON.createObjectNode();
    putIf(n, "prefix", c.prefix());
    strings(n, "services", c.services());
    putIf(n, "binary", c.binary());
    putIf(n, "tag", c.tag());
    putIf(n, "base", c.base());
    user(n, c.user());
    putIf(n, "workdir", c.workdir());
    strings(n, "ports", c.ports());
    map(n, "env", c.env());
    putIf(n, "timezone", c.timezone());
    putIf(n, "zoneinfo", c.zoneinfo());
    putIf(n, "ca-certificates", c.caCertificates());
    map(n, "labels", c.labels());
    strings(n, "entrypoint", c.entrypoint());
    strings(n, "cmd", c.cmd());
    if (c.files() != null) {
      files(n, c.files());
    }
    if (c.strip() != null) {
      n.put("strip", c.strip());
    }
    if (c.staticOnly() != null) {
      n.put("static-only", c.staticOnly());
    }
    strings(n, "platforms", c.platforms());
    putIf(n, "sysroot", c.sysroot());
    if (c.compressionLevel() != null) {
      n.put("compression-level", c.compressionLevel());
    }
    BuildConfig.Java j = c.java();
    if (j != null) {
      ObjectNode jn = n.putObject("java");
      putIf(jn, "jdk", j.jdk());
      map(jn, "jdks", j.jdks());
      strings(jn, "modules", j.modules());
      strings(jn, "jvm-flags", j.jvmFlags());
      putIf(jn, "main-class", j.mainClass());
      strings(jn, "classpath", j.classpath());
      putIf(jn, "cds", j.cds());
    }
    return n;
  }

  private static void putIf(ObjectNode n, String key, String value) {
    if (value != null) {
      n.put(key, value);
    }
  }

  private static void strings(ObjectNode n, String key, List<String> values) {
    if (values != null) {
      ArrayNode a = n.putArray(key);
      values.forEach(a::add);
    }
  }

  private static void map(ObjectNode n, String key, Map<String, String> values) {
    if (values != null) {
      ObjectNode m = n.putObject(key);
      new TreeMap<>(values).forEach(m::put);
    }
  }

  private static void user(ObjectNode n, BuildConfig.User u) {
    if (u != null) {
      ObjectNode un = n.putObject("user");
      un.put("name", u.name());
      un.put("uid", u.uid());
      un.put("gid", u.gid());
    }
  }

  private static void files(ObjectNode n, List<BuildConfig.FileSpec> files) {
    ArrayNode a = n.putArray("files");
    for (BuildConfig.FileSpec f : files) {
      ObjectNode fn = a.addObject();
      fn.put("source", f.source());
      fn.put("destination", f.destination());
      fn.put("mode", String.format("%04o", f.mode()));
    }
  }
}
