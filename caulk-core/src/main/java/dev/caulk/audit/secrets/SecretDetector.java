package dev.caulk.audit.secrets;

/**
 * A detector as rule lists show it.
 *
 * @param id the stable detector id, the id of its findings ({@code aws-access-key-id})
 * @param title what it finds
 * @param severity the name of a {@code dev.caulk.report.Severity} constant
 */
public record SecretDetector(String id, String title, String severity) {}
