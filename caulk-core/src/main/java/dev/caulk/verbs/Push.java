package dev.caulk.verbs;

import dev.caulk.build.BuildRecord;
import dev.caulk.digest.Digest;
import dev.caulk.image.Artifact;
import dev.caulk.location.ImageLocation;
import dev.caulk.name.Reference;
import dev.caulk.registry.RegistryOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Pushes what the last {@link Build} of a project wrote (its build record and OCI layout) to {@code
 * PREFIXSERVICE:TAG}, without building again. Each image is checked against the digest the build
 * recorded; blobs the registry has are skipped, and one registry client serves every push, so the
 * shared system layer goes up once.
 */
public final class Push {
  private Push() {}

  /**
   * What to push.
   *
   * @param projectDir the project root
   * @param services the services to push; empty for every service built
   * @param prefix overrides the recorded image name prefix (null: the recorded one)
   * @param tag overrides the recorded tag (null: the recorded one)
   */
  public record Options(Path projectDir, List<String> services, String prefix, String tag) {
    public Options {
      services = List.copyOf(services);
    }
  }

  /**
   * One image pushed.
   *
   * @param reference where it went
   * @param digest the digest written
   */
  public record Pushed(String service, Reference reference, Digest digest) {
    /** {@code NAME:TAG@DIGEST}, as the CLI prints it. */
    public String pinned() {
      return reference.name() + ":" + reference.tag() + "@" + digest;
    }
  }

  /**
   * @param pushed in the order of the services asked for (or recorded)
   */
  public record Result(List<Pushed> pushed) {
    public Result {
      pushed = List.copyOf(pushed);
    }
  }

  public static Builder options() {
    return new Builder();
  }

  public static Result run(Options o, Session session) throws IOException {
    BuildRecord rec = BuildRecord.read(o.projectDir().toAbsolutePath().normalize());
    List<String> chosen =
        o.services().isEmpty() ? new ArrayList<>(rec.services().keySet()) : o.services();
    String prefix = o.prefix() != null ? o.prefix() : rec.prefix();
    String tag = o.tag() != null ? o.tag() : rec.tag();
    List<Reference> targets = new ArrayList<>();
    for (String s : chosen) {
      if (!rec.services().containsKey(s)) {
        throw new InvalidOptionsException(
            "service '"
                + s
                + "' was not built (built: "
                + String.join(", ", rec.services().keySet())
                + ")");
      }
      targets.add(Reference.parse(prefix + s + ":" + tag));
    }
    // One set of options for every push, so one registry client serves them all and a blob
    // pushed for one service (the shared system layer) is mounted into the next repository.
    ImageLocation[] named =
        targets.stream().map(ImageLocation.Registry::new).toArray(ImageLocation[]::new);
    RegistryOptions dst = session.destination(named);
    List<Pushed> pushed = new ArrayList<>();
    for (int i = 0; i < chosen.size(); i++) {
      String s = chosen.get(i);
      Digest built = rec.services().get(s);
      Artifact a = new ImageLocation.OciLayout(Path.of(rec.layout()), s).open(session.source());
      if (!a.digest().equals(built)) {
        throw new IOException(
            rec.layout()
                + ": image '"
                + s
                + "' is "
                + a.digest().shortString()
                + ", not the "
                + built.shortString()
                + " the last build recorded; build again");
      }
      Digest d = new ImageLocation.Registry(targets.get(i)).write(a, dst);
      pushed.add(new Pushed(s, targets.get(i), d));
    }
    return new Result(pushed);
  }

  /** Builds {@link Options}; the project defaults to the current directory. */
  public static final class Builder {
    private Path projectDir = Path.of(".");
    private final List<String> services = new ArrayList<>();
    private boolean all;
    private String prefix;
    private String tag;

    private Builder() {}

    public Builder projectDir(Path dir) {
      this.projectDir = dir;
      return this;
    }

    /** Services to push (none named: every service of the last build). */
    public Builder services(List<String> names) {
      this.services.addAll(names);
      return this;
    }

    /** Every service of the last build (not together with named services). */
    public Builder all(boolean v) {
      this.all = v;
      return this;
    }

    public Builder prefix(String p) {
      this.prefix = p;
      return this;
    }

    public Builder tag(String t) {
      this.tag = t;
      return this;
    }

    public Options build() {
      if (all && !services.isEmpty()) {
        throw new InvalidOptionsException("give SERVICE names or --all, not both");
      }
      if (projectDir == null) {
        throw new InvalidOptionsException("--project: a directory is required");
      }
      return new Options(projectDir, services, prefix, tag);
    }
  }
}
