package dev.caulk.registry;

import static dev.caulk.registry.TestImages.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.digest.Digest;
import dev.caulk.event.Event;
import dev.caulk.image.Artifact;
import dev.caulk.image.Image;
import dev.caulk.image.ImageIndex;
import dev.caulk.name.Reference;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.Index;
import dev.caulk.spec.MediaType;
import dev.caulk.spec.Platform;
import dev.caulk.spec.SpecJson;
import dev.caulk.testing.FaultProxy;
import dev.caulk.testing.RegistryTest;
import dev.caulk.testing.TestRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@RegistryTest(TestRegistry.Mode.PLAIN)
class RemotePushPullTest {
  @TempDir Path tmp;

  private final List<Event> events = new CopyOnWriteArrayList<>();

  private RegistryOptions opts() {
    return RegistryOptions.defaults().withChunkSize(MIB).withListener(events::add);
  }

  @Test
  void pushThenPullIsByteIdenticalWithChunkedUpload(TestRegistry registry) throws IOException {
    Image img = TestImages.image(tmp, 1, 3 * MIB + 1234, 20_000);
    long big = img.layers().get(0).size();
    assertTrue(big > 3 * MIB, "first layer must exceed three chunks");
    try (FaultProxy proxy = FaultProxy.start(registry)) {
      Reference ref = Reference.parse(proxy.host() + "/chunked/app:v1");
      assertEquals(img.digest(), Remote.write(Artifact.of(img), ref, opts()));
      assertEquals(
          4,
          proxy.count("PATCH", "/v2/chunked/app/blobs/uploads/"),
          "3 MiB + a bit in 1 MiB chunks");
      assertEquals(
          3,
          proxy.count("PUT", "/v2/chunked/app/blobs/uploads/"),
          "closing PUT of the big layer, monolithic PUTs of the rest");
      assertEquals(1, proxy.count("PUT", "/v2/chunked/app/manifests/v1"));

      Artifact pulled = Remote.open(ref, opts());
      assertFalse(pulled.isIndex());
      RemoteImage remote = assertInstanceOf(RemoteImage.class, pulled.image());
      assertEquals(ref.withDigest(img.digest()), remote.source());
      TestImages.assertSameImage(img, remote);
      assertEquals(img.digest(), Remote.open(ref.withDigest(img.digest()), opts()).digest());
    }
    for (dev.caulk.image.Layer l : img.layers()) {
      String id = l.digest().toString();
      assertTrue(
          events.stream()
              .anyMatch(
                  e ->
                      e instanceof Event.Progress p
                          && p.id().equals(id)
                          && p.label().startsWith("push")
                          && p.finished()
                          && p.done() == l.size()
                          && p.total() == l.size()),
          "push progress of " + id);
      assertTrue(
          events.stream()
              .anyMatch(
                  e ->
                      e instanceof Event.Progress p
                          && p.id().equals(id)
                          && p.label().startsWith("pull")
                          && p.finished()),
          "pull progress of " + id);
    }
  }

  @Test
  void secondPushOnlyHeadsTheBlobs(TestRegistry registry) throws IOException {
    Image img = TestImages.image(tmp, 2, 5000, 6000);
    try (FaultProxy proxy = FaultProxy.start(registry)) {
      Reference ref = Reference.parse(proxy.host() + "/again:v1");
      Remote.write(Artifact.of(img), ref, opts());
      proxy.reset();
      Remote.write(Artifact.of(img), ref.withTag("v2"), opts());
      assertEquals(3, proxy.count("HEAD", "/v2/again/blobs/sha256:"), "two layers and the config");
      assertEquals(0, proxy.count("POST", "/blobs/uploads/"));
      assertEquals(0, proxy.count("PUT", "/blobs/uploads/"));
      assertEquals(1, proxy.count("PUT", "/v2/again/manifests/v2"));
    }
    assertTrue(
        events.stream()
            .anyMatch(
                e ->
                    e instanceof Event.Progress p
                        && p.label().startsWith("exists")
                        && p.finished()));
  }

