package dev.caulk.run;

/**
 * A probe that failed: the port never accepted, the container exited first, or the HTTP exchange
 * broke. {@link #outputTail()} holds the end of the container's output, the first thing to read
 * when a slimmed image no longer starts (build.md §5.5, failure mode 1).
 */
public class ProbeException extends RunException {
  private static final long serialVersionUID = 1L;

  private final String outputTail;

  /**
   * An error whose one-line message ends with the last lines of the output; the tail is kept whole
   * too.
   */
  public ProbeException(String message, String outputTail) {
    super(message);
    this.outputTail = outputTail == null ? "" : outputTail;
  }

  /** The end of the container's stdout and stderr, control characters replaced; may be empty. */
  public String outputTail() {
    return outputTail;
  }
}
