package dev.caulk.verbs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caulk.audit.secrets.SecretRuleBook;
import dev.caulk.digest.Digest;
import dev.caulk.image.Artifact;
import dev.caulk.image.Image;
import dev.caulk.image.Layer;
import dev.caulk.location.ImageLocation;
import dev.caulk.spec.ConfigFile;
import dev.caulk.spec.ContainerConfig;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.History;
import dev.caulk.spec.Manifest;
import dev.caulk.spec.Platform;
import dev.caulk.spec.SpecJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An image's digest, platform, run configuration and layers, or an artifact's manifest; only the
 * manifest and config are read, never a layer. Secret-looking environment values are masked.
 */
public final class Inspect {
  private Inspect() {}

  /**
   * What to inspect.
   *
   * @param location where the image is
   * @param platform the image to show from an index (default linux/amd64)
   * @param secretRules the rules that say which env, label and history values are masked
   */
  public record Options(ImageLocation location, Platform platform, SecretRuleBook secretRules) {}

  /**
   * One layer of a container image.
   *
   * @param createdBy the history entry that made it, or null
   */
  public record LayerInfo(
      Digest digest, long size, Digest diffId, String mediaType, String createdBy) {}

  /**
   * The index the image was picked from.
   *
   * @param manifests its entries
   */
  public record IndexInfo(Digest digest, String mediaType, List<Descriptor> manifests) {
    public IndexInfo {
      manifests = List.copyOf(manifests);
    }
  }

  /**
   * What was found.
   *
   * @param digest the image manifest's digest
   * @param mediaType the manifest's media type
   * @param containerImage false for an OCI artifact (a chart, a signature, an SBOM)
   * @param config the image config with secret-looking env values masked; null for an artifact
   * @param layers a container image's layers; empty for an artifact
   * @param manifest the manifest as read
   * @param artifactType an artifact's type (null for a container image)
   * @param index the index the image was picked from, or null
   */
  public record Result(
      Digest digest,
      String mediaType,
      boolean containerImage,
      ConfigFile config,
      List<LayerInfo> layers,
      Manifest manifest,
      String artifactType,
      IndexInfo index) {
    public Result {
      layers = List.copyOf(layers);
    }

    /** Total compressed size of the layers. */
    public long compressedSize() {
      long total = 0;
      for (LayerInfo l : layers) {
        total += l.size();
      }
      return total;
    }

    /**
     * The JSON document of {@code caulk inspect --format json} (pretty-printed): digest, mediaType,
     * platform, config and layers (or an artifact's manifest parts), and the index when there is
     * one.
     */
    public String toJson() throws IOException {
      ObjectMapper json = SpecJson.mapper();
      ObjectNode root = json.createObjectNode();
      root.put("digest", digest.toString());
      root.put("mediaType", mediaType);
      if (containerImage) {
        root.put("platform", config.platform().toString());
        root.set("config", json.readTree(SpecJson.write(config)));
        ArrayNode ls = root.putArray("layers");
        for (LayerInfo l : layers) {
          ObjectNode n = ls.addObject();
          n.put("digest", l.digest().toString());
          n.put("size", l.size());
          n.put("diffId", l.diffId().toString());
          n.put("mediaType", l.mediaType());
          n.put("createdBy", l.createdBy());
        }
      } else {
        root.put("artifactType", artifactType);
        root.set("config", json.valueToTree(manifest.config()));
        if (manifest.subject() != null) {
          root.set("subject", json.valueToTree(manifest.subject()));
        }
        if (manifest.annotations() != null) {
          root.set("annotations", json.valueToTree(manifest.annotations()));
        }
        root.set("layers", json.valueToTree(manifest.layers()));
      }
      if (index != null) {
        ObjectNode idx = root.putObject("index");
        idx.put("digest", index.digest().toString());
        idx.put("mediaType", index.mediaType());
        idx.set("manifests", json.valueToTree(index.manifests()));
      }
      return json.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }
  }

  public static Builder options() {
    return new Builder();
  }

