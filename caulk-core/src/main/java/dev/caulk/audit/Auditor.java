package dev.caulk.audit;

import dev.caulk.accounts.Accounts;
import dev.caulk.audit.secrets.SecretRuleBook;
import dev.caulk.event.EventListener;
import dev.caulk.fs.FileTree;
import dev.caulk.image.Image;
import dev.caulk.image.Layer;
import dev.caulk.report.Finding;
import dev.caulk.report.Report;
import dev.caulk.report.RuleInfo;
import dev.caulk.spec.ConfigFile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Audits an image: one streaming pass over its layers builds the merged tree and gathers what the
 * rules need from file contents (account files, secrets in every layer, deleted ones included),
 * then every rule runs on that {@link AuditContext} and the result becomes a {@link Report} with
 * the {@link Inventory} and the findings. Layers are read exactly once, in order, each verified
 * against its digest as it streams; nothing is written anywhere. Memory grows with the number of
 * paths in the image, never with file sizes: at most one file's bounded head is held at a time.
 */
public final class Auditor {

  /**
   * How to audit.
   *
   * @param name the image as the user named it, for the report ({@code null}: the digest is shown)
   * @param tag the tag it was asked by, for the latest-tag check; null when unknown or pinned by
   *     digest
   * @param rules the rules to run
   * @param secrets whether to scan file contents for secrets (the config is always checked)
   * @param maxSecretBytes how many leading bytes of each text file are scanned (at most 1 MiB)
   * @param tree limits for reading untrusted layers
   * @param listener progress and warnings
   * @param secretRules the secret scanner: what file contents, names, the environment, labels and
   *     history are checked with (built-in rules, or a {@code secrets.yaml}'s additions, disabled
   *     ids and allow lists)
   */
  public record Options(
      String name,
      String tag,
      List<Rule> rules,
      boolean secrets,
      int maxSecretBytes,
      FileTree.Options tree,
      EventListener listener,
      SecretRuleBook secretRules) {

    /** Checks and copies. */
    public Options {
      rules = List.copyOf(rules);
      Objects.requireNonNull(tree, "tree");
      listener = listener == null ? EventListener.NONE : listener;
      secretRules = secretRules == null ? SecretRuleBook.builtIn() : secretRules;
      if (maxSecretBytes <= 0)
        throw new IllegalArgumentException("maxSecretBytes must be positive");
    }

    /**
     * Every built-in rule, secrets scanned with the built-in secret rules, 1 MiB per file, default
     * tree limits.
     */
    public static Options defaults() {
      return new Options(
          null,
          null,
          Rules.builtIn(),
          true,
          1 << 20,
          FileTree.Options.defaults(),
          EventListener.NONE,
          SecretRuleBook.builtIn());
    }

    /**
     * Copy scanning secrets with this rule book. The rules' secret content rules (one per rule of
     * the previous book) are replaced by one per {@code book.rules()} entry, at the end, so a user
     * rule's id is a rule id of the report; a rule list without secret content rules (chosen with
     * {@link #withRules}) gets none.
     */
    public Options withSecretRules(SecretRuleBook book) {
      return new Options(
          name,
          tag,
          Rules.withSecretRules(rules, book),
          secrets,
          maxSecretBytes,
          tree,
          listener,
          book);
    }

    /** Copy with the image's name and the tag it was asked by. */
    public Options withName(String newName, String newTag) {
      return new Options(
          newName, newTag, rules, secrets, maxSecretBytes, tree, listener, secretRules);
    }

    /** Copy with other rules. */
    public Options withRules(List<Rule> newRules) {
      return new Options(name, tag, newRules, secrets, maxSecretBytes, tree, listener, secretRules);
    }

    /** Copy with content scanning on or off. */
    public Options withSecrets(boolean scan) {
      return new Options(name, tag, rules, scan, maxSecretBytes, tree, listener, secretRules);
    }

    /** Copy with another per-file scan bound. */
    public Options withMaxSecretBytes(int max) {
      return new Options(name, tag, rules, secrets, max, tree, listener, secretRules);
    }

    /** Copy with other tree limits. */
    public Options withTree(FileTree.Options newTree) {
      return new Options(name, tag, rules, secrets, maxSecretBytes, newTree, listener, secretRules);
    }

    /** Copy with a listener. */
    public Options withListener(EventListener l) {
      return new Options(name, tag, rules, secrets, maxSecretBytes, tree, l, secretRules);
    }
  }

