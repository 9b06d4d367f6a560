package dev.caulk.audit;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a history {@code created_by} line into shell commands and words, enough to recognise
 * {@code apt-get update}, {@code sudo} or {@code apk add} wherever they stand: commands are
 * separated by {@code &&}, {@code ||}, {@code ;}, {@code |} and newlines outside quotes (Dockle
 * splits on {@code &&} only, so {@code apt-get update; apt-get install} confuses it), words by
 * blanks; quotes are removed and a backslash escapes the next character (a backslash-newline joins
 * lines). Not a shell: no expansion, no here-documents. Bounded: lines longer than {@value
 * #MAX_LINE} characters are cut.
 */
final class Commands {
  static final int MAX_LINE = 64 * 1024;

  private Commands() {}

  /** The commands of a line, each a list of words, empty commands dropped. */
  static List<List<String>> split(String line) {
    List<List<String>> out = new ArrayList<>();
    if (line == null) return out;
    String s = line.length() > MAX_LINE ? line.substring(0, MAX_LINE) : line;
    List<String> words = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else if (c == '\\' && quote == '"' && i + 1 < s.length()) {
          w.append(s.charAt(++i));
        } else {
          w.append(c);
        }
        continue;
      }
      if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (c == '\\' && i + 1 < s.length()) {
        char n = s.charAt(++i);
        if (n != '\n') {
          w.append(n);
          inWord = true;
        } else {
          inWord = endWord(words, w, inWord);
        }
      } else if (c == ' ' || c == '\t' || c == '\r') {
        inWord = endWord(words, w, inWord);
      } else if (c == '\n'
          || c == ';'
          || c == '|'
          || (c == '&' && i + 1 < s.length() && s.charAt(i + 1) == '&')) {
        inWord = endWord(words, w, inWord);
        if ((c == '&' || c == '|') && i + 1 < s.length() && s.charAt(i + 1) == c) i++;
        endCommand(out, words);
        words = new ArrayList<>();
      } else {
        w.append(c);
        inWord = true;
      }
    }
    endWord(words, w, inWord);
    endCommand(out, words);
    return out;
  }

  private static boolean endWord(List<String> words, StringBuilder w, boolean inWord) {
    if (inWord) {
      words.add(w.toString());
      w.setLength(0);
    }
    return false;
  }

  private static void endCommand(List<List<String>> out, List<String> words) {
    if (!words.isEmpty()) out.add(words);
  }

  /** Whether a command runs apt or apt-get with this subcommand anywhere among its words. */
  static boolean apt(List<String> command, String... subcommands) {
    if (!command.contains("apt-get") && !command.contains("apt")) return false;
    for (String s : subcommands) {
      if (command.contains(s)) return true;
    }
    return false;
  }
}
