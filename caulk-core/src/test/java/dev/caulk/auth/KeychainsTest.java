package dev.caulk.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeychainsTest {
  @Test
  void fixedMatchesItsRegistryAndHubAliases() throws IOException {
    Credential c = Credential.parse("alice:pa:ss");
    assertEquals("alice", c.username());
    assertEquals("pa:ss", c.password());
    assertEquals(Optional.of(c), Keychains.fixed("127.0.0.1:5000", c).resolve("127.0.0.1:5000"));
    assertTrue(Keychains.fixed("127.0.0.1:5000", c).resolve("127.0.0.1:5001").isEmpty());
    assertEquals(Optional.of(c), Keychains.fixed("docker.io", c).resolve("registry-1.docker.io"));
  }

  @Test
  void chainAsksInOrder() throws IOException {
    Credential a = Credential.basic("a", "1");
    Credential b = Credential.basic("b", "2");
    Keychain k =
        Keychains.chain(
            Keychains.anonymous(),
            Keychains.fixed("x.example", a),
            Keychains.fixed("x.example", b),
            Keychains.fixed("y.example", b));
    assertEquals(Optional.of(a), k.resolve("x.example"));
    assertEquals(Optional.of(b), k.resolve("y.example"));
    assertTrue(k.resolve("z.example").isEmpty());
  }

  @Test
  void toStringMasksAndParseNeverEchoes() {
    Credential c = Credential.basic("alice", "hunter2");
    assertEquals("Credential[username=alice, password=****]", c.toString());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Credential.parse("hunter2-no-colon"));
    assertFalse(e.getMessage().contains("hunter2"));
  }
}
