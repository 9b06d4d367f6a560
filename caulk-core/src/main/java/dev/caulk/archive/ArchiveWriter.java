package dev.caulk.archive;

import dev.caulk.digest.Digest;
import dev.caulk.digest.DigestMismatchException;
import dev.caulk.event.Event;
import dev.caulk.event.EventListener;
import dev.caulk.image.Image;
import dev.caulk.image.Images;
import dev.caulk.image.Layer;
import dev.caulk.io.TempFiles;
import dev.caulk.name.Reference;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.Index;
import dev.caulk.spec.InvalidSpecException;
import dev.caulk.spec.Manifest;
import dev.caulk.spec.MediaType;
import dev.caulk.spec.SpecJson;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * Writes one tar that is both an OCI image layout (what Docker 25+ {@code docker save} writes:
 * {@code oci-layout}, {@code index.json}, {@code blobs/}) and a classic docker-save archive ({@code
 * manifest.json}, {@code repositories}) whose paths point into {@code blobs/}. Layer blobs are
 * stored as they are (usually gzip), so the manifest and its digest survive a round trip; {@code
 * docker load} and skopeo decompress layers themselves. Entries are sorted with mtime 0 and owner
 * 0:0, so the same images always give the same bytes. Layers stream from their source into the tar,
 * verified; the tar goes to a temp file next to the target ({@code .caulk-NAME.…tmp}, see {@link
 * TempFiles}), renamed into place at the end.
 */
final class ArchiveWriter {
  private final String what;
  private final EventListener listener;

  /** Every entry of the tar, by name (sorted). */
  private final TreeMap<String, Content> contents = new TreeMap<>();

  /**
   * What goes into one tar entry: bytes from a source, checked against digest (if any) and size.
   */
  private record Content(long size, @Nullable Digest digest, Opener opener, String label) {}

  @FunctionalInterface
  private interface Opener {
    InputStream open() throws IOException;
  }

  ArchiveWriter(String what, @Nullable EventListener listener) {
    this.what = what;
    this.listener = listener == null ? EventListener.NONE : listener;
  }

