package dev.caulk.audit;

import dev.caulk.audit.secrets.SecretRuleBook;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The built-in rules. Ids, severities and references are listed in {@code docs/audit.md}; the
 * Dockle checkpoints keep Dockle's codes so existing ignore lists keep working.
 */
public final class Rules {
  private static final List<Rule> BUILT_IN;

  static {
    List<Rule> all =
        new ArrayList<>(
            List.of(
                ConfigChecks.rootUser(),
                ConfigChecks.healthcheck(),
                HistoryChecks.updateAlone(),
                FileChecks.setuid(),
                HistoryChecks.addInsteadOfCopy(),
                SecretChecks.credentials(),
                HistoryChecks.sudo(),
                ConfigChecks.sensitiveVolumes(),
                HistoryChecks.distUpgrade(),
                HistoryChecks.apkNoCache(),
                HistoryChecks.aptLists(),
                ConfigChecks.latestTag(),
                AccountChecks.emptyPassword(),
                AccountChecks.duplicateIds(),
                FileChecks.unnecessaryFiles(),
                FileChecks.shellPresent(),
                FileChecks.packageManagerPresent(),
                ConfigChecks.sshPort(),
                ConfigChecks.privilegedPort(),
                FileChecks.writableByUser(),
                ConfigChecks.entrypoint(),
                FileChecks.removedBinaries(),
                SecretChecks.hiddenSecrets(),
                FileChecks.worldWritable(),
                FileChecks.capabilities(),
                AccountChecks.uid0Account()));
    all.addAll(SecretChecks.contentRules(SecretRuleBook.builtIn()));
    BUILT_IN = List.copyOf(all);
  }

  private Rules() {}

  /**
   * Every built-in rule: the Dockle checkpoints first, then caulk's own, then one rule per secret
   * detector.
   */
  public static List<Rule> builtIn() {
    return BUILT_IN;
  }

  /**
   * The built-in rules with the secret content rules of this book: one per {@code book.rules()}
   * entry (its user rules included, its disabled ids left out) instead of the built-in book's.
   */
  public static List<Rule> builtIn(SecretRuleBook book) {
    return withSecretRules(BUILT_IN, book);
  }

  /**
   * {@code rules} with their secret content rules replaced by this book's, appended after the
   * others; a list without secret content rules is returned as it is.
   */
  static List<Rule> withSecretRules(List<Rule> rules, SecretRuleBook book) {
    List<Rule> out = new ArrayList<>();
    boolean hadContent = false;
    for (Rule r : rules) {
      if (SecretChecks.isContentRule(r)) {
        hadContent = true;
      } else {
        out.add(r);
      }
    }
    if (!hadContent) {
      return List.copyOf(rules);
    }
    out.addAll(SecretChecks.contentRules(book));
    return List.copyOf(out);
  }

  /**
   * The built-in rules with these ids (case-insensitive), in the order given.
   *
   * @throws IllegalArgumentException naming the first unknown id
   */
  public static List<Rule> select(String... ids) {
    Map<String, Rule> byId = new LinkedHashMap<>();
    for (Rule r : BUILT_IN) byId.put(r.id().toLowerCase(Locale.ROOT), r);
    List<Rule> out = new ArrayList<>();
    for (String id : ids) {
      Rule r = byId.get(id.toLowerCase(Locale.ROOT));
      if (r == null) throw new IllegalArgumentException("unknown rule id '" + id + "'");
      out.add(r);
    }
    return out;
  }
}
