package dev.caulk.build;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Dockerfile read as the Dockerfile reference describes it: parser directives ({@code #
 * escape=`}), comment lines, line continuations with the escape character, BuildKit heredocs
 * ({@code RUN <<EOF … EOF}), instructions case-insensitive. Reading is linear in the input and
 * bounded ({@link #MAX_BYTES}, {@link #MAX_INSTRUCTIONS}); nothing is executed or expanded here.
 */
public final class Dockerfile {
  /** The largest Dockerfile read (1 MiB; real ones are a few KiB). */
  public static final int MAX_BYTES = 1 << 20;

  /** The most instructions read. */
  public static final int MAX_INSTRUCTIONS = 10_000;

  /**
   * One instruction.
   *
   * @param line the 1-based line it starts on
   * @param keyword the instruction in capitals ({@code RUN}, {@code COPY}, …)
   * @param arguments what follows the keyword, continuation lines joined with one space
   * @param heredoc the body of a heredoc, if the instruction has one, else empty
   */
  public record Instruction(int line, String keyword, String arguments, String heredoc) {
    /** {@code KEYWORD arguments} on one line, cut to {@code max} characters. */
    public String text(int max) {
      String t = keyword + " " + arguments;
      return t.length() <= max ? t : t.substring(0, max - 1) + "…";
    }
  }

  private final List<Instruction> instructions;

  private static String tooLarge(String name) {
    return name + ": larger than " + MAX_BYTES + " bytes, not a Dockerfile";
  }

  private Dockerfile(List<Instruction> instructions) {
    this.instructions = List.copyOf(instructions);
  }

  public List<Instruction> instructions() {
    return instructions;
  }

  /**
   * Reads a Dockerfile from disk; its size is checked before it is read, so a huge file is never
   * loaded. {@code name} is used in error messages.
   */
  public static Dockerfile read(Path file, String name) throws IOException {
    if (Files.size(file) > MAX_BYTES) {
      throw new IllegalArgumentException(tooLarge(name));
    }
    return parse(Files.readString(file, StandardCharsets.UTF_8), name);
  }

  /** Reads {@code text}; {@code name} is used in error messages. */
  public static Dockerfile parse(String text, String name) {
    if (text.length() > MAX_BYTES) {
      throw new IllegalArgumentException(tooLarge(name));
    }
    String[] lines = text.split("\r?\n", -1);
    char escape = '\\';
    int i = 0;
    // parser directives: only at the very top, before any comment, blank line or instruction
    while (i < lines.length) {
      String d = lines[i].trim();
      if (!d.startsWith("#")) break;
      String body = d.substring(1).trim().toLowerCase(Locale.ROOT);
      int eq = body.indexOf('=');
      if (eq < 0) break;
      String key = body.substring(0, eq).trim();
      String value = d.substring(d.indexOf('=') + 1).trim();
      if (key.equals("escape")) {
        if (!value.equals("\\") && !value.equals("`"))
          throw new IllegalArgumentException(name + ":" + (i + 1) + ": escape must be \\ or `");
        escape = value.charAt(0);
      } else if (!key.equals("syntax") && !key.equals("check")) {
        break;
      }
      i++;
    }
    List<Instruction> out = new ArrayList<>();
    while (i < lines.length) {
      String first = lines[i];
      String trimmed = first.trim();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        i++;
        continue;
      }
      int start = i + 1;
      StringBuilder joined = new StringBuilder();
      String current = first;
      while (true) {
        String t = stripTrailing(current);
        boolean continued = !t.isEmpty() && t.charAt(t.length() - 1) == escape;
        joined.append(continued ? t.substring(0, t.length() - 1) : t);
        i++;
        if (!continued) break;
        // comment and empty lines inside a continued instruction are dropped
        while (i < lines.length && (lines[i].trim().startsWith("#") || lines[i].trim().isEmpty()))
          i++;
        if (i >= lines.length) break;
        joined.append(' ');
        current = lines[i];
      }
      String all = joined.toString().trim();
      int sp = firstSpace(all);
      String keyword = (sp < 0 ? all : all.substring(0, sp)).toUpperCase(Locale.ROOT);
      String args = sp < 0 ? "" : all.substring(sp).trim();
      String heredoc = "";
      String marker = heredocMarker(args);
      if (marker != null) {
        StringBuilder body = new StringBuilder();
        while (i < lines.length && !lines[i].trim().equals(marker)) {
          body.append(lines[i]).append('\n');
          i++;
        }
        if (i >= lines.length)
          throw new IllegalArgumentException(
              name + ":" + start + ": heredoc <<" + marker + " is never closed");
        i++;
        heredoc = body.toString();
      }
      if (!keyword.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || c == '_')) {
        throw new IllegalArgumentException(
            name + ":" + start + ": not a Dockerfile instruction: " + cut(keyword, 40));
      }
      out.add(new Instruction(start, keyword, args, heredoc));
      if (out.size() > MAX_INSTRUCTIONS)
        throw new IllegalArgumentException(
            name + ": more than " + MAX_INSTRUCTIONS + " instructions");
    }
    return new Dockerfile(out);
  }

  /**
   * The word after {@code <<} (or {@code <<-}), quotes removed, when the arguments open a heredoc.
   */
  static String heredocMarker(String args) {
    int at = args.indexOf("<<");
    if (at < 0) return null;
    int j = at + 2;
    if (j < args.length() && args.charAt(j) == '-') j++;
    int k = j;
    while (k < args.length() && !Character.isWhitespace(args.charAt(k))) k++;
    String word = args.substring(j, k).replace("\"", "").replace("'", "");
    if (word.isEmpty() || !word.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_'))
      return null;
    return word;
  }

  private static int firstSpace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) return i;
    }
    return -1;
  }

  private static String stripTrailing(String s) {
    int end = s.length();
    while (end > 0 && Character.isWhitespace(s.charAt(end - 1))) end--;
    return s.substring(0, end);
  }

  static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "…";
  }
}
