package dev.caulk.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Throwaway key material for the registry, made with the {@code openssl} command line (the JDK has
 * no public API to issue X.509 certificates). Keys are EC P-256: they are generated in
 * milliseconds, Go's TLS stack and distribution's token verifier (libtrust, alg ES256) both accept
 * them.
 */
final class Pki {
  private static final String CONFIG =
      """
            [req]
            distinguished_name = dn
            prompt = no
            [dn]
            CN = caulk-test
            [ca_ext]
            basicConstraints = critical,CA:TRUE
            keyUsage = critical,keyCertSign,cRLSign
            subjectKeyIdentifier = hash
            [server_ext]
            basicConstraints = critical,CA:FALSE
            keyUsage = critical,digitalSignature,keyEncipherment
            extendedKeyUsage = serverAuth
            subjectAltName = IP:127.0.0.1,DNS:localhost
            subjectKeyIdentifier = hash
            authorityKeyIdentifier = keyid
            [signer_ext]
            basicConstraints = critical,CA:FALSE
            keyUsage = critical,digitalSignature
            subjectKeyIdentifier = hash
            """;

  private Pki() {}

  /**
   * Files of a TLS setup: the CA certificate tests trust, and the server certificate and key the
   * registry uses.
   */
  record TlsFiles(Path caCert, Path serverCert, Path serverKey) {}

  /**
   * A self-signed token-signing certificate (goes in the registry's rootcertbundle) and its key.
   */
  record Signer(Path certFile, X509Certificate certificate, PrivateKey key) {}

  static Optional<Path> openssl() {
    return Processes.which("openssl");
  }

  /**
   * Makes a CA and a server certificate for 127.0.0.1 / localhost signed by it, under {@code dir}.
   */
  static TlsFiles tls(Path dir) throws IOException {
    String openssl = requireOpenssl();
    Path cnf = writeConfig(dir);
    Processes.run(
        List.of(
            openssl,
            "req",
            "-x509",
            "-config",
            cnf.toString(),
            "-extensions",
            "ca_ext",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "2",
            "-subj",
            "/CN=caulk test CA"),
        dir,
        null,
        30);
    Processes.run(
        List.of(
            openssl,
            "req",
            "-new",
            "-config",
            cnf.toString(),
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
            "-subj",
            "/CN=127.0.0.1"),
        dir,
        null,
        30);
    Processes.run(
        List.of(
            openssl,
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-set_serial",
            Long.toString(System.nanoTime() & Long.MAX_VALUE),
            "-days",
            "2",
            "-extfile",
            cnf.toString(),
            "-extensions",
            "server_ext",
            "-out",
            "server.pem"),
        dir,
        null,
        30);
    Files.deleteIfExists(dir.resolve("server.csr"));
    return new TlsFiles(
        dir.resolve("ca.pem"), dir.resolve("server.pem"), dir.resolve("server.key"));
  }

  /** Makes the token signer: a self-signed EC certificate whose key signs the JWTs. */
  static Signer tokenSigner(Path dir) throws IOException {
    String openssl = requireOpenssl();
    Path cnf = writeConfig(dir);
    Processes.run(
        List.of(
            openssl,
            "req",
            "-x509",
            "-config",
            cnf.toString(),
            "-extensions",
            "signer_ext",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "token.key",
            "-out",
            "token.pem",
            "-days",
            "2",
            "-subj",
            "/CN=caulk test token signer"),
        dir,
        null,
        30);
    try {
      Path certFile = dir.resolve("token.pem");
      X509Certificate cert = readCertificate(certFile);
      byte[] der = pemBody(Files.readString(dir.resolve("token.key")), "PRIVATE KEY");
      PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
      return new Signer(certFile, cert, key);
    } catch (GeneralSecurityException e) {
      throw new IOException("token signer: cannot load key made by openssl: " + e.getMessage(), e);
    }
  }

  /** Reads one PEM certificate. */
  static X509Certificate readCertificate(Path pem) throws IOException {
    try {
      byte[] der = pemBody(Files.readString(pem), "CERTIFICATE");
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(der));
    } catch (GeneralSecurityException e) {
      throw new IOException(pem.getFileName() + ": not an X.509 certificate: " + e.getMessage(), e);
    }
  }

  /** An SSLContext that trusts exactly the given CA certificate (and nothing else). */
  static SSLContext trusting(Path caPem) throws IOException {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setCertificateEntry("caulk-test-ca", readCertificate(caPem));
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IOException(
          "cannot build an SSLContext for " + caPem.getFileName() + ": " + e.getMessage(), e);
    }
  }

  private static byte[] pemBody(String pem, String label) throws IOException {
    String begin = "-----BEGIN " + label + "-----";
    String end = "-----END " + label + "-----";
    int b = pem.indexOf(begin);
    int e = pem.indexOf(end);
    if (b < 0 || e < b) {
      throw new IOException("PEM block " + label + " not found");
    }
    String body = pem.substring(b + begin.length(), e).replaceAll("\\s", "");
    return Base64.getDecoder().decode(body.getBytes(StandardCharsets.US_ASCII));
  }

  private static Path writeConfig(Path dir) throws IOException {
    Path cnf = dir.resolve("openssl.cnf");
    if (!Files.exists(cnf)) {
      Files.writeString(cnf, CONFIG);
    }
    return cnf;
  }

  private static String requireOpenssl() throws IOException {
    return openssl()
        .orElseThrow(() -> new IOException("openssl not found on PATH (apt-get install openssl)"))
        .toString();
  }
}
