package dev.caulk.verbs;

import dev.caulk.report.Gate;
import dev.caulk.report.Ignore;
import dev.caulk.report.IgnoreFile;
import dev.caulk.report.Report;
import dev.caulk.report.Severity;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The findings gate {@link Audit} and {@link Scan} share: the findings a caller accepts (ignores
 * given one by one and read from an ignore file), the lowest severity that fails, and whether the
 * gate is on at all. The verb reports whether the gate failed; the CLI turns that into its {@code
 * --exit-code}.
 *
 * @param failOn lowest severity that fails the gate ({@link Severity#UNKNOWN}: any finding)
 * @param enabled whether a finding left after ignores at or above {@code failOn} fails the run
 * @param ignores the ignores given directly ({@code --ignore})
 * @param ignoreFile an ignore file that must be read, or null
 * @param searchDirectory where {@value IgnoreFile#NAME} is read from when present and no {@code
 *     ignoreFile} is named, or null to read none
 */
public record Gating(
    Severity failOn, boolean enabled, List<Ignore> ignores, Path ignoreFile, Path searchDirectory) {

  /** A gate that is off, with no ignores. */
  public static final Gating OFF = new Gating(Severity.UNKNOWN, false, List.of(), null, null);

  public Gating {
    Objects.requireNonNull(failOn, "failOn");
    ignores = List.copyOf(ignores);
  }

  /**
   * Parses ignores as {@code --ignore} takes them ({@code ID [GLOB] [pkg:NAME] [exp:DATE]}); a bad
   * one is an {@link InvalidOptionsException} naming it.
   */
  public static List<Ignore> parseIgnores(List<String> texts) {
    List<Ignore> out = new ArrayList<>();
    for (String text : texts) {
      try {
        out.add(Ignore.parse(text, "--ignore"));
      } catch (IllegalArgumentException e) {
        throw new InvalidOptionsException("--ignore '" + printable(text) + "': " + e.getMessage());
      }
    }
    return out;
  }

  /**
   * The ignores in force: the given ones, then those of the ignore file (the named one, else
   * {@value IgnoreFile#NAME} in {@code searchDirectory} when it is a regular file). A bad line of
   * the file is an {@code IgnoreFileException} naming the file and the line.
   */
  public List<Ignore> readIgnores() throws IOException {
    List<Ignore> out = new ArrayList<>(ignores);
    Path file = ignoreFile;
    if (file == null && searchDirectory != null) {
      Path found = searchDirectory.resolve(IgnoreFile.NAME);
      if (Files.isRegularFile(found)) {
        file = found;
      }
    }
    if (file != null) {
      try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        out.addAll(IgnoreFile.parse(r, file.toString()));
      }
    }
    return out;
  }

  /** Applies {@code ignores} and the threshold to {@code report} on {@code today}. */
  public Outcome evaluate(Report report, List<Ignore> ignores, LocalDate today) {
    Gate.Verdict verdict = new Gate(failOn, ignores).evaluate(report, today);
    return new Outcome(verdict, enabled && !verdict.passed());
  }

  /**
   * What the gate decided.
   *
   * @param verdict the findings kept (its report is the one to render), suppressed and failing, and
   *     the ignores that expired or matched nothing
   * @param failed whether the gate is on and failed
   */
  public record Outcome(Gate.Verdict verdict, boolean failed) {
    public Outcome {
      Objects.requireNonNull(verdict, "verdict");
    }
  }

  /** Control characters of user text as {@code ?}, for one-line messages. */
  static String printable(String text) {
    StringBuilder b = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return b.toString();
  }
}
