package dev.caulk.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One history entry of an image config; non-empty entries pair with layers in order. */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record History(
    @JsonProperty("created") String created,
    @JsonProperty("author") String author,
    @JsonProperty("created_by") String createdBy,
    @JsonProperty("comment") String comment,
    @JsonProperty("empty_layer") boolean emptyLayer) {

  /**
   * The JSON creator: {@code empty_layer} is optional (config.md) and absent from most entries
   * Docker, umoci and BuildKit write, so a missing or null value means false.
   */
  @JsonCreator
  static History fromJson(
      @JsonProperty("created") String created,
      @JsonProperty("author") String author,
      @JsonProperty("created_by") String createdBy,
      @JsonProperty("comment") String comment,
      @JsonProperty("empty_layer") Boolean emptyLayer) {
    return new History(created, author, createdBy, comment, Boolean.TRUE.equals(emptyLayer));
  }
}
