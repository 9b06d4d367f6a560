package dev.caulk.spec;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * One history entry of an image config; non-empty entries pair with layers in order. Fields caulk
 * does not model are kept in {@link #extra()} and written back on a rewrite.
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record History(
    @JsonProperty("created") String created,
    @JsonProperty("author") String author,
    @JsonProperty("created_by") String createdBy,
    @JsonProperty("comment") String comment,
    @JsonProperty("empty_layer") boolean emptyLayer,
    @JsonAnyGetter Map<String, JsonNode> extra) {

  public History {
    extra = Extra.copy(extra);
  }

  public History(String created, String author, String createdBy, String comment, boolean emptyLayer) {
    this(created, author, createdBy, comment, emptyLayer, null);
  }

  /**
   * The JSON creator: every field is optional and may be null (config.md). {@code empty_layer} is
   * absent from most entries Docker, umoci and BuildKit write, so a missing or null value means false.
   */
  @JsonCreator
  static History fromJson(
      @JsonProperty("created") String created,
      @JsonProperty("author") String author,
      @JsonProperty("created_by") String createdBy,
      @JsonProperty("comment") String comment,
      @JsonProperty("empty_layer") Boolean emptyLayer,
      @JsonAnySetter Map<String, JsonNode> extra) {
    return new History(created, author, createdBy, comment, Boolean.TRUE.equals(emptyLayer), extra);
  }
}
