package dev.caulk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caulk.sign.SimpleSigning;
import dev.caulk.sign.Statement;
import dev.caulk.sign.Verification;
import dev.caulk.spec.SpecJson;
import dev.caulk.verbs.Verify;
import java.io.IOException;
import java.util.List;

/** How verify, verify-attestation and tree print: a table for people, JSON for scripts. */
final class SignOutput {
  /** --format of the signature verbs. */
  enum Format {
    table,
    json
  }

  private SignOutput() {}

  /** One table line: {@code OK|FAILED SCHEME LAYER WHERE [reason]}. */
  static String line(Verify.Found f) {
    Verification.Check c = f.check();
    String head =
        String.format(
            "%-7s %-10s %s %s", c.verified() ? "OK" : "FAILED", f.scheme(), c.layer(), f.where());
    return c.verified() ? head : head + ": " + c.reason();
  }

  /**
   * A signature or attestation as JSON: scheme, where, layer, verified, reason, and what it says.
   */
  static ObjectNode json(Verify.Found f) {
    Verification.Check c = f.check();
    ObjectNode n = SpecJson.mapper().createObjectNode();
    n.put("scheme", f.scheme());
    n.put("where", f.where());
    n.put("layer", c.layer().toString());
    n.put("verified", c.verified());
    if (c.reason() != null) {
      n.put("reason", c.reason());
    }
    SimpleSigning.Payload p = c.payload();
    if (p != null) {
      n.put("identity", p.dockerReference());
      n.put("digest", p.manifestDigest());
      n.set("annotations", SpecJson.mapper().valueToTree(p.optional()));
    }
    Statement st = c.statement();
    if (st != null) {
      n.put("predicateType", st.predicateType());
      n.set("statement", statement(st));
    }
    return n;
  }

  static JsonNode statement(Statement st) {
    try {
      return SpecJson.mapper().readTree(st.toJson());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The one error line for failed verification: the first problem and how many more there are. */
  static String failure(String what, List<String> problems) {
    String first = problems.isEmpty() ? "nothing verified" : problems.get(0);
    String more =
        problems.size() > 1
            ? " (and "
                + (problems.size() - 1)
                + " more problem"
                + (problems.size() > 2 ? "s" : "")
                + ")"
            : "";
    return what + " failed: " + Errors.oneLine(first) + more;
  }

  static String pretty(JsonNode n) throws IOException {
    return SpecJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(n);
  }
}
