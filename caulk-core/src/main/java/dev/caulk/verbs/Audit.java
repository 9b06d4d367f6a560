package dev.caulk.verbs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caulk.audit.Auditor;
import dev.caulk.audit.secrets.SecretConfig;
import dev.caulk.audit.secrets.SecretDetector;
import dev.caulk.audit.secrets.SecretFiles;
import dev.caulk.audit.secrets.SecretRuleBook;
import dev.caulk.event.EventListener;
import dev.caulk.image.Artifact;
import dev.caulk.image.Image;
import dev.caulk.location.ImageLocation;
import dev.caulk.location.Locations;
import dev.caulk.report.Gate;
import dev.caulk.report.Ignore;
import dev.caulk.report.Report;
import dev.caulk.report.Severity;
import dev.caulk.report.format.ReportWriter;
import dev.caulk.spec.Platform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * {@code audit}: the inventory and the checks of one image, from one streaming read of its layers,
 * gated by severity after ignores, rendered in a report format.
 */
public final class Audit {
  private Audit() {}

  public static Builder options() {
    return new Builder();
  }

  /**
   * What to audit and how to report it.
   *
   * @param location the image
   * @param platform the image to pick from an index
   * @param format {@code table}, {@code json}, {@code sarif} or {@code junit}
   * @param output where the report is written atomically, or null (the caller prints the document)
   * @param colour whether a table on the caller's terminal may carry colour (never in a file)
   * @param toolVersion the version SARIF names
   * @param secrets whether file contents are scanned for secrets
   * @param gating the gate and its ignores
   * @param today the date ignore expiries are checked against, or null for today (local time)
   * @param secretRules the secret rules: built-in, or with a {@code secrets.yaml}'s rules, disabled
   *     ids and allow lists
   * @param secretConfig the {@code secrets.yaml} they were loaded from, or null for the built-in
   *     rules
   */
  public record Options(
      ImageLocation location,
      Platform platform,
      String format,
      Path output,
      boolean colour,
      String toolVersion,
      boolean secrets,
      Gating gating,
      LocalDate today,
      SecretRuleBook secretRules,
      Path secretConfig) {}

  /**
   * One secret rule as {@code --list-secret-rules} prints it.
   *
   * @param id the rule id (the finding id, what ignores and {@code disable:} name)
   * @param severity the name of its severity
   * @param title what it finds
   * @param kind {@code content} for a rule on file contents (and the environment, labels, history),
   *     {@code file} for a credential-file name category
   */
  public record SecretRuleEntry(String id, String severity, String title, String kind) {}

  /**
   * The secret rules an audit would use.
   *
   * @param config the {@code secrets.yaml} read, or null for the built-in rules
   * @param rules content rules (built-in and the file's, minus its disabled ids), then file-name
   *     categories
   */
  public record SecretRuleListing(Path config, List<SecretRuleEntry> rules) {
    public SecretRuleListing {
      rules = List.copyOf(rules);
    }

    /**
     * {@code id severity title} lines (ids padded to one column), or a JSON document for {@code
     * json}.
     */
    public byte[] render(String format) {
      if ("json".equals(format)) {
        ObjectNode root = JSON.createObjectNode();
        root.put("config", config == null ? null : config.toString());
        ArrayNode list = root.putArray("rules");
        for (SecretRuleEntry e : rules) {
          list.addObject()
              .put("id", e.id())
              .put("severity", e.severity())
              .put("title", e.title())
              .put("kind", e.kind());
        }
        try {
          return (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n")
              .getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
          throw new IllegalStateException("cannot render the rule list", e);
        }
      }
      if (!"table".equals(format)) {
        throw new InvalidOptionsException(
            "--list-secret-rules prints table or json, not '" + format + "'");
      }
      int width = 0;
      for (SecretRuleEntry e : rules) {
        width = Math.max(width, e.id().length());
      }
      StringBuilder sb = new StringBuilder();
      for (SecretRuleEntry e : rules) {
        sb.append(e.id())
            .append(" ".repeat(width - e.id().length() + 2))
            .append(String.format(Locale.ROOT, "%-8s", e.severity()))
            .append("  ")
            .append(e.title())
            .append('\n');
      }
      return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The secret rules of a configuration, for {@code caulk audit --list-secret-rules}: no image is
   * read.
   *
   * @param file the {@code secrets.yaml} to load, or null to look for {@code .caulk/secrets.yaml}
   *     under {@code searchDirectory}
   * @param searchDirectory where the default file is looked for, or null for none
   * @throws InvalidOptionsException with the file's one-line error ({@code file:line: key:
   *     problem})
   */
  public static SecretRuleListing secretRules(Path file, Path searchDirectory) {
    Path used = SecretConfigSetters.Choice.fileOf(file, searchDirectory);
    SecretRuleBook book = SecretConfigSetters.Choice.load(used);
    List<SecretRuleEntry> out = new ArrayList<>();
    for (SecretDetector d : book.rules()) {
      out.add(new SecretRuleEntry(d.id(), d.severity(), d.title(), "content"));
    }
    for (SecretDetector d : SecretFiles.categories()) {
      if (book.enabled(d.id())) {
        out.add(new SecretRuleEntry(d.id(), d.severity(), d.title(), "file"));
      }
    }
    return new SecretRuleListing(used, out);
  }

