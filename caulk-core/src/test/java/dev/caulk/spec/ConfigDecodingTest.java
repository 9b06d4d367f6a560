package dev.caulk.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Image configs as the common builders write them. The fixtures under {@code
 * src/test/resources/dev/caulk/spec/configs} were written for these tests from the formats'
 * documentation (image-spec config.md, Docker's image spec v1.x) and what each tool is documented
 * to emit; digests in them are sha256 of made-up strings. Each fixture carries its tool's quirks,
 * and each test checks the values {@code caulk inspect} shows.
 */
class ConfigDecodingTest {
  static byte[] fixture(String name) throws IOException {
    try (InputStream in = ConfigDecodingTest.class.getResourceAsStream("configs/" + name)) {
      assertNotNull(in, name);
      return in.readAllBytes();
    }
  }

  static ConfigFile decode(String name) throws IOException {
    return SpecJson.config(fixture(name), name);
  }

  static List<String> createdBy(ConfigFile c) {
    return c.layerHistory().stream().map(h -> h == null ? null : h.createdBy()).toList();
  }

  /** Rewrites the config as harden/slim/build would, and reads the result back. */
  static ConfigFile rewritten(ConfigFile c) throws InvalidSpecException {
    ConfigFile changed =
        c.withConfig(c.runConfig().toBuilder().label("dev.caulk.test", "1").build());
    return SpecJson.config(SpecJson.write(changed), "rewritten");
  }

  /**
   * Classic builder: container_config, docker_version, container, nulls, a Healthcheck with only
   * Test.
   */
  @Test
  void dockerClassicBuilder() throws IOException {
    ConfigFile c = decode("docker-classic.json");
    assertEquals("linux/amd64", c.platform().toString());
    assertEquals("2024-03-01T10:20:30.123456789Z", c.created());
    ContainerConfig rc = c.runConfig();
    assertEquals(List.of("CMD-SHELL", "curl -f http://localhost/"), rc.healthcheck().test());
    assertEquals(0, rc.healthcheck().interval());
    assertEquals(0, rc.healthcheck().retries());
    assertEquals(List.of("nginx", "-g", "daemon off;"), rc.cmd());
    assertNull(rc.entrypoint());
    assertNull(rc.labels());
    assertNull(rc.onBuild());
    assertEquals("", rc.user());
    assertEquals("SIGQUIT", rc.stopSignal());
    assertEquals(Boolean.TRUE, rc.argsEscaped());
    assertEquals(List.of("80/tcp"), List.copyOf(rc.exposedPorts().keySet()));
    assertEquals(2, c.rootfs().diffIds().size());
    assertEquals(
        List.of(
            "/bin/sh -c #(nop) ADD file:0123456789abcdef in / ",
            "/bin/sh -c apt-get update && apt-get install -y nginx curl"),
        createdBy(c));
    assertEquals("20.10.24", c.extra().get("docker_version").asText());
    assertTrue(c.extra().get("container_config").isObject());
    assertEquals("", rc.extra().get("Hostname").asText());

    ConfigFile back = rewritten(c);
    assertEquals("20.10.24", back.extra().get("docker_version").asText());
    assertEquals(c.extra().get("container_config"), back.extra().get("container_config"));
    assertEquals(c.extra().get("container"), back.extra().get("container"));
    assertEquals(c.runConfig().extra(), back.runConfig().extra());
    assertEquals(
        List.of("CMD-SHELL", "curl -f http://localhost/"), back.runConfig().healthcheck().test());
    assertEquals("1", back.runConfig().labels().get("dev.caulk.test"));
    // Healthcheck zeros stay unset (Docker reads 0 as "use the default").
    String json = new String(SpecJson.write(back), StandardCharsets.UTF_8);
    assertTrue(
        json.contains("\"Healthcheck\":{\"Test\":[\"CMD-SHELL\",\"curl -f http://localhost/\"]}"),
        json);
  }

  /** BuildKit: no container_config, buildinfo, variant, history comments, a full Healthcheck. */
  @Test
  void buildKit() throws IOException {
    ConfigFile c = decode("buildkit.json");
    assertEquals("linux/arm64/v8", c.platform().toString());
    ContainerConfig rc = c.runConfig();
    Healthcheck h = rc.healthcheck();
    assertEquals(List.of("CMD", "/app/server", "-health"), h.test());
    assertEquals(30_000_000_000L, h.interval());
    assertEquals(3_000_000_000L, h.timeout());
    assertEquals(5_000_000_000L, h.startPeriod());
    assertEquals(1_000_000_000L, h.startInterval());
    assertEquals(3, h.retries());
    assertEquals("65532:65532", rc.user());
    assertEquals("/app", rc.workingDir());
    assertEquals(List.of("/app/server"), rc.entrypoint());
    assertEquals("8080", rc.envValue("PORT"));
    assertEquals("https://example.com/app.git", rc.labels().get("org.opencontainers.image.source"));
    assertEquals(3, c.rootfs().diffIds().size());
    assertEquals(
        List.of(
            "ADD rootfs.tar.gz / # buildkit",
            "WORKDIR /app",
            "COPY /out/server /app/server # buildkit"),
        createdBy(c));
    assertEquals("buildkit.dockerfile.v0", c.history().get(0).comment());
    assertFalse(c.extra().containsKey("container_config"));
    assertEquals(
        "eyJmcm9udGVuZCI6ImRvY2tlcmZpbGUudjAifQ==",
        c.extra().get("moby.buildkit.buildinfo.v1").asText());
    assertEquals(c.extra(), rewritten(c).extra());
    assertEquals(h, rewritten(c).runConfig().healthcheck());
  }

  /** buildah (OCI format): ArgsEscaped, io.buildah.version, history comments naming FROM. */
  @Test
  void buildah() throws IOException {
    ConfigFile c = decode("buildah.json");
    assertEquals("linux/amd64", c.platform().toString());
    ContainerConfig rc = c.runConfig();
    assertEquals(Boolean.TRUE, rc.argsEscaped());
    assertEquals("1.33.7", rc.labels().get("io.buildah.version"));
    assertEquals("oci", rc.envValue("container"));
    assertEquals(List.of("/bin/sh", "-c", "python3 -m http.server 8000"), rc.cmd());
    assertEquals("1001", rc.user());
    assertEquals("/srv", rc.workingDir());
    assertEquals("SIGTERM", rc.stopSignal());
    assertNull(rc.healthcheck());
    assertEquals(
        List.of(
            "/bin/sh -c #(nop) ADD file:fedcba9876543210 in / ",
            "/bin/sh -c dnf install -y python3"),
        createdBy(c));
    assertTrue(c.extra().isEmpty());
  }

  /**
   * kaniko (go-containerregistry types): offsets in created, a zero-time history entry, {@code
   * container_config: {}}.
   */
  @Test
  void kaniko() throws IOException {
    ConfigFile c = decode("kaniko.json");
    assertEquals("2024-07-15T09:30:00.5+02:00", c.created());
    ContainerConfig rc = c.runConfig();
    assertEquals(
        List.of("CMD-SHELL", "wget -q -O- http://localhost:9000/healthz || exit 1"),
        rc.healthcheck().test());
    assertEquals(10_000_000_000L, rc.healthcheck().interval());
    assertEquals(0, rc.healthcheck().timeout());
    assertEquals("production", rc.envValue("APP_ENV"));
    assertEquals("app", rc.user());
    assertEquals(List.of("/data"), List.copyOf(rc.volumes().keySet()));
    assertEquals(
        List.of(
            "/bin/sh -c #(nop) ADD file:aa55aa55 in / ",
            "RUN apk add --no-cache ca-certificates",
            "COPY app /usr/local/bin/app"),
        createdBy(c));
    assertTrue(c.extra().get("container_config").isObject());
    assertEquals(0, c.extra().get("container_config").size());
  }

  /** Jib: created at the epoch, history authored by Jib, one entry per layer kind. */
  @Test
  void jib() throws IOException {
    ConfigFile c = decode("jib.json");
    assertEquals("1970-01-01T00:00:00Z", c.created());
    ContainerConfig rc = c.runConfig();
    assertEquals(
        List.of("java", "-cp", "@/app/jib-classpath-file", "com.example.Main"), rc.entrypoint());
    assertNull(rc.cmd());
    assertEquals("/opt/java/openjdk", rc.envValue("JAVA_HOME"));
    assertEquals(6, c.rootfs().diffIds().size());
    List<History> made = c.layerHistory();
    assertEquals(6, made.size());
    assertEquals("Jib", made.get(5).author());
    assertEquals("jvm arg files", made.get(5).comment());
    assertEquals("jib-maven-plugin:3.4.3", made.get(2).createdBy());
    assertEquals("dependencies", made.get(2).comment());
  }

  /** ko: author ko-build, Go zero times, a history entry with empty fields, no Cmd. */
  @Test
  void ko() throws IOException {
    ConfigFile c = decode("ko.json");
    assertEquals("linux/arm64/v8", c.platform().toString());
    assertEquals("github.com/ko-build/ko", c.author());
    assertEquals("0001-01-01T00:00:00Z", c.created());
    ContainerConfig rc = c.runConfig();
    assertEquals(List.of("/ko-app/app"), rc.entrypoint());
    assertEquals("/var/run/ko", rc.envValue("KO_DATA_PATH"));
    assertEquals("65532", rc.user());
    List<History> made = c.layerHistory();
    assertEquals(4, made.size());
    assertEquals("go build output, at /ko-app/app", made.get(2).comment());
    assertEquals("", made.get(3).createdBy());
    assertEquals("", made.get(3).comment());
  }

  /** Unknown fields of history entries survive a rewrite too. */
  @Test
  void unknownHistoryFieldsSurviveARewrite() throws InvalidSpecException {
    String json =
        "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},"
            + "\"history\":[{\"created_by\":\"x\",\"empty_layer\":true,\"x-vendor\":{\"a\":1}}]}";
    ConfigFile c = SpecJson.config(json.getBytes(StandardCharsets.UTF_8), "c");
    assertEquals(1, c.history().get(0).extra().get("x-vendor").get("a").asInt());
    String out = new String(SpecJson.write(rewritten(c)), StandardCharsets.UTF_8);
    assertTrue(
        out.contains(
            "\"history\":[{\"created_by\":\"x\",\"empty_layer\":true,\"x-vendor\":{\"a\":1}}]"),
        out);
  }

  /** apko: one layer, no os.version, no variant, apko as author. */
  @Test
  void apko() throws IOException {
    ConfigFile c = decode("apko.json");
    assertEquals("linux/amd64", c.platform().toString());
    assertNull(c.osVersion());
    assertNull(c.variant());
    assertEquals("github.com/chainguard-dev/apko", c.author());
    ContainerConfig rc = c.runConfig();
    assertEquals("10000", rc.user());
    assertEquals("/usr/sbin/nginx", rc.entrypoint().get(0));
    assertEquals(List.of("apko"), createdBy(c));
    assertEquals("This is an apko single-layer image", c.layerHistory().get(0).comment());
  }

  /**
   * Every optional field null: Go reads null as absent, and so does caulk; writing never emits
   * them.
   */
  @Test
  void everyOptionalFieldMayBeNull() throws IOException {
    ConfigFile c = decode("all-null.json");
    assertEquals("linux/amd64", c.platform().toString());
    assertNull(c.created());
    assertEquals(List.of(), c.rootfs().diffIds());
    ContainerConfig rc = c.runConfig();
    assertEquals(new Healthcheck(List.of("CMD-SHELL", "true"), 0, 0, 0, 0, 0), rc.healthcheck());
    assertEquals(Map.of(), rc.exposedPorts().get("53/udp"));
    assertNull(rc.env());
    assertNull(rc.entrypoint());
    assertEquals(1, c.history().size());
    assertFalse(c.history().get(0).emptyLayer());
    String json = new String(SpecJson.write(rewritten(c)), StandardCharsets.UTF_8);
    JsonNode written = SpecJson.tree(json.getBytes(StandardCharsets.UTF_8), "written");
    assertFalse(json.contains("null"), json);
    assertTrue(written.path("config").path("ExposedPorts").path("53/udp").isObject(), json);
  }

  /**
   * Docker omits rootfs.diff_ids for an image without layers ({@code FROM scratch} + {@code CMD
   * []}).
   */
  @Test
  void dockerConfigWithoutDiffIds() throws IOException {
    ConfigFile c = decode("docker-no-layers.json");
    assertEquals(List.of(), c.rootfs().diffIds());
    assertEquals(List.of(), c.runConfig().cmd());
    assertEquals(List.of(), c.layerHistory());
  }

  /** A Healthcheck with only some fields, on its own (the case). */
  @Test
  void partialHealthchecks() throws InvalidSpecException {
    for (String hc :
        new String[] {
          "{\"Test\":[\"CMD-SHELL\",\"curl -f http://localhost/\"]}",
          "{\"Test\":[\"CMD-SHELL\",\"curl -f http://localhost/\"],\"Interval\":null,\"Retries\":null}",
          "{\"Test\":[\"CMD-SHELL\",\"curl -f http://localhost/\"],\"Timeout\":5000000000}"
        }) {
      String json =
          "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},"
              + "\"config\":{\"Healthcheck\":"
              + hc
              + "}}";
      Healthcheck h =
          SpecJson.config(json.getBytes(StandardCharsets.UTF_8), "c").runConfig().healthcheck();
      assertEquals(List.of("CMD-SHELL", "curl -f http://localhost/"), h.test(), hc);
      assertEquals(0, h.interval(), hc);
      assertEquals(0, h.retries(), hc);
      assertEquals(hc.contains("Timeout") ? 5_000_000_000L : 0, h.timeout(), hc);
    }
    String empty =
        "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\"},\"config\":{\"Healthcheck\":{}}}";
    assertNull(
        SpecJson.config(empty.getBytes(StandardCharsets.UTF_8), "c")
            .runConfig()
            .healthcheck()
            .test());
  }
}
