package dev.caulk.scan.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Canonical purls, checked against vectors of the purl specification's own test suite. */
class PurlTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // input | canonical output (purl-spec tests/types/*-test.json, roundtrip cases)
        "pkg:deb/debian/attr@1:2.4.47-2%2Bb1?arch=amd64 | pkg:deb/debian/attr@1:2.4.47-2%2Bb1?arch=amd64",
        "pkg:deb/debian/attr@1:2.4.47-2?arch=source | pkg:deb/debian/attr@1:2.4.47-2?arch=source",
        "pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie | pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie",
        "pkg:oci/debian@sha256%3A244fd47e07d10?repository_url=docker.io/library/debian&arch=amd64&tag=latest"
            + " | pkg:oci/debian@sha256:244fd47e07d10?arch=amd64&repository_url=docker.io%2Flibrary%2Fdebian&tag=latest",
        "pkg:GOLANG/google.golang.org/genproto@abcdedf#/googleapis/api/annotations/"
            + " | pkg:golang/google.golang.org/genproto@abcdedf#googleapis/api/annotations",
        "pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1?packaging=sources | pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1?packaging=sources",
        "pkg:golang/github.com/gorilla/context@234fd47e07d1004f0aed9c | pkg:golang/github.com/gorilla/context@234fd47e07d1004f0aed9c",
      })
  void roundTripsToCanonical(String input, String canonical) {
    assertEquals(canonical, Purl.parse(input).toString());
    assertEquals(Purl.parse(canonical), Purl.parse(input));
  }

  @Test
  void buildsWithSpecEncoding() {
    // The colon is never encoded (purl spec, "Character encoding"); '+' and '/' in values are.
    Purl p =
        Purl.of("deb", "Debian", "LibSSL3", "1:3.0.11-1~deb12u2+b1")
            .withQualifier("arch", "amd64")
            .withQualifier("distro", "debian-12")
            .withQualifier("upstream", "openssl@3.0.11-1");
    assertEquals(
        "pkg:deb/debian/libssl3@1:3.0.11-1~deb12u2%2Bb1?arch=amd64&distro=debian-12&upstream=openssl%403.0.11-1",
        p.toString());
    assertEquals(
        "pkg:golang/github.com/Azure/go-autorest@v14.2.0%2Bincompatible",
        Purl.of("golang", "github.com/Azure", "go-autorest", "v14.2.0+incompatible").toString());
    assertEquals(
        "pkg:golang/stdlib@1.22.1", Purl.of("golang", null, "stdlib", "1.22.1").toString());
    assertEquals("pkg:generic/a%20b@1%C3%A9", Purl.of("generic", null, "a b", "1é").toString());
  }

  @Test
  void qualifiersAreSortedAndEmptyOnesDropped() {
    Map<String, String> q =
        new TreeMap<>(Map.of("Distro", "alpine-3.20.3", "arch", "x86_64", "empty", ""));
    Purl p = new Purl("apk", "alpine", "musl", "1.2.5-r0", new TreeMap<>(q), null);
    assertEquals("pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64&distro=alpine-3.20.3", p.toString());
    assertEquals(p, Purl.parse(p.toString()));
  }

  @Test
  void rejectsNonPurls() {
    assertThrows(IllegalArgumentException.class, () -> Purl.parse("http://x/y"));
    assertThrows(IllegalArgumentException.class, () -> Purl.parse("pkg:deb"));
    assertThrows(IllegalArgumentException.class, () -> Purl.of("deb", "debian", "", "1"));
    assertThrows(IllegalArgumentException.class, () -> Purl.of("de b", "debian", "x", "1"));
  }
}