  /**
   * What the audit found.
   *
   * @param report the report as rendered: ignored findings left out
   * @param verdict what the gate decided (kept, suppressed and failing findings; expired and unused
   *     ignores)
   * @param gateFailed whether the gate is on and a finding at or above its threshold remains
   * @param document the rendered report
   * @param output the file the report was written to, or null
   */
  public record Result(
      Report report, Gate.Verdict verdict, boolean gateFailed, byte[] document, Path output) {}

  /**
   * Audits the image, applies the gate, renders the report and writes it to the output file if any.
   */
  public static Result run(Options options, Session session) throws IOException {
    EventListener events = session.events();
    ReportWriter writer =
        ReportOutput.writer(
            options.format(), options.toolVersion(), options.colour() && options.output() == null);
    List<Ignore> accepted = options.gating().readIgnores();
    ImageLocation location = options.location();
    Artifact a = Locations.open(location, session.source(location));
    Image image = a.image(options.platform());
    if (options.secrets() && options.secretConfig() != null) {
      events.info("audit: secret rules from " + options.secretConfig());
    } else if (options.secrets()) {
      events.debug("audit: built-in secret rules (no " + SecretConfig.DEFAULT_FILE + ")");
    }
    Auditor.Options ao =
        Auditor.Options.defaults()
            .withName(name(location), tag(location))
            .withSecrets(options.secrets())
            .withListener(events)
            .withSecretRules(options.secretRules());
    Report report = Auditor.audit(image, ao);
    LocalDate today = options.today() != null ? options.today() : LocalDate.now();
    Gating.Outcome gate = options.gating().evaluate(report, accepted, today);
    Gate.Verdict verdict = gate.verdict();
    for (Ignore i : verdict.expired()) {
      events.warn(
          "ignore '"
              + i
              + "' ("
              + i.origin()
              + ") expired on "
              + i.expires()
              + "; its findings are back");
    }
    for (Ignore i : verdict.unused()) {
      events.info("ignore '" + i + "' (" + i.origin() + ") matched nothing");
    }
    byte[] document = ReportOutput.render(writer, verdict.report());
    ReportOutput.write(options.output(), document);
    return new Result(verdict.report(), verdict, gate.failed(), document, options.output());
  }

  /** The image as the user named it. */
  private static String name(ImageLocation l) {
    return l.displayName();
  }

  /**
   * The tag the user asked for, as Docker resolves it (none for a digest, or a layout or archive
   * named without one).
   */
  private static String tag(ImageLocation l) {
    return l.requestedTag().orElse(null);
  }

  /** Builds {@link Options}; {@link #build()} validates. */
  public static final class Builder extends ReportBuilder<Builder>
      implements SecretConfigSetters<Builder> {
    private ImageLocation location;
    private boolean secrets = true;
    private String severity;
    private final SecretConfigSetters.Choice secretConfig = new SecretConfigSetters.Choice();

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    @Override
    public SecretConfigSetters.Choice secretConfigChoice() {
      return secretConfig;
    }

    public Builder location(ImageLocation v) {
      this.location = v;
      return this;
    }

    public Builder secrets(boolean v) {
      this.secrets = v;
      return this;
    }

    /**
     * The lowest severity that fails the gate, as {@code --severity} takes it (default: any
     * finding).
     */
    public Builder failOn(String v) {
      this.severity = v;
      return this;
    }

    public Options build() {
      if (location == null) {
        throw new InvalidOptionsException("an image location is required");
      }
      Objects.requireNonNull(platform, "platform");
      ReportOutput.writer(format, toolVersion, false);
      Severity threshold;
      try {
        threshold = severity == null ? Severity.UNKNOWN : Severity.parse(severity);
      } catch (IllegalArgumentException e) {
        throw new InvalidOptionsException(e.getMessage());
      }
      Gating gating = gating(threshold);
      Path config = secretConfig.file();
      SecretRuleBook book = SecretConfigSetters.Choice.load(config);
      return new Options(
          location,
          platform,
          format,
          output,
          colour,
          toolVersion,
          secrets,
          gating,
          today,
          book,
          config);
    }
  }
}
