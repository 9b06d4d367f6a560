package dev.caulk.audit.secrets;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A set of declarative rules behind one keyword prefilter: {@link KeywordIndex} finds which
 * keywords occur in a text in one pass, and only the rules with a keyword present run their
 * pattern, on the lines holding one of their keywords. The built-in rules form one index ({@link
 * SecretRules}); a rule book with user rules or disabled rules builds its own ({@link
 * SecretRuleBook}).
 */
final class RuleIndex {
  private final List<SecretRule> rules;
  private final KeywordIndex index;

  /** For each keyword of {@link #index}, the indices of the rules that have it. */
  private final int[][] rulesOfKeyword;

  RuleIndex(List<SecretRule> rules) {
    this.rules = List.copyOf(rules);
    Map<String, List<Integer>> byKeyword = new HashMap<>();
    for (int r = 0; r < this.rules.size(); r++) {
      for (String k : this.rules.get(r).keywords()) {
        byKeyword.computeIfAbsent(k, x -> new ArrayList<>()).add(r);
      }
    }
    List<String> keywords = new ArrayList<>(byKeyword.keySet());
    index = new KeywordIndex(keywords);
    rulesOfKeyword = new int[keywords.size()][];
    for (int i = 0; i < keywords.size(); i++) {
      rulesOfKeyword[i] =
          byKeyword.get(keywords.get(i)).stream().mapToInt(Integer::intValue).toArray();
    }
  }

  List<SecretRule> rules() {
    return rules;
  }

  /**
   * The rules that {@link #find} would run on {@code lower} (the lower-cased text): those with a
   * keyword in it.
   */
  boolean[] selected(String lower) {
    boolean[] found = index.found(lower);
    boolean[] run = new boolean[rules.size()];
    for (int k = 0; k < found.length; k++) {
      if (found[k]) {
        for (int r : rulesOfKeyword[k]) {
          run[r] = true;
        }
      }
    }
    return run;
  }

  /**
   * Runs the rules whose keywords occur in {@code lower} (same length as {@code text}) and adds
   * their hits.
   */
  void find(String text, String lower, List<Raw> out) {
    boolean[] run = selected(lower);
    for (int r = 0; r < run.length; r++) {
      if (run[r]) {
        SecretRules.find(rules.get(r), text, lower, out);
      }
    }
  }
}
