package dev.caulk.report.format;

import dev.caulk.report.Finding;
import dev.caulk.report.Report;
import dev.caulk.report.RuleInfo;
import java.io.IOException;
import java.io.Writer;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * JUnit XML as read by Jenkins, GitLab and most CI test views: {@code <testsuites>} holding one
 * {@code <testsuite>}, a failing {@code <testcase>} per finding and a passing one per known rule
 * that found nothing. The JUnit format has no severities, so every finding fails; filter the report
 * through a gate first if low findings should not show as failures. The severity is kept in the
 * {@code type} attribute of {@code <failure>}.
 *
 * <pre>
 * &lt;testsuites name="caulk" tests="2" failures="1" errors="0"&gt;
 *   &lt;testsuite name="caulk: app:1.4" tests="2" failures="1" errors="0" skipped="0"&gt;
 *     &lt;properties&gt;&lt;property name="image" value="app:1.4"/&gt;&lt;/properties&gt;
 *     &lt;testcase classname="CIS-DI-0001" name="CIS-DI-0001: Image runs as root"&gt;
 *       &lt;failure type="HIGH" message="Image runs as root"&gt;…&lt;/failure&gt;
 *     &lt;/testcase&gt;
 *     &lt;testcase classname="CIS-DI-0006" name="CIS-DI-0006: HEALTHCHECK present"/&gt;
 *   &lt;/testsuite&gt;
 * &lt;/testsuites&gt;
 * </pre>
 */
final class JunitWriter implements ReportWriter {

  @Override
  public String format() {
    return "junit";
  }

  @Override
  public void write(Report report, Writer out) throws IOException {
    List<Finding> findings = report.sortedFindings();
    Set<String> failed = new HashSet<>();
    findings.forEach(f -> failed.add(f.id()));
    List<RuleInfo> passed =
        report.rules().stream()
            .filter(r -> !failed.contains(r.id()))
            .sorted((a, b) -> a.id().compareTo(b.id()))
            .toList();
    int tests = findings.size() + passed.size();
    String suiteName = report.imageName() == null ? "caulk" : "caulk: " + report.imageName();
    try {
      XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
      x.writeStartDocument("UTF-8", "1.0");
      x.writeCharacters("\n");
      x.writeStartElement("testsuites");
      attr(x, "name", "caulk");
      attr(x, "tests", Integer.toString(tests));
      attr(x, "failures", Integer.toString(findings.size()));
      attr(x, "errors", "0");
      x.writeCharacters("\n  ");
      x.writeStartElement("testsuite");
      attr(x, "name", suiteName);
      attr(x, "tests", Integer.toString(tests));
      attr(x, "failures", Integer.toString(findings.size()));
      attr(x, "errors", "0");
      attr(x, "skipped", "0");
      if (!report.subject().isEmpty()) {
        x.writeCharacters("\n    ");
        x.writeStartElement("properties");
        for (Map.Entry<String, String> e : report.subject().entrySet()) {
          x.writeCharacters("\n      ");
          x.writeEmptyElement("property");
          attr(x, "name", e.getKey());
          attr(x, "value", e.getValue());
        }
        x.writeCharacters("\n    ");
        x.writeEndElement();
      }
      for (Finding f : findings) {
        x.writeCharacters("\n    ");
        x.writeStartElement("testcase");
        attr(x, "classname", f.id());
        // test names are shown on one line by CI views: escape newlines and bidi controls from
        // crafted paths
        attr(
            x,
            "name",
            Texts.oneLine(
                f.id() + ": " + f.title() + (f.path() == null ? "" : " (" + f.path() + ")")));
        x.writeCharacters("\n      ");
        x.writeStartElement("failure");
        attr(x, "type", f.severity().name());
        attr(x, "message", f.title());
        x.writeCharacters(Texts.xmlSafe(body(f)));
        x.writeEndElement();
        x.writeCharacters("\n    ");
        x.writeEndElement();
      }
      for (RuleInfo r : passed) {
        x.writeCharacters("\n    ");
        x.writeEmptyElement("testcase");
        attr(x, "classname", r.id());
        attr(x, "name", r.id() + ": " + r.title());
      }
      x.writeCharacters("\n  ");
      x.writeEndElement();
      x.writeCharacters("\n");
      x.writeEndElement();
      x.writeCharacters("\n");
      x.writeEndDocument();
      x.flush();
      x.close(); // closes the XML writer only, never the underlying Writer
    } catch (XMLStreamException e) {
      throw new IOException("writing JUnit XML: " + e.getMessage(), e);
    }
    out.flush();
  }

  private static String body(Finding f) {
    StringBuilder sb = new StringBuilder();
    sb.append("severity: ").append(f.severity().name()).append('\n');
    if (f.path() != null) {
      sb.append("path: ").append(f.path()).append('\n');
    }
    if (f.layer() != null) {
      sb.append("layer: ").append(f.layer()).append('\n');
    }
    if (f.detail() != null) {
      sb.append(f.detail()).append('\n');
    }
    if (f.remediation() != null) {
      sb.append("remediation: ").append(f.remediation()).append('\n');
    }
    if (!f.references().isEmpty()) {
      sb.append("references: ").append(String.join(", ", f.references())).append('\n');
    }
    return sb.toString();
  }

  private static void attr(XMLStreamWriter x, String name, String value) throws XMLStreamException {
    x.writeAttribute(name, Texts.xmlSafe(value));
  }
}
