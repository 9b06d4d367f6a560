package dev.caulk.cli;

import dev.caulk.image.Image;
import dev.caulk.location.ImageLocation;
import dev.caulk.name.Reference;
import dev.caulk.report.Report;
import dev.caulk.scan.catalog.Inventory;
import dev.caulk.scan.catalog.Problem;
import dev.caulk.scan.sbom.SbomSubject;
import dev.caulk.scan.vuln.Scanner;
import dev.caulk.spec.Platform;
import dev.caulk.verbs.Open;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** An image opened for {@code sbom} and {@code scan}: its inventory from one pass, and what to call it. */
record ImageTarget(SbomSubject subject, Inventory inventory, String platform) {

  /** Opens the location, picks the platform, and catalogs the image in one pass over its layers. */
  static ImageTarget open(ImageLocation location, Platform platform, RegistryFlags registry, Console console) throws IOException {
    Image image = Open.image(location, platform, registry.session(console)).image();
    Platform actual = image.config().platform();
    console.status("cataloging " + location.displayName() + " (" + image.layers().size() + " layers)…");
    Inventory inventory = Scanner.catalog(image);
    for (Problem p : inventory.problems()) {
      // a spent image-wide budget changes what the SBOM means: said in CI and pipes too, not only with --debug
      if (p.reason().contains("budget")) {
        console.alert(p.path() + ": " + p.reason());
      } else {
        console.debug("not fully read: " + p);
      }
    }
    return new ImageTarget(subject(location, image, actual), inventory, actual.toString());
  }

  /** The SBOM subject: the repository and tag for registry and archive images, the location string otherwise. */
  static SbomSubject subject(ImageLocation location, Image image, Platform platform) throws IOException {
    Optional<Reference> ref = location.imageReference();
    String name = ref.map(Reference::name).orElse(location.toString());
    String tag = ref.map(Reference::tag).orElse(null);
    return new SbomSubject(name, tag, image.digest(), platform == null ? null : platform.architecture());
  }

  /** The report subject: image, digest and platform. */
  Map<String, String> reportSubject() {
    Map<String, String> s = new TreeMap<>();
    s.put(Report.IMAGE, subject.displayName());
    s.put(Report.DIGEST, subject.digest().toString());
    if (platform != null) s.put(Report.PLATFORM, platform);
    return s;
  }
}
