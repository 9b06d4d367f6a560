package dev.caulk.cli;

import dev.caulk.auth.Credential;
import dev.caulk.auth.DockerConfigKeychain;
import dev.caulk.auth.Keychain;
import dev.caulk.auth.Keychains;
import dev.caulk.registry.RegistryOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/** Registry access flags, skopeo style; {@code --src-*} and {@code --dest-*} override the shared ones. */
final class RegistryFlags {
  @Option(names = "--creds", paramLabel = "USER[:PASS]", description = "Credentials for every registry this command talks to.")
  String creds;

  @Option(names = "--src-creds", paramLabel = "USER[:PASS]", description = "Credentials for the source registry.")
  String srcCreds;

  @Option(names = "--dest-creds", paramLabel = "USER[:PASS]", description = "Credentials for the destination registry.")
  String destCreds;

  @Option(names = "--authfile", paramLabel = "FILE",
      description = "Read credentials from this Docker config.json / auth.json instead of the default files.")
  Path authfile;

  @Option(names = "--tls-verify", arity = "1", paramLabel = "BOOL", defaultValue = "true",
      description = "Verify registry TLS certificates (default true); false also allows plain HTTP.")
  boolean tlsVerify = true;

  @Option(names = "--insecure-registry", paramLabel = "HOST[:PORT]",
      description = "A registry reached without TLS verification (and over plain HTTP when TLS fails). Repeatable.")
  List<String> insecure = new ArrayList<>();

  @Option(names = "--ca-cert", paramLabel = "PEM", description = "Trust the CA certificates in this PEM file too.")
  Path caCert;

  @Option(names = "--retries", paramLabel = "N", defaultValue = "5", description = "Retries on 429, 5xx and dropped connections (default 5).")
  int retries = 5;

  @Option(names = "--jobs", paramLabel = "N", defaultValue = "4", description = "Blobs transferred in parallel (default 4).")
  int jobs = 4;

  RegistryOptions sourceOptions(Console console) {
    return options(srcCreds != null ? srcCreds : creds, console);
  }

  RegistryOptions destinationOptions(Console console) {
    return options(destCreds != null ? destCreds : creds, console);
  }

  private RegistryOptions options(String credsFlag, Console console) {
    Keychain files = authfile != null ? DockerConfigKeychain.ofFile(authfile, System.getenv()) : DockerConfigKeychain.fromEnvironment();
    Keychain keychain = files;
    if (credsFlag != null) {
      Credential c = Credential.parse(credsFlag);
      keychain = Keychains.chain(host -> java.util.Optional.of(c), files);
    }
    Set<String> insecureHosts = new HashSet<>(insecure);
    RegistryOptions o = RegistryOptions.defaults()
        .withKeychain(keychain)
        .withInsecureHosts(insecureHosts)
        .withUserAgent("caulk/" + VersionProvider.version())
        .withParallelism(Math.max(1, jobs))
        .withListener(console);
    if (!tlsVerify) o = o.withAllInsecure();
    if (caCert != null) o = o.withCaCertificates(caCert);
    return o.withRetries(Math.max(0, retries), o.backoff(), o.maxRetryWait());
  }
}
