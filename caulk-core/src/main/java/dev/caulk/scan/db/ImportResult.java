package dev.caulk.scan.db;

import java.util.List;
import java.util.Map;

/**
 * What one import did.
 *
 * @param records distinct records stored per ecosystem base name (ecosystems present in the input
 *     replace their previous contents; other ecosystems are kept as they were)
 * @param withdrawn records skipped because they are withdrawn
 * @param ignored records skipped because they name no package with an ecosystem (e.g. GIT-only
 *     records)
 * @param invalid JSON files skipped because they are not usable OSV records
 * @param problems the first few reasons for {@code invalid}, one line each, for logs
 */
public record ImportResult(
    Map<String, Integer> records, int withdrawn, int ignored, int invalid, List<String> problems) {
  /** Copies the collections. */
  public ImportResult {
    records = Map.copyOf(records);
    problems = List.copyOf(problems);
  }

  /** Total records stored by this import. */
  public int total() {
    return records.values().stream().mapToInt(Integer::intValue).sum();
  }
}
