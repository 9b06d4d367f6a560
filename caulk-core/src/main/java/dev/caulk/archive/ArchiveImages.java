package dev.caulk.archive;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import dev.caulk.compress.Compressions;
import dev.caulk.digest.Digest;
import dev.caulk.digest.DigestMismatchException;
import dev.caulk.image.BlobSource;
import dev.caulk.image.Image;
import dev.caulk.image.Images;
import dev.caulk.name.Reference;
import dev.caulk.spec.ConfigFile;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.Index;
import dev.caulk.spec.InvalidSpecException;
import dev.caulk.spec.Manifest;
import dev.caulk.spec.MediaType;
import dev.caulk.spec.MediaType.Compression;
import dev.caulk.spec.SpecJson;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Turns a {@code manifest.json} entry into an {@link Image}. When the archive also holds an OCI
 * {@code index.json} with a manifest for the same config (Docker 25+, caulk), that exact manifest
 * is used, so the image keeps its digest. Otherwise (classic {@code docker save}, skopeo) a Docker
 * v2 schema 2 manifest is synthesised from the config and the layer files, each described by its
 * own digest, size and sniffed compression. Either way, all blob reads go through {@link Images},
 * which verifies them.
 */
final class ArchiveImages {
  private static final Pattern BLOB = Pattern.compile("blobs/(sha256|sha512)/([0-9a-f]+)");
  private final TarIndex tar;
  private final @Nullable Index index;
  private final String what;
  private final Map<String, Digest> digests = new ConcurrentHashMap<>();

  ArchiveImages(TarIndex tar, @Nullable Index index, String what) {
    this.tar = tar;
    this.index = index;
    this.what = what;
  }

  /** Blobs by {@code blobs/<alg>/<hex>}, plus any extra entries a synthesised manifest names. */
  BlobSource blobs(Map<Digest, TarIndex.Entry> extra) {
    return d -> {
      TarIndex.Entry e = extra.get(d.digest());
      if (e == null) e = tar.file(blobName(d.digest()), "blob");
      if (e == null)
        throw new InvalidArchiveException(
            what + ": blob " + d.digest().shortString() + " is not in the archive");
      return tar.open(e);
    };
  }

  static String blobName(Digest d) {
    return "blobs/" + d.algorithm() + "/" + d.hex();
  }

  Image image(ManifestEntry entry, @Nullable Reference wanted, String name) throws IOException {
    TarIndex.Entry cfgEntry = required(entry.config(), "config");
    byte[] config =
        tar.read(
            cfgEntry, SpecJson.MAX_CONFIG_BYTES, "config '" + TarIndex.clip(entry.config()) + "'");
    Digest cfgDigest = Digest.sha256(config);
    // A classic archive names its config after the image id, but docker load, skopeo and
    // go-containerregistry take the
    // content as the truth (go-containerregistry names it sha256:HEX, others config.json): only a
    // blobs/ path, which an
    // OCI layout makes content-addressed, must match. The image's config digest is what the bytes
    // hash to.
    Digest named = nameDigest(cfgEntry.name());
    if (named != null)
      Images.verify(config, named, what + ": config '" + TarIndex.clip(cfgEntry.name()) + "'");
    Image exact = exact(cfgDigest, wanted, name);
    return exact != null ? exact : synthesize(entry, config, cfgDigest, name);
  }

  /**
   * An image from the OCI index whose manifest names this config and whose blobs are all present.
   */
  private @Nullable Image exact(Digest cfgDigest, @Nullable Reference wanted, String name)
      throws IOException {
    if (index == null) return null;
    List<Descriptor> ordered = new ArrayList<>();
    for (Descriptor d : index.manifests()) {
      String n = d.annotation(DockerArchive.IMAGE_NAME_ANNOTATION);
      if (wanted != null && n != null && DockerNames.sameTag(n, wanted)) ordered.add(0, d);
      else ordered.add(d);
    }
    BlobSource blobs = blobs(Map.of());
    for (Descriptor d : ordered) {
      if (MediaType.isIndex(d.mediaType())) {
        if (tar.file(blobName(d.digest()), "blob") == null) continue;
        Index nested =
            SpecJson.index(
                Images.readBlob(blobs, d, SpecJson.MAX_MANIFEST_BYTES, what + ": index"),
                what + ": index");
        for (Descriptor child : nested.manifests()) {
          Image found = candidate(child, cfgDigest, blobs, name);
          if (found != null) return found;
        }
      } else {
        Image found = candidate(d, cfgDigest, blobs, name);
        if (found != null) return found;
      }
    }
    return null;
  }

