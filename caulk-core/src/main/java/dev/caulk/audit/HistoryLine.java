package dev.caulk.audit;

/**
 * One history entry of the image config.
 *
 * @param index position in the config's history
 * @param layerIndex the layer it made, or -1 for an entry that made no layer ({@code ENV}, {@code
 *     USER}…)
 * @param createdBy the command as recorded (never shown unmasked: see {@link
 *     AuditContext#masked(String)})
 */
public record HistoryLine(int index, int layerIndex, String createdBy) {}
