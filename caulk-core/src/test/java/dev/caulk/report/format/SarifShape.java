package dev.caulk.report.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;

/**
 * Checks a SARIF log against the parts of sarif-schema-2.1.0.json that our writer uses: the allowed
 * property names of each object (the schema sets additionalProperties false on all of them except
 * property bags), required properties, enums, minimums and the uri-reference format. Transcribed
 * from the OASIS schema so the test needs no schema validator dependency.
 */
final class SarifShape {
  private static final Set<String> LEVELS = Set.of("none", "note", "warning", "error");

  static void check(JsonNode log) {
    allowed(
        log, "sarifLog", "$schema", "version", "runs", "inlineExternalProperties", "properties");
    assertEquals("2.1.0", log.path("version").asText());
    assertTrue(URI.create(log.get("$schema").asText()).isAbsolute());
    assertTrue(log.get("runs").isArray());
    for (JsonNode run : log.get("runs")) {
      allowed(
          run,
          "run",
          "tool",
          "invocations",
          "conversion",
          "language",
          "versionControlProvenance",
          "originalUriBaseIds",
          "artifacts",
          "logicalLocations",
          "graphs",
          "results",
          "automationDetails",
          "runAggregates",
          "baselineGuid",
          "redactionTokens",
          "defaultEncoding",
          "defaultSourceLanguage",
          "newlineSequences",
          "columnKind",
          "externalPropertyFileReferences",
          "threadFlowLocations",
          "taxonomies",
          "addresses",
          "translations",
          "policies",
          "webRequests",
          "webResponses",
          "specialLocations",
          "properties");
      JsonNode tool = required(run, "tool");
      allowed(tool, "tool", "driver", "extensions", "properties");
      JsonNode driver = required(tool, "driver");
      allowed(
          driver,
          "toolComponent",
          "guid",
          "name",
          "organization",
          "product",
          "productSuite",
          "shortDescription",
          "fullDescription",
          "fullName",
          "version",
          "semanticVersion",
          "dottedQuadFileVersion",
          "releaseDateUtc",
          "downloadUri",
          "informationUri",
          "globalMessageStrings",
          "notifications",
          "rules",
          "taxa",
          "locations",
          "language",
          "contents",
          "isComprehensive",
          "localizedDataSemanticVersion",
          "minimumRequiredLocalizedDataSemanticVersion",
          "associatedComponent",
          "translationMetadata",
          "supportedTaxonomies",
          "properties");
      required(driver, "name");
      Set<String> ruleIds = new HashSet<>();
      for (JsonNode rule : driver.path("rules")) {
        allowed(
            rule,
            "reportingDescriptor",
            "id",
            "deprecatedIds",
            "guid",
            "deprecatedGuids",
            "name",
            "deprecatedNames",
            "shortDescription",
            "fullDescription",
            "messageStrings",
            "defaultConfiguration",
            "helpUri",
            "help",
            "relationships",
            "properties");
        assertTrue(
            ruleIds.add(required(rule, "id").asText()), "rules are unique: " + rule.get("id"));
        multiformat(rule.get("shortDescription"));
        multiformat(rule.get("help"));
        if (rule.has("helpUri")) {
          assertTrue(URI.create(rule.get("helpUri").asText()).isAbsolute());
        }
        JsonNode config = rule.get("defaultConfiguration");
        if (config != null) {
          allowed(
              config,
              "reportingConfiguration",
              "enabled",
              "level",
              "rank",
              "parameters",
              "properties");
          assertTrue(LEVELS.contains(config.get("level").asText()));
        }
        propertyBag(rule.get("properties"));
      }
      if (run.has("properties")) {
        propertyBag(run.get("properties"));
      }
      for (JsonNode result : run.path("results")) {
        allowed(
            result,
            "result",
            "ruleId",
            "ruleIndex",
            "rule",
            "kind",
            "level",
            "message",
            "analysisTarget",
            "locations",
            "guid",
            "correlationGuid",
            "occurrenceCount",
            "partialFingerprints",
            "fingerprints",
            "stacks",
            "codeFlows",
            "graphs",
            "graphTraversals",
            "relatedLocations",
            "suppressions",
            "baselineState",
            "rank",
            "attachments",
            "hostedViewerUri",
            "workItemUris",
            "provenance",
            "fixes",
            "taxa",
            "webRequest",
            "webResponse",
            "properties");
        JsonNode message = required(result, "message");
        allowed(message, "message", "text", "markdown", "id", "arguments", "properties");
        assertTrue(message.has("text") || message.has("id"));
        assertTrue(LEVELS.contains(result.get("level").asText()));
        int index = result.get("ruleIndex").asInt();
        assertTrue(index >= 0, "ruleIndex");
        assertEquals(
            driver.get("rules").get(index).get("id").asText(), result.get("ruleId").asText());
        for (JsonNode location : result.path("locations")) {
          allowed(
              location,
              "location",
              "id",
              "physicalLocation",
              "logicalLocations",
              "message",
              "annotations",
              "relationships",
              "properties");
          JsonNode physical = location.get("physicalLocation");
          allowed(
              physical,
              "physicalLocation",
              "address",
              "artifactLocation",
              "region",
              "contextRegion",
              "properties");
          JsonNode artifact = required(physical, "artifactLocation");
          allowed(
              artifact,
              "artifactLocation",
              "uri",
              "uriBaseId",
              "index",
              "description",
              "properties");
          uriReference(artifact.get("uri").asText());
          JsonNode region = physical.get("region");
          if (region != null) {
            allowed(
                region,
                "region",
                "startLine",
                "startColumn",
                "endLine",
                "endColumn",
                "charOffset",
                "charLength",
                "byteOffset",
                "byteLength",
                "snippet",
                "message",
                "sourceLanguage",
                "properties");
            assertTrue(region.get("startLine").asInt() >= 1);
          }
        }
        JsonNode fps = result.get("partialFingerprints");
        if (fps != null) {
          fps.elements().forEachRemaining(v -> assertTrue(v.isTextual()));
        }
        if (result.has("properties")) {
          propertyBag(result.get("properties"));
        }
      }
    }
  }

  private static void multiformat(JsonNode n) {
    if (n == null) {
      return;
    }
    allowed(n, "multiformatMessageString", "text", "markdown", "properties");
    assertTrue(n.get("text").isTextual());
  }

  private static void propertyBag(JsonNode bag) {
    if (bag == null) {
      return;
    }
    assertTrue(bag.isObject());
    JsonNode tags = bag.get("tags");
    if (tags != null) {
      Set<String> seen = new HashSet<>();
      tags.forEach(
          t -> assertTrue(t.isTextual() && seen.add(t.asText()), "tags must be unique strings"));
    }
  }

  private static void uriReference(String uri) {
    try {
      URI u = new URI(uri);
      assertFalse(u.isAbsolute(), "artifact uri should be relative: " + uri);
    } catch (URISyntaxException e) {
      fail("not a uri-reference: " + uri);
    }
  }

  private static JsonNode required(JsonNode n, String name) {
    assertTrue(n.has(name), "missing required " + name + " in " + n);
    return n.get(name);
  }

  private static void allowed(JsonNode n, String what, String... names) {
    assertTrue(n != null && n.isObject(), what + " must be an object");
    Set<String> ok = Set.of(names);
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      assertTrue(ok.contains(name), what + " may not have property '" + name + "'");
    }
  }

  private SarifShape() {}
}
