package dev.caulk.jvm;

import dev.caulk.digest.Digest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The Java trust store of an image ({@code lib/security/cacerts}): a PKCS#12 file of trusted
 * certificates made from the PEM bundle caulk puts in the image, so Java and native programs trust
 * the same CAs. It is byte for byte the same for the same bundle: the JDK's PKCS#12 writer draws a
 * random salt for the certificate encryption and for the MAC, so both are off ({@code
 * keystore.pkcs12.certProtectionAlgorithm} and {@code keystore.pkcs12.macAlgorithm} set to {@code
 * NONE} while storing); a store of public certificates protects nothing with them. Each entry's
 * alias is {@code caulk-} and the first 16 hex digits of the certificate's SHA-256, in the bundle's
 * order (duplicates once).
 */
public final class TrustStore {
  private static final String CERT_PROTECTION = "keystore.pkcs12.certProtectionAlgorithm";
  private static final String MAC = "keystore.pkcs12.macAlgorithm";
  private static final Object LOCK = new Object();

  private TrustStore() {}

  /**
   * The PKCS#12 bytes for a PEM bundle.
   *
   * @param where the bundle's name, for messages
   */
  public static byte[] pkcs12(byte[] pem, String where) throws IOException {
    Collection<? extends Certificate> certs;
    try {
      certs =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(pem));
    } catch (GeneralSecurityException e) {
      throw new JvmException(where + ": not a PEM certificate bundle: " + e.getMessage());
    }
    if (certs.isEmpty()) {
      throw new JvmException(where + ": no certificate in the bundle");
    }
    synchronized (LOCK) {
      String oldCert = System.getProperty(CERT_PROTECTION);
      String oldMac = System.getProperty(MAC);
      System.setProperty(CERT_PROTECTION, "NONE");
      System.setProperty(MAC, "NONE");
      try {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        List<String> seen = new ArrayList<>();
        for (Certificate c : certs) {
          if (!(c instanceof X509Certificate x)) {
            continue;
          }
          String alias = "caulk-" + Digest.sha256(x.getEncoded()).hex().substring(0, 16);
          if (seen.contains(alias)) {
            continue;
          }
          seen.add(alias);
          ks.setCertificateEntry(alias.toLowerCase(Locale.ROOT), x);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ks.store(out, new char[0]);
        return out.toByteArray();
      } catch (GeneralSecurityException e) {
        throw new JvmException(where + ": cannot make a Java trust store: " + e.getMessage());
      } finally {
        restore(CERT_PROTECTION, oldCert);
        restore(MAC, oldMac);
      }
    }
  }

  private static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }
}
