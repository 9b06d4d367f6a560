package dev.caulk.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** Docker's HEALTHCHECK (reserved in OCI, kept when present). Durations are in nanoseconds. */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record Healthcheck(
    @JsonProperty("Test") List<String> test,
    @JsonProperty("Interval") long interval,
    @JsonProperty("Timeout") long timeout,
    @JsonProperty("StartPeriod") long startPeriod,
    @JsonProperty("StartInterval") long startInterval,
    @JsonProperty("Retries") int retries) {}
