package dev.caulk.scan.sbom;

import dev.caulk.scan.catalog.Inventory;
import dev.caulk.scan.catalog.OsRelease;
import dev.caulk.scan.catalog.Package;
import dev.caulk.scan.vuln.Vulnerability;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.cyclonedx.Version;
import org.cyclonedx.exception.GeneratorException;
import org.cyclonedx.generators.BomGeneratorFactory;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Dependency;
import org.cyclonedx.model.License;
import org.cyclonedx.model.LicenseChoice;
import org.cyclonedx.model.Metadata;
import org.cyclonedx.model.Property;
import org.cyclonedx.model.metadata.ToolInformation;

/**
 * A CycloneDX 1.6 BOM for an image, in the shape Trivy and Syft made familiar: the image as {@code
 * metadata.component} (type container), one {@code operating-system} component, a {@code library}
 * component per package (an {@code application} for a Go main module), and {@code dependencies}
 * image → OS → OS packages and image → other packages. caulk's own facts travel as {@code caulk:*}
 * properties (CycloneDX property taxonomy: a tool-name prefix), and are what {@link SbomReader}
 * reads back. With vulnerabilities (from {@code caulk scan}) the BOM also carries a {@code
 * vulnerabilities} section, one entry per vulnerability id, affecting components by {@code
 * bom-ref}.
 */
final class CycloneDxDocument {
  static final String IMAGE_REF = "image";

  private CycloneDxDocument() {}

  static String write(
      SbomSubject subject,
      Inventory inventory,
      List<Vulnerability> vulnerabilities,
      String toolVersion,
      Instant created)
      throws IOException {
    Bom bom = new Bom();
    bom.setSerialNumber("urn:uuid:" + DocumentIds.uuid5("caulk:cyclonedx:" + subject.digest()));
    bom.setVersion(1);
    Metadata md = new Metadata();
    md.setTimestamp(Date.from(created));
    Component tool = new Component();
    tool.setType(Component.Type.APPLICATION);
    tool.setName("caulk");
    tool.setVersion(toolVersion);
    ToolInformation tools = new ToolInformation();
    tools.setComponents(List.of(tool));
    md.setToolChoice(tools);
    Component image = new Component();
    image.setType(Component.Type.CONTAINER);
    image.setBomRef(IMAGE_REF);
    image.setName(subject.displayName());
    image.setVersion(subject.digest().toString());
    image.setPurl(subject.purl().toString());
    image.addProperty(new Property("caulk:image:digest", subject.digest().toString()));
    md.setComponent(image);
    bom.setMetadata(md);

    OsRelease os = inventory.os();
    Dependency imageDep = new Dependency(IMAGE_REF);
    Dependency osDep = null;
    // Dependency.addDependency searches the list for a duplicate on every call (quadratic in the
    // packages);
    // every bom-ref here is unique, so the lists are built directly and set once.
    List<Dependency> imageDeps = new ArrayList<>();
    List<Dependency> osDeps = new ArrayList<>();
    List<Component> components = new ArrayList<>();
    if (os.isKnown()) {
      Component c = new Component();
      c.setType(Component.Type.OPERATING_SYSTEM);
      String ref = "os:" + os.id() + (os.versionId() == null ? "" : "@" + os.versionId());
      c.setBomRef(ref);
      c.setName(os.id());
      c.setVersion(os.versionId() != null ? os.versionId() : os.versionCodename());
      if (os.prettyName() != null) c.setDescription(os.prettyName());
      if (os.distroless()) c.addProperty(new Property("caulk:os:distroless", "true"));
      if (os.versionCodename() != null)
        c.addProperty(new Property("caulk:os:codename", os.versionCodename()));
      components.add(c);
      osDep = new Dependency(ref);
      imageDeps.add(new Dependency(ref));
    }
    Map<String, Integer> refs = new HashMap<>();
    Map<Package, String> bomRefs = new IdentityHashMap<>();
    Map<Package, String> bomRefsByValue = new HashMap<>();
    for (Package p : inventory.packages()) {
      Component c = component(p, refs);
      components.add(c);
      bomRefs.put(p, c.getBomRef());
      bomRefsByValue.putIfAbsent(p, c.getBomRef());
      if (osDep != null && p.type().isOsPackage()) osDeps.add(new Dependency(c.getBomRef()));
      else imageDeps.add(new Dependency(c.getBomRef()));
    }
    if (!imageDeps.isEmpty()) imageDep.setDependencies(imageDeps);
    if (osDep != null && !osDeps.isEmpty()) osDep.setDependencies(osDeps);
    bom.setComponents(components);
    List<Dependency> deps = new ArrayList<>();
    deps.add(imageDep);
    if (osDep != null) deps.add(osDep);
    bom.setDependencies(deps);
    if (!vulnerabilities.isEmpty()) {
      bom.setVulnerabilities(
          CycloneDxVulnerabilities.of(
              vulnerabilities,
              p -> {
                String ref = bomRefs.get(p);
                return ref != null ? ref : bomRefsByValue.get(p);
              }));
    }
    try {
      return BomGeneratorFactory.createJson(Version.VERSION_16, bom).toJsonString(true) + "\n";
    } catch (GeneratorException e) {
      throw new IOException("CycloneDX: cannot write the BOM: " + e.getMessage(), e);
    }
  }

  private static Component component(Package p, Map<String, Integer> refs) {
    Component c = new Component();
    c.setType(p.mainModule() ? Component.Type.APPLICATION : Component.Type.LIBRARY);
    String purl = p.purl().toString();
    int n = refs.merge(purl, 1, Integer::sum);
    c.setBomRef(n == 1 ? purl : purl + "#" + n);
    if (p.groupId() != null) c.setGroup(p.groupId());
    c.setName(p.name());
    if (p.version() != null) c.setVersion(p.version());
    c.setPurl(purl);
    if (!p.licenses().isEmpty()) {
      LicenseChoice lc = new LicenseChoice();
      for (String l : p.licenses()) {
        License license = new License();
        String id = Licenses.canonicalId(l);
        if (id != null) license.setId(id);
        else license.setName(l);
        lc.addLicense(license);
      }
      c.setLicenses(lc);
    }
    List<Property> props = new ArrayList<>();
    props.add(new Property("caulk:package:type", p.type().purlType()));
    props.add(new Property("caulk:package:cataloger", p.cataloger()));
    if (p.sourceName() != null) props.add(new Property("caulk:package:sourceName", p.sourceName()));
    if (p.sourceVersion() != null)
      props.add(new Property("caulk:package:sourceVersion", p.sourceVersion()));
    if (p.arch() != null) props.add(new Property("caulk:package:arch", p.arch()));
    if (!p.locations().isEmpty())
      props.add(new Property("caulk:location:0:path", p.locations().get(0)));
    if (p.locations().size() > 1)
      props.add(new Property("caulk:package:ownedFiles", String.valueOf(p.locations().size() - 1)));
    p.properties().forEach((k, v) -> props.add(new Property("caulk:package:" + k, v)));
    c.setProperties(props);
    return c;
  }
}
