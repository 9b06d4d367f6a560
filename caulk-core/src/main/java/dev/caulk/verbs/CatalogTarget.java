package dev.caulk.verbs;

import dev.caulk.event.EventListener;
import dev.caulk.image.Image;
import dev.caulk.location.ImageLocation;
import dev.caulk.location.Locations;
import dev.caulk.name.Reference;
import dev.caulk.report.Report;
import dev.caulk.scan.catalog.Inventory;
import dev.caulk.scan.catalog.Problem;
import dev.caulk.scan.sbom.SbomSubject;
import dev.caulk.scan.vuln.Scanner;
import dev.caulk.spec.Platform;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An image opened for {@link Sbom} and {@link Scan}: its package inventory from one pass, and what
 * to call it. Opening and the platform choice are {@link Open#image}'s.
 */
record CatalogTarget(SbomSubject subject, Inventory inventory, String platform) {

  /** Opens the location, picks the platform, and catalogs the image in one pass over its layers. */
  static CatalogTarget open(ImageLocation location, Platform platform, Session session)
      throws IOException {
    EventListener events = session.events();
    Image image = Open.image(location, platform, session).image();
    Platform actual = image.config().platform();
    events.info(
        "cataloging " + Locations.describe(location) + " (" + image.layers().size() + " layers)…");
    Inventory inventory = Scanner.catalog(image);
    for (Problem p : inventory.problems()) {
      // a spent image-wide budget changes what the SBOM means: said in CI and pipes too, not only
      // with --debug
      if (p.reason().contains("budget")) {
        events.warn(p.path() + ": " + p.reason());
      } else {
        events.debug("not fully read: " + p);
      }
    }
    return new CatalogTarget(subject(location, image, actual), inventory, actual.toString());
  }

  /**
   * The SBOM subject: the repository and tag for registry images, the location string otherwise.
   */
  private static SbomSubject subject(ImageLocation location, Image image, Platform platform)
      throws IOException {
    Optional<Reference> ref = location.imageReference();
    String name = ref.map(Reference::name).orElse(location.toString());
    String tag = ref.map(Reference::tag).orElse(null);
    return new SbomSubject(
        name, tag, image.digest(), platform == null ? null : platform.architecture());
  }

  /** The report subject: image, digest and platform. */
  Map<String, String> reportSubject() {
    Map<String, String> s = new TreeMap<>();
    s.put(Report.IMAGE, subject.displayName());
    s.put(Report.DIGEST, subject.digest().toString());
    if (platform != null) {
      s.put(Report.PLATFORM, platform);
    }
    return s;
  }
}
