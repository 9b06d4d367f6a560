package dev.caulk.scan.sbom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caulk.digest.Digest;
import dev.caulk.image.Image;
import dev.caulk.image.Layers;
import dev.caulk.scan.catalog.Inventory;
import dev.caulk.scan.vuln.Scanner;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.MediaType;
import dev.caulk.tar.TestTars;
import dev.caulk.testing.DebianRoot;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import org.cyclonedx.Version;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.Test;

/**
 * The SBOMs of a real Debian root (debootstrap minbase) validate against their schemas and read
 * back whole.
 */
class DebianRootSbomTest {
  @Test
  void realRootSbomsValidateAndRoundTrip() throws Exception {
    DebianRoot debian = DebianRoot.get();
    Digest d = Digest.parse("sha256:" + debian.sha256());
    Image image =
        TestTars.imageOf(
            List.of(
                Layers.fromFile(
                    debian.tarball(),
                    Descriptor.of(MediaType.OCI_LAYER, d, Files.size(debian.tarball())),
                    d)));
    Inventory inv = Scanner.catalog(image);
    SbomSubject subject = new SbomSubject("debian", "12", image.digest(), "amd64");
    byte[] cdx = SbomWriterTest.WRITER.write(SbomFormat.CYCLONEDX, subject, inv);
    assertEquals(
        List.of(),
        new JsonParser()
            .validate(cdx, Version.VERSION_16).stream().map(Throwable::getMessage).toList());
    byte[] spdx = SbomWriterTest.WRITER.write(SbomFormat.SPDX, subject, inv);
    JsonNode spdxTree = SbomWriterTest.JSON.readTree(spdx);
    assertEquals(Set.of(), SbomWriterTest.spdxSchemaErrors(spdxTree));
    assertEquals(
        inv.packages().size() + 2, spdxTree.path("packages").size(), "image, OS and every package");
    for (byte[] doc : List.of(cdx, spdx)) {
      Inventory back = SbomReader.read(doc, "debian.json").inventory();
      assertEquals(SbomReaderTest.identities(inv), SbomReaderTest.identities(back));
    }
    assertTrue(
        new String(cdx, java.nio.charset.StandardCharsets.UTF_8).contains("upstream=glibc"),
        "libc6's source package is in its purl");
  }
}
