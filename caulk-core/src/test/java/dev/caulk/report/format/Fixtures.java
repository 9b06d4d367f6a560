package dev.caulk.report.format;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caulk.report.Finding;
import dev.caulk.report.Report;
import dev.caulk.report.RuleInfo;
import dev.caulk.report.Severity;
import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

/** A report with every kind of field, including hostile text from an image. */
final class Fixtures {
  static final String DIGEST = "sha256:" + "ab".repeat(32);

  static final Finding ROOT =
      Finding.of("CIS-DI-0001", Severity.HIGH, "Image runs as root")
          .withDetail("config.User is empty")
          .withRemediation("Add a USER instruction with a non-root user")
          .withReferences(List.of("CIS-4.1"));
  static final Finding KEY =
      Finding.of("aws-access-key-id", Severity.CRITICAL, "AWS access key ID")
          .withPath("/app/config/prod env.yml")
          .withLayer(DIGEST)
          .withDetail("line 3: AKIA****")
          .withRemediation("Remove the key from the image and rotate it")
          .withKey("aws-access-key-id#1");
  static final Finding SUID =
      Finding.of("CIS-DI-0008", Severity.LOW, "setuid file")
          .withPath("/usr/bin/passwd")
          .withLayerIndex(0);

  /**
   * A crafted file name with terminal escapes, a newline, a C1 control and a right-to-left
   * override.
   */
  static final Finding HOSTILE =
      Finding.of("DKL-LI-0003", Severity.INFO, "unnecessary file")
          .withPath("/tmp/evil\u001b[2J\nname\u0085\u202e.txt")
          .withDetail("bell\u0007 and nul\u0000 and lone surrogate \ud800 end");

  static final List<RuleInfo> RULES =
      List.of(
          new RuleInfo(
              "CIS-DI-0001",
              Severity.HIGH,
              "Create a user for the container",
              "Add USER",
              "https://example.invalid/rules/CIS-DI-0001",
              List.of("cis")),
          RuleInfo.of("CIS-DI-0006", Severity.INFO, "Add HEALTHCHECK instruction"),
          RuleInfo.of("DKL-DI-0001", Severity.HIGH, "Avoid sudo command"));

  static Report report() {
    return new Report(
        Map.of(Report.IMAGE, "registry.example:5000/team/app:1.4", Report.DIGEST, DIGEST),
        new ObjectMapper().createObjectNode().put("packages", 2),
        RULES,
        List.of(SUID, HOSTILE, ROOT, KEY));
  }

  static String render(ReportWriter w, Report r) throws IOException {
    StringWriter out = new StringWriter();
    w.write(r, out);
    return out.toString();
  }

  private Fixtures() {}
}
