package dev.caulk.sign;

import java.io.IOException;

/**
 * Makes signatures. The key-file signer is {@link #ecdsa}; a keyless (Fulcio certificate) signer
 * can be added behind this interface without touching the payload, envelope or storage code.
 */
public interface Signer {
  /** The signature over {@code data}: for ECDSA, SHA-256 then ASN.1 DER, as cosign writes. */
  byte[] sign(byte[] data) throws IOException;

  /**
   * A hint naming the key for DSSE's {@code keyid}, or null (cosign leaves it empty for key files).
   */
  default String keyId() {
    return null;
  }

  /** A signer with an ECDSA P-256 private key. */
  static Signer ecdsa(java.security.PrivateKey key) {
    return data -> Ecdsa.sign(key, data);
  }
}
