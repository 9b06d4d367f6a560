package dev.caulk.cli;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * What the distribution ships beside the jar, generated from the command model so it can never
 * disagree with {@code --help}: the bash completion script (zsh loads the same script through
 * {@code bashcompinit}) and one man page per verb, in roff. {@code scripts/dist} runs it:
 *
 * <pre>
 *   java -cp caulk.jar dev.caulk.cli.DistDocs completion FILE
 *   java -cp caulk.jar dev.caulk.cli.DistDocs man DIR
 * </pre>
 */
public final class DistDocs {
  private DistDocs() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2 || !List.of("completion", "man").contains(args[0])) {
      System.err.println("usage: DistDocs completion FILE | DistDocs man DIR");
      System.exit(ExitCodes.USAGE);
    }
    CommandLine cl = commandLine();
    if (args[0].equals("completion")) {
      write(Path.of(args[1]), AutoComplete.bash("caulk", cl));
    } else {
      Path dir = Path.of(args[1]);
      Files.createDirectories(dir);
      for (Map.Entry<String, String> page : manPages(cl).entrySet())
        write(dir.resolve(page.getKey()), page.getValue());
    }
  }

  /**
   * The whole command tree (the launcher registers only the verb it runs; here every verb is
   * needed).
   */
  static CommandLine commandLine() {
    Main.Factory factory = new Main.Factory(new Console(System.out, System.err, false, false));
    CommandLine cl = new CommandLine(new CaulkCommand(), factory);
    for (Class<?> verb : CaulkCommand.VERBS) {
      try {
        cl.addSubcommand(factory.create(verb));
      } catch (Exception e) {
        throw new IllegalStateException("cannot create command " + verb.getSimpleName(), e);
      }
    }
    return cl;
  }

  /**
   * File name ({@code caulk.1}, {@code caulk-build.1}, …) → roff page, for the root and every verb.
   */
  static Map<String, String> manPages(CommandLine root) {
    Map<String, String> pages = new java.util.LinkedHashMap<>();
    pages.put("caulk.1", page(root, "caulk"));
    for (Map.Entry<String, CommandLine> sub : root.getSubcommands().entrySet()) {
      CommandLine c = sub.getValue();
      if (!c.getCommandName().equals(sub.getKey())) {
        continue; // an alias: the page is under the command's own name
      }
      collect(c, "caulk-" + sub.getKey(), pages);
    }
    return pages;
  }

  private static void collect(CommandLine c, String name, Map<String, String> pages) {
    pages.put(name + ".1", page(c, name.replace('-', ' ')));
    for (Map.Entry<String, CommandLine> sub : c.getSubcommands().entrySet()) {
      if (sub.getValue().getCommandName().equals(sub.getKey())) {
        collect(sub.getValue(), name + "-" + sub.getKey(), pages);
      }
    }
  }

  static String page(CommandLine c, String title) {
    CommandSpec spec = c.getCommandSpec();
    String[] description = spec.usageMessage().description();
    StringBuilder b = new StringBuilder();
    b.append(".TH \"")
        .append(title.toUpperCase(java.util.Locale.ROOT).replace(' ', '-'))
        .append("\" 1 \"\" \"caulk ")
        .append(roff(VersionProvider.version()))
        .append("\" \"caulk manual\"\n");
    b.append(".SH NAME\n")
        .append(roff(title.replace(' ', '-')))
        .append(" \\- ")
        .append(roff(description.length == 0 ? "" : firstSentence(description[0])))
        .append('\n');
    b.append(".SH SYNOPSIS\n.nf\n").append(roff(synopsis(c))).append(".fi\n");
    b.append(".SH DESCRIPTION\n");
    for (String line : description) {
      b.append(line.isEmpty() ? ".PP" : roff(line)).append('\n');
    }
    List<PositionalParamSpec> positionals = spec.positionalParameters();
    if (!positionals.isEmpty()) {
      b.append(".SH ARGUMENTS\n");
      for (PositionalParamSpec p : positionals) item(b, p.paramLabel(), p);
    }
    List<OptionSpec> options = new ArrayList<>();
    for (OptionSpec o : spec.options()) {
      if (!o.hidden()) options.add(o);
    }
    if (!options.isEmpty()) {
      b.append(".SH OPTIONS\n");
      for (OptionSpec o : options) {
        String names = String.join(", ", o.names());
        item(
            b,
            o.typeInfo().isBoolean() || o.arity().max() == 0 ? names : names + " " + o.paramLabel(),
            o);
      }
    }
    if (!spec.subcommands().isEmpty()) {
      b.append(".SH COMMANDS\n");
      for (Map.Entry<String, CommandLine> sub : spec.subcommands().entrySet()) {
        if (!sub.getValue().getCommandName().equals(sub.getKey())) continue;
        String[] d = sub.getValue().getCommandSpec().usageMessage().description();
        b.append(".TP\n\\fB")
            .append(roff(sub.getKey()))
            .append("\\fR\n")
            .append(roff(d.length == 0 ? "" : d[0]))
            .append('\n');
      }
    }
    String[] footer = spec.usageMessage().footer();
    if (footer.length > 0) {
      b.append(".SH NOTES\n.nf\n");
      for (String line : footer) b.append(roff(line)).append('\n');
      b.append(".fi\n");
    }
    b.append(".SH SEE ALSO\n")
        .append(title.equals("caulk") ? "caulk-VERB(1) for each verb" : "caulk(1)")
        .append('\n');
    return b.toString();
  }

  private static void item(StringBuilder b, String head, ArgSpec arg) {
    b.append(".TP\n\\fB").append(roff(head)).append("\\fR\n");
    for (String d : arg.description()) b.append(roff(d)).append('\n');
  }

  private static String synopsis(CommandLine c) {
    StringWriter w = new StringWriter();
    w.write(c.getHelp().synopsis(0).replace("Usage: ", ""));
    return w.toString();
  }

  private static String firstSentence(String s) {
    int dot = s.indexOf(". ");
    return dot < 0 ? s : s.substring(0, dot + 1);
  }

  /**
   * Text as roff: backslashes escaped, a leading dot or quote neutralised, picocli's markup
   * dropped.
   */
  static String roff(String s) {
    String t =
        s.replace("\\", "\\e").replace("@|bold ", "").replace("@|yellow ", "").replace("|@", "");
    StringBuilder out = new StringBuilder(t.length());
    for (String line : t.split("\n", -1)) {
      if (out.length() > 0) out.append('\n');
      if (line.startsWith(".") || line.startsWith("'")) out.append("\\&");
      out.append(line);
    }
    return out.toString();
  }

  private static void write(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
