package dev.caulk.archive;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One element of a docker-save {@code manifest.json} (moby {@code image/tarexport}): the config
 * file, the tags, and the layer files base first, all as paths inside the archive. {@code RepoTags}
 * is written as {@code null} for an untagged image, as Docker does.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
record ManifestEntry(
    @JsonProperty("Config") String config,
    @JsonProperty("RepoTags") List<String> repoTags,
    @JsonProperty("Layers") List<String> layers) {

  ManifestEntry {
    repoTags = repoTags == null || repoTags.isEmpty() ? null : List.copyOf(repoTags);
    layers = layers == null ? List.of() : List.copyOf(layers);
  }

  List<String> tags() {
    return repoTags == null ? List.of() : repoTags;
  }
}
