package dev.caulk.audit;

import dev.caulk.audit.secrets.SecretFileMatch;
import dev.caulk.audit.secrets.SecretFiles;
import dev.caulk.audit.secrets.SecretHit;
import dev.caulk.audit.secrets.SecretRuleBook;
import dev.caulk.audit.secrets.SecretScanner;
import dev.caulk.fs.CapturingVisitor;
import dev.caulk.fs.ContentVisitor;
import dev.caulk.fs.FileTree;
import dev.caulk.fs.HiddenFile;
import dev.caulk.fs.Node;
import dev.caulk.report.Severity;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * What the audit takes from file contents while the layers stream, the only time they are
 * available: the account files (their final version, through a {@link CapturingVisitor}) and
 * secrets in every regular file of every layer, by name and by content. Binary files cost one 8 KiB
 * look (enough to tell them from text and to recognise DER keys); text files are read up to a bound
 * and scanned. Nothing else is kept: a hit holds a masked value, the path and the layer, and
 * whether that copy is the final one is decided after the pass ({@link #evidence}), when the tree
 * knows which layer last wrote each path.
 */
final class AuditVisitor implements ContentVisitor {
  static final String PASSWD = "/etc/passwd";
  static final String GROUP = "/etc/group";
  static final String SHADOW = "/etc/shadow";
  static final String MASTER_PASSWD = "/etc/master.passwd";
  static final Set<String> ACCOUNT_FILES = Set.of(PASSWD, GROUP, SHADOW, MASTER_PASSWD);

  /** Most bytes of an account file kept. */
  static final int ACCOUNT_BYTES = 1 << 20;

  /** Most secret evidence kept for one image; past it, hits are counted, not kept. */
  static final int MAX_EVIDENCE = 10_000;

  private static final int SNIFF = 8192;

  /**
   * Trees whose content is not scanned for secrets: package databases and documentation that
   * package managers write from distribution archives (file lists, checksums, package indexes,
   * debconf templates, manuals). They hold no user data, they are most of the text in a
   * distribution image, and their examples are false positives (Trivy's built-in allow rules skip
   * all of {@code /usr/share} for the same reason). Names are still checked everywhere, and
   * debconf's {@code config.dat} and {@code passwords.dat}, which hold answers, are scanned.
   */
  static final List<String> NOT_SCANNED =
      List.of(
          "/var/lib/dpkg/",
          "/var/lib/apt/lists/",
          "/var/cache/apt/",
          "/var/cache/debconf/templates.dat",
          "/var/lib/rpm/",
          "/usr/lib/sysimage/rpm/",
          "/lib/apk/db/",
          "/usr/lib/apk/db/",
          "/var/cache/apk/",
          "/usr/share/doc/",
          "/usr/share/man/",
          "/usr/share/info/",
          "/usr/share/locale/",
          "/usr/share/i18n/",
          "/usr/share/zoneinfo/");

  private static final int MIN_SECRET_FILE = 8;

  private static final byte[] NO_CONTENT = new byte[0];

  private final boolean secrets;
  private final int maxBytes;
  private final SecretRuleBook book;
  private final CapturingVisitor accounts = new CapturingVisitor(ACCOUNT_FILES, ACCOUNT_BYTES);
  private final List<SecretEvidence> found = new ArrayList<>();

  /** The evidence of the latest copy of each path that had any, so a hard link can inherit it. */
  private final Map<String, List<SecretEvidence>> latest = new HashMap<>();

  private byte[] buffer = new byte[SNIFF];

  /** Name evidence of the entry {@link #wants} just accepted, completed by {@link #accept}. */
  private List<SecretEvidence> pending;

  private long dropped;
  private long scannedFiles;
  private long scannedBytes;

  private final IntConsumer onLayerDone;

  AuditVisitor(boolean secrets, int maxBytes, SecretRuleBook book, IntConsumer onLayerDone) {
    this.secrets = secrets;
    this.book = book;
    this.onLayerDone = onLayerDone;
    this.maxBytes = Math.max(SNIFF, Math.min(maxBytes, SecretScanner.MAX_SCAN_BYTES));
  }

  @Override
  public boolean wants(Node file) {
    boolean account = ACCOUNT_FILES.contains(file.path());
    if (!secrets) return account;
    if (book.pathAllowed(file.path())) {
      remember(file.path(), List.of());
      return account;
    }
    List<SecretEvidence> ev = new ArrayList<>(1);
    if (!SecretFiles.needsContent(file.path())) {
      book.matchFile(file.path(), NO_CONTENT)
          .ifPresent(m -> ev.add(byName(file.path(), file.layerIndex(), m)));
    }
    boolean want = account || (file.size() >= MIN_SECRET_FILE && scanned(file.path()));
    if (want) {
      pending = ev; // accept() follows at once for this same entry
    } else {
      remember(file.path(), ev);
    }
    return want;
  }

  @Override
  public void accept(Node file, InputStream content) throws IOException {
    String path = file.path();
    boolean account = ACCOUNT_FILES.contains(path);
    int n = fill(content, 0, SNIFF);
    boolean binary = SecretScanner.isBinary(buffer, n);
    if (!binary || account)
      n = fill(content, n, account ? Math.max(maxBytes, ACCOUNT_BYTES) : maxBytes);
    byte[] head = Arrays.copyOf(buffer, n);
    if (account) accounts.accept(file, new ByteArrayInputStream(head));
    if (!secrets || book.pathAllowed(path)) return;
    scannedFiles++;
    scannedBytes += n;
    List<SecretEvidence> ev = pending == null ? new ArrayList<>() : pending;
    pending = null;
    if (SecretFiles.needsContent(path)) {
      book.matchFile(path, head).ifPresent(m -> ev.add(byName(path, file.layerIndex(), m)));
    }
    if (file.size() >= MIN_SECRET_FILE) {
      Map<String, Integer> occurrences = new HashMap<>();
      for (SecretHit h : book.scan(path, head, file.size())) {
        int k = occurrences.merge(h.detectorId(), 1, Integer::sum);
        ev.add(
            new SecretEvidence(
                path,
                file.layerIndex(),
                false,
                h.detectorId(),
                h.title(),
                severity(h.severity()),
                h.line(),
                h.masked(),
                k,
                true,
                -1));
      }
    }
    remember(path, ev);
  }

  @Override
  public void linked(Node link) {
    accounts.linked(link);
    if (!secrets) return;
    if (book.pathAllowed(link.path())) {
      remember(link.path(), List.of());
      return;
    }
    List<SecretEvidence> ev = new ArrayList<>();
    for (SecretEvidence e : latest.getOrDefault(link.linkTarget(), List.of())) {
      if (!e.byName()) {
        ev.add(
            new SecretEvidence(
                link.path(),
                link.layerIndex(),
                false,
                e.id(),
                e.title(),
                e.severity(),
                e.line(),
                e.masked(),
                e.occurrence(),
                true,
                -1));
      }
    }
    if (!SecretFiles.needsContent(link.path())) {
      book.matchFile(link.path(), NO_CONTENT)
          .ifPresent(m -> ev.add(byName(link.path(), link.layerIndex(), m)));
    }
    remember(link.path(), ev);
  }

  @Override
  public void layerDone(int layerIndex) {
    onLayerDone.accept(layerIndex);
  }

  /** Whether a file's content is scanned (see {@link #NOT_SCANNED}). */
  static boolean scanned(String path) {
    for (String p : NOT_SCANNED) {
      if (path.startsWith(p)) return false;
    }
    return true;
  }

  /** The final content of an account file, or null when the image has none. */
  byte[] account(FileTree tree, String path) {
    return accounts.content(tree, path).orElse(null);
  }

  /** Hits past {@link #MAX_EVIDENCE}, counted but not kept. */
  long dropped() {
    return dropped;
  }

  long scannedFiles() {
    return scannedFiles;
  }

  long scannedBytes() {
    return scannedBytes;
  }

  /**
   * Every piece of evidence, marked final when the tree's node at its path is the copy it came from
   * (same layer), else hidden by the layer that deleted or replaced it.
   */
  List<SecretEvidence> evidence(FileTree tree) {
    if (found.isEmpty()) return List.of();
    Map<String, Integer> hiddenBy = new HashMap<>();
    for (HiddenFile h : tree.hidden())
      hiddenBy.putIfAbsent(h.layerIndex() + "\0" + h.path(), h.hiddenBy());
    List<SecretEvidence> out = new ArrayList<>(found.size());
    for (SecretEvidence e : found) {
      Optional<Node> n = tree.node(e.path());
      boolean isFinal =
          n.isPresent() && n.get().isRegular() && n.get().layerIndex() == e.layerIndex();
      int by =
          isFinal ? -1 : hiddenBy.getOrDefault(e.layerIndex() + "\0" + e.path(), e.layerIndex());
      out.add(e.resolved(isFinal, by));
    }
    return out;
  }

  private void remember(String path, List<SecretEvidence> ev) {
    if (ev.isEmpty()) {
      latest.remove(path);
    } else {
      latest.put(path, ev);
    }
    add(ev);
  }

  private void add(List<SecretEvidence> ev) {
    for (SecretEvidence e : ev) {
      if (found.size() < MAX_EVIDENCE) found.add(e);
      else dropped++;
    }
  }

  private int fill(InputStream in, int have, int upTo) throws IOException {
    if (buffer.length < upTo) buffer = Arrays.copyOf(buffer, upTo);
    int n = have;
    while (n < upTo) {
      int r = in.read(buffer, n, upTo - n);
      if (r < 0) break;
      n += r;
    }
    return n;
  }

  private static SecretEvidence byName(String path, int layer, SecretFileMatch m) {
    return new SecretEvidence(
        path, layer, true, m.id(), m.title(), Severity.HIGH, 0, m.reason(), 1, true, -1);
  }

  private static Severity severity(String name) {
    try {
      return Severity.parse(name);
    } catch (IllegalArgumentException e) {
      return Severity.UNKNOWN;
    }
  }
}
