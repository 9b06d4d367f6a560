package dev.caulk.audit;

import dev.caulk.image.Image;
import dev.caulk.image.Images;
import dev.caulk.image.Layer;
import dev.caulk.mutate.Mutate;
import dev.caulk.report.Finding;
import dev.caulk.report.Report;
import dev.caulk.spec.ContainerConfig;
import dev.caulk.spec.Healthcheck;
import dev.caulk.spec.History;
import dev.caulk.spec.Platform;
import dev.caulk.tar.TestTars;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Crafted images for the audit tests: a clean service image that passes every rule, and the pieces
 * to break it one rule at a time. Test secrets are made at run time from a seeded generator with
 * split prefixes, so the repository holds no literal token.
 */
final class AuditFixtures {
  static final String PASSWD =
      "root:x:0:0:root:/root:/usr/sbin/nologin\napp:x:10001:10001::/app:/usr/sbin/nologin\n";
  static final String GROUP = "root:x:0:\napp:x:10001:\n";
  static final String SHADOW = "root:!:19000:0:99999:7:::\napp:!:19000::::::\n";
  static final byte[] SERVER =
      new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

  private AuditFixtures() {}

  /** The clean image's only layer, open for more entries. */
  static TestTars.Tar cleanBase() {
    return TestTars.tar()
        .dir("etc")
        .file("etc/passwd", PASSWD)
        .file("etc/group", GROUP)
        .file("etc/shadow", SHADOW.getBytes(), 0640, 0, 42)
        .dir("tmp", 01777)
        .dir("app", 0755)
        .file("app/server", SERVER, 0755, 0, 0);
  }

  /**
   * The clean image's config: non-root by name, health check, absolute entrypoint, PATH=/app, port
   * 8080.
   */
  static ContainerConfig.Builder cleanConfig() {
    return ContainerConfig.EMPTY.toBuilder()
        .user("app")
        .entrypoint(List.of("/app/server"))
        .env("PATH", "/app")
        .exposePort("8080/tcp")
        .healthcheck(
            new Healthcheck(List.of("CMD", "/app/server", "-health"), 30_000_000_000L, 0, 0, 0, 3));
  }

  static Image clean() throws IOException {
    return image(cleanConfig().build(), null, cleanBase().bytes());
  }

  /**
   * An image of these layers with this config; {@code history} null means one COPY line per layer.
   */
  static Image image(ContainerConfig config, List<History> history, byte[]... tars)
      throws IOException {
    List<Layer> layers = new ArrayList<>();
    for (byte[] t : tars) layers.add(TestTars.layer(t));
    List<History> h = history;
    if (h == null) {
      h = new ArrayList<>();
      for (int i = 0; i < tars.length; i++) h.add(run("COPY layer" + i + " / # buildkit"));
    }
    return Mutate.withConfig(
        Mutate.appendLayers(Images.scratch(Platform.LINUX_AMD64), layers, h), config);
  }

  static History run(String createdBy) {
    return new History("2026-01-01T00:00:00Z", null, createdBy, null, false);
  }

  static History empty(String createdBy) {
    return new History("2026-01-01T00:00:00Z", null, createdBy, null, true);
  }

  /** The config with these volumes. */
  static ContainerConfig withVolumes(ContainerConfig c, String... volumes) {
    Map<String, Map<String, Object>> v = new LinkedHashMap<>();
    for (String s : volumes) v.put(s, Map.of());
    return new ContainerConfig(
        c.user(),
        c.exposedPorts(),
        c.env(),
        c.entrypoint(),
        c.cmd(),
        v,
        c.workingDir(),
        c.labels(),
        c.stopSignal(),
        c.argsEscaped(),
        c.healthcheck(),
        c.onBuild(),
        c.shell());
  }

  static Report audit(Image image) throws IOException {
    return Auditor.audit(image, Auditor.Options.defaults());
  }

  static Report audit(Image image, String name, String tag) throws IOException {
    return Auditor.audit(image, Auditor.Options.defaults().withName(name, tag));
  }

  static List<Finding> findings(Report r, String id) {
    return r.findings().stream().filter(f -> f.id().equals(id)).toList();
  }

  /** Random test secrets with split prefixes. */
  static final class Secrets {
    private static final String ALNUM =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private final Random random;

    Secrets(long seed) {
      random = new Random(seed);
    }

    String chars(String alphabet, int n) {
      StringBuilder sb = new StringBuilder(n);
      for (int i = 0; i < n; i++) sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
      return sb.toString();
    }

    String awsKeyId() {
      return "AK" + "IA" + chars(BASE32, 16);
    }

    String awsSecret() {
      return chars(ALNUM + "+/", 40);
    }

    String githubPat() {
      return "gh" + "p_" + chars(ALNUM, 36);
    }
  }
}