  /** Reads the manifest and config (never a layer) of the image at the location. */
  public static Result run(Options o, Session session) throws IOException {
    Open.Target t = Open.image(o.location(), o.platform(), session);
    Artifact a = t.artifact();
    Image image = t.image();
    IndexInfo index =
        a.isIndex()
            ? new IndexInfo(a.digest(), a.mediaType(), a.index().index().manifests())
            : null;
    Manifest m = image.manifest();
    if (!image.isContainerImage()) {
      return new Result(
          image.digest(),
          image.mediaType(),
          false,
          null,
          List.of(),
          m,
          image.artifactType(),
          index);
    }
    SecretRuleBook book = o.secretRules();
    ConfigFile config = maskHistory(maskEnv(image.config(), book), book);
    List<Layer> layers = image.layers();
    List<History> made = config.layerHistory();
    List<LayerInfo> infos = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      Layer l = layers.get(i);
      String by = made.get(i) == null ? null : made.get(i).createdBy();
      infos.add(new LayerInfo(l.digest(), l.size(), l.diffId(), l.mediaType(), by));
    }
    return new Result(image.digest(), image.mediaType(), true, config, infos, m, null, index);
  }

  /** The config with secrets in history lines ({@code ENV TOKEN=…} of a build step) masked. */
  static ConfigFile maskHistory(ConfigFile c, SecretRuleBook book) {
    if (c.history() == null || c.history().isEmpty()) {
      return c;
    }
    List<History> out = new ArrayList<>();
    for (History h : c.history()) {
      out.add(
          h == null || h.createdBy() == null
              ? h
              : new History(
                  h.created(),
                  h.author(),
                  book.maskValue(null, h.createdBy()),
                  h.comment(),
                  h.emptyLayer(),
                  h.extra()));
    }
    return c.withRootFs(c.rootfs(), out);
  }

  /** The config with secret-looking env and label values masked. */
  static ConfigFile maskEnv(ConfigFile c, SecretRuleBook book) {
    ContainerConfig rc = c.runConfig();
    if (rc.env() == null && rc.labels() == null) {
      return c;
    }
    List<String> masked = null;
    if (rc.env() != null) {
      masked = new ArrayList<>();
      for (String e : rc.env()) {
        int eq = e.indexOf('=');
        masked.add(
            eq < 0
                ? e
                : e.substring(0, eq + 1) + book.maskValue(e.substring(0, eq), e.substring(eq + 1)));
      }
    }
    Map<String, String> labels = null;
    if (rc.labels() != null) {
      labels = new LinkedHashMap<>();
      for (Map.Entry<String, String> l : rc.labels().entrySet()) {
        labels.put(
            l.getKey(), l.getValue() == null ? null : book.maskValue(l.getKey(), l.getValue()));
      }
    }
    return c.withConfig(
        new ContainerConfig(
            rc.user(),
            rc.exposedPorts(),
            masked,
            rc.entrypoint(),
            rc.cmd(),
            rc.volumes(),
            rc.workingDir(),
            labels,
            rc.stopSignal(),
            rc.argsEscaped(),
            rc.healthcheck(),
            rc.onBuild(),
            rc.shell()));
  }

  /** Builds {@link Options}; the location is required. */
  public static final class Builder implements SecretConfigSetters<Builder> {
    private ImageLocation location;
    private Platform platform = Platform.LINUX_AMD64;
    private final SecretConfigSetters.Choice secretConfig = new SecretConfigSetters.Choice();

    private Builder() {}

    /** The secret rules say what is masked in the history and the environment. */
    @Override
    public SecretConfigSetters.Choice secretConfigChoice() {
      return secretConfig;
    }

    public Builder location(ImageLocation l) {
      this.location = l;
      return this;
    }

    public Builder platform(Platform p) {
      this.platform = p;
      return this;
    }

    public Options build() {
      if (location == null) {
        throw new InvalidOptionsException("inspect: a location is required");
      }
      if (platform == null) {
        throw new InvalidOptionsException(
            "--platform: a platform is required (default linux/amd64)");
      }
      return new Options(location, platform, secretConfig.book());
    }
  }
}
