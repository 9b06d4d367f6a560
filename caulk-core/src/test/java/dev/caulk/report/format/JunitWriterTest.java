package dev.caulk.report.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.report.Report;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class JunitWriterTest {

  private static Document parse(String xml) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return f.newDocumentBuilder()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void oneSuiteWithFailingAndPassingCases() throws Exception {
    Document doc = parse(Fixtures.render(ReportWriters.junit(), Fixtures.report()));
    Element suites = doc.getDocumentElement();
    assertEquals("testsuites", suites.getTagName());
    NodeList suiteList = suites.getElementsByTagName("testsuite");
    assertEquals(1, suiteList.getLength());
    Element suite = (Element) suiteList.item(0);
    assertEquals("caulk: registry.example:5000/team/app:1.4", suite.getAttribute("name"));
    // 4 findings fail; CIS-DI-0006 and DKL-DI-0001 are known rules without findings and pass;
    // CIS-DI-0001 is known but has a finding, so it is not repeated as passing
    assertEquals("6", suite.getAttribute("tests"));
    assertEquals("4", suite.getAttribute("failures"));
    assertEquals("0", suite.getAttribute("errors"));
    assertEquals("6", suites.getAttribute("tests"));

    NodeList props = suite.getElementsByTagName("property");
    assertEquals(2, props.getLength());
    assertEquals("digest", ((Element) props.item(0)).getAttribute("name"));

    NodeList cases = suite.getElementsByTagName("testcase");
    assertEquals(6, cases.getLength());
    Element first = (Element) cases.item(0);
    assertEquals("aws-access-key-id", first.getAttribute("classname"));
    assertEquals(
        "aws-access-key-id: AWS access key ID (/app/config/prod env.yml)",
        first.getAttribute("name"));
    Element failure = (Element) first.getElementsByTagName("failure").item(0);
    assertEquals("CRITICAL", failure.getAttribute("type"));
    assertEquals("AWS access key ID", failure.getAttribute("message"));
    String body = failure.getTextContent();
    assertTrue(body.contains("path: /app/config/prod env.yml"), body);
    assertTrue(body.contains("layer: " + Fixtures.DIGEST), body);
    assertTrue(body.contains("line 3: AKIA****"), body);
    assertTrue(body.contains("remediation: Remove the key"), body);

    Element passing = (Element) cases.item(4);
    assertEquals("CIS-DI-0006", passing.getAttribute("classname"));
    assertEquals(0, passing.getChildNodes().getLength());
    assertEquals("DKL-DI-0001", ((Element) cases.item(5)).getAttribute("classname"));
    List<String> failingIds =
        List.of("aws-access-key-id", "CIS-DI-0001", "CIS-DI-0008", "DKL-LI-0003");
    for (int i = 0; i < 4; i++) {
      Element c = (Element) cases.item(i);
      assertEquals(failingIds.get(i), c.getAttribute("classname"));
      assertEquals(1, c.getElementsByTagName("failure").getLength());
    }
  }

  @Test
  void hostileTextStillGivesWellFormedXml() throws Exception {
    Document doc = parse(Fixtures.render(ReportWriters.junit(), Fixtures.report()));
    Element hostile = (Element) doc.getElementsByTagName("testcase").item(3);
    String body = hostile.getElementsByTagName("failure").item(0).getTextContent();
    assertTrue(body.contains("bell\\u0007 and nul\\u0000 and lone surrogate \\ud800 end"), body);
    assertTrue(
        hostile.getAttribute("name").contains("\\u001b[2J\\nname\\u0085\\u202e.txt"),
        hostile.getAttribute("name"));
  }

  @Test
  void emptyReportWithoutRulesIsAnEmptySuite() throws Exception {
    Document doc = parse(Fixtures.render(ReportWriters.junit(), Report.of(Map.of(), List.of())));
    Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
    assertEquals("caulk", suite.getAttribute("name"));
    assertEquals("0", suite.getAttribute("tests"));
    assertEquals(0, suite.getElementsByTagName("testcase").getLength());
  }
}
