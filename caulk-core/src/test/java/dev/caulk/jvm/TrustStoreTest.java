package dev.caulk.jvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrustStoreTest {
  private static final Path BUNDLE = Path.of("/etc/ssl/certs/ca-certificates.crt");

  private static byte[] bundle() throws IOException {
    assumeTrue(Files.isRegularFile(BUNDLE), "no system CA bundle");
    return Files.readAllBytes(BUNDLE);
  }

  @Test
  void sameBundleSameBytes() throws Exception {
    byte[] pem = bundle();
    byte[] a = TrustStore.pkcs12(pem, "bundle");
    byte[] b = TrustStore.pkcs12(pem.clone(), "bundle");
    assertArrayEquals(a, b);
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(new ByteArrayInputStream(a), new char[0]);
    List<String> aliases = Collections.list(ks.aliases());
    assertFalse(aliases.isEmpty());
    for (String alias : aliases) {
      assertTrue(alias.matches("caulk-[0-9a-f]{16}"), alias);
      assertTrue(ks.isCertificateEntry(alias));
    }
    // a duplicated certificate is stored once
    byte[] twice =
        (new String(pem, StandardCharsets.US_ASCII) + new String(pem, StandardCharsets.US_ASCII))
            .getBytes(StandardCharsets.US_ASCII);
    assertArrayEquals(a, TrustStore.pkcs12(twice, "bundle"));
  }

  @Test
  void hostileBundlesAreOneLineErrors() {
    for (String bad :
        List.of(
            "-----BEGIN CERTIFICATE-----\nnot*base64\n-----END CERTIFICATE-----\n",
            "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
            "hello\n")) {
      JvmException e =
          assertThrows(
              JvmException.class,
              () -> TrustStore.pkcs12(bad.getBytes(StandardCharsets.US_ASCII), "ca.pem"));
      assertTrue(e.getMessage().startsWith("ca.pem: "), e.getMessage());
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
    JvmException empty =
        assertThrows(JvmException.class, () -> TrustStore.pkcs12(new byte[0], "ca.pem"));
    assertEquals("ca.pem: no certificate in the bundle", empty.getMessage());
  }
}
