package dev.caulk.spec;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caulk.digest.Digest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * One invalid document per rule of the image-spec JSON schemas (schema/*.json of
 * opencontainers/image-spec), each failing with one line naming the document and the field; and the
 * documents the spec's examples describe, the tolerated shapes and the artifacts, parsing.
 */
class SpecStrictnessTest {
  static final String D1 = Digest.sha256("one").toString();
  static final String D2 = Digest.sha256("two").toString();
  static final String D3 = Digest.sha256("three").toString();

  static final String MANIFEST =
      "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
          + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
          + D1
          + "\",\"size\":7023},"
          + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\""
          + D2
          + "\",\"size\":32654},"
          + "{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\""
          + D3
          + "\",\"size\":16724},"
          + "{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\""
          + D1
          + "\",\"size\":73109}],"
          + "\"subject\":{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\""
          + D2
          + "\",\"size\":7682},"
          + "\"annotations\":{\"com.example.key1\":\"value1\",\"com.example.key2\":\"value2\"}}";

  static final String INDEX =
      "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
          + "\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\""
          + D1
          + "\",\"size\":7143,"
          + "\"platform\":{\"architecture\":\"ppc64le\",\"os\":\"linux\"}},"
          + "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\""
          + D2
          + "\",\"size\":7682,"
          + "\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\",\"os.features\":[\"sse4\"],\"variant\":\"v2\"}}],"
          + "\"annotations\":{\"com.example.key1\":\"value1\"}}";

  static final String CONFIG =
      "{\"created\":\"2015-10-31T22:22:56.015925234Z\",\"author\":\"Alyssa P. Hacker <alyspdev@example.com>\","
          + "\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"User\":\"alice\",\"ExposedPorts\":{\"8080/tcp\":{}},"
          + "\"Env\":[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\",\"FOO=oci_is_a\"],"
          + "\"Entrypoint\":[\"/bin/my-app-binary\"],\"Cmd\":[\"--foreground\",\"--config\",\"/etc/my-app.d/default.cfg\"],"
          + "\"Volumes\":{\"/var/job-result-data\":{},\"/var/log/my-app-logs\":{}},\"WorkingDir\":\"/home/alice\","
          + "\"Labels\":{\"com.example.project.git.url\":\"https://example.com/project.git\"},\"StopSignal\":\"SIGKILL\",\"ArgsEscaped\":false},"
          + "\"rootfs\":{\"diff_ids\":[\""
          + D1
          + "\",\""
          + D2
          + "\"],\"type\":\"layers\"},"
          + "\"history\":[{\"created\":\"2015-10-31T22:22:54.690851953Z\",\"created_by\":\"/bin/sh -c #(nop) ADD file:a3bc1e842b69636f9df5256c49c5374fb4eef1e281fe3f282c65fb853ee171c5 in /\"},"
          + "{\"created\":\"2015-10-31T22:22:55.613815829Z\",\"created_by\":\"/bin/sh -c #(nop) CMD [\\\"sh\\\"]\",\"empty_layer\":true},"
          + "{\"created\":\"2015-10-31T22:22:56.329850019Z\",\"created_by\":\"/bin/sh -c apk add curl\"}]}";

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static ObjectNode tree(String s) throws InvalidSpecException {
    return (ObjectNode) SpecJson.tree(bytes(s), "t");
  }

  static byte[] edit(String base, Consumer<ObjectNode> change) throws InvalidSpecException {
    ObjectNode n = tree(base);
    change.accept(n);
    return SpecJson.write(n);
  }

  static ObjectNode at(ObjectNode n, String... path) {
    JsonNode cur = n;
    for (String p : path) cur = p.matches("\\d+") ? cur.get(Integer.parseInt(p)) : cur.get(p);
    return (ObjectNode) cur;
  }

  static void manifestFails(String expected, Consumer<ObjectNode> change)
      throws InvalidSpecException {
    byte[] doc = edit(MANIFEST, change);
    InvalidSpecException e =
        assertThrows(InvalidSpecException.class, () -> SpecJson.manifest(doc, "oci:dir:app"));
    assertEquals("oci:dir:app: manifest: " + expected, e.getMessage());
  }

  static void indexFails(String expected, Consumer<ObjectNode> change) throws InvalidSpecException {
    byte[] doc = edit(INDEX, change);
    InvalidSpecException e =
        assertThrows(InvalidSpecException.class, () -> SpecJson.index(doc, "oci:dir"));
    assertEquals("oci:dir: index: " + expected, e.getMessage());
  }

  static void configFails(String expected, Consumer<ObjectNode> change)
      throws InvalidSpecException {
    byte[] doc = edit(CONFIG, change);
    InvalidSpecException e =
        assertThrows(InvalidSpecException.class, () -> SpecJson.config(doc, "img: config"));
    assertEquals("img: config: " + expected, e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  // ---- the valid documents ----

  @Test
  void specExamplesParse() throws InvalidSpecException {
    Manifest m = SpecJson.manifest(bytes(MANIFEST), "m");
    assertEquals(3, m.layers().size());
    assertEquals(73109, m.layers().get(2).size());
    assertEquals("value1", m.annotations().get("com.example.key1"));
    Index i = SpecJson.index(bytes(INDEX), "i");
    assertEquals("linux/amd64/v2", i.manifests().get(1).platform().toString());
    assertEquals(List.of("sse4"), i.manifests().get(1).platform().osFeatures());
    ConfigFile c = SpecJson.config(bytes(CONFIG), "c");
    assertEquals("alice", c.runConfig().user());
    assertEquals(2, c.layerHistory().size());
  }

  @Test
  void artifactsParse() throws InvalidSpecException {
    // manifest.md "Guidelines for Artifact Usage": the empty config, an artifactType, any layer
    // type.
    String empty =
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"artifactType\":\"application/vnd.example+type\",\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\","
            + "\"digest\":\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":2,\"data\":\"e30=\"},"
            + "\"layers\":[{\"mediaType\":\"application/vnd.oci.empty.v1+json\","
            + "\"digest\":\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":2}]}";
    assertEquals(
        "application/vnd.example+type", SpecJson.manifest(bytes(empty), "a").artifactType());
    // A Helm chart: its own config and layer media types.
    String helm =
        "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"application/vnd.cncf.helm.config.v1+json\","
            + "\"digest\":\""
            + D1
            + "\",\"size\":117},\"layers\":[{\"mediaType\":\"application/vnd.cncf.helm.chart.content.v1.tar+gzip\","
            + "\"digest\":\""
            + D2
            + "\",\"size\":3461}]}";
    assertEquals(
        "application/vnd.cncf.helm.chart.content.v1.tar+gzip",
        SpecJson.manifest(bytes(helm), "h").layers().get(0).mediaType());
  }

  @Test
  void toleratedShapesParse() throws InvalidSpecException {
    // Null for optional fields and for empty lists, as Go writes a nil slice or map.
    byte[] m =
        edit(
            MANIFEST,
            n -> {
              n.putNull("annotations");
              n.putNull("subject");
              n.putNull("artifactType");
              at(n, "layers", "0").putNull("urls");
              at(n, "layers", "0").putNull("annotations");
            });
    assertEquals(3, SpecJson.manifest(m, "m").layers().size());
    byte[] i = edit(INDEX, n -> n.putNull("manifests"));
    assertEquals(List.of(), SpecJson.index(i, "i").manifests());
    // Docker schema 2 manifests may have no layers (docker build of FROM scratch + CMD writes []),
    // and null.
    String docker =
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\","
            + "\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\",\"digest\":\""
            + D1
            + "\",\"size\":1},";
    assertEquals(List.of(), SpecJson.manifest(bytes(docker + "\"layers\":[]}"), "d").layers());
    assertEquals(List.of(), SpecJson.manifest(bytes(docker + "\"layers\":null}"), "d").layers());
    // Unknown fields anywhere are ignored.
    byte[] u =
        edit(
            MANIFEST,
            n -> {
              n.put("x-vendor", 1);
              at(n, "config").put("x-extra", "y");
            });
    assertDoesNotThrow(() -> SpecJson.manifest(u, "m"));
    // Unregistered-but-valid digest strings are refused only because caulk verifies every digest it
    // reads.
    byte[] sha512 = edit(MANIFEST, n -> at(n, "config").put("digest", "sha512:" + "ab".repeat(64)));
    assertEquals("sha512", SpecJson.manifest(sha512, "m").config().digest().algorithm());
  }

  // ---- manifest rules ----

  @Test
  void manifestSchemaVersion() throws InvalidSpecException {
    manifestFails(
        "schemaVersion: must be the integer 2, got string \"2\"", n -> n.put("schemaVersion", "2"));
    manifestFails(
        "schemaVersion: must be the integer 2, got number 1", n -> n.put("schemaVersion", 1));
    manifestFails(
        "schemaVersion: must be the integer 2, got number 2.0", n -> n.put("schemaVersion", 2.0));
    manifestFails(
        "schemaVersion: must be the integer 2, got nothing", n -> n.remove("schemaVersion"));
  }

  @Test
  void sizesAreIntegersAtLeastZero() throws InvalidSpecException {
    manifestFails(
        "layers[2].size: must be an integer >= 0, got string \"123\"",
        n -> at(n, "layers", "2").put("size", "123"));
    manifestFails(
        "layers[0].size: must be an integer >= 0, got number 1.5",
        n -> at(n, "layers", "0").put("size", 1.5));
    manifestFails(
        "config.size: must be an integer >= 0, got number -1",
        n -> at(n, "config").put("size", -1));
    manifestFails(
        "config.size: must be an integer >= 0, got null", n -> at(n, "config").putNull("size"));
    manifestFails(
        "config.size: must be an integer >= 0, got nothing", n -> at(n, "config").remove("size"));
    manifestFails(
        "config.size: must be an integer >= 0, got number 99999999999999999999",
        n -> at(n, "config").put("size", new java.math.BigInteger("99999999999999999999")));
    indexFails(
        "manifests[1].size: must be an integer >= 0, got string \"7682\"",
        n -> at(n, "manifests", "1").put("size", "7682"));
  }

  @Test
  void digestsFollowTheGrammarAndTheRegisteredEncodings() throws InvalidSpecException {
    manifestFails(
        "config.digest: must be a digest algorithm:encoded (descriptor.md grammar), got string \""
            + D1.substring(7)
            + "\"",
        n -> at(n, "config").put("digest", D1.substring(7)));
    manifestFails(
        "layers[1].digest: a sha256 digest must be 64 lowercase hex characters, got string \"sha256:"
            + D2.substring(7).toUpperCase()
            + "\"",
        n -> at(n, "layers", "1").put("digest", "sha256:" + D2.substring(7).toUpperCase()));
    manifestFails(
        "layers[0].digest: a sha256 digest must be 64 lowercase hex characters, got string \"sha256:abc\"",
        n -> at(n, "layers", "0").put("digest", "sha256:abc"));
    manifestFails(
        "config.digest: a sha512 digest must be 128 lowercase hex characters, got string \""
            + "sha512:"
            + "a".repeat(64)
            + "\"",
        n -> at(n, "config").put("digest", "sha512:" + "a".repeat(64)));
    manifestFails(
        "config.digest: unsupported digest algorithm 'multihash+base58': caulk verifies sha256 and sha512 digests",
        n ->
            at(n, "config")
                .put("digest", "multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8"));
    manifestFails(
        "config.digest: unsupported digest algorithm 'blake3': caulk verifies sha256 and sha512 digests",
        n -> at(n, "config").put("digest", "blake3:" + "a".repeat(64)));
    manifestFails(
        "config.digest: must be a digest string algorithm:encoded, got number 5",
        n -> at(n, "config").put("digest", 5));
    manifestFails("config.digest: is required, got nothing", n -> at(n, "config").remove("digest"));
    manifestFails(
        "subject.digest: must be a digest algorithm:encoded (descriptor.md grammar), got string \"sha256:../../etc\"",
        n -> at(n, "subject").put("digest", "sha256:../../etc"));
    configFails(
        "rootfs.diff_ids[1]: a sha256 digest must be 64 lowercase hex characters, got string \"sha256:1234\"",
        n ->
            ((com.fasterxml.jackson.databind.node.ArrayNode) n.get("rootfs").get("diff_ids"))
                .set(1, "sha256:1234"));
  }

  @Test
  void mediaTypesAreRfc6838Names() throws InvalidSpecException {
    manifestFails(
        "config.mediaType: must be an RFC 6838 media type type/subtype, got string \"invalid\"",
        n -> at(n, "config").put("mediaType", "invalid"));
    manifestFails(
        "layers[0].mediaType: must be an RFC 6838 media type type/subtype, got string \"application/vnd oci\"",
        n -> at(n, "layers", "0").put("mediaType", "application/vnd oci"));
    manifestFails(
        "layers[0].mediaType: must be an RFC 6838 media type type/subtype, got string \"application/*\"",
        n -> at(n, "layers", "0").put("mediaType", "application/*"));
    manifestFails(
        "layers[1].mediaType: is required, got nothing",
        n -> at(n, "layers", "1").remove("mediaType"));
    manifestFails(
        "mediaType: must be an RFC 6838 media type type/subtype, got string \"/json\"",
        n -> n.put("mediaType", "/json"));
    manifestFails(
        "artifactType: must be an RFC 6838 media type type/subtype, got number 3",
        n -> n.put("artifactType", 3));
    manifestFails(
        "config.artifactType: must be an RFC 6838 media type type/subtype, got string \"x\"",
        n -> at(n, "config").put("artifactType", "x"));
    manifestFails(
        "mediaType: unsupported manifest media type application/vnd.oci.image.index.v1+json",
        n -> n.put("mediaType", MediaType.OCI_INDEX));
    indexFails(
        "manifests[0].mediaType: must be an RFC 6838 media type type/subtype, got string \""
            + "a".repeat(80)
            + "…\"",
        n -> at(n, "manifests", "0").put("mediaType", "a".repeat(130) + "/json"));
  }

  @Test
  void mediaTypeIsValid() {
    for (String ok :
        new String[] {
          "application/vnd.oci.empty.v1+json",
          "application/vnd.cncf.helm.config.v1+json",
          "text/plain",
          "application/vnd.docker.image.rootfs.diff.tar.gzip",
          "a/b"
        }) {
      assertTrue(MediaType.isValid(ok), ok);
    }
    for (String bad :
        new String[] {
          null,
          "",
          "json",
          "/json",
          "application/",
          "application/vnd oci",
          "application/*",
          "application/json; charset=utf-8",
          "-x/y",
          "a/b/c"
        }) {
      assertFalse(MediaType.isValid(bad), String.valueOf(bad));
    }
  }

  @Test
  void layersAndManifestsAreArraysOfDescriptors() throws InvalidSpecException {
    manifestFails(
        "layers: must be an array of descriptors, got an object", n -> n.putObject("layers"));
    manifestFails(
        "layers[1]: must be a descriptor object, got string \"" + D2 + "\"",
        n -> n.withArray("layers").set(1, D2));
    manifestFails(
        "layers[0]: must be a descriptor object, got null", n -> n.withArray("layers").setNull(0));
    manifestFails("config: is required, got nothing", n -> n.remove("config"));
    manifestFails("config: must be a descriptor object, got an array", n -> n.putArray("config"));
    manifestFails(
        "subject: must be a descriptor object, got string \"x\"", n -> n.put("subject", "x"));
    indexFails(
        "manifests: must be an array of descriptors, got an object", n -> n.putObject("manifests"));
    indexFails("manifests: is required, got nothing", n -> n.remove("manifests"));
    indexFails(
        "schemaVersion: must be the integer 2, got string \"2\"", n -> n.put("schemaVersion", "2"));
  }

  /**
   * image-manifest-schema.json: {@code layers} has {@code minItems: 1} for every OCI manifest
   * (manifest_test.go fails []).
   */
  @Test
  void ociManifestNeedsALayer() throws InvalidSpecException {
    manifestFails(
        "layers: must have at least one entry in an OCI image manifest (image-spec schema: minItems 1), got an empty array",
        n -> n.putArray("layers"));
    manifestFails(
        "layers: must have at least one entry in an OCI image manifest (image-spec schema: minItems 1), got nothing",
        n -> n.remove("layers"));
    manifestFails(
        "layers: must have at least one entry in an OCI image manifest (image-spec schema: minItems 1), got null",
        n -> n.putNull("layers"));
    // Without a mediaType the manifest is read as OCI, so the rule holds too.
    manifestFails(
        "layers: must have at least one entry in an OCI image manifest (image-spec schema: minItems 1), got an empty array",
        n -> {
          n.remove("mediaType");
          n.putArray("layers");
        });
    // An artifact with no content uses the empty descriptor as its one layer instead.
  }

  @Test
  void annotationsAreStringToString() throws InvalidSpecException {
    manifestFails(
        "annotations[\"com.example.key1\"]: must be a string, got number 1",
        n -> at(n, "annotations").put("com.example.key1", 1));
    manifestFails(
        "annotations: must be an object of strings, got an array", n -> n.putArray("annotations"));
    manifestFails(
        "layers[0].annotations[\"k\"]: must be a string, got boolean true",
        n -> at(n, "layers", "0").putObject("annotations").put("k", true));
    indexFails(
        "annotations[\"com.example.key1\"]: must be a string, got null",
        n -> at(n, "annotations").putNull("com.example.key1"));
    configFails(
        "config.Labels[\"com.example.project.git.url\"]: must be a string, got number 5",
        n -> at(n, "config", "Labels").put("com.example.project.git.url", 5));
  }

  @Test
  void platformHasArchitectureAndOsStrings() throws InvalidSpecException {
    indexFails(
        "manifests[0].platform.architecture: is required, got nothing",
        n -> at(n, "manifests", "0", "platform").remove("architecture"));
    indexFails(
        "manifests[0].platform.os: must be a string, got number 1",
        n -> at(n, "manifests", "0", "platform").put("os", 1));
    indexFails(
        "manifests[1].platform.os.features: must be an array of strings, got string \"sse4\"",
        n -> at(n, "manifests", "1", "platform").put("os.features", "sse4"));
    indexFails(
        "manifests[1].platform.variant: must be a string, got number 2",
        n -> at(n, "manifests", "1", "platform").put("variant", 2));
    indexFails(
        "manifests[0].platform: must be a JSON object, got string \"linux/amd64\"",
        n -> at(n, "manifests", "0").put("platform", "linux/amd64"));
  }

  @Test
  void descriptorOptionalFields() throws InvalidSpecException {
    manifestFails(
        "layers[0].urls: must be an array of strings, got string \"https://example.com/l\"",
        n -> at(n, "layers", "0").put("urls", "https://example.com/l"));
    manifestFails(
        "config.data: must be base64 (RFC 4648), got string \"not base64!\"",
        n -> at(n, "config").put("data", "not base64!"));
  }

  // ---- config rules ----

  @Test
  void configRequiredFields() throws InvalidSpecException {
    configFails("architecture: is required, got nothing", n -> n.remove("architecture"));
    configFails("os: must be a string, got number 1", n -> n.put("os", 1));
    configFails("rootfs: is required, got nothing", n -> n.remove("rootfs"));
    configFails(
        "rootfs.type: must be \"layers\", got string \"layer\"",
        n -> at(n, "rootfs").put("type", "layer"));
    configFails("rootfs.type: is required, got nothing", n -> at(n, "rootfs").remove("type"));
    configFails(
        "rootfs.diff_ids: must be an array of digests, got string \"" + D1 + "\"",
        n -> at(n, "rootfs").put("diff_ids", D1));
    InvalidSpecException e =
        assertThrows(InvalidSpecException.class, () -> SpecJson.config(bytes("[]"), "img: config"));
    assertEquals("img: config: document: must be a JSON object, got an array", e.getMessage());
  }

  @Test
  void configFieldTypes() throws InvalidSpecException {
    configFails(
        "created: must be an RFC 3339 date-time, got string \"yesterday\"",
        n -> n.put("created", "yesterday"));
    configFails(
        "created: must be an RFC 3339 date-time string, got number 1700000000",
        n -> n.put("created", 1700000000));
    configFails(
        "config.Env: must be an array of strings, got string \"FOO=bar\"",
        n -> at(n, "config").put("Env", "FOO=bar"));
    configFails(
        "config.Cmd[1]: must be a string, got number 1",
        n -> at(n, "config").withArray("Cmd").set(1, 1));
    configFails(
        "config.ExposedPorts[\"8080/tcp\"]: must be an object, got boolean true",
        n -> at(n, "config", "ExposedPorts").put("8080/tcp", true));
    configFails(
        "config.Volumes: must be an object of objects, got an array",
        n -> at(n, "config").putArray("Volumes"));
    configFails(
        "config.ArgsEscaped: must be a boolean, got string \"true\"",
        n -> at(n, "config").put("ArgsEscaped", "true"));
    configFails(
        "config.User: must be a string, got number 1000", n -> at(n, "config").put("User", 1000));
    configFails("config: must be a JSON object, got string \"x\"", n -> n.put("config", "x"));
    configFails(
        "config.Healthcheck.Interval: must be an integer (nanoseconds), got string \"30s\"",
        n -> at(n, "config").putObject("Healthcheck").put("Interval", "30s"));
    configFails(
        "config.Healthcheck.Retries: must be an integer, got number 1.5",
        n -> at(n, "config").putObject("Healthcheck").put("Retries", 1.5));
    configFails(
        "config.Healthcheck.Test: must be an array of strings, got string \"curl localhost\"",
        n -> at(n, "config").putObject("Healthcheck").put("Test", "curl localhost"));
    configFails("history: must be an array of objects, got an object", n -> n.putObject("history"));
    configFails(
        "history[1].empty_layer: must be a boolean, got string \"true\"",
        n -> at(n, "history", "1").put("empty_layer", "true"));
    configFails(
        "history[0].created_by: must be a string, got an array",
        n -> at(n, "history", "0").putArray("created_by"));
    configFails(
        "history[2]: must be a JSON object, got string \"x\"",
        n -> n.withArray("history").set(2, "x"));
  }

  @Test
  void jacksonNoLongerCoercesStrings() throws Exception {
    // Defence in depth behind the tree rules: the mapper itself refuses "123" for a number.
    assertThrows(
        com.fasterxml.jackson.databind.exc.MismatchedInputException.class,
        () ->
            SpecJson.mapper()
                .readValue(
                    "{\"mediaType\":\"a/b\",\"digest\":\"" + D1 + "\",\"size\":\"5\"}",
                    Descriptor.class));
    assertThrows(
        com.fasterxml.jackson.databind.exc.MismatchedInputException.class,
        () ->
            SpecJson.mapper()
                .readValue(
                    "{\"mediaType\":\"a/b\",\"digest\":\"" + D1 + "\",\"size\":5.5}",
                    Descriptor.class));
  }

  @Test
  void writtenDocumentsAreValid() throws InvalidSpecException {
    Descriptor cfg = Descriptor.of(MediaType.OCI_CONFIG, Digest.sha256("{}"), 2);
    Descriptor layer = Descriptor.of(MediaType.OCI_LAYER_GZIP, Digest.sha256("l"), 1);
    byte[] m = SpecJson.write(Manifest.of(false, cfg, List.of(layer), null));
    assertDoesNotThrow(() -> SpecJson.manifest(m, "m"));
    assertTrue(new String(m, StandardCharsets.UTF_8).contains("\"size\":1}"));
    byte[] i =
        SpecJson.write(
            Index.of(
                MediaType.OCI_INDEX,
                List.of(
                    Descriptor.of(MediaType.OCI_MANIFEST, Digest.sha256(m), m.length)
                        .withPlatform(Platform.LINUX_AMD64))));
    assertDoesNotThrow(() -> SpecJson.index(i, "i"));
    byte[] empty = SpecJson.write(Index.of(MediaType.OCI_INDEX, List.of()));
    assertEquals(
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}",
        new String(empty, StandardCharsets.UTF_8));
  }
}
