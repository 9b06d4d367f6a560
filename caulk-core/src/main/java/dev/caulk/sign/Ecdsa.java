package dev.caulk.sign;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

/** ECDSA with SHA-256 through the JDK. */
final class Ecdsa {
  private Ecdsa() {}

  static byte[] sign(PrivateKey key, byte[] data) {
    try {
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(key);
      s.update(data);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ECDSA signing failed: " + e.getMessage(), e);
    }
  }

  /**
   * True when {@code sig} is a valid signature of {@code data}: ASN.1 DER (what cosign, skopeo and
   * caulk write) or, 64 bytes long, the raw r‖s form the DSSE test vectors use.
   */
  static boolean verify(PublicKey key, byte[] data, byte[] sig) {
    try {
      if (verify("SHA256withECDSA", key, data, sig)) return true;
    } catch (GeneralSecurityException e) {
      // not DER: maybe raw r||s
    }
    if (sig.length != 64) return false;
    try {
      return verify("SHA256withECDSAinP1363Format", key, data, sig);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static boolean verify(String alg, PublicKey key, byte[] data, byte[] sig)
      throws GeneralSecurityException {
    Signature s = Signature.getInstance(alg);
    s.initVerify(key);
    s.update(data);
    return s.verify(sig);
  }
}
