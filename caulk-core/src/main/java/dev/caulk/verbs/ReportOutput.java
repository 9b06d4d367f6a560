package dev.caulk.verbs;

import dev.caulk.io.AtomicFile;
import dev.caulk.report.Report;
import dev.caulk.report.format.ReportWriter;
import dev.caulk.report.format.ReportWriters;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How the analysis verbs hand over their document (a report, an SBOM, a before/after table): it is
 * always part of the result, and with an output file it is also written there atomically ({@link
 * AtomicFile}: a temporary file beside it renamed into place, removed on failure). The caller
 * prints the document when there is no output file.
 */
public final class ReportOutput {
  private ReportOutput() {}

  /**
   * The writer of a report format ({@code table}, {@code json}, {@code sarif}, {@code junit}); an
   * unknown one is an {@link InvalidOptionsException}.
   */
  public static ReportWriter writer(String format, String toolVersion, boolean colour) {
    try {
      return ReportWriters.forFormat(format, toolVersion, colour);
    } catch (IllegalArgumentException e) {
      throw new InvalidOptionsException(e.getMessage());
    }
  }

  /** The report rendered by {@code writer}, UTF-8. */
  public static byte[] render(ReportWriter writer, Report report) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (Writer w = new OutputStreamWriter(bytes, StandardCharsets.UTF_8)) {
      writer.write(report, w);
    }
    return bytes.toByteArray();
  }

  /** Writes {@code document} to {@code output} atomically when {@code output} is not null. */
  public static void write(Path output, byte[] document) throws IOException {
    if (output == null) {
      return;
    }
    if (Files.isDirectory(output)) {
      throw new IOException("-o " + output + ": is a directory");
    }
    AtomicFile.write(output, document);
  }
}
