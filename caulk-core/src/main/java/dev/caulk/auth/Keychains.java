package dev.caulk.auth;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Factories for keychains. */
public final class Keychains {
  private Keychains() {}

  /** A keychain that knows nothing: every registry is used anonymously. */
  public static Keychain anonymous() {
    return registry -> Optional.empty();
  }

  /**
   * One credential for one registry, as {@code --creds USER:PASS} gives it; Docker Hub's aliases
   * match each other.
   */
  public static Keychain fixed(String registry, Credential credential) {
    String want = Objects.requireNonNull(Hosts.normalize(registry), "registry");
    Objects.requireNonNull(credential, "credential");
    return r -> want.equals(Hosts.normalize(r)) ? Optional.of(credential) : Optional.empty();
  }

  /** Asks each keychain in turn; the first that knows the registry wins. */
  public static Keychain chain(Keychain... keychains) {
    List<Keychain> all = List.of(keychains);
    return registry -> {
      for (Keychain k : all) {
        Optional<Credential> c = k.resolve(registry);
        if (c.isPresent()) return c;
      }
      return Optional.empty();
    };
  }

  /**
   * What Docker, Podman and skopeo users expect: the Docker config file, then the containers auth
   * files, read from this process's environment and home directory.
   */
  public static Keychain defaults() {
    return DockerConfigKeychain.fromEnvironment();
  }
}