  void write(Path file, List<DockerArchive.Entry> images) throws IOException {
    if (images.isEmpty())
      throw new IllegalArgumentException("a docker-archive needs at least one image");
    plan(images);
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    if (dir == null || !Files.isDirectory(dir))
      throw new InvalidArchiveException(what + ": directory " + dir + " does not exist");
    Path temp = TempFiles.create(dir, target.getFileName() + ".");
    try {
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp), 256 * 1024);
          TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        for (var e : contents.entrySet()) writeEntry(tar, e.getKey(), e.getValue());
        tar.finish();
      }
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      try {
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
      } catch (UnsupportedOperationException e) {
        // not POSIX: keep defaults
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      TempFiles.discard(temp);
    }
  }

  /**
   * Lays out every entry before a byte is written, so a bad image fails before the temp file
   * exists.
   */
  private void plan(List<DockerArchive.Entry> images) throws IOException {
    List<Descriptor> indexEntries = new ArrayList<>();
    Map<Digest, LegacyEntry> legacy = new LinkedHashMap<>();
    Map<String, Map<String, String>> repositories = new TreeMap<>();
    for (DockerArchive.Entry entry : images) {
      Image image = entry.image();
      if (!image.isContainerImage()) {
        throw new InvalidArchiveException(
            what
                + ": "
                + image.digest().shortString()
                + " is an OCI artifact (artifactType "
                + image.artifactType()
                + "), not a container image; a docker-archive holds images only (write oci:DIR instead)");
      }
      byte[] rawManifest = image.rawManifest();
      Digest md = Digest.sha256(rawManifest);
      Manifest m = image.manifest();
      byte[] config = image.rawConfig();
      Images.verify(config, m.config().digest(), what + ": config");
      List<Layer> layers = image.layers();
      if (layers.size() != m.layers().size()) {
        throw new InvalidSpecException(
            what
                + ": image "
                + md.shortString()
                + " has "
                + layers.size()
                + " layers but its manifest lists "
                + m.layers().size());
      }
      addBytes(ArchiveImages.blobName(md), md, rawManifest, "manifest");
      addBytes(ArchiveImages.blobName(m.config().digest()), m.config().digest(), config, "config");
      List<String> layerNames = new ArrayList<>();
      for (int i = 0; i < layers.size(); i++) {
        Layer layer = layers.get(i);
        Descriptor d = m.layers().get(i);
        if (!layer.digest().equals(d.digest())) {
          throw new InvalidSpecException(
              what
                  + ": layer "
                  + i
                  + " is "
                  + layer.digest().shortString()
                  + " but the manifest says "
                  + d.digest().shortString());
        }
        String name = ArchiveImages.blobName(d.digest());
        contents.putIfAbsent(
            name,
            new Content(
                d.size(), d.digest(), layer::compressed, "layer " + d.digest().shortString()));
        layerNames.add(name);
      }
      Reference ref = entry.ref();
      String tag = ref == null ? null : DockerNames.familiarTag(ref);
      Descriptor id = Descriptor.of(image.mediaType(), md, rawManifest.length);
      if (tag != null) {
        Map<String, String> ann = new TreeMap<>();
        ann.put(DockerArchive.IMAGE_NAME_ANNOTATION, ref.name() + ":" + ref.tag());
        ann.put(DockerArchive.REF_NAME_ANNOTATION, ref.tag());
        id = id.withAnnotations(ann);
        if (!layerNames.isEmpty()) {
          repositories
              .computeIfAbsent(DockerNames.familiarRepository(ref), k -> new TreeMap<>())
              .put(ref.tag(), m.layers().get(m.layers().size() - 1).digest().hex());
        }
      }
      if (!indexEntries.contains(id)) indexEntries.add(id);
      LegacyEntry le =
          legacy.computeIfAbsent(
              md,
              k ->
                  new LegacyEntry(
                      ArchiveImages.blobName(m.config().digest()), new ArrayList<>(), layerNames));
      if (tag != null && !le.tags().contains(tag)) le.tags().add(tag);
    }
    List<ManifestEntry> manifestJson = new ArrayList<>();
    for (LegacyEntry le : legacy.values())
      manifestJson.add(new ManifestEntry(le.config(), le.tags(), le.layers()));
    addBytes("manifest.json", null, SpecJson.write(manifestJson), "manifest.json");
    addBytes("repositories", null, SpecJson.write(repositories), "repositories");
    addBytes(
        "index.json",
        null,
        SpecJson.write(Index.of(MediaType.OCI_INDEX, indexEntries)),
        "index.json");
    addBytes(
        "oci-layout",
        null,
        "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8),
        "oci-layout");
    for (String name : List.copyOf(contents.keySet())) {
      int slash = name.indexOf('/');
      while (slash > 0) {
        contents.putIfAbsent(name.substring(0, slash + 1), null);
        slash = name.indexOf('/', slash + 1);
      }
    }
  }

  private record LegacyEntry(String config, List<String> tags, List<String> layers) {}

  private void addBytes(String name, @Nullable Digest digest, byte[] bytes, String label) {
    contents.putIfAbsent(
        name, new Content(bytes.length, digest, () -> new ByteArrayInputStream(bytes), label));
  }

  private void writeEntry(TarArchiveOutputStream tar, String name, Content c) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setModTime(0);
    e.setUserId(0);
    e.setGroupId(0);
    e.setUserName("");
    e.setGroupName("");
    if (c == null) {
      e.setMode(TarArchiveEntry.DEFAULT_DIR_MODE);
      tar.putArchiveEntry(e);
      tar.closeArchiveEntry();
      return;
    }
    e.setMode(0100644);
    e.setSize(c.size());
    tar.putArchiveEntry(e);
    Digest expected = c.digest();
    MessageDigest md = expected == null ? null : expected.newMessageDigest();
    long count = 0;
    boolean big = c.size() > 1024 * 1024;
    if (big) listener.onEvent(new Event.Progress(name, "archive " + c.label(), 0, c.size(), false));
    try (InputStream in = c.opener().open()) {
      byte[] buf = new byte[128 * 1024];
      for (int n; (n = in.read(buf)) > 0; ) {
        count += n;
        if (count > c.size())
          throw new DigestMismatchException(
              what
                  + ": "
                  + c.label()
                  + ": size mismatch: more than the expected "
                  + c.size()
                  + " bytes");
        if (md != null) md.update(buf, 0, n);
        tar.write(buf, 0, n);
      }
    }
    if (count != c.size())
      throw new DigestMismatchException(
          what
              + ": "
              + c.label()
              + ": size mismatch: expected "
              + c.size()
              + " bytes, got "
              + count);
    if (md != null && expected != null) {
      String got = HexFormat.of().formatHex(md.digest());
      if (!got.equals(expected.hex()))
        throw new DigestMismatchException(
            what + ": " + c.label() + ": digest mismatch: got " + expected.algorithm() + ":" + got);
    }
    tar.closeArchiveEntry();
    if (big)
      listener.onEvent(new Event.Progress(name, "archive " + c.label(), count, c.size(), true));
  }
}
