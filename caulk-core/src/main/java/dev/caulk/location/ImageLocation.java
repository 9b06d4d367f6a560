package dev.caulk.location;

import dev.caulk.name.InvalidReferenceException;
import dev.caulk.name.Reference;
import java.nio.file.Path;

/**
 * Where an image lives, in skopeo's transport syntax: {@code oci:DIR[:TAG]},
 * {@code docker-archive:FILE[:REF|@N]}, {@code docker://REF}, or a bare {@code REF} (a registry).
 *
 * <p>One parser serves every verb, so {@code caulk copy}, {@code audit} and {@code build --to}
 * all accept the same strings.
 */
public sealed interface ImageLocation permits ImageLocation.Registry, ImageLocation.OciLayout, ImageLocation.DockerArchive {

  /** A repository in a registry. */
  record Registry(Reference reference) implements ImageLocation {
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
          // oci:DIR@sha256:HEX: a manifest by digest (the digest's own colon is not the tag separator).
          String digest = rest.substring(at + 1);
          try {
            dev.caulk.digest.Digest.parse(digest);
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid location '" + s + "': " + e.getMessage());
          }
          if (rest.substring(0, at).isEmpty()) throw new IllegalArgumentException("invalid location '" + s + "': missing path");
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
          throw new IllegalArgumentException("invalid location '" + s + "': expected @N after the archive path");
        }
        return new DockerArchive(Path.of(pr[0]), pr[1]);
      }
      case "docker", "registry" -> {
        if (!rest.startsWith("//")) throw new IllegalArgumentException("invalid location '" + s + "': expected " + transport + "://REFERENCE");
        return registry(rest.substring(2), s);
      }
      case "oci-archive", "dir", "docker-daemon", "containers-storage" ->
          throw new IllegalArgumentException("unsupported transport '" + transport + "' in '" + s
              + "': caulk reads and writes oci:DIR[:TAG], docker-archive:FILE[:REF], docker://REF and bare references");
      default -> {
        return registry(s, s);
      }
    }
  }

  private static ImageLocation registry(String ref, String original) {
    int at = ref.indexOf('@');
    if (at > 0 && ref.lastIndexOf('/', at) < 0 && !isDigest(ref.substring(at + 1))) {
      // user:password@host/repo: never echoed (the password would land in logs); say where credentials go instead.
      String masked = original.substring(0, original.length() - ref.length()) + "***@" + clip(ref.substring(at + 1));
      throw new IllegalArgumentException("invalid image location '" + masked + "': credentials do not go in an image reference;"
          + " pass them with --creds USER:PASS (or --src-creds / --dest-creds), or log in (~/.docker/config.json)");
    }
    int scheme = ref.indexOf("://");
    if (scheme > 0 && (ref.startsWith("https://") || ref.startsWith("http://"))) {
      throw new IllegalArgumentException("invalid image location '" + clip(original.substring(0, original.length() - ref.length())
          + ref.substring(0, scheme)) + "://…': an image reference has no URL scheme; write docker://HOST/REPO:TAG"
          + " (plain HTTP for a registry: --tls-verify=false)");
    }
    try {
      return new Registry(Reference.parse(ref));
    } catch (InvalidReferenceException e) {
      throw new IllegalArgumentException("invalid image location '" + original + "': " + e.getMessage()
          + " (use oci:DIR, docker-archive:FILE or a registry reference)");
    }
  }

  /** {@code algorithm:encoded} as a digest is written (the digest grammar's shape, not its registered algorithms). */
  private static boolean isDigest(String s) {
    int colon = s.indexOf(':');
    if (colon <= 0 || colon == s.length() - 1) return false;
    for (int i = 0; i < colon; i++) {
      char c = s.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '.' || c == '_' || c == '-')) return false;
    }
    for (int i = colon + 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(Character.isLetterOrDigit(c) && c < 128 || c == '=' || c == '_' || c == '-')) return false;
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
    if (path.isEmpty()) throw new IllegalArgumentException("invalid location '" + original + "': missing path");
    if (ref != null && ref.isEmpty()) ref = null;
    return new String[] {path, ref};
  }
}
