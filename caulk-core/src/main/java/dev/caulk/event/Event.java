package dev.caulk.event;

/**
 * Something the library has to say. caulk-core never prints: it hands events to an {@link
 * EventListener}, and the command line decides what reaches the terminal.
 */
public sealed interface Event permits Event.Log, Event.Progress {
  /** Log levels, quietest last. */
  enum Level {
    DEBUG,
    INFO,
    WARN
  }

  /** A log line. Never carries a credential or secret value. */
  record Log(Level level, String message) implements Event {}

  /**
   * Progress of one unit of work (usually a blob transfer).
   *
   * @param id stable id of the unit, e.g. a digest
   * @param label what people see, e.g. "push sha256:ab12…"
   * @param done bytes (or items) done so far
   * @param total the total, or -1 when unknown
   * @param finished true on the last event of the unit
   */
  record Progress(String id, String label, long done, long total, boolean finished)
      implements Event {}
}
