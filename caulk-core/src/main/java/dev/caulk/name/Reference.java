package dev.caulk.name;

import dev.caulk.digest.Digest;
import dev.caulk.digest.InvalidDigestException;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An image reference: {@code registry/repository[:tag][@digest]}, normalised the way Docker and
 * skopeo do it.
 *
 * <p>The first path component is a registry host when it contains a {@code .} or a {@code :}, or is
 * exactly {@code localhost}; otherwise the registry is Docker Hub ({@code docker.io}), and a
 * single-component Hub name gains the {@code library/} namespace. With neither tag nor digest the
 * tag is {@code latest}. Repository and tag grammars are the distribution spec's.
 *
 * @param registry host[:port], e.g. {@code docker.io} or {@code 127.0.0.1:5000}
 * @param repository e.g. {@code library/alpine}
 * @param tag the tag, or null when the reference names a digest only
 * @param digest the digest, or null
 */
public record Reference(
    String registry, String repository, @Nullable String tag, @Nullable Digest digest) {
  /** Docker Hub's canonical registry name. */
  public static final String DOCKER_HUB = "docker.io";

  /*
   * The grammar (distribution's reference grammar) is checked by hand, in one pass over each part: the regexes
   * it is usually written as recursed once per character on java.util.regex, so a long dotted host or
   * component overflowed the stack.
   */

  public Reference {
    if (registry == null || !isHost(registry)) {
      throw new InvalidReferenceException("invalid registry host '" + registry + "'");
    }
    if (repository == null || repository.isEmpty() || repository.length() > 255) {
      throw new InvalidReferenceException("invalid repository name '" + repository + "'");
    }
    for (String part : repository.split("/", -1)) {
      if (!isComponent(part)) {
        throw new InvalidReferenceException(
            "invalid repository name '"
                + repository
                + "': components must be lowercase letters, digits and separators (. _ __ -)");
      }
    }
    if (tag != null && !isTag(tag)) {
      throw new InvalidReferenceException("invalid tag '" + tag + "'");
    }
    if (tag == null && digest == null) {
      tag = "latest";
    }
  }

  private static boolean lowerAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }

  private static boolean alnum(char c) {
    return lowerAlnum(c) || (c >= 'A' && c <= 'Z');
  }

  /**
   * {@code [a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*}: lower-case runs joined by one separator each.
   */
  static boolean isComponent(String s) {
    int i = 0;
    int n = s.length();
    while (true) {
      int run = i;
      while (i < n && lowerAlnum(s.charAt(i))) i++;
      if (i == run) return false; // a run is required first and after every separator
      if (i == n) return true;
      char c = s.charAt(i);
      if (c == '.') {
        i++;
      } else if (c == '_') {
        i += i + 1 < n && s.charAt(i + 1) == '_' ? 2 : 1;
      } else if (c == '-') {
        while (i < n && s.charAt(i) == '-') i++;
      } else {
        return false;
      }
    }
  }

  /** {@code [A-Za-z0-9_][A-Za-z0-9._-]{0,127}}. */
  static boolean isTag(String s) {
    if (s.isEmpty() || s.length() > 128) return false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = alnum(c) || c == '_' || (i > 0 && (c == '.' || c == '-'));
      if (!ok) return false;
    }
    return true;
  }

  /**
   * A host name (dot-separated labels of letters, digits and inner dashes) or a bracketed IPv6
   * address, then an optional {@code :port} of 1 to 5 digits.
   */
  static boolean isHost(String s) {
    int n = s.length();
    int i;
    if (n > 0 && s.charAt(0) == '[') {
      int close = s.indexOf(']');
      if (close < 2) return false;
      for (int k = 1; k < close; k++) {
        char c = s.charAt(k);
        if (!((c >= '0' && c <= '9')
            || (c >= 'a' && c <= 'f')
            || (c >= 'A' && c <= 'F')
            || c == ':'
            || c == '.')) return false;
      }
      i = close + 1;
    } else {
      i = 0;
      while (true) {
        int start = i;
        while (i < n && (alnum(s.charAt(i)) || s.charAt(i) == '-')) i++;
        if (i == start || s.charAt(start) == '-' || s.charAt(i - 1) == '-') return false;
        if (i < n && s.charAt(i) == '.') {
          i++;
          continue;
        }
        break;
      }
    }
    if (i == n) return true;
    if (s.charAt(i) != ':') return false;
    int digits = n - i - 1;
    if (digits < 1 || digits > 5) return false;
    for (int k = i + 1; k < n; k++) {
      if (s.charAt(k) < '0' || s.charAt(k) > '9') return false;
    }
    return true;
  }

  /**
   * Parses a reference such as {@code alpine}, {@code ghcr.io/o/r:v1} or {@code
   * host:5000/r@sha256:…}.
   */
  public static Reference parse(String s) {
    if (s == null || s.isBlank()) throw new InvalidReferenceException("empty image reference");
    String rest = s.trim();
    if (rest.startsWith("docker://")) rest = rest.substring("docker://".length());
    Digest digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      try {
        digest = Digest.parse(rest.substring(at + 1));
      } catch (InvalidDigestException e) {
        throw new InvalidReferenceException(
            "invalid image reference '" + s + "': " + e.getMessage());
      }
      rest = rest.substring(0, at);
    }
    String tag = null;
    int slash = rest.lastIndexOf('/');
    int colon = rest.lastIndexOf(':');
    if (colon > slash) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
    }
    String registry;
    String repository;
    int first = rest.indexOf('/');
    String head = first < 0 ? null : rest.substring(0, first);
    if (head != null && (head.contains(".") || head.contains(":") || head.equals("localhost"))) {
      registry = head;
      repository = rest.substring(first + 1);
    } else {
      registry = DOCKER_HUB;
      repository = rest;
    }
    if (registry.equals("index.docker.io") || registry.equals("registry-1.docker.io"))
      registry = DOCKER_HUB;
    if (registry.equals(DOCKER_HUB) && !repository.contains("/"))
      repository = "library/" + repository;
    if (!repository.equals(repository.toLowerCase(Locale.ROOT))) {
      throw new InvalidReferenceException(
          "invalid image reference '" + s + "': repository must be lowercase");
    }
    if (tag != null && tag.isEmpty())
      throw new InvalidReferenceException("invalid image reference '" + s + "': empty tag");
    return new Reference(registry, repository, tag, digest);
  }

  /** The host to talk to: Docker Hub's API lives on {@code registry-1.docker.io}. */
  public String apiHost() {
    return registry.equals(DOCKER_HUB) ? "registry-1.docker.io" : registry;
  }

  /** The tag or the digest this reference resolves through the registry API; the digest wins. */
  public String identifier() {
    return digest != null
        ? digest.toString()
        : Objects.requireNonNull(tag, "a reference without a digest has a tag");
  }

  /** {@code registry/repository} without tag or digest. */
  public String name() {
    return registry + "/" + repository;
  }

  public Reference withTag(@Nullable String newTag) {
    return new Reference(registry, repository, newTag, null);
  }

  public Reference withDigest(Digest d) {
    return new Reference(registry, repository, null, d);
  }

  /** The token-auth scope for this repository, e.g. {@code repository:library/alpine:pull}. */
  public String scope(String actions) {
    return "repository:" + repository + ":" + actions;
  }

  /** True when the registry is local loopback, where plain HTTP is used without asking. */
  public boolean isLoopback() {
    String host = registry.replaceFirst(":[0-9]+$", "");
    return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(name());
    if (tag != null) b.append(':').append(tag);
    if (digest != null) b.append('@').append(digest);
    return b.toString();
  }
}