  @Test
  void indexPushAndPull(TestRegistry registry) throws IOException {
    Image amd = TestImages.image(tmp, 3, 4000);
    Image arm = TestImages.image(tmp, 4, Platform.parse("linux/arm64"), 4100);
    byte[] rawIndex =
        SpecJson.write(Index.of(MediaType.OCI_INDEX, List.of(amd.descriptor(), arm.descriptor())));
    ImageIndex index = new InMemoryIndex(rawIndex, List.of(amd, arm));
    Reference ref = Reference.parse(registry.host() + "/multi:v1");
    Digest d = Remote.write(Artifact.of(index), ref, opts());
    assertEquals(Digest.sha256(rawIndex), d);

    Artifact pulled = Remote.open(ref, opts());
    assertTrue(pulled.isIndex());
    RemoteIndex ri = assertInstanceOf(RemoteIndex.class, pulled.index());
    assertEquals(d, ri.digest());
    Image pulledArm = ri.image(Platform.parse("linux/arm64"));
    assertInstanceOf(RemoteImage.class, pulledArm);
    TestImages.assertSameImage(arm, pulledArm);
    TestImages.assertSameImage(amd, pulled.image(Platform.LINUX_AMD64));

    // Each child is stored by digest in the repository.
    RegistryClient client = RegistryClient.create(registry.host(), opts());
    assertTrue(client.headManifest("multi", amd.digest().toString()).isPresent());
    Descriptor head = client.headManifest("multi", "v1").orElseThrow();
    assertEquals(d, head.digest());
    assertEquals(MediaType.OCI_INDEX, head.mediaType());
    assertEquals(rawIndex.length, head.size());
  }

  @Test
  void blobsOfAnotherRepositoryAreMounted(TestRegistry registry) throws IOException {
    Image img = TestImages.image(tmp, 5, 7000, 8000);
    Reference src = Reference.parse(registry.host() + "/mount/src:v1");
    Remote.write(Artifact.of(img), src, opts());
    try (FaultProxy proxy = FaultProxy.start(registry)) {
      Reference proxied = Reference.parse(proxy.host() + "/mount/src:v1");
      Artifact remote = Remote.open(proxied, opts());
      Reference dst = Reference.parse(proxy.host() + "/mount/dst:v1");
      proxy.reset();
      assertEquals(img.digest(), Remote.write(remote, dst, opts()));
      long mounts =
          proxy.requests().stream()
              .filter(
                  r ->
                      r.method().equals("POST")
                          && r.target().contains("mount=")
                          && r.target().contains("from=mount%2Fsrc"))
              .count();
      assertEquals(3, mounts, "two layers and the config: " + proxy.requests());
      assertEquals(0, proxy.count("PUT", "/blobs/uploads/"));
      // Only the config is read (its diff_ids make the layer list); no layer is copied through
      // caulk.
      assertEquals(1, proxy.count("GET", "/blobs/"));
      assertEquals(1, proxy.count("GET", "/blobs/" + img.manifest().config().digest()));
    }
    TestImages.assertSameImage(
        img, Remote.open(Reference.parse(registry.host() + "/mount/dst:v1"), opts()).image());
  }

  @Test
  void tagsAreListed(TestRegistry registry) throws IOException {
    Image img = TestImages.image(tmp, 6, 100);
    Reference base = Reference.parse(registry.host() + "/tagged:a");
    for (String t : new String[] {"a", "b", "c"})
      Remote.write(Artifact.of(img), base.withTag(t), opts());
    assertEquals(Set.of("a", "b", "c"), Set.copyOf(Remote.tags(base, opts())));
    // distribution 2.8 has no tag pagination; FakeRegistryTest covers Link headers.
  }