  private @Nullable Image candidate(Descriptor d, Digest cfgDigest, BlobSource blobs, String name)
      throws IOException {
    if (d.mediaType() != null && !MediaType.isImageManifest(d.mediaType())) return null;
    if (tar.file(blobName(d.digest()), "blob") == null) return null;
    byte[] raw = Images.readBlob(blobs, d, SpecJson.MAX_MANIFEST_BYTES, what + ": manifest");
    Manifest m = SpecJson.manifest(raw, what + ": manifest " + d.digest().shortString());
    if (!m.config().digest().equals(cfgDigest)) return null;
    for (Descriptor l : m.layers()) {
      TarIndex.Entry e = tar.file(blobName(l.digest()), "blob");
      if (e == null || e.size() != l.size()) return null;
    }
    return Images.fromManifest(raw, blobs, name);
  }

  /**
   * A Docker v2 schema 2 manifest (OCI if a layer is zstd, which Docker's types cannot say) built
   * from the files.
   */
  private Image synthesize(ManifestEntry entry, byte[] config, Digest cfgDigest, String name)
      throws IOException {
    ConfigFile cfg = SpecJson.config(config, what + ": config");
    List<Digest> diffIds = cfg.rootfs().diffIds();
    List<String> paths = entry.layers();
    if (paths.size() != diffIds.size()) {
      throw new InvalidSpecException(
          what
              + ": manifest.json lists "
              + paths.size()
              + " layers but the config has "
              + diffIds.size()
              + " diff_ids");
    }
    Map<Digest, TarIndex.Entry> files = new HashMap<>();
    List<Digest> layerDigests = new ArrayList<>();
    List<Compression> compressions = new ArrayList<>();
    List<Long> sizes = new ArrayList<>();
    for (int i = 0; i < paths.size(); i++) {
      TarIndex.Entry e = required(paths.get(i), "layer");
      Compression c = sniff(e);
      // An uncompressed layer's digest is its diff_id: take it from the config instead of reading
      // the layer an
      // extra time. Reading it later verifies the claim (a mismatch fails there, naming the layer).
      Digest d =
          c == Compression.NONE && nameDigest(e.name()) == null ? diffIds.get(i) : digestOf(e);
      if (c == Compression.NONE && !d.equals(diffIds.get(i))) {
        throw new DigestMismatchException(
            what
                + ": layer "
                + i
                + " ('"
                + TarIndex.clip(e.name())
                + "'): content is "
                + d
                + " but the config's diff_id is "
                + diffIds.get(i));
      }
      files.put(d, e);
      layerDigests.add(d);
      compressions.add(c);
      sizes.add(e.size());
    }
    boolean docker = !compressions.contains(Compression.ZSTD);
    List<Descriptor> layers = new ArrayList<>();
    for (int i = 0; i < layerDigests.size(); i++) {
      layers.add(
          Descriptor.of(
              MediaType.layerType(docker, compressions.get(i)), layerDigests.get(i), sizes.get(i)));
    }
    TarIndex.Entry cfgEntry = required(entry.config(), "config");
    files.put(cfgDigest, cfgEntry);
    Descriptor cd =
        Descriptor.of(
            docker ? MediaType.DOCKER_CONFIG : MediaType.OCI_CONFIG, cfgDigest, config.length);
    byte[] raw = SpecJson.write(Manifest.of(docker, cd, layers, null));
    return Images.fromManifest(raw, blobs(files), name);
  }

  private TarIndex.Entry required(String path, String label) throws InvalidArchiveException {
    if (path == null)
      throw new InvalidArchiveException(what + ": manifest.json entry has no " + label + " path");
    TarIndex.Entry e = tar.file(path, "manifest.json " + label);
    if (e == null)
      throw new InvalidArchiveException(
          what
              + ": manifest.json names "
              + label
              + " '"
              + TarIndex.clip(path)
              + "', which is not in the archive");
    return e;
  }

  private Compression sniff(TarIndex.Entry e) throws IOException {
    byte[] head;
    try (InputStream in = tar.open(e)) {
      head = in.readNBytes(4);
    }
    return Compressions.sniff(new BufferedInputStream(new ByteArrayInputStream(head)));
  }

  /**
   * The digest of a layer file: from a {@code blobs/} name (verified when read), else computed
   * once.
   */
  private Digest digestOf(TarIndex.Entry e) throws IOException {
    Digest named = nameDigest(e.name());
    if (named != null) return named;
    Digest cached = digests.get(e.name());
    if (cached != null) return cached;
    Digest d;
    try (InputStream in = tar.open(e)) {
      d = Digest.sha256(in);
    }
    digests.put(e.name(), d);
    return d;
  }

  private static @Nullable Digest nameDigest(String name) {
    Matcher m = BLOB.matcher(name);
    if (m.matches()) {
      try {
        return new Digest(m.group(1), m.group(2));
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return null;
  }
}