  private Auditor() {}

  /**
   * Audits an image: {@link #context} then {@link #report}.
   *
   * @throws dev.caulk.tar.InvalidLayerException for a hostile or corrupt layer (path escapes, bad
   *     whiteouts, limits reached)
   * @throws dev.caulk.digest.DigestMismatchException when a layer does not match its digest
   */
  public static Report audit(Image image, Options options) throws IOException {
    return report(context(image, options), options.rules());
  }

  /** The single pass over the layers: everything rules may look at. */
  public static AuditContext context(Image image, Options options) throws IOException {
    ConfigFile config = image.config();
    List<Layer> layers = image.layers();
    EventListener log = options.listener();
    AuditVisitor visitor =
        new AuditVisitor(
            options.secrets(),
            options.maxSecretBytes(),
            options.secretRules(),
            i ->
                log.info(
                    "audit: layer "
                        + (i + 1)
                        + "/"
                        + layers.size()
                        + " read and verified ("
                        + layers.get(i).digest().shortString()
                        + ")"));
    long content = Math.max(options.maxSecretBytes(), AuditVisitor.ACCOUNT_BYTES);
    FileTree tree =
        FileTree.build(
            image,
            options.tree().withMaxContentBytes(Math.max(content, options.tree().maxContentBytes())),
            visitor);
    byte[] shadow = visitor.account(tree, AuditVisitor.SHADOW);
    if (shadow == null) shadow = visitor.account(tree, AuditVisitor.MASTER_PASSWD);
    Accounts accounts =
        Accounts.parse(
            visitor.account(tree, AuditVisitor.PASSWD),
            visitor.account(tree, AuditVisitor.GROUP),
            shadow);
    if (visitor.dropped() > 0) {
      log.warn(
          "audit: "
              + visitor.dropped()
              + " more secret matches were not kept (limit "
              + AuditVisitor.MAX_EVIDENCE
              + ")");
    }
    log.debug(
        "audit: scanned "
            + visitor.scannedFiles()
            + " files, "
            + visitor.scannedBytes()
            + " bytes for secrets");
    List<String> digests = new ArrayList<>();
    List<Long> sizes = new ArrayList<>();
    for (Layer l : layers) {
      digests.add(l.digest().toString());
      sizes.add(l.size());
    }
    ImageFacts facts =
        new ImageFacts(
            options.name(),
            options.tag(),
            image.digest().toString(),
            config.platform().toString(),
            digests,
            sizes,
            image.compressedSize());
    return new AuditContext(
        facts, config, tree, accounts, visitor.evidence(tree), options.secretRules());
  }

  /**
   * Runs the rules on a context and makes the report: subject ({@code image}, {@code digest},
   * {@code platform}, {@code created}), the inventory, the rules that ran and their findings.
   */
  public static Report report(AuditContext context, List<Rule> rules) {
    List<Finding> findings = new ArrayList<>();
    List<RuleInfo> infos = new ArrayList<>();
    for (Rule r : rules) {
      findings.addAll(r.check(context));
      infos.add(r.info());
    }
    ImageFacts f = context.image();
    Map<String, String> subject = new LinkedHashMap<>();
    subject.put(Report.IMAGE, f.name() == null ? f.digest() : f.name());
    subject.put(Report.DIGEST, f.digest());
    subject.put(Report.PLATFORM, f.platform());
    if (context.config().created() != null) subject.put("created", context.config().created());
    return new Report(subject, context.inventory(), infos, findings);
  }
}
