package dev.caulk.location;

import dev.caulk.digest.Digest;
import dev.caulk.image.Artifact;
import dev.caulk.name.InvalidReferenceException;
import dev.caulk.name.Reference;
import dev.caulk.registry.RegistryOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where an image lives, in skopeo's transport syntax: {@code oci:DIR[:TAG]}, {@code
 * docker-archive:FILE[:REF|@N]}, {@code docker://REF}, or a bare {@code REF} (a registry).
 *
 * <p>One parser serves every verb, so {@code caulk copy}, {@code audit} and {@code build --to} all
 * accept the same strings. Each kind opens, writes, lists and names itself (the work is in one
 * package-private class per kind: {@code RegistrySite}, {@code LayoutSite}, {@code ArchiveSite}),
 * so no caller asks which kind it holds. Adding a kind is one record here (and its case in {@link
 * #parse}) and its site class.
 *
 * <p>Registry options (credentials, TLS, retries, the event listener) apply to registry locations;
 * the listener also hears about layout and archive writes.
 */
public sealed interface ImageLocation
    permits ImageLocation.Registry, ImageLocation.OciLayout, ImageLocation.DockerArchive {

  /** What the location holds: an image or an index. */
  Artifact open(RegistryOptions options) throws IOException;

  /**
   * What the location holds, or empty when nothing is there under its name (no such layout, tag,
   * archive, or a registry answering 404); other failures are thrown.
   */
  Optional<Artifact> openIfPresent(RegistryOptions options) throws IOException;

  /**
   * Writes an image or index and returns the digest of what was written (the manifest's, or the
   * index's). A registry target without tag uses the source's digest. Registries and archives keep
   * what they are given; an OCI layout holds OCI images, so a Docker-format image is converted (a
   * new digest) unless {@code preserveDigests}, which makes that an error.
   */
  Digest write(Artifact artifact, RegistryOptions options, boolean preserveDigests)
      throws IOException;

  /** {@link #write(Artifact, RegistryOptions, boolean)}, converting for OCI layouts as needed. */
  default Digest write(Artifact artifact, RegistryOptions options) throws IOException {
    return write(artifact, options, false);
  }

  /**
   * Whether {@link #writeAll} can put several images here at once (a layout, an archive); a
   * registry location names one repository and tag.
   */
  boolean holdsSeveral();

  /**
   * Writes several images here at once (the services of a build): a layout tags each with its
   * {@link Named#name}, an archive holds each under its {@link Named#reference}, replacing the
   * archive; this location's own tag or reference is not used.
   *
   * @throws IOException also when this kind does not {@link #holdsSeveral}
   */
  void writeAll(List<Named> images, RegistryOptions options) throws IOException;

  /** The tags of a registry repository or of an OCI layout, or the references in an archive. */
  List<String> tags(RegistryOptions options) throws IOException;

  /**
   * How the image is named to people, and before {@code @digest} on stdout: {@code NAME[:TAG]} for
   * a registry image, the location as written ({@link #toString}) otherwise.
   */
  String displayName();

  /** The registry reference, for a registry location. */
  default Optional<Reference> registryReference() {
    return Optional.empty();
  }

  /** Whether the image is in a registry. */
  /**
   * This location as a registry location, when it is one (the typed form {@code sign.Referrers}
   * takes).
   */
  default Optional<Registry> registry() {
    return registryReference().map(Registry::new);
  }

  default boolean isRegistry() {
    return registryReference().isPresent();
  }

  /**
   * The reference the location names the image by: a registry's, or the {@code REPO:TAG} of an
   * archive entry; empty for a layout and for an archive entry chosen by position ({@code @N}).
   */
  Optional<Reference> imageReference();

  /**
   * The tag asked for, as Docker resolves it: an untagged registry reference means {@code latest};
   * a digest pins the image (no tag); an archive or layout named without a tag has none.
   */
  Optional<String> requestedTag();

  /**
   * The location of another image stored beside this one under {@code tag} (the same repository,
   * the same layout), as cosign stores signatures; empty for a kind that has no such place (an
   * archive is written whole).
   */
  Optional<ImageLocation> sibling(String tag);

  /** The directory, for an OCI layout (where a build's images are recorded). */
  default Optional<Path> layoutDirectory() {
    return Optional.empty();
  }

  /**
   * One of several images written together ({@link #writeAll}).
   *
   * @param name its tag in a layout (a service name)
   * @param reference its {@code REPO:TAG} in an archive
   * @param artifact the image (an archive refuses an index)
   */
  record Named(String name, Reference reference, Artifact artifact) {}

  /** A repository in a registry. */
  record Registry(Reference reference) implements ImageLocation {
    @Override
    public Artifact open(RegistryOptions options) throws IOException {
      return RegistrySite.open(reference, options);
    }

    @Override
    public Optional<Artifact> openIfPresent(RegistryOptions options) throws IOException {
      return RegistrySite.openIfPresent(reference, options);
    }

    @Override
    public Digest write(Artifact artifact, RegistryOptions options, boolean preserveDigests)
        throws IOException {
      return RegistrySite.write(artifact, reference, options);
    }

    @Override
    public boolean holdsSeveral() {
      return false;
    }

    @Override
    public void writeAll(List<Named> images, RegistryOptions options) throws IOException {
      throw new IOException(
          this + ": a registry location names one image; write each to its own reference");
    }

    @Override
    public List<String> tags(RegistryOptions options) throws IOException {
      return RegistrySite.tags(reference, options);
    }

    @Override
    public String displayName() {
      return reference.name() + (reference.tag() != null ? ":" + reference.tag() : "");
    }

    @Override
    public Optional<Reference> registryReference() {
      return Optional.of(reference);
    }

    @Override
    public Optional<Reference> imageReference() {
      return Optional.of(reference);
    }

    @Override
    public Optional<String> requestedTag() {
      return reference.digest() != null ? Optional.empty() : Optional.ofNullable(reference.tag());
    }

    @Override
    public Optional<ImageLocation> sibling(String tag) {
      return Optional.of(new Registry(reference.withTag(tag)));
    }

    @Override
    public String toString() {
      return "docker://" + reference;
    }
  }

  /**
   * An OCI image layout directory.
   *
   * @param tag the {@code org.opencontainers.image.ref.name}, {@code @ALG:HEX} for a manifest by
   *     digest ({@code oci:DIR@sha256:…}, also a child of an index), or null for the only image
   */
  record OciLayout(Path dir, String tag) implements ImageLocation {
    @Override
    public Artifact open(RegistryOptions options) throws IOException {
      return LayoutSite.open(dir, tag);
    }

    @Override
    public Optional<Artifact> openIfPresent(RegistryOptions options) throws IOException {
      return LayoutSite.openIfPresent(dir, tag);
    }

    @Override
    public Digest write(Artifact artifact, RegistryOptions options, boolean preserveDigests)
        throws IOException {
      return LayoutSite.write(artifact, dir, tag, options.listener(), preserveDigests);
    }

    @Override
    public boolean holdsSeveral() {
      return true;
    }

    @Override
    public void writeAll(List<Named> images, RegistryOptions options) throws IOException {
      LayoutSite.writeAll(images, dir, options.listener());
    }

    @Override
    public List<String> tags(RegistryOptions options) throws IOException {
      return LayoutSite.tags(dir);
    }

    @Override
    public String displayName() {
      return toString();
    }

    @Override
    public Optional<Reference> imageReference() {
      return Optional.empty();
    }

    @Override
    public Optional<String> requestedTag() {
      return tag == null || tag.startsWith("@") ? Optional.empty() : Optional.of(tag);
    }

    @Override
    public Optional<ImageLocation> sibling(String t) {
      return Optional.of(new OciLayout(dir, t));
    }

    @Override
    public Optional<Path> layoutDirectory() {
      return Optional.of(dir);
    }

    @Override
    public String toString() {
      return "oci:" + dir + (tag == null ? "" : tag.startsWith("@") ? tag : ":" + tag);
    }
  }

  /**
   * A {@code docker save} archive.
   *
   * @param reference a reference ({@code repo:tag}) or {@code @N} (the N-th image), or null
   */
  record DockerArchive(Path file, String reference) implements ImageLocation {
    @Override
    public Artifact open(RegistryOptions options) throws IOException {
      return ArchiveSite.open(file, reference);
    }

    @Override
    public Optional<Artifact> openIfPresent(RegistryOptions options) throws IOException {
      return ArchiveSite.openIfPresent(file, reference);
    }

    @Override
    public Digest write(Artifact artifact, RegistryOptions options, boolean preserveDigests)
        throws IOException {
      return ArchiveSite.write(artifact, file, imageReference().orElse(null), options.listener());
    }

    @Override
    public boolean holdsSeveral() {
      return true;
    }

    @Override
    public void writeAll(List<Named> images, RegistryOptions options) throws IOException {
      ArchiveSite.writeAll(file, images, options.listener());
    }

    @Override
    public List<String> tags(RegistryOptions options) throws IOException {
      return ArchiveSite.tags(file);
    }

    @Override
    public String displayName() {
      return toString();
    }

    @Override
    public Optional<Reference> imageReference() {
      if (reference == null || reference.startsWith("@")) {
        return Optional.empty();
      }
      return Optional.of(Reference.parse(reference));
    }

    @Override
    public Optional<String> requestedTag() {
      return imageReference().filter(r -> r.digest() == null).map(Reference::tag);
    }

    @Override
    public Optional<ImageLocation> sibling(String tag) {
      return Optional.empty();
    }

    @Override
    public String toString() {
      return "docker-archive:" + file + (reference == null ? "" : ":" + reference);
    }
  }

  /**
   * Parses a location. The path of {@code oci:} and {@code docker-archive:} ends at the first
   * {@code :} after the transport, as in containers/image.
   *
   * @throws IllegalArgumentException with a one-line message naming the problem
   */
  static ImageLocation parse(String s) {
    if (s == null || s.isBlank()) throw new IllegalArgumentException("empty image location");
    int colon = s.indexOf(':');
    String transport = colon < 0 ? "" : s.substring(0, colon);
    String rest = colon < 0 ? s : s.substring(colon + 1);
    switch (transport) {
      case "oci" -> {
        int at = rest.lastIndexOf('@');
        if (at >= 0 && (rest.startsWith("sha256:", at + 1) || rest.startsWith("sha512:", at + 1))) {
          // oci:DIR@sha256:HEX: a manifest by digest (the digest's own colon is not the tag
          // separator).
          String digest = rest.substring(at + 1);
          try {
            Digest.parse(digest);
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid location '" + s + "': " + e.getMessage());
          }
          if (rest.substring(0, at).isEmpty())
            throw new IllegalArgumentException("invalid location '" + s + "': missing path");
          return new OciLayout(Path.of(rest.substring(0, at)), "@" + digest);
        }
        String[] pr = splitPath(rest, s);
        return new OciLayout(Path.of(pr[0]), pr[1]);
      }
      case "docker-archive" -> {
        String[] pr = splitPath(rest, s);
        if (pr[1] != null && !pr[1].startsWith("@")) {
          try {
            Reference.parse(pr[1]);
          } catch (InvalidReferenceException e) {
            throw new IllegalArgumentException("invalid location '" + s + "': " + e.getMessage());
          }
        } else if (pr[1] != null && !pr[1].matches("@[0-9]{1,6}")) {
          throw new IllegalArgumentException(
              "invalid location '" + s + "': expected @N after the archive path");
        }
        return new DockerArchive(Path.of(pr[0]), pr[1]);
      }
      case "docker", "registry" -> {
        if (!rest.startsWith("//"))
          throw new IllegalArgumentException(
              "invalid location '" + s + "': expected " + transport + "://REFERENCE");
        return registry(rest.substring(2), s);
      }
      case "oci-archive", "dir", "docker-daemon", "containers-storage" ->
          throw new IllegalArgumentException(
              "unsupported transport '"
                  + transport
                  + "' in '"
                  + s
                  + "': caulk reads and writes oci:DIR[:TAG], docker-archive:FILE[:REF], docker://REF and bare references");
      default -> {
        return registry(s, s);
      }
    }
  }

  private static ImageLocation registry(String ref, String original) {
    int at = ref.indexOf('@');
    if (at > 0 && ref.lastIndexOf('/', at) < 0 && !isDigest(ref.substring(at + 1))) {
      // user:password@host/repo: never echoed (the password would land in logs); say where
      // credentials go instead.
      String masked =
          original.substring(0, original.length() - ref.length())
              + "***@"
              + clip(ref.substring(at + 1));
      throw new IllegalArgumentException(
          "invalid image location '"
              + masked
              + "': credentials do not go in an image reference;"
              + " pass them with --creds USER:PASS (or --src-creds / --dest-creds), or log in (~/.docker/config.json)");
    }
    int scheme = ref.indexOf("://");
    if (scheme > 0 && (ref.startsWith("https://") || ref.startsWith("http://"))) {
      throw new IllegalArgumentException(
          "invalid image location '"
              + clip(
                  original.substring(0, original.length() - ref.length())
                      + ref.substring(0, scheme))
              + "://…': an image reference has no URL scheme; write docker://HOST/REPO:TAG"
              + " (plain HTTP for a registry: --tls-verify=false)");
    }
    try {
      return new Registry(Reference.parse(ref));
    } catch (InvalidReferenceException e) {
      throw new IllegalArgumentException(
          "invalid image location '"
              + original
              + "': "
              + e.getMessage()
              + " (use oci:DIR, docker-archive:FILE or a registry reference)");
    }
  }

  /**
   * {@code algorithm:encoded} as a digest is written (the digest grammar's shape, not its
   * registered algorithms).
   */
  private static boolean isDigest(String s) {
    int colon = s.indexOf(':');
    if (colon <= 0 || colon == s.length() - 1) return false;
    for (int i = 0; i < colon; i++) {
      char c = s.charAt(i);
      if (!(c >= 'a' && c <= 'z'
          || c >= '0' && c <= '9'
          || c == '+'
          || c == '.'
          || c == '_'
          || c == '-')) return false;
    }
    for (int i = colon + 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(Character.isLetterOrDigit(c) && c < 128 || c == '=' || c == '_' || c == '-'))
        return false;
    }
    return true;
  }

  private static String clip(String s) {
    return s.length() > 100 ? s.substring(0, 100) + "…" : s;
  }

  private static String[] splitPath(String rest, String original) {
    int c = rest.indexOf(':');
    String path = c < 0 ? rest : rest.substring(0, c);
    String ref = c < 0 ? null : rest.substring(c + 1);
    if (path.isEmpty())
      throw new IllegalArgumentException("invalid location '" + original + "': missing path");
    if (ref != null && ref.isEmpty()) ref = null;
    return new String[] {path, ref};
  }
}
