package dev.caulk.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChallengeTest {
  @Test
  void bearerWithQuotedCommasInScope() {
    List<Challenge> cs =
        Challenge.parse(
            "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:samalba/my-app:pull,push\"");
    assertEquals(1, cs.size());
    Challenge c = cs.get(0);
    assertTrue(c.isBearer());
    assertEquals("https://auth.docker.io/token", c.param("realm"));
    assertEquals("registry.docker.io", c.param("service"));
    assertEquals(List.of("repository:samalba/my-app:pull,push"), c.scopes());
  }

  @Test
  void basicRealmWithSpacesAndEscapes() {
    Challenge c = Challenge.parse("Basic realm=\"Registry \\\"Realm\\\", main\"").get(0);
    assertTrue(c.isBasic());
    assertEquals(Map.of("realm", "Registry \"Realm\", main"), c.params());
  }

  @Test
  void severalChallengesInOneHeaderAndCaseInsensitiveNames() {
    List<Challenge> cs =
        Challenge.parse(
            "Negotiate abc123==, BASIC Realm=x , bearer REALM=\"https://t/token\", error=\"insufficient_scope\","
                + " scope=\"repository:a:pull repository:b:pull\"");
    assertEquals(3, cs.size());
    assertEquals("negotiate", cs.get(0).scheme());
    assertTrue(cs.get(0).params().isEmpty());
    assertEquals("x", cs.get(1).param("realm"));
    assertEquals("https://t/token", cs.get(2).param("realm"));
    assertEquals("insufficient_scope", cs.get(2).param("error"));
    assertEquals(List.of("repository:a:pull", "repository:b:pull"), cs.get(2).scopes());
  }

  @Test
  void pickPrefersBearerAcrossHeaders() {
    Challenge c =
        Challenge.pick(List.of("Basic realm=\"r\"", "Bearer realm=\"https://t\",service=\"s\""));
    assertTrue(c.isBearer());
    assertTrue(Challenge.pick(List.of("Basic realm=\"r\"")).isBasic());
    assertNull(Challenge.pick(List.of("Digest realm=\"r\"", "")));
    assertNull(Challenge.pick(List.of()));
  }

  @Test
  void garbageDoesNotThrow() {
    for (String s :
        new String[] {
          "", ",,,", "=", "Bearer realm=\"unterminated", "Bearer ,=,\"", "\u0000\u00ff"
        }) {
      Challenge.parse(s);
    }
    assertEquals(
        "unterminated", Challenge.parse("Bearer realm=\"unterminated").get(0).param("realm"));
  }

  @Test
  void scopesAreAtomicAndRegroup() {
    Set<String> atomic =
        Auth.atomic(List.of("repository:a:pull,push", "repository:b:pull", "registry:catalog:*"));
    assertEquals(
        Set.of("repository:a:pull", "repository:a:push", "repository:b:pull", "registry:catalog:*"),
        atomic);
    assertEquals(
        List.of("registry:catalog:*", "repository:a:pull,push", "repository:b:pull"),
        Auth.wireScopes(atomic));
  }
}
