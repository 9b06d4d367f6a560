package dev.caulk.build;

import dev.caulk.image.Image;
import dev.caulk.spec.Platform;
import java.io.IOException;

/**
 * A base image the services are built on, per platform, with what the build needs to know of its
 * files (read once, through the base's merged file tree). A dynamic binary whose ELF interpreter
 * the base has is taken to run on the base's own libraries: no libraries layer is added.
 */
public interface BaseImage {
  /** The base image for a platform. */
  Image image(Platform p) throws IOException;

  /** Whether the base has a file or link at this path. */
  boolean has(Platform p, String path);

  /** A small file's content (passwd, group), or an empty array when absent. */
  byte[] read(Platform p, String path) throws IOException;
}
