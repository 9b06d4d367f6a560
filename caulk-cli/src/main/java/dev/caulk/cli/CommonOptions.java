package dev.caulk.cli;

import picocli.CommandLine.Option;

/** Options every verb takes. */
final class CommonOptions implements ConsoleAware {
  private Console console;

  @Option(
      names = {"-q", "--quiet"},
      description = "Print nothing on stderr but errors.")
  void quiet(boolean q) {
    if (console != null) console.quiet(q);
  }

  @Option(names = "--debug", description = "Log every step and print stack traces with errors.")
  void debug(boolean d) {
    if (console != null) console.debug(d);
  }

  @Override
  public void console(Console c) {
    this.console = c;
  }
}
