package dev.caulk.event;

/** Receives the library's events; must be thread-safe, as transfers run in parallel. */
@FunctionalInterface
public interface EventListener {
  /** A listener that drops everything. */
  EventListener NONE = e -> {};

  void onEvent(Event event);

  default void debug(String message) {
    onEvent(new Event.Log(Event.Level.DEBUG, message));
  }

  default void info(String message) {
    onEvent(new Event.Log(Event.Level.INFO, message));
  }

  default void warn(String message) {
    onEvent(new Event.Log(Event.Level.WARN, message));
  }
}
