package dev.caulk.location;

import dev.caulk.digest.Digest;
import dev.caulk.image.Artifact;
import dev.caulk.name.Reference;
import dev.caulk.registry.RegistryException;
import dev.caulk.registry.RegistryOptions;
import dev.caulk.registry.Remote;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** How a {@link ImageLocation.Registry} is read and written: through {@link Remote}. */
final class RegistrySite {
  private RegistrySite() {}

  static Artifact open(Reference reference, RegistryOptions options) throws IOException {
    return Remote.open(reference, options);
  }

  static Optional<Artifact> openIfPresent(Reference reference, RegistryOptions options)
      throws IOException {
    try {
      return Optional.of(Remote.open(reference, options));
    } catch (RegistryException e) {
      if (e.status() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  static Digest write(Artifact artifact, Reference reference, RegistryOptions options)
      throws IOException {
    return Remote.write(artifact, reference, options);
  }

  static List<String> tags(Reference reference, RegistryOptions options) throws IOException {
    return Remote.tags(reference, options);
  }
}
