package dev.caulk.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One history entry of an image config; non-empty entries pair with layers in order. */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record History(
    @JsonProperty("created") String created,
    @JsonProperty("author") String author,
    @JsonProperty("created_by") String createdBy,
    @JsonProperty("comment") String comment,
    @JsonProperty("empty_layer") boolean emptyLayer) {}
