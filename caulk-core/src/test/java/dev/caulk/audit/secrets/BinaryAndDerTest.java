package dev.caulk.audit.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class BinaryAndDerTest {
  private final Tokens t = new Tokens(99);

  @Test
  void binaryContentIsSkippedEvenWithATokenInside() {
    byte[] token = t.github("p").getBytes(StandardCharsets.US_ASCII);
    byte[] elf = new byte[4096];
    elf[0] = 0x7f;
    elf[1] = 'E';
    elf[2] = 'L';
    elf[3] = 'F';
    System.arraycopy(token, 0, elf, 100, token.length);
    assertTrue(SecretScanner.isBinary(elf, elf.length));
    assertEquals(List.of(), SecretScanner.scan("/usr/bin/tool", elf));
    // the same token in text is found, which proves the skip above is what hid it
    assertEquals(1, SecretScanner.scan("/x", token).size());
  }

  @Test
  void mostlyControlCharactersIsBinaryButUtf8TextIsNot() {
    byte[] controls = new byte[1000];
    for (int i = 0; i < controls.length; i++) {
      controls[i] = (byte) (i % 5 == 0 ? 0x01 : 'a');
    }
    assertTrue(SecretScanner.isBinary(controls, controls.length));

    String japanese = "設定ファイル。パスワードは下にある。\n".repeat(50) + "token " + t.npm() + "\n";
    byte[] utf8 = japanese.getBytes(StandardCharsets.UTF_8);
    assertFalse(SecretScanner.isBinary(utf8, utf8.length));
    assertEquals(1, SecretScanner.scan("/doc.txt", utf8).size());
    // high bytes that are not UTF-8 (random data without NULs) count as binary
    byte[] noise = new byte[8192];
    for (int i = 0; i < noise.length; i++) {
      noise[i] = (byte) (0x80 + (i * 37) % 128);
    }
    assertTrue(SecretScanner.isBinary(noise, noise.length));
    assertFalse(SecretScanner.isBinary(new byte[0], 0));
  }

  @Test
  void derPrivateKeysAreRecognisedByStructure() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(1024);
    byte[] pkcs8 = rsa.generateKeyPair().getPrivate().getEncoded();
    List<SecretHit> hits = SecretScanner.scan("/app/key.der", pkcs8);
    assertEquals(1, hits.size());
    assertEquals("private-key", hits.get(0).detectorId());
    assertEquals("Private key (DER, PKCS#8)", hits.get(0).title());
    assertEquals(0, hits.get(0).line());
    assertEquals("****", hits.get(0).masked());

    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec("secp256r1"));
    assertEquals(
        "private-key",
        SecretScanner.scan("/k", ec.generateKeyPair().getPrivate().getEncoded())
            .get(0)
            .detectorId());

    // a truncated head (declared length != file size) does not match
    assertEquals(List.of(), SecretScanner.scan("/app/key.der", pkcs8, pkcs8.length + 10L));
  }

  @Test
  void pkcs12ByMagicAndByExtensionButNotTrustStores() throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    char[] pw = ("pw" + t.chars(Tokens.ALNUM, 8)).toCharArray();
    ks.setEntry(
        "k",
        new KeyStore.SecretKeyEntry(new SecretKeySpec(new byte[16], "AES")),
        new KeyStore.PasswordProtection(pw));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ks.store(out, pw);
    byte[] p12 = out.toByteArray();

    List<SecretHit> byMagic = SecretScanner.scan("/app/store.bin", p12);
    assertEquals(List.of("pkcs12-file"), byMagic.stream().map(SecretHit::detectorId).toList());
    assertEquals(
        List.of("pkcs12-file"),
        SecretScanner.scan("/app/client.pfx", new byte[] {1, 2, 0, 3}).stream()
            .map(SecretHit::detectorId)
            .toList());
    assertEquals(List.of(), SecretScanner.scan("/usr/lib/jvm/java-17/lib/security/cacerts", p12));
    assertEquals(List.of(), SecretScanner.scan("/etc/app/truststore.p12", p12));
  }

  @Test
  void derKindRejectsOtherStructures() {
    byte[] cert = {0x30, 0x0a, 0x30, 0x08, (byte) 0xa0, 0x03, 0x02, 0x01, 0x02, 0x02, 0x01, 0x05};
    assertEquals(BinaryContent.DerKind.NONE, BinaryContent.derKind(cert, cert.length, cert.length));
    byte[] sec1 = {0x30, 0x08, 0x02, 0x01, 0x01, 0x04, 0x03, 0x01, 0x02, 0x03};
    assertEquals(
        BinaryContent.DerKind.SEC1_EC, BinaryContent.derKind(sec1, sec1.length, sec1.length));
    byte[] hugeLength = {0x30, (byte) 0x85, 1, 1, 1, 1, 1, 0, 0, 0};
    assertEquals(
        BinaryContent.DerKind.NONE, BinaryContent.derKind(hugeLength, hugeLength.length, 10));
  }
}
