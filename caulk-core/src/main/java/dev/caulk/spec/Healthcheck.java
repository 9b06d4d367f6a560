package dev.caulk.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Docker's HEALTHCHECK (reserved in OCI, kept when present). Durations are in nanoseconds; 0 means
 * "not set, use the runtime's default" as in Docker, and is not written.
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record Healthcheck(
    @JsonProperty("Test") @Nullable List<String> test,
    @JsonProperty("Interval") long interval,
    @JsonProperty("Timeout") long timeout,
    @JsonProperty("StartPeriod") long startPeriod,
    @JsonProperty("StartInterval") long startInterval,
    @JsonProperty("Retries") int retries) {

  /**
   * The JSON creator: every field is optional and may be null. A plain {@code HEALTHCHECK CMD ...}
   * makes {@code docker build} write only {@code Test} (Go's {@code omitempty}); other writers put
   * the fields with null. Missing and null both mean 0, as Docker reads them.
   */
  @JsonCreator
  static Healthcheck fromJson(
      @JsonProperty("Test") @Nullable List<String> test,
      @JsonProperty("Interval") @Nullable Long interval,
      @JsonProperty("Timeout") @Nullable Long timeout,
      @JsonProperty("StartPeriod") @Nullable Long startPeriod,
      @JsonProperty("StartInterval") @Nullable Long startInterval,
      @JsonProperty("Retries") @Nullable Integer retries) {
    return new Healthcheck(
        test,
        zero(interval),
        zero(timeout),
        zero(startPeriod),
        zero(startInterval),
        retries == null ? 0 : retries);
  }

  private static long zero(@Nullable Long v) {
    return v == null ? 0 : v;
  }
}
