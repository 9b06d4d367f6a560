package dev.caulk.archive;

import dev.caulk.name.InvalidReferenceException;
import dev.caulk.name.Reference;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Docker's "familiar" spelling of references, as {@code manifest.json}'s {@code RepoTags} use it.
 */
final class DockerNames {
  private DockerNames() {}

  /**
   * {@code docker.io/library/alpine} → {@code alpine}; {@code docker.io/o/r} → {@code o/r}; others
   * keep their host.
   */
  static String familiarRepository(Reference r) {
    String repo = r.repository();
    if (!r.registry().equals(Reference.DOCKER_HUB)) return r.registry() + "/" + repo;
    if (repo.startsWith("library/") && repo.indexOf('/', "library/".length()) < 0)
      return repo.substring("library/".length());
    return repo;
  }

  /** {@code repo:tag} in familiar form, or null for a reference without a tag. */
  static @Nullable String familiarTag(Reference r) {
    return r.tag() == null ? null : familiarRepository(r) + ":" + r.tag();
  }

  /** True when a RepoTags string names the same repository and tag as the wanted reference. */
  static boolean sameTag(String repoTag, Reference wanted) {
    try {
      Reference r = Reference.parse(repoTag);
      return r.registry().equals(wanted.registry())
          && r.repository().equals(wanted.repository())
          && Objects.equals(r.tag(), wanted.tag());
    } catch (InvalidReferenceException e) {
      return false;
    }
  }
}
