package dev.caulk.scan.vuln;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caulk.report.Contents;
import dev.caulk.scan.catalog.OsRelease;
import dev.caulk.scan.catalog.Package;
import dev.caulk.scan.db.EcosystemStatus;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A scan report's inventory: the operating system, how many packages, the database's ecosystems,
 * what could not be matched or decided, and the structured vulnerabilities ({@code caulk.scan/v1}).
 * The table leaves out what its findings table already shows (the vulnerabilities) and what the
 * subject lines say (schema, os, packages), and the empty sections.
 */
record ScanInventory(ScanResult result) implements Contents {
  private static final ObjectMapper JSON = new ObjectMapper();

  ScanInventory {
    Objects.requireNonNull(result, "result");
  }

  @Override
  public ObjectNode forPeople() {
    ObjectNode root = JSON.createObjectNode();
    if (!result.database().ecosystems().isEmpty()) {
      ArrayNode db = root.putArray("database");
      for (EcosystemStatus e : result.database().ecosystems()) {
        db.addObject()
            .put("ecosystem", e.ecosystem())
            .put("records", e.records())
            .put("importedAt", e.importedAt().truncatedTo(ChronoUnit.SECONDS).toString());
      }
    }
    if (!result.missingEcosystems().isEmpty()) {
      ArrayNode missing = root.putArray("missingEcosystems");
      result.missingEcosystems().forEach(missing::add);
    }
    if (!result.skipped().isEmpty()) {
      ObjectNode skipped = root.putObject("skipped");
      result.skipped().forEach(skipped::put);
    }
    if (!result.undetermined().isEmpty()) {
      ArrayNode und = root.putArray("undetermined");
      result.undetermined().forEach(und::add);
    }
    return root;
  }

  @Override
  public ObjectNode toJson() {
    ScanResult r = result;
    ObjectNode root = JSON.createObjectNode();
    root.put("schema", VulnerabilityReport.SCHEMA);
    OsRelease os = r.inventory().os();
    ObjectNode o = root.putObject("os");
    o.put("id", os.id());
    o.put("versionId", os.versionId());
    o.put("codename", os.versionCodename());
    o.put("prettyName", os.prettyName());
    root.put("packages", r.inventory().packages().size());
    ArrayNode db = root.putArray("database");
    for (EcosystemStatus e : r.database().ecosystems()) {
      ObjectNode n = db.addObject();
      n.put("ecosystem", e.ecosystem());
      n.put("records", e.records());
      n.put("importedAt", e.importedAt().truncatedTo(ChronoUnit.SECONDS).toString());
    }
    ArrayNode missing = root.putArray("missingEcosystems");
    r.missingEcosystems().forEach(missing::add);
    ObjectNode skipped = root.putObject("skipped");
    r.skipped().forEach(skipped::put);
    ArrayNode und = root.putArray("undetermined");
    r.undetermined().forEach(und::add);
    ArrayNode vs = root.putArray("vulnerabilities");
    for (Vulnerability v : r.vulnerabilities()) {
      ObjectNode n = vs.addObject();
      n.put("id", v.id());
      n.put("advisory", v.advisory());
      ArrayNode al = n.putArray("aliases");
      v.aliases().forEach(al::add);
      n.put("severity", v.severity().name());
      if (v.rating().score().isPresent()) n.put("score", v.rating().score().getAsDouble());
      n.put("severitySource", v.rating().source());
      if (!v.rating().detail().isEmpty()) n.put("severityDetail", v.rating().detail());
      Package p = v.pkg();
      ObjectNode pn = n.putObject("package");
      pn.put("name", p.name());
      pn.put("version", p.version());
      pn.put("type", p.type().purlType());
      pn.put("purl", p.purl().toString());
      if (p.sourceName() != null) pn.put("sourceName", p.sourceName());
      if (p.sourceVersion() != null) pn.put("sourceVersion", p.sourceVersion());
      if (!p.locations().isEmpty()) pn.put("location", p.locations().get(0));
      n.put("ecosystem", v.ecosystem());
      n.put("matchedName", v.matchedName());
      n.put("matchedVersion", v.matchedVersion());
      if (v.fixedVersion().isPresent()) n.put("fixedVersion", v.fixedVersion().get());
      else n.putNull("fixedVersion");
      n.put("title", v.title());
      ArrayNode refs = n.putArray("references");
      v.references().forEach(refs::add);
    }
    return root;
  }
}
