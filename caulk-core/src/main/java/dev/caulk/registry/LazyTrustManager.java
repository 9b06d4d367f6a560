package dev.caulk.registry;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/** A trust manager that builds its delegate on the first certificate check. */
final class LazyTrustManager extends X509ExtendedTrustManager {
  /** Builds the real trust manager. */
  @FunctionalInterface
  interface Factory {
    X509ExtendedTrustManager create() throws IOException, GeneralSecurityException;
  }

  private final Factory factory;
  private volatile X509ExtendedTrustManager delegate;

  LazyTrustManager(Factory factory) {
    this.factory = factory;
  }

  private X509ExtendedTrustManager delegate() throws CertificateException {
    X509ExtendedTrustManager d = delegate;
    if (d == null) {
      synchronized (this) {
        if (delegate == null) {
          try {
            delegate = factory.create();
          } catch (IOException | GeneralSecurityException e) {
            throw new CertificateException(
                "cannot load trusted certificates: " + e.getMessage(), e);
          }
        }
        d = delegate;
      }
    }
    return d;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    delegate().checkClientTrusted(chain, authType, socket);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    delegate().checkServerTrusted(chain, authType, socket);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    delegate().checkClientTrusted(chain, authType, engine);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    delegate().checkServerTrusted(chain, authType, engine);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    delegate().checkClientTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    delegate().checkServerTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    try {
      return delegate().getAcceptedIssuers();
    } catch (CertificateException e) {
      return new X509Certificate[0];
    }
  }
}
