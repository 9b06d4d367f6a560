package dev.caulk.image;

import dev.caulk.digest.Digest;
import dev.caulk.digest.DigestMismatchException;
import dev.caulk.digest.VerifyingInputStream;
import dev.caulk.spec.ConfigFile;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.InvalidSpecException;
import dev.caulk.spec.MediaType;
import dev.caulk.spec.Platform;
import dev.caulk.spec.RootFs;
import dev.caulk.spec.SpecJson;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Factories for images and indexes, and the small helpers every medium shares. */
public final class Images {
  private static final int MAX_INDEX_DEPTH = 8;

  private Images() {}

  /**
   * An image backed by a manifest's bytes and a source of blobs. This is how every medium makes an
   * {@link Image}: it supplies the manifest and a way to open blobs, and gets verification of
   * config and layers for free.
   */
  public static Image fromManifest(byte[] rawManifest, BlobSource blobs, String what)
      throws InvalidSpecException {
    return new ManifestImage(rawManifest, SpecJson.manifest(rawManifest, what), blobs, what);
  }

  /** An index backed by its bytes and a source of blobs for its children. */
  public static ImageIndex indexFromManifest(byte[] rawIndex, BlobSource blobs, String what)
      throws InvalidSpecException {
    return new ManifestIndex(rawIndex, SpecJson.index(rawIndex, what), blobs, what);
  }

  /**
   * Opens whatever a manifest's bytes describe, an image or an index, by media type.
   *
   * @param contentType the media type the transport reported, or null
   */
  public static Artifact open(
      byte[] rawManifest, @Nullable String contentType, BlobSource blobs, String what)
      throws IOException {
    String mt = SpecJson.mediaTypeOf(rawManifest, contentType, what);
    if (MediaType.isIndex(mt)) return Artifact.of(indexFromManifest(rawManifest, blobs, what));
    if (MediaType.isImageManifest(mt)) return Artifact.of(fromManifest(rawManifest, blobs, what));
    if (MediaType.isSchema1(mt)) {
      throw new InvalidSpecException(
          what
              + ": Docker schema 1 manifests are not supported (deprecated since 2017); push the image again with a current client");
    }
    throw new InvalidSpecException(what + ": unsupported manifest media type " + mt);
  }

  /**
   * A new image from a config and layers: the config's rootfs and the manifest are computed here,
   * so what a build assembles is always consistent. History is kept as given.
   *
   * @param docker true for Docker v2 schema 2 media types, false for OCI
   */
  public static Image of(
      ConfigFile config,
      List<Layer> layers,
      boolean docker,
      @Nullable Map<String, String> annotations) {
    return new BuiltImage(config, layers, docker, annotations);
  }

  /** An OCI index of the given images, each described with the platform of its config. */
  public static ImageIndex indexOf(List<Image> images, @Nullable Map<String, String> annotations)
      throws IOException {
    return new BuiltIndex(images, annotations);
  }

  /** An empty image ({@code FROM scratch}) for the platform, OCI media types. */
  public static Image scratch(Platform platform) {
    ConfigFile config =
        new ConfigFile(
            null,
            null,
            platform.architecture(),
            platform.os(),
            platform.osVersion(),
            platform.osFeatures(),
            platform.variant(),
            null,
            RootFs.of(List.of()),
            List.of());
    return of(config, List.of(), false, null);
  }

  /**
   * Reads a small blob whole (a manifest or config), verifying its size and digest.
   *
   * @param max the largest size accepted, whatever the descriptor says
   */
  public static byte[] readBlob(BlobSource blobs, Descriptor d, int max, String what)
      throws IOException {
    if (d.size() > max)
      throw new InvalidSpecException(
          what
              + ": "
              + d.digest().shortString()
              + " is "
              + d.size()
              + " bytes, more than the "
              + max
              + " allowed");
    try (InputStream in =
        new VerifyingInputStream(
            blobs.open(d), d.digest(), d.size(), what + " " + d.digest().shortString())) {
      byte[] b = in.readNBytes((int) d.size() + 1);
      if (b.length != d.size())
        throw new DigestMismatchException(
            what
                + " "
                + d.digest().shortString()
                + ": size mismatch: expected "
                + d.size()
                + " bytes, got "
                + b.length);
      return b;
    }
  }

  /**
   * Refuses to write an OCI image manifest without layers, which the image-spec's schema forbids
   * and caulk (rightly) does not read back; Docker's schema 2 allows it and is written as it is.
   */
  public static void checkWritable(Image image, String what) throws IOException {
    if (MediaType.OCI_MANIFEST.equals(image.mediaType()) && image.manifest().layers().isEmpty()) {
      throw new InvalidSpecException(
          what
              + ": image "
              + image.digest().shortString()
              + " has no layers; an OCI image manifest needs at least one (image-spec)");
    }
  }

  /** Checks bytes against a digest (for manifests fetched by digest). */
  public static void verify(byte[] bytes, Digest expected, String what)
      throws DigestMismatchException {
    Digest got = Digest.sha256(bytes);
    if (!expected.algorithm().equals("sha256")) {
      got =
          new Digest(
              expected.algorithm(),
              java.util.HexFormat.of().formatHex(expected.newMessageDigest().digest(bytes)));
    }
    if (!got.equals(expected)) {
      throw new DigestMismatchException(
          what + ": digest mismatch: expected " + expected + ", got " + got);
    }
  }

  /**
   * How many children without a platform are opened to read their config's platform (containerd
   * does so too).
   */
  private static final int MAX_PLATFORMLESS = 64;

  static @Nullable Image findPlatform(ImageIndex index, Platform wanted, int depth)
      throws IOException {
    if (depth > MAX_INDEX_DEPTH)
      throw new InvalidSpecException(
          "image index nested more than " + MAX_INDEX_DEPTH + " levels deep");
    List<Descriptor> unknown = new ArrayList<>();
    for (Descriptor d : index.index().manifests()) {
      if (MediaType.isIndex(d.mediaType())) {
        Image nested = findPlatform(index.childIndex(d), wanted, depth + 1);
        if (nested != null) return nested;
      } else if (MediaType.isImageManifest(d.mediaType())
          && d.platform() != null
          && wanted.matches(d.platform())) {
        return index.image(d);
      } else if (MediaType.isImageManifest(d.mediaType()) && d.platform() == null) {
        unknown.add(d);
      }
    }
    // Children the index names without a platform: their configs say what they run on.
    for (Descriptor d : unknown.subList(0, Math.min(unknown.size(), MAX_PLATFORMLESS))) {
      Image i = index.image(d);
      if (!i.isContainerImage()) continue;
      var c = i.config();
      if (c.os() != null && c.architecture() != null && wanted.matches(c.platform())) return i;
    }
    return null;
  }

  /** The index's children, one per line part: digest, then platform or what else it is. */
  static String childrenOf(ImageIndex index) throws IOException {
    List<String> parts = new ArrayList<>();
    List<Descriptor> ms = index.index().manifests();
    for (Descriptor d : ms.subList(0, Math.min(ms.size(), 16))) {
      String kind;
      if (d.platform() != null) kind = d.platform().toString();
      else if (d.artifactType() != null) kind = "artifact " + d.artifactType();
      else if (MediaType.isIndex(d.mediaType())) kind = "index";
      else kind = "no platform";
      parts.add(d.digest() + " (" + kind + ")");
    }
    if (ms.size() > 16) parts.add((ms.size() - 16) + " more");
    return parts.isEmpty() ? "no entries" : String.join(", ", parts);
  }
}
