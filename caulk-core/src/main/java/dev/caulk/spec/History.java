package dev.caulk.spec;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One history entry of an image config; non-empty entries pair with layers in order. Fields caulk
 * does not model are kept in {@link #extra()} and written back on a rewrite.
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record History(
    @JsonProperty("created") @Nullable String created,
    @JsonProperty("author") @Nullable String author,
    @JsonProperty("created_by") @Nullable String createdBy,
    @JsonProperty("comment") @Nullable String comment,
    @JsonProperty("empty_layer") boolean emptyLayer,
    @JsonAnyGetter @Nullable Map<String, JsonNode> extra) {

  public History {
    extra = Extra.copy(extra);
  }

  public History(
      @Nullable String created,
      @Nullable String author,
      @Nullable String createdBy,
      @Nullable String comment,
      boolean emptyLayer) {
    this(created, author, createdBy, comment, emptyLayer, null);
  }

  /**
   * The JSON creator: every field is optional and may be null (config.md). {@code empty_layer} is
   * absent from most entries Docker, umoci and BuildKit write, so a missing or null value means
   * false.
   */
  @JsonCreator
  static History fromJson(
      @JsonProperty("created") @Nullable String created,
      @JsonProperty("author") @Nullable String author,
      @JsonProperty("created_by") @Nullable String createdBy,
      @JsonProperty("comment") @Nullable String comment,
      @JsonProperty("empty_layer") @Nullable Boolean emptyLayer,
      @JsonAnySetter @Nullable Map<String, JsonNode> extra) {
    return new History(created, author, createdBy, comment, Boolean.TRUE.equals(emptyLayer), extra);
  }
}
