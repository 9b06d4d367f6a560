package dev.caulk.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The TLS contexts the client uses: the JDK's trust plus extra CAs, or (for insecure hosts) trust
 * in anything.
 */
final class Tls {
  private Tls() {}

  /** Verifies certificates and names against the JDK's CAs and, if given, the CAs of a PEM file. */
  static SSLContext verified(Path extraCaPem) throws IOException {
    // The extra CA file is read now, so a bad file is an error before any request.
    List<Certificate> extra = extraCaPem == null ? List.of() : List.copyOf(readPem(extraCaPem));
    try {
      // The trust store (about 150 certificates) loads on the first TLS handshake, not here: a
      // command that only talks plain HTTP to a loopback registry never pays for it.
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {new LazyTrustManager(() -> trustManagerFor(extra))}, null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  private static X509ExtendedTrustManager trustManagerFor(List<Certificate> extra)
      throws IOException, GeneralSecurityException {
    X509ExtendedTrustManager system = trustManager(null);
    if (extra.isEmpty()) return system;
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    int i = 0;
    for (Certificate c : extra) ks.setCertificateEntry("extra-ca-" + i++, c);
    return new EitherTrustManager(trustManager(ks), system);
  }

  /** Accepts any certificate for any name: only for hosts the user marked insecure. */
  static SSLContext trustAll() {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {new TrustAll()}, null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JDK lacks TLS", e);
    }
  }

  private static Collection<? extends Certificate> readPem(Path pem) throws IOException {
    try (InputStream in = Files.newInputStream(pem)) {
      Collection<? extends Certificate> certs =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certs.isEmpty()) throw new IOException("no certificates in " + pem);
      return certs;
    } catch (CertificateException e) {
      throw new IOException("cannot read CA certificates from " + pem + ": " + e.getMessage(), e);
    }
  }

  private static X509ExtendedTrustManager trustManager(KeyStore ks)
      throws GeneralSecurityException {
    TrustManagerFactory f =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    f.init(ks);
    for (TrustManager t : f.getTrustManagers()) {
      if (t instanceof X509ExtendedTrustManager x) return x;
    }
    throw new GeneralSecurityException("no X509 trust manager");
  }

  /**
   * Trusts what either manager trusts. Both are the JDK's own extended managers, which also check
   * the server's name (the HTTP client sets the HTTPS endpoint identification algorithm).
   */
  private static final class EitherTrustManager extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager first;
    private final X509ExtendedTrustManager second;

    EitherTrustManager(X509ExtendedTrustManager first, X509ExtendedTrustManager second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      try {
        first.checkServerTrusted(chain, authType, engine);
      } catch (CertificateException e) {
        second.checkServerTrusted(chain, authType, engine);
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      try {
        first.checkServerTrusted(chain, authType, socket);
      } catch (CertificateException e) {
        second.checkServerTrusted(chain, authType, socket);
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      try {
        first.checkServerTrusted(chain, authType);
      } catch (CertificateException e) {
        second.checkServerTrusted(chain, authType);
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("client certificates are not accepted");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("client certificates are not accepted");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("client certificates are not accepted");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      List<X509Certificate> all = new ArrayList<>(List.of(first.getAcceptedIssuers()));
      all.addAll(List.of(second.getAcceptedIssuers()));
      return all.toArray(new X509Certificate[0]);
    }
  }

  /** An extended manager that checks nothing, so the JDK adds no name check either. */
  private static final class TrustAll extends X509ExtendedTrustManager {
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
