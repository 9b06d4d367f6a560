package dev.caulk.scan.sbom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caulk.scan.catalog.Inventory;
import dev.caulk.scan.catalog.Package;
import dev.caulk.scan.catalog.PackageType;
import dev.caulk.scan.catalog.Purl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * CycloneDX writing is linear in the package count (the model's addDependency searched its list on
 * every add).
 */
class SbomScaleTest {
  @Test
  void sixtyThousandPackagesInCycloneDx() throws Exception {
    int n = 60_000;
    List<Package> p = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String name = "pkg" + i;
      p.add(
          Package.builder(PackageType.DEB, name, "1.0")
              .purl(Purl.of("deb", "debian", name, "1.0"))
              .cataloger("dpkg-db")
              .location("/var/lib/dpkg/status")
              .build());
    }
    Inventory inv = new Inventory(SbomWriterTest.DEBIAN, p, List.of());
    byte[] out =
        assertTimeoutPreemptively(
            Duration.ofSeconds(15),
            () -> SbomWriterTest.WRITER.write(SbomFormat.CYCLONEDX, SbomWriterTest.SUBJECT, inv));
    JsonNode bom = SbomWriterTest.JSON.readTree(out);
    assertEquals(n + 1, bom.path("components").size());
    int deps = 0;
    for (JsonNode d : bom.path("dependencies")) deps += d.path("dependsOn").size();
    assertEquals(n + 1, deps); // the image on the OS, the OS on every package
  }
}
