package dev.caulk.scan.sbom;

import dev.caulk.digest.Digest;
import dev.caulk.scan.catalog.Purl;
import java.util.Objects;

/**
 * The image an SBOM describes.
 *
 * @param name what the image is called: a repository such as {@code docker.io/library/debian}, or a
 *     location such as {@code oci:build/layout}; never carries credentials
 * @param tag the tag, or null
 * @param digest the manifest digest: the image's identity, the SBOM's version, and the seed of its
 *     document ids
 * @param arch the platform architecture ({@code amd64}), or null
 */
public record SbomSubject(String name, String tag, Digest digest, String arch) {
  /** RE2/J (linear time): applied to untrusted content or names. */
  private static final com.google.re2j.Pattern LOCAL_TRANSPORT =
      com.google.re2j.Pattern.compile(
          "(?i)(oci|oci-archive|docker-archive|dir|containers-storage):.*");

  public SbomSubject {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(digest, "digest");
    if (name.isBlank()) throw new IllegalArgumentException("SBOM subject name is empty");
  }

  /**
   * The image's purl, {@code pkg:oci/<last path element>@sha256:…?arch=…&repository_url=…&tag=…}
   * (purl-spec oci type: no namespace, the digest as version).
   */
  public Purl purl() {
    String last = name.substring(name.lastIndexOf('/') + 1);
    int colon = last.lastIndexOf(':');
    if (colon >= 0) last = last.substring(colon + 1);
    if (last.isEmpty()) last = "image";
    return Purl.of("oci", null, last.toLowerCase(java.util.Locale.ROOT), digest.toString())
        .withQualifier("arch", arch)
        .withQualifier("repository_url", isRepository() ? name : null)
        .withQualifier("tag", tag);
  }

  /**
   * True when the name is a registry repository rather than a transport location ({@code oci:…}).
   */
  boolean isRepository() {
    return name.contains("/") && !name.contains("://") && !LOCAL_TRANSPORT.matches(name);
  }

  /** {@code name:tag}, or the name. */
  public String displayName() {
    return tag == null ? name : name + ":" + tag;
  }
}
