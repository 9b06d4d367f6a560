package dev.caulk.cli;

/** A command or mixin that receives the console when picocli creates it. */
interface ConsoleAware {
  void console(Console console);
}
