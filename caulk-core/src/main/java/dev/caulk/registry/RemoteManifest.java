package dev.caulk.registry;

import dev.caulk.digest.Digest;

/**
 * A manifest or index as a registry served it.
 *
 * @param bytes the exact bytes (their digest is the manifest's identity)
 * @param mediaType the Content-Type the registry reported (parameters stripped), or null
 * @param digest the digest of {@code bytes}, already checked against the requested digest and the
 *     registry's {@code Docker-Content-Digest}
 */
public record RemoteManifest(byte[] bytes, String mediaType, Digest digest) {
  public RemoteManifest {
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }
}
