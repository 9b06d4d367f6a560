package dev.caulk.auth;

import java.io.IOException;
import java.util.Optional;

/**
 * Finds the credential for a registry. Returning empty means "nothing known here", so that a chain
 * can ask the next keychain and a registry can still be used anonymously.
 */
@FunctionalInterface
public interface Keychain {
  /**
   * The credential for a registry.
   *
   * @param registry the registry as a reference names it, {@code host[:port]} (e.g. {@code
   *     docker.io}, {@code 127.0.0.1:5000}); Docker Hub's aliases are all treated alike
   * @throws CredentialException when a configured source exists but fails (a broken config file, a
   *     credential helper that exits with an error)
   */
  Optional<Credential> resolve(String registry) throws IOException;
}
