package dev.caulk.audit.secrets;

/**
 * A match inside the scanned text before it becomes a {@link SecretHit}: which detector, where
 * (character span of the secret part), and the secret part itself, which only ever leaves this
 * package masked.
 */
record Raw(String id, String title, String severity, int start, int end, String value) {

  boolean overlaps(Raw other) {
    return start < other.end && other.start < end;
  }
}
