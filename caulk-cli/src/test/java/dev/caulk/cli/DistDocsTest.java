package dev.caulk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.AutoComplete;
import picocli.CommandLine;

class DistDocsTest {
  @Test
  void everyVerbHasAManPageListingItsOptions() {
    CommandLine cl = DistDocs.commandLine();
    Map<String, String> pages = DistDocs.manPages(cl);
    assertTrue(pages.containsKey("caulk.1"));
    for (Class<?> verb : CaulkCommand.VERBS) {
      String name = verb.getAnnotation(CommandLine.Command.class).name();
      String page = pages.get("caulk-" + name + ".1");
      assertTrue(page != null, "no man page for " + name);
      assertTrue(
          page.startsWith(".TH \"CAULK-" + name.toUpperCase(java.util.Locale.ROOT) + "\" 1"),
          page.lines().findFirst().orElse(""));
      assertTrue(page.contains(".SH SYNOPSIS\n.nf\ncaulk " + name), name + ": synopsis");
      assertTrue(
          page.contains("\\fB--help\\fR") || page.contains("\\fB-h, --help\\fR"),
          name + ": options listed");
    }
    assertTrue(pages.containsKey("caulk-db-update.1"), "sub-verbs get their own page");
    assertTrue(
        pages.get("caulk-copy.1").contains("\\fB--creds USER[:PASS]\\fR"),
        "an option's parameter label is shown");
  }

  @Test
  void roffEscapesWhatWouldBeMarkup() {
    assertEquals("a \\e b", DistDocs.roff("a \\ b"));
    assertEquals("\\&.not a request\n\\&'nor this", DistDocs.roff(".not a request\n'nor this"));
  }

  @Test
  void bashCompletionKnowsEveryVerbAndItsOptions() {
    String script = AutoComplete.bash("caulk", DistDocs.commandLine());
    for (Class<?> verb : CaulkCommand.VERBS) {
      assertTrue(
          script.contains(verb.getAnnotation(CommandLine.Command.class).name()),
          verb.getSimpleName());
    }
    assertTrue(script.contains("--preserve-digests"));
    assertTrue(script.contains("complete -F _complete_caulk"), "registers the completion function");
  }
}
