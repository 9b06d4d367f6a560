package dev.caulk.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DigestTest {
  static final String EMPTY =
      "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  @Test
  void parsesAndPrints() {
    Digest d = Digest.parse(EMPTY);
    assertEquals("sha256", d.algorithm());
    assertEquals(EMPTY, d.toString());
    assertEquals(d, Digest.sha256(new byte[0]));
    assertEquals("sha256:e3b0c44298fc", d.shortString());
  }

  @Test
  void acceptsSha512() {
    Digest d = Digest.parse("sha512:" + "a".repeat(128));
    assertEquals("sha512", d.algorithm());
  }

  @Test
  void rejectsBadDigests() {
    for (String bad :
        new String[] {
          "",
          "sha256",
          "sha256:",
          "md5:" + "a".repeat(32),
          "sha256:" + "A".repeat(64),
          "sha256:" + "a".repeat(63),
          "sha256:../../../etc/passwd" + "a".repeat(40),
          ":abc",
          "sha512:" + "a".repeat(64)
        }) {
      assertThrows(InvalidDigestException.class, () -> Digest.parse(bad), bad);
    }
  }

  @Test
  void verifyingStreamPassesGoodContent() throws IOException {
    byte[] b = "hello".getBytes(StandardCharsets.UTF_8);
    try (VerifyingInputStream in =
        new VerifyingInputStream(new ByteArrayInputStream(b), Digest.sha256(b), 5, "blob")) {
      assertEquals("hello", new String(in.readAllBytes(), StandardCharsets.UTF_8));
      assertEquals(5, in.count());
    }
  }

  @Test
  void verifyingStreamFailsOnWrongDigest() {
    byte[] b = "hello".getBytes(StandardCharsets.UTF_8);
    Digest other = Digest.sha256("world");
    InputStream in = new VerifyingInputStream(new ByteArrayInputStream(b), other, 5, "blob x");
    DigestMismatchException e = assertThrows(DigestMismatchException.class, in::readAllBytes);
    assertTrue(
        e.getMessage().startsWith("blob x: digest mismatch: expected " + other), e.getMessage());
  }

  @Test
  void verifyingStreamFailsOnShortAndLongContent() {
    byte[] b = "hello".getBytes(StandardCharsets.UTF_8);
    InputStream shortIn =
        new VerifyingInputStream(new ByteArrayInputStream(b), Digest.sha256(b), 6, "blob");
    assertTrue(
        assertThrows(DigestMismatchException.class, shortIn::readAllBytes)
            .getMessage()
            .contains("size mismatch"));
    InputStream longIn =
        new VerifyingInputStream(new ByteArrayInputStream(b), Digest.sha256(b), 4, "blob");
    assertTrue(
        assertThrows(DigestMismatchException.class, longIn::readAllBytes)
            .getMessage()
            .contains("more than the expected 4"));
  }

  @Test
  void digestingOutputStreamCounts() throws IOException {
    var sink = new java.io.ByteArrayOutputStream();
    try (DigestingOutputStream out = new DigestingOutputStream(sink)) {
      out.write("hel".getBytes(StandardCharsets.UTF_8));
      out.write('l');
      out.write('o');
      assertEquals(Digest.sha256("hello"), out.digest());
      assertEquals(5, out.count());
    }
  }
}
