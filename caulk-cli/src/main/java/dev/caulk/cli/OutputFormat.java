package dev.caulk.cli;

/** How a verb renders its data on stdout. */
enum OutputFormat {
  table,
  json
}
