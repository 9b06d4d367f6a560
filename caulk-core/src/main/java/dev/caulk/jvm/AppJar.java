package dev.caulk.jvm;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A service's jar, recognised by content (a zip archive holding {@code META-INF/MANIFEST.MF}), not
 * by its name: its manifest ({@code Main-Class}, {@code Class-Path}, {@code Multi-Release}), its
 * kind (a plain jar or a Spring Boot fat jar with {@code BOOT-INF/}) and, when asked, its entries
 * split into classes, resources and nested dependency jars. Reading is bounded ({@link
 * #MAX_ENTRIES} entries, {@link #MAX_BYTES} uncompressed bytes) and entry names that would leave
 * their folder ({@code ..}, absolute, backslashes) are refused.
 */
public final class AppJar {
  /** Entries read from one jar. */
  public static final int MAX_ENTRIES = 200_000;

  /** Uncompressed bytes read from one jar. */
  public static final long MAX_BYTES = 1L << 30;

  private static final String MANIFEST = "META-INF/MANIFEST.MF";
  private static final String BOOT_CLASSES = "BOOT-INF/classes/";
  private static final String BOOT_LIB = "BOOT-INF/lib/";

  /** How the jar is laid out. */
  public enum Kind {
    /** Classes at the root; dependencies outside (Class-Path or {@code java.classpath}). */
    PLAIN,
    /**
     * Spring Boot: the app in {@code BOOT-INF/classes}, its dependencies in {@code BOOT-INF/lib}.
     */
    SPRING_BOOT
  }

  /**
   * A jar's entries by role; paths are relative ({@code com/example/Main.class}).
   *
   * @param classes {@code .class} files
   * @param resources every other file the app reads from its class path
   * @param libs nested dependency jars (Spring Boot), by file name, sorted
   */
  public record Contents(
      Map<String, byte[]> classes, Map<String, byte[]> resources, Map<String, byte[]> libs) {}

  private final Path path;
  private final Manifest manifest;
  private final Kind kind;
  private final boolean signed;

  private AppJar(Path path, Manifest manifest, Kind kind, boolean signed) {
    this.path = path;
    this.manifest = manifest;
    this.kind = kind;
    this.signed = signed;
  }

  /** True when the file is a zip archive with a {@code META-INF/MANIFEST.MF} entry. */
  public static boolean isJar(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return false;
    }
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(4);
    }
    if (head.length < 4 || head[0] != 'P' || head[1] != 'K' || head[2] != 3 || head[3] != 4) {
      return false;
    }
    try (ZipFile z = new ZipFile(file.toFile())) {
      return z.getEntry(MANIFEST) != null;
    } catch (ZipException e) {
      return false;
    }
  }

  /** Reads a jar's manifest and kind. */
  public static AppJar open(Path file) throws IOException {
    try (ZipFile z = new ZipFile(file.toFile())) {
      ZipEntry m = z.getEntry(MANIFEST);
      if (m == null) {
        throw new JvmException(file + " is not a jar: it has no " + MANIFEST);
      }
      Manifest manifest;
      try (InputStream in = z.getInputStream(m)) {
        manifest = new Manifest(new BoundedInput(in, 1 << 20, file + ": " + MANIFEST));
      }
      boolean boot = z.getEntry(BOOT_CLASSES) != null || z.getEntry(BOOT_LIB) != null;
      boolean signed = false;
      int n = 0;
      for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements(); ) {
        String name = e.nextElement().getName();
        if (++n > MAX_ENTRIES) {
          throw new JvmException(file + ": more than " + MAX_ENTRIES + " entries");
        }
        if (!boot && (name.startsWith(BOOT_CLASSES) || name.startsWith(BOOT_LIB))) {
          boot = true;
        }
        String upper = name.toUpperCase(Locale.ROOT);
        if (upper.startsWith("META-INF/")
            && upper.indexOf('/', 9) < 0
            && (upper.endsWith(".SF") || upper.endsWith(".RSA") || upper.endsWith(".EC"))) {
          signed = true;
        }
      }
      return new AppJar(file, manifest, boot ? Kind.SPRING_BOOT : Kind.PLAIN, signed);
    } catch (ZipException e) {
      throw new JvmException(file + " is not a readable jar: " + e.getMessage());
    }
  }

  public Path path() {
    return path;
  }

  public Kind kind() {
    return kind;
  }

  /** Whether the jar is signed: its classes then only verify inside it, so it is kept whole. */
  public boolean signed() {
    return signed;
  }

  /** {@code Multi-Release: true}: versioned entries only work inside a jar, so it is kept whole. */
  public boolean multiRelease() {
    return "true".equalsIgnoreCase(attribute("Multi-Release"));
  }

  /** Whether the jar can be run from folders of its classes and resources (Jib's layout). */
  public boolean explodable() {
    return kind == Kind.SPRING_BOOT || (!signed && !multiRelease());
  }

  /**
   * The class to run: {@code Start-Class} for Spring Boot (run directly, without Boot's loader),
   * else {@code Main-Class}.
   */
  public Optional<String> mainClass() {
    String v = kind == Kind.SPRING_BOOT ? attribute("Start-Class") : attribute("Main-Class");
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
  }

  /** The manifest's {@code Class-Path}: relative URLs of dependency jars, as written. */
  public List<String> manifestClassPath() {
    String v = attribute("Class-Path");
    List<String> out = new ArrayList<>();
    if (v != null) {
      for (String s : v.strip().split("[ \t]+")) {
        if (!s.isEmpty()) {
          out.add(s);
        }
      }
    }
    return out;
  }

  private String attribute(String name) {
    return manifest.getMainAttributes().getValue(new Attributes.Name(name));
  }

  /** Reads every entry into {@link Contents}. */
  public Contents explode() throws IOException {
    Map<String, byte[]> classes = new TreeMap<>();
    Map<String, byte[]> resources = new TreeMap<>();
    Map<String, byte[]> libs =
        new TreeMap<>(); // by name: Boot's classpath.idx goes with its loader
    long total = 0;
    try (ZipFile z = new ZipFile(path.toFile())) {
      for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements(); ) {
        ZipEntry entry = e.nextElement();
        String name = entry.getName();
        if (entry.isDirectory()) {
          continue;
        }
        checkName(name);
        String rel;
        Map<String, byte[]> to;
        if (kind == Kind.SPRING_BOOT) {
          if (name.startsWith(BOOT_CLASSES)) {
            rel = name.substring(BOOT_CLASSES.length());
            to = rel.endsWith(".class") ? classes : resources;
          } else if (name.startsWith(BOOT_LIB) && name.indexOf('/', BOOT_LIB.length()) < 0) {
            rel = name.substring(BOOT_LIB.length());
            to = libs;
          } else {
            continue; // Boot's loader, its indexes and the outer manifest: not needed
          }
        } else {
          if (name.equals(MANIFEST) || name.equals("META-INF/INDEX.LIST")) {
            continue;
          }
          rel = name;
          to = name.endsWith(".class") ? classes : resources;
        }
        if (rel.isEmpty()) {
          continue;
        }
        byte[] bytes;
        try (InputStream in = z.getInputStream(entry)) {
          bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, MAX_BYTES - total + 1));
        }
        total += bytes.length;
        if (total > MAX_BYTES) {
          throw new JvmException(path + ": more than " + MAX_BYTES + " bytes uncompressed");
        }
        to.put(rel, bytes);
      }
    } catch (ZipException e) {
      throw new JvmException(path + " is not a readable jar: " + e.getMessage());
    }
    return new Contents(classes, resources, libs);
  }

  private void checkName(String name) throws JvmException {
    if (name.startsWith("/")
        || name.contains("\\")
        || name.contains("\0")
        || name.equals("..")
        || name.startsWith("../")
        || name.contains("/../")
        || name.endsWith("/..")
        || name.contains("//")) {
      throw new JvmException(path + ": entry name '" + printable(name) + "' leaves its folder");
    }
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < 200; i++) {
      char c = s.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return b.toString();
  }

  /** Fails a read past a limit instead of holding an unbounded manifest. */
  private static final class BoundedInput extends FilterInputStream {
    private final String what;
    private long left;

    BoundedInput(InputStream in, long max, String what) {
      super(in);
      this.left = max;
      this.what = what;
    }

    @Override
    public int read() throws IOException {
      int c = super.read();
      if (c >= 0 && --left < 0) {
        throw new JvmException(what + " is larger than 1 MiB");
      }
      return c;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0 && (left -= n) < 0) {
        throw new JvmException(what + " is larger than 1 MiB");
      }
      return n;
    }
  }
}
