package dev.caulk.scan.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.scan.ecosystem.Ecosystems;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VersionSchemeTest {
  @Test
  void lookupByOsvEcosystemNameWithOrWithoutRelease() {
    assertEquals(Optional.of(VersionScheme.dpkg()), Ecosystems.scheme("Debian"));
    assertEquals(Optional.of(VersionScheme.dpkg()), Ecosystems.scheme("Debian:12"));
    assertEquals(Optional.of(VersionScheme.dpkg()), Ecosystems.scheme("Ubuntu:22.04:LTS"));
    assertEquals(Optional.of(VersionScheme.apk()), Ecosystems.scheme("Alpine:v3.20"));
    assertEquals(Optional.of(VersionScheme.apk()), Ecosystems.scheme("Wolfi"));
    assertEquals(Optional.of(VersionScheme.go()), Ecosystems.scheme("Go"));
    assertEquals(Optional.of(VersionScheme.maven()), Ecosystems.scheme("Maven"));
    assertEquals(
        Optional.of(VersionScheme.maven()), Ecosystems.scheme("Maven:https://repo.example.com"));
    assertEquals(Optional.of(VersionScheme.semver()), Ecosystems.scheme("npm"));
    assertEquals(Optional.of(VersionScheme.pep440()), Ecosystems.scheme("PyPI"));
    assertTrue(Ecosystems.scheme("Red Hat:rhel_aus:8.4::appstream").isEmpty());
    assertTrue(Ecosystems.scheme("").isEmpty());
    assertTrue(Ecosystems.scheme(null).isEmpty());
  }

  @Test
  void sortsAListAsAComparator() {
    var list = new java.util.ArrayList<>(java.util.List.of("1.0", "1.0~rc1", "1:0.1", "0.9"));
    list.sort(VersionScheme.dpkg());
    assertEquals(java.util.List.of("0.9", "1.0~rc1", "1.0", "1:0.1"), list);
  }

  @Test
  void nullIsRejected() {
    assertThrows(NullPointerException.class, () -> VersionScheme.apk().compare(null, "1"));
    assertThrows(NullPointerException.class, () -> VersionScheme.maven().isValid(null));
  }
}
