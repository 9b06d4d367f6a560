package dev.caulk.maven;

/**
 * A mistake in the plugin's POM configuration, named by its element: {@code <caulk><ports>: 'x' is
 * not a port}.
 */
final class PomException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  PomException(String element, String problem) {
    super("<caulk><" + element + ">: " + problem);
  }
}
