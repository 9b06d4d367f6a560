package dev.caulk.slim;

import java.util.List;

/**
 * What a harden or slim run did, for the report and the history entry.
 *
 * @param verb which rewrite
 * @param entrypoint the command line the image runs
 * @param program the entrypoint's program as found in the image
 * @param userBefore the image's {@code User} before ({@code ""} for root by default)
 * @param userAfter the {@code User} of the result
 * @param filesBefore regular files in the original's merged tree
 * @param filesAfter regular files in the result
 * @param bytesBefore content bytes of the original's merged tree (hidden files not counted)
 * @param bytesAfter content bytes of the result
 * @param floorBytes content bytes of the files that must remain: the entrypoint's closure, the
 *     essential {@code /etc} files, the workdir, the home and what was included; the floor no
 *     static minifier can go under
 * @param packagesKept packages (name) still declared in the result's package metadata, sorted
 * @param packagesDropped packages the original declared and the result no longer does, sorted
 * @param missingLibraries libraries the closure needs but the image lacks ({@code libfoo.so.1
 *     (needed by /app/x)})
 * @param changes one line per kind of change, in order; the history entry's comment joins them
 */
public record Summary(
    Verb verb,
    List<String> entrypoint,
    String program,
    String userBefore,
    String userAfter,
    long filesBefore,
    long filesAfter,
    long bytesBefore,
    long bytesAfter,
    long floorBytes,
    List<String> packagesKept,
    List<String> packagesDropped,
    List<String> missingLibraries,
    List<String> changes) {

  /** The two rewrites. */
  public enum Verb {
    /** {@code caulk harden}. */
    HARDEN,
    /** {@code caulk slim}. */
    SLIM;

    /** The verb as typed: {@code harden} or {@code slim}. */
    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Copies the lists. */
  public Summary {
    entrypoint = List.copyOf(entrypoint);
    packagesKept = List.copyOf(packagesKept);
    packagesDropped = List.copyOf(packagesDropped);
    missingLibraries = List.copyOf(missingLibraries);
    changes = List.copyOf(changes);
  }
}
