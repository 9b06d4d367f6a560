package dev.caulk.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Writes the distribution 2.8 configuration file (docs/configuration.md of distribution) for one
 * {@link TestRegistry}. Everything the harness does not need is off: access log, upload purging (a
 * background sweeper), the storage health check; deletes are on so tests can exercise DELETE.
 */
final class RegistryConfig {
  private RegistryConfig() {}

  /** Auth section inputs; fields irrelevant to the chosen mode are null. */
  record Auth(Path htpasswd, URI tokenRealm, Path tokenRootBundle) {}

  static void write(Path file, int port, Path storage, Pki.TlsFiles tls, Auth auth)
      throws IOException {
    byte[] secret = new byte[24];
    new SecureRandom().nextBytes(secret);
    StringBuilder y = new StringBuilder();
    y.append("version: 0.1\n");
    y.append("log:\n  level: warn\n  formatter: text\n  accesslog:\n    disabled: true\n");
    y.append("storage:\n");
    y.append("  filesystem:\n    rootdirectory: ").append(quote(storage.toString())).append('\n');
    y.append("  delete:\n    enabled: true\n");
    y.append("  maintenance:\n    uploadpurging:\n      enabled: false\n");
    y.append("http:\n  addr: ").append(quote("127.0.0.1:" + port)).append('\n');
    y.append("  secret: ").append(quote(HexFormat.of().formatHex(secret))).append('\n');
    y.append("  headers:\n    X-Content-Type-Options: [nosniff]\n");
    if (tls != null) {
      y.append("  tls:\n    certificate: ").append(quote(tls.serverCert().toString())).append('\n');
      y.append("    key: ").append(quote(tls.serverKey().toString())).append('\n');
    }
    if (auth.htpasswd() != null) {
      y.append("auth:\n  htpasswd:\n    realm: caulk-test\n    path: ")
          .append(quote(auth.htpasswd().toString()))
          .append('\n');
    } else if (auth.tokenRealm() != null) {
      y.append("auth:\n  token:\n    realm: ")
          .append(quote(auth.tokenRealm().toString()))
          .append('\n');
      y.append("    service: ").append(quote(TokenServer.SERVICE)).append('\n');
      y.append("    issuer: ").append(quote(TokenServer.ISSUER)).append('\n');
      y.append("    rootcertbundle: ")
          .append(quote(auth.tokenRootBundle().toString()))
          .append('\n');
    }
    y.append("health:\n  storagedriver:\n    enabled: false\n");
    Files.writeString(file, y);
  }

  /** YAML single-quoted scalar: only the quote itself needs escaping (YAML 1.2 section 7.3.2). */
  private static String quote(String s) {
    return "'" + s.replace("'", "''") + "'";
  }
}
