package dev.caulk.scan.db;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The state of a store: its directory and one entry per ecosystem, sorted by name; empty before the
 * first import.
 */
public record DbStatus(Path directory, List<EcosystemStatus> ecosystems) {
  /** Copies the list. */
  public DbStatus {
    Objects.requireNonNull(directory, "directory");
    ecosystems = List.copyOf(ecosystems);
  }

  /** True when nothing has been imported yet. */
  public boolean isEmpty() {
    return ecosystems.isEmpty();
  }

  /**
   * The entry for an ecosystem base name, case-insensitively; a {@code :release} suffix is ignored.
   */
  public Optional<EcosystemStatus> ecosystem(String name) {
    String base = name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
    String want = base.strip().toLowerCase(Locale.ROOT);
    return ecosystems.stream()
        .filter(e -> e.ecosystem().toLowerCase(Locale.ROOT).equals(want))
        .findFirst();
  }
}
