package dev.caulk.location;

import dev.caulk.digest.Digest;
import dev.caulk.image.Artifact;
import dev.caulk.name.Reference;
import dev.caulk.registry.RegistryOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The sources and sinks of every verb, as static calls: each one asks the {@link ImageLocation}
 * itself, which knows how its kind is opened, written, listed and named.
 */
public final class Locations {
  private Locations() {}

  /** What the location holds: an image or an index ({@link ImageLocation#open}). */
  public static Artifact open(ImageLocation location, RegistryOptions options) throws IOException {
    return location.open(options);
  }

  /**
   * {@link #write(Artifact, ImageLocation, RegistryOptions, boolean)}, converting for OCI layouts
   * as needed.
   */
  public static Digest write(Artifact artifact, ImageLocation location, RegistryOptions options)
      throws IOException {
    return location.write(artifact, options, false);
  }

  /** Writes an image or index and returns the digest written ({@link ImageLocation#write}). */
  public static Digest write(
      Artifact artifact, ImageLocation location, RegistryOptions options, boolean preserveDigests)
      throws IOException {
    return location.write(artifact, options, preserveDigests);
  }

  /** Writes several images into one {@code docker save} archive, each under its reference. */
  public static void writeArchive(
      Path file, Map<Reference, Artifact> images, RegistryOptions options) throws IOException {
    List<ImageLocation.Named> named = new ArrayList<>();
    for (Map.Entry<Reference, Artifact> e : images.entrySet()) {
      named.add(new ImageLocation.Named(e.getKey().toString(), e.getKey(), e.getValue()));
    }
    new ImageLocation.DockerArchive(file, null).writeAll(named, options);
  }

  /** Tags of a registry repository, of an OCI layout, or the references in an archive. */
  public static List<String> tags(ImageLocation location, RegistryOptions options)
      throws IOException {
    return location.tags(options);
  }

  /**
   * How a location is printed before {@code @digest} on stdout ({@link ImageLocation#displayName}).
   */
  public static String describe(ImageLocation location) {
    return location.displayName();
  }
}