  @Test
  void missingThingsAreOneLineErrors(TestRegistry registry) throws IOException {
    Reference ref = Reference.parse(registry.host() + "/nothing/here:v1");
    RegistryException e = assertThrows(RegistryException.class, () -> Remote.open(ref, opts()));
    assertEquals(
        "MANIFEST_UNKNOWN: manifest unknown (" + registry.host() + "/nothing/here:v1)",
        e.getMessage());
    assertEquals(404, e.status());
    assertFalse(e.isTemporary());

    RegistryClient client = RegistryClient.create(registry.host(), opts());
    Digest none = Digest.sha256("absent");
    assertTrue(client.headBlob("nothing/here", none).isEmpty());
    assertTrue(client.headManifest("nothing/here", "v1").isEmpty());
    RegistryException blob =
        assertThrows(
            RegistryException.class,
            () ->
                client
                    .getBlob("nothing/here", Descriptor.of(MediaType.OCI_LAYER, none, 6))
                    .close());
    assertTrue(
        blob.getMessage().startsWith("BLOB_UNKNOWN: blob unknown to registry"), blob.getMessage());
    assertTrue(
        blob.getMessage()
            .endsWith("(blob " + none.shortString() + " in " + registry.host() + "/nothing/here)"),
        blob.getMessage());
  }

  @Test
  void lowLevelBlobAndManifestCalls(TestRegistry registry) throws IOException {
    RegistryClient client = RegistryClient.create(registry.host(), opts());
    byte[] blob = "hello blob".getBytes();
    Descriptor d = Descriptor.of(MediaType.OCI_LAYER, Digest.sha256(blob), blob.length);
    assertEquals(
        RegistryClient.PushResult.UPLOADED,
        client.pushBlob("low", d, () -> new ByteArrayInputStream(blob), null));
    assertEquals(blob.length, client.headBlob("low", d.digest()).getAsLong());
    try (InputStream in = client.getBlob("low", d)) {
      assertEquals("hello blob", new String(in.readAllBytes()));
    }
    // An empty blob takes the monolithic path with no body.
    Descriptor empty = Descriptor.of(MediaType.OCI_EMPTY, Digest.sha256(new byte[0]), 0);
    client.pushBlob("low", empty, InputStream::nullInputStream, null);
    assertEquals(0, client.headBlob("low", empty.digest()).getAsLong());
    // A mount from a repository without the blob falls back to an upload.
    byte[] other = "other".getBytes();
    Descriptor od = Descriptor.of(MediaType.OCI_LAYER, Digest.sha256(other), other.length);
    assertEquals(
        RegistryClient.PushResult.UPLOADED,
        client.pushBlob("low2", od, () -> new ByteArrayInputStream(other), "nowhere"));
    assertEquals(
        RegistryClient.PushResult.MOUNTED,
        client.pushBlob("low3", od, () -> new ByteArrayInputStream(other), "low2"));
    // A source shorter than its descriptor fails without a retry storm, naming the blob.
    Descriptor lying = Descriptor.of(MediaType.OCI_LAYER, Digest.sha256("x"), 100);
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                client.pushBlob(
                    "low", lying, () -> new ByteArrayInputStream("x".getBytes()), null));
    assertTrue(e.getMessage().contains("source ended after 1 of 100 bytes"), e.getMessage());
    assertEquals(
        Set.of(),
        events.stream()
            .filter(ev -> ev instanceof Event.Log l && l.level() == Event.Level.WARN)
            .map(Object::toString)
            .collect(Collectors.toSet()));
  }

  /** An index held in memory, children by descriptor. */
  private record InMemoryIndex(byte[] raw, List<Image> images) implements ImageIndex {
    @Override
    public byte[] rawManifest() {
      return raw.clone();
    }

    @Override
    public Index index() throws IOException {
      return SpecJson.index(raw, "test index");
    }

    @Override
    public Image image(Descriptor child) throws IOException {
      for (Image i : images) if (i.digest().equals(child.digest())) return i;
      throw new IOException("no child " + child.digest());
    }

    @Override
    public ImageIndex childIndex(Descriptor child) throws IOException {
      throw new IOException("no nested index");
    }
  }
}
