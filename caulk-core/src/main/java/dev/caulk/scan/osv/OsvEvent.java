package dev.caulk.scan.osv;

import java.util.Objects;

/**
 * One {@code ranges[].events[]} element: exactly one of {@code introduced}, {@code fixed}, {@code
 * last_affected} or {@code limit} with its version (osv-schema "affected[].ranges[].events
 * fields"). The special values {@code introduced: "0"} (before every version) and a {@code limit}
 * containing {@code *} (infinity) are kept as written; {@link OsvMatcher} gives them their meaning.
 */
public record OsvEvent(Kind kind, String version) {
  /** The four event kinds, named as in the schema. */
  public enum Kind {
    /** The vulnerability starts at this version (inclusive). */
    INTRODUCED("introduced"),
    /** The vulnerability is gone from this version on. */
    FIXED("fixed"),
    /** The last known affected version (inclusive); versions after it are taken as unaffected. */
    LAST_AFFECTED("last_affected"),
    /** An upper limit on the range (exclusive); mostly for GIT ranges. */
    LIMIT("limit");

    private final String jsonName;

    Kind(String jsonName) {
      this.jsonName = jsonName;
    }

    /** The key used in OSV JSON. */
    public String jsonName() {
      return jsonName;
    }
  }

  /** Checks that both parts are present. */
  public OsvEvent {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(version, "version");
  }

  /** True for {@code introduced: "0"}, which sorts before every version. */
  public boolean isIntroducedZero() {
    return kind == Kind.INTRODUCED && version.equals("0");
  }

  /** True for a {@code limit} whose version contains {@code *}, meaning "no limit". */
  public boolean isUnboundedLimit() {
    return kind == Kind.LIMIT && version.contains("*");
  }
}
