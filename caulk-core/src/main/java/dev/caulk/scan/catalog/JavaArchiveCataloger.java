package dev.caulk.scan.catalog;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Java archives (jar, war, ear and kin), streamed with {@link ZipInputStream} and no temporary
 * files; archives nested inside (Spring Boot {@code BOOT-INF/lib}, WAR {@code WEB-INF/lib}, EAR
 * modules) are read from the outer entry's stream, to {@link CatalogLimits#maxArchiveDepth()}.
 *
 * <p>Identity of each archive, in order: every {@code META-INF/maven/<g>/<a>/pom.properties} (a
 * shaded jar holds several, each a package); else the {@code MANIFEST.MF} main section; else the
 * file name {@code name-1.2.3.jar}. The manifest never supplies a groupId from {@code
 * Automatic-Module-Name} or {@code Bundle-SymbolicName} (both produced wrong groupIds in other
 * scanners); only {@code Implementation-Vendor-Id} is trusted, otherwise the groupId is unknown
 * (null) and the purl has no namespace.
 */
final class JavaArchiveCataloger extends BaseCataloger {
  /** RE2/J (linear time): applied to untrusted content or names. */
  private static final com.google.re2j.Pattern DOTTED_GROUP_ID =
      com.google.re2j.Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)+");

  static final String ID = "java-archive";
  private static final Set<String> EXTENSIONS =
      Set.of("jar", "war", "ear", "par", "sar", "nar", "jpi", "hpi", "kar", "lpkg");
  private static final Pattern POM_PROPERTIES =
      Pattern.compile("META-INF/maven/[^/]+/[^/]+/pom\\.properties");
  private static final Pattern FILE_NAME =
      Pattern.compile("^([A-Za-z0-9._-]*[^-*])-(\\d\\S*?)\\.[A-Za-z]+$");

  private final List<Package> found = new ArrayList<>();

  JavaArchiveCataloger(CatalogLimits limits) {
    super(limits);
  }

  @Override
  public String name() {
    return ID;
  }

  static boolean isArchiveName(String path) {
    int dot = path.lastIndexOf('.');
    return dot > path.lastIndexOf('/')
        && EXTENSIONS.contains(path.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  @Override
  public boolean wants(String path, long size, boolean executable) {
    return size > 0 && isArchiveName(path);
  }

  /** Shared bounds of one top-level archive walk. */
  private static final class Budget {
    long bytes;
    int entries;
    boolean exhausted;
    String reason;

    CatalogException exhaust(String why) {
      exhausted = true;
      if (reason == null) reason = why;
      return new CatalogException(reason);
    }
  }

  /**
   * What is left of the image-wide budgets: decompressed bytes and entries across every archive of
   * the image, nested ones included (one cataloger reads one image). Per archive, 20 small bombs
   * cost 20 budgets.
   */
  private long imageBytesLeft = -1;

  private int imageEntriesLeft;

  @Override
  void read(String path, InputStream in, long size) throws IOException {
    if (imageBytesLeft < 0) {
      imageBytesLeft = limits.maxArchiveBytes();
      imageEntriesLeft = limits.maxArchiveEntries();
    }
    if (imageBytesLeft == 0 || imageEntriesLeft == 0) {
      throw new CatalogException(
          "skipped: the image's archive budget ("
              + limits.maxArchiveBytes()
              + " decompressed bytes, "
              + limits.maxArchiveEntries()
              + " entries across all Java archives) is spent");
    }
    BufferedInputStream buffered = new BufferedInputStream(in, 64 * 1024);
    if (!skipToFirstEntry(buffered)) throw new CatalogException("not a ZIP archive");
    Budget budget = new Budget();
    budget.bytes = imageBytesLeft;
    budget.entries = imageEntriesLeft;
    try {
      walk(path, new ZipInputStream(buffered), 1, budget, (BaseCataloger.SourceGuard) in);
    } finally {
      imageBytesLeft = Math.max(0, budget.bytes);
      imageEntriesLeft = Math.max(0, budget.entries);
    }
  }

  /**
   * Positions the stream at the first local file header. Executable jars may start with a launcher
   * script; the header is searched in the first 64 KiB.
   */
  private static boolean skipToFirstEntry(BufferedInputStream in) throws IOException {
    in.mark(64 * 1024);
    byte[] head = in.readNBytes(64 * 1024);
    in.reset();
    for (int i = 0; i + 4 <= head.length; i++) {
      if (head[i] == 'P' && head[i + 1] == 'K' && head[i + 2] == 3 && head[i + 3] == 4) {
        in.skipNBytes(i);
        return true;
      }
      if (i == 0
          && head.length >= 4
          && head[0] == 'P'
          && head[1] == 'K'
          && head[2] == 5
          && head[3] == 6) return true;
    }
    return false;
  }

  /** Reads one archive level; nested archives recurse; emits this archive's packages at the end. */
  private void walk(
      String location, ZipInputStream zip, int depth, Budget budget, SourceGuard source)
      throws IOException {
    List<Properties> poms = new ArrayList<>();
    List<String> pomPaths = new ArrayList<>();
    Map<String, String> manifest = null;
    try {
      for (ZipEntry e; !budget.exhausted && (e = zip.getNextEntry()) != null; ) {
        if (--budget.entries < 0)
          throw budget.exhaust(
              "over "
                  + limits.maxArchiveEntries()
                  + " archive entries in the image's Java archives (the image's archive budget)");
        if (e.isDirectory()) continue;
        String name = e.getName();
        InputStream entry = new Counted(zip, budget, limits.maxArchiveBytes());
        try {
          if (POM_PROPERTIES.matcher(name).matches()) {
            Properties p = new Properties();
            p.load(
                new ByteArrayInputStream(
                    readBounded(entry, limits.maxMetadataBytes(), "pom.properties")));
            poms.add(p);
            pomPaths.add(name);
          } else if (name.equalsIgnoreCase("META-INF/MANIFEST.MF")) {
            manifest =
                JarManifest.mainSection(
                    readBounded(entry, limits.maxMetadataBytes(), "MANIFEST.MF"));
          } else if (isArchiveName(name)) {
            String inner = location + ":" + clean(name);
            if (depth >= limits.maxArchiveDepth()) {
              problem(
                  inner, "nested deeper than " + limits.maxArchiveDepth() + " archives: skipped");
            } else {
              try {
                walk(inner, new ZipInputStream(entry), depth + 1, budget, source);
              } catch (IOException ex) {
                if (source.failure != null || budget.exhausted) throw ex;
                problem(inner, describe(ex));
              } catch (RuntimeException ex) {
                problem(inner, "unreadable: " + ex.getClass().getSimpleName());
              }
            }
          }
        } catch (CatalogException ex) {
          if (budget.exhausted) throw ex;
          problem(location + ":" + clean(name), ex.getMessage());
        }
        entry.transferTo(java.io.OutputStream.nullOutputStream());
      }
    } catch (CatalogException ex) {
      if (!budget.exhausted) throw ex;
      if (depth > 1) throw ex;
      problem(location, budget.reason + ": rest skipped");
    } finally {
      emit(location, poms, pomPaths, manifest);
    }
  }

  private void emit(
      String location, List<Properties> poms, List<String> pomPaths, Map<String, String> manifest) {
    int before = found.size();
    for (int i = 0; i < poms.size(); i++) {
      Properties p = poms.get(i);
      String g = trim(p.getProperty("groupId"));
      String a = trim(p.getProperty("artifactId"));
      String v = trim(p.getProperty("version"));
      if (g == null || a == null || v == null) {
        problem(
            location + ":" + pomPaths.get(i),
            "pom.properties without groupId, artifactId and version");
        continue;
      }
      found.add(
          maven(location, g, a, v, "pom.properties")
              .property("maven.pomProperties", pomPaths.get(i))
              .build());
    }
    if (found.size() > before) return;
    String base =
        location.substring(Math.max(location.lastIndexOf('/'), location.lastIndexOf(':')) + 1);
    Matcher m = FILE_NAME.matcher(base);
    String fileArtifact = m.matches() ? m.group(1) : null;
    String fileVersion = m.matches() ? m.group(2) : null;
    if (manifest != null) {
      String a =
          first(
              fileArtifact,
              manifest.get("Implementation-Title"),
              bsn(manifest.get("Bundle-SymbolicName")),
              manifest.get("Automatic-Module-Name"));
      String v =
          first(
              manifest.get("Implementation-Version"),
              manifest.get("Bundle-Version"),
              manifest.get("Specification-Version"),
              fileVersion);
      String g = manifest.get("Implementation-Vendor-Id");
      if (g != null && !DOTTED_GROUP_ID.matches(g)) g = null;
      if (a != null && v != null && !a.contains(" ")) {
        found.add(maven(location, g, a, v, "manifest").build());
        return;
      }
    }
    if (fileArtifact != null)
      found.add(maven(location, null, fileArtifact, fileVersion, "file name").build());
  }

  private static Package.Builder maven(
      String location, String g, String a, String v, String evidence) {
    return Package.builder(PackageType.MAVEN, a, v)
        .purl(Purl.of("maven", g, a, v))
        .maven(g, a)
        .cataloger(ID)
        .location(location)
        .property("maven.evidence", evidence);
  }

  private static String bsn(String s) {
    if (s == null) return null;
    int semi = s.indexOf(';');
    return (semi >= 0 ? s.substring(0, semi) : s).strip();
  }

  private static String first(String... values) {
    for (String v : values) {
      String t = trim(v);
      if (t != null && !t.startsWith("%") && !t.startsWith("${")) return t;
    }
    return null;
  }

  private static String trim(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  /** An entry name fit for a location string: no control characters, no leading slash, bounded. */
  private static String clean(String name) {
    String s = name.replaceAll("\\p{Cntrl}", "?");
    while (s.startsWith("/")) s = s.substring(1);
    return s.length() > 512 ? s.substring(0, 512) : s;
  }

  @Override
  public List<Package> packages(OsRelease os) {
    List<Package> out = new ArrayList<>(new java.util.LinkedHashSet<>(found));
    out.sort(Package.ORDER);
    return out;
  }

  /** An entry's stream that charges the shared byte budget and never closes the archive. */
  private static final class Counted extends FilterInputStream {
    private final Budget budget;
    private final long max;

    Counted(InputStream in, Budget budget, long max) {
      super(in);
      this.budget = budget;
      this.max = max;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (budget.exhausted) return -1;
      int n = super.read(b, off, len);
      if (n > 0) {
        budget.bytes -= n;
        if (budget.bytes < 0)
          throw budget.exhaust(
              "over "
                  + max
                  + " decompressed bytes in the image's Java archives (the image's archive budget)");
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      byte[] buf = new byte[(int) Math.min(8192, Math.max(1, n))];
      int r = read(buf, 0, buf.length);
      return Math.max(r, 0);
    }

    @Override
    public void close() {
      // The archive stream stays open for its next entry.
    }
  }
}
