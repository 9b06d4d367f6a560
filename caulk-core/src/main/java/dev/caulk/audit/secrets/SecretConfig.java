package dev.caulk.audit.secrets;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * User secret rules and allow lists, from a YAML file ({@code --secret-config FILE}, or {@value
 * #DEFAULT_FILE} in the working directory when present); {@link SecretRuleBook#of} turns it into a
 * scanner. The format is in docs/secrets.md ("User rules"):
 *
 * <pre>
 * rules:                     # added to the built-in rules; a built-in id here replaces that rule
 *   - id: acme-api-key       # lower-case words joined by dashes
 *     title: ACME API key    # default: the id
 *     severity: HIGH         # CRITICAL, HIGH (default), MEDIUM, LOW, INFO
 *     regex: 'acme_[a-z0-9]{32}'   # RE2 syntax; group 1 (or the whole match) is the secret
 *     keywords: [acme_]      # at least one; the rule runs only on lines holding one (case-insensitive)
 *     entropy: 3.0           # optional floor, bits per character of the secret
 *     allow: ['^acme_0+$']   # optional: secrets matching one are not reported
 *     allow-paths: ['^/opt/fixtures/']
 * disable: [generic-secret]  # built-in ids (rules, detectors, credential-file categories)
 * allow:                     # for every rule
 *   paths: ['^/usr/share/doc/']   # files not scanned at all
 *   regexes: ['^EXAMPLE']         # secrets not reported
 *   stopwords: [sandbox]          # secrets containing one (case-insensitive) not reported
 * </pre>
 *
 * <p>Untrusted input: the YAML is composed into nodes only (no object construction), at most
 * {@value #MAX_BYTES} bytes, 20 levels, 10 aliases, no duplicate keys; patterns are RE2/J, linear
 * whatever they say. Every error is one line, {@code file:line: key: problem}, and never repeats a
 * value from the file beyond a key.
 *
 * @see SecretRuleBook
 */
public final class SecretConfig {
  /** The file looked for in the working directory when no file is given. */
  public static final String DEFAULT_FILE = ".caulk/secrets.yaml";

  /** Largest configuration file read. */
  public static final long MAX_BYTES = 1 << 20;

  /** Most user rules. */
  public static final int MAX_RULES = 1000;

  /** The empty configuration: the built-in rules as they are. */
  public static final SecretConfig EMPTY =
      new SecretConfig(List.of(), Set.of(), List.of(), List.of(), List.of());

  private static final Set<String> TOP_KEYS = Set.of("rules", "disable", "allow");
  private static final Set<String> RULE_KEYS =
      Set.of("id", "title", "severity", "regex", "keywords", "entropy", "allow", "allow-paths");
  private static final Set<String> ALLOW_KEYS = Set.of("paths", "regexes", "stopwords");
  private static final Set<String> SEVERITIES = Set.of("CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO");
  private static final Pattern ID = Pattern.compile("[a-z0-9]+(?:-[a-z0-9]+)*");

  /**
   * A user rule and the paths it does not apply to.
   *
   * @param rule the rule, validated like the built-in ones
   * @param allowPaths RE2/J patterns on the path (with a leading {@code /}); a match skips the rule
   *     there
   */
  public record UserRule(SecretRule rule, List<Pattern> allowPaths) {
    /** Copies the list. */
    public UserRule {
      allowPaths = List.copyOf(allowPaths);
    }
  }

  private final List<UserRule> rules;
  private final Set<String> disabled;
  private final List<Pattern> allowPaths;
  private final List<Pattern> allowValues;
  private final List<String> stopWords;

  private SecretConfig(
      List<UserRule> rules,
      Set<String> disabled,
      List<Pattern> allowPaths,
      List<Pattern> allowValues,
      List<String> stopWords) {
    this.rules = List.copyOf(rules);
    this.disabled = Set.copyOf(disabled);
    this.allowPaths = List.copyOf(allowPaths);
    this.allowValues = List.copyOf(allowValues);
    this.stopWords = List.copyOf(stopWords);
  }

  /** The user rules, in file order. */
  public List<UserRule> rules() {
    return rules;
  }

  /** Built-in ids switched off. */
  public Set<String> disabled() {
    return disabled;
  }

  /** Paths (RE2/J, on the path with a leading {@code /}) whose files are not scanned. */
  public List<Pattern> allowPaths() {
    return allowPaths;
  }

  /** Patterns that, found in a secret, mark it harmless, for every rule. */
  public List<Pattern> allowValues() {
    return allowValues;
  }

  /** Lower-case words that, found in a secret, mark it harmless, for every rule. */
  public List<String> stopWords() {
    return stopWords;
  }

  /** Whether it changes nothing. */
  public boolean isEmpty() {
    return rules.isEmpty()
        && disabled.isEmpty()
        && allowPaths.isEmpty()
        && allowValues.isEmpty()
        && stopWords.isEmpty();
  }

  /** {@value #DEFAULT_FILE} under {@code workingDirectory}, when it exists as a regular file. */
  public static Optional<Path> defaultFile(Path workingDirectory) {
    Path p = workingDirectory.resolve(DEFAULT_FILE);
    return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
  }

  /**
   * Loads a configuration file; a missing or unreadable file is an error (callers look for the
   * optional default file with {@link #defaultFile}).
   */
  public static SecretConfig load(Path file) throws SecretConfigException {
    String name = file.toString();
    try {
      if (!Files.isRegularFile(file)) {
        throw new SecretConfigException(name + ": not a regular file");
      }
      if (Files.size(file) > MAX_BYTES) {
        throw new SecretConfigException(name + ": larger than 1 MiB");
      }
      try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        return parse(r, name);
      }
    } catch (SecretConfigException e) {
      throw e;
    } catch (IOException e) {
      throw new SecretConfigException(name + ": cannot read: " + e.getClass().getSimpleName());
    }
  }

  /** Parses YAML text; {@code name} is the file name used in error messages. */
  public static SecretConfig parse(Reader reader, String name) throws SecretConfigException {
    LoaderOptions lo = new LoaderOptions();
    lo.setAllowDuplicateKeys(false);
    lo.setMaxAliasesForCollections(10);
    lo.setCodePointLimit((int) MAX_BYTES);
    lo.setNestingDepthLimit(20);
    Node root;
    try {
      root = new Yaml(lo).compose(reader);
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
      throw new SecretConfigException(
          name + ":" + line + ": invalid YAML: " + oneLine(e.getProblem()));
    } catch (YAMLException e) {
      throw new SecretConfigException(name + ": invalid YAML: " + oneLine(e.getMessage()));
    }
    if (root == null) {
      return EMPTY;
    }
    return new Parser(name).top(root);
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ").strip();
  }

  /** Node accessors failing with {@code file:line: key: problem}. */
  private record Parser(String name) {
    SecretConfigException error(Node n, String message) {
      return new SecretConfigException(
          name + ":" + (n.getStartMark().getLine() + 1) + ": " + message);
    }

    SecretConfig top(Node root) throws SecretConfigException {
      MappingNode map = mapping(root, "top level");
      List<UserRule> rules = new ArrayList<>();
      Set<String> disabled = new HashSet<>();
      List<Pattern> paths = new ArrayList<>();
      List<Pattern> regexes = new ArrayList<>();
      List<String> stopWords = new ArrayList<>();
      Set<String> known = SecretRuleBook.builtInIds();
      for (NodeTuple t : map.getValue()) {
        String key = scalar(t.getKeyNode(), "key");
        Node v = t.getValueNode();
        switch (key) {
          case "rules" -> {
            if (!(v instanceof SequenceNode seq)) {
              throw error(v, "rules: expected a list of rules");
            }
            if (seq.getValue().size() > MAX_RULES) {
              throw error(v, "rules: more than " + MAX_RULES + " rules");
            }
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < seq.getValue().size(); i++) {
              UserRule r = rule(seq.getValue().get(i), "rules[" + i + "]");
              if (!ids.add(r.rule().id())) {
                throw error(
                    seq.getValue().get(i),
                    "rules[" + i + "].id: duplicate id '" + r.rule().id() + "'");
              }
              rules.add(r);
            }
          }
          case "disable" -> {
            for (Node item : items(v, "disable")) {
              String id = scalar(item, "disable");
              if (!known.contains(id)) {
                throw error(
                    item,
                    "disable: unknown rule id '"
                        + shortText(id)
                        + "' (caulk audit --list-secret-rules)");
              }
              disabled.add(id);
            }
          }
          case "allow" -> {
            for (NodeTuple a : mapping(v, "allow").getValue()) {
              String k = scalar(a.getKeyNode(), "allow");
              switch (k) {
                case "paths" -> paths.addAll(patterns(a.getValueNode(), "allow.paths"));
                case "regexes" -> regexes.addAll(patterns(a.getValueNode(), "allow.regexes"));
                case "stopwords" -> {
                  for (Node item : items(a.getValueNode(), "allow.stopwords")) {
                    String w = scalar(item, "allow.stopwords").strip().toLowerCase(Locale.ROOT);
                    if (w.isEmpty()) {
                      throw error(item, "allow.stopwords: empty word");
                    }
                    stopWords.add(w);
                  }
                }
                default ->
                    throw error(
                        a.getKeyNode(),
                        "allow: unknown key '"
                            + shortText(k)
                            + "' (known: "
                            + String.join(", ", new TreeSet<>(ALLOW_KEYS))
                            + ")");
              }
            }
          }
          default ->
              throw error(
                  t.getKeyNode(),
                  "unknown key '"
                      + shortText(key)
                      + "' (known: "
                      + String.join(", ", new TreeSet<>(TOP_KEYS))
                      + ")");
        }
      }
      return new SecretConfig(rules, disabled, paths, regexes, stopWords);
    }

    UserRule rule(Node n, String where) throws SecretConfigException {
      MappingNode m = mapping(n, where);
      String id = null;
      String title = null;
      String severity = "HIGH";
      String regex = null;
      Node regexNode = null;
      List<String> keywords = new ArrayList<>();
      double entropy = 0;
      List<Pattern> allow = new ArrayList<>();
      List<Pattern> allowPaths = new ArrayList<>();
      for (NodeTuple t : m.getValue()) {
        String key = scalar(t.getKeyNode(), where);
        Node v = t.getValueNode();
        String at = where + "." + key;
        switch (key) {
          case "id" -> {
            id = scalar(v, at);
            if (!ID.matcher(id).matches() || id.length() > 100) {
              throw error(
                  v,
                  at + ": lower-case letters and digits joined by dashes, at most 100 characters");
            }
          }
          case "title" -> title = scalar(v, at);
          case "severity" -> {
            severity = scalar(v, at).toUpperCase(Locale.ROOT);
            if (!SEVERITIES.contains(severity)) {
              throw error(v, at + ": one of CRITICAL, HIGH, MEDIUM, LOW, INFO");
            }
          }
          case "regex" -> {
            regex = scalar(v, at);
            regexNode = v;
          }
          case "keywords" -> {
            for (Node item : items(v, at)) {
              String k = scalar(item, at).toLowerCase(Locale.ROOT);
              if (k.length() < 2) {
                throw error(item, at + ": keywords have 2 or more characters");
              }
              keywords.add(k);
            }
          }
          case "entropy" -> {
            String e = scalar(v, at);
            try {
              entropy = Double.parseDouble(e);
            } catch (NumberFormatException x) {
              throw error(v, at + ": expected a number of bits per character");
            }
            if (!(entropy >= 0 && entropy <= 8)) {
              throw error(v, at + ": between 0 and 8 bits per character");
            }
          }
          case "allow" -> allow.addAll(patterns(v, at));
          case "allow-paths" -> allowPaths.addAll(patterns(v, at));
          default ->
              throw error(
                  t.getKeyNode(),
                  where
                      + ": unknown key '"
                      + shortText(key)
                      + "' (known: "
                      + String.join(", ", new TreeSet<>(RULE_KEYS))
                      + ")");
        }
      }
      if (id == null) {
        throw error(n, where + ": id is required");
      }
      if (regex == null) {
        throw error(n, where + ".regex: is required");
      }
      if (keywords.isEmpty()) {
        throw error(
            n,
            where
                + ".keywords: at least one is required (every rule runs behind the keyword prefilter)");
      }
      Pattern p = compile(regexNode, where + ".regex", regex);
      if (p.matcher("").groupCount() < 1) {
        p = compile(regexNode, where + ".regex", "(" + regex + ")");
      }
      SecretRule rule =
          new SecretRule(
              id,
              title == null || title.isBlank() ? id : title,
              severity,
              keywords,
              p,
              entropy,
              allow);
      return new UserRule(rule, allowPaths);
    }

    List<Pattern> patterns(Node n, String key) throws SecretConfigException {
      List<Pattern> out = new ArrayList<>();
      for (Node item : items(n, key)) {
        out.add(compile(item, key, scalar(item, key)));
      }
      return out;
    }

    Pattern compile(Node n, String key, String regex) throws SecretConfigException {
      if (regex.isEmpty()) {
        throw error(n, key + ": empty pattern");
      }
      try {
        return Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        throw error(n, key + ": not an RE2 pattern: " + oneLine(e.getDescription()));
      }
    }

    MappingNode mapping(Node n, String key) throws SecretConfigException {
      if (n instanceof MappingNode m) {
        return m;
      }
      throw error(n, key + ": expected a mapping");
    }

    String scalar(Node n, String key) throws SecretConfigException {
      if (n instanceof ScalarNode s) {
        return s.getValue();
      }
      throw error(n, key + ": expected a single value");
    }

    List<Node> items(Node n, String key) throws SecretConfigException {
      if (n instanceof ScalarNode) {
        return List.of(n);
      }
      if (n instanceof SequenceNode seq) {
        return seq.getValue();
      }
      throw error(n, key + ": expected a list");
    }

    /** A key or id quoted in an error: at most 60 characters, control characters replaced. */
    static String shortText(String s) {
      String t = s.length() > 60 ? s.substring(0, 60) + "…" : s;
      return t.replaceAll("\\p{Cntrl}", "?");
    }
  }
}
