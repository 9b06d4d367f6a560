package dev.caulk.sign;

import java.security.MessageDigest;
import java.util.Arrays;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * NaCl's {@code crypto_secretbox} (XSalsa20-Poly1305): the first 32 bytes of the XSalsa20 key
 * stream are the one-time Poly1305 key, the rest encrypts the message, and the box is the 16-byte
 * tag followed by the ciphertext.
 */
final class SecretBox {
  static final int KEY_BYTES = 32;
  static final int NONCE_BYTES = 24;
  static final int TAG_BYTES = 16;

  private SecretBox() {}

  static byte[] seal(byte[] message, byte[] nonce, byte[] key) {
    XSalsa20Engine stream = stream(nonce, key);
    byte[] polyKey = keyStream(stream);
    byte[] box = new byte[TAG_BYTES + message.length];
    stream.processBytes(message, 0, message.length, box, TAG_BYTES);
    byte[] tag = tag(polyKey, box, TAG_BYTES, message.length);
    System.arraycopy(tag, 0, box, 0, TAG_BYTES);
    Arrays.fill(polyKey, (byte) 0);
    return box;
  }

  /** The message, or null when the tag does not match (wrong key or altered box). */
  static byte[] open(byte[] box, byte[] nonce, byte[] key) {
    if (box.length < TAG_BYTES) return null;
    XSalsa20Engine stream = stream(nonce, key);
    byte[] polyKey = keyStream(stream);
    byte[] expected = tag(polyKey, box, TAG_BYTES, box.length - TAG_BYTES);
    Arrays.fill(polyKey, (byte) 0);
    if (!MessageDigest.isEqual(expected, Arrays.copyOf(box, TAG_BYTES))) return null;
    byte[] message = new byte[box.length - TAG_BYTES];
    stream.processBytes(box, TAG_BYTES, message.length, message, 0);
    return message;
  }

  private static XSalsa20Engine stream(byte[] nonce, byte[] key) {
    if (key.length != KEY_BYTES || nonce.length != NONCE_BYTES)
      throw new IllegalArgumentException("secretbox needs a 32-byte key and a 24-byte nonce");
    XSalsa20Engine e = new XSalsa20Engine();
    e.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
    return e;
  }

  private static byte[] keyStream(XSalsa20Engine stream) {
    byte[] k = new byte[32];
    stream.processBytes(new byte[32], 0, 32, k, 0);
    return k;
  }

  private static byte[] tag(byte[] polyKey, byte[] data, int off, int len) {
    Poly1305 mac = new Poly1305();
    mac.init(new KeyParameter(polyKey));
    mac.update(data, off, len);
    byte[] t = new byte[TAG_BYTES];
    mac.doFinal(t, 0);
    return t;
  }
}
