package dev.caulk.scan.db;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Walks an import source and hands each JSON document to a handler, one at a time, each read with a
 * hard size bound: a zip file (OSV's {@code all.zip}), a directory tree of {@code .json} files, or
 * a single {@code .json} file. Nothing is ever extracted to disk, so entry names are only labels;
 * names that would escape a directory ({@code ..} segments, absolute paths, drive letters, NUL) are
 * still refused, because no genuine export has them and they signal a crafted archive.
 */
final class Sources {
  /** Largest accepted JSON document: 16 MiB. */
  static final int MAX_ENTRY_BYTES = 16 * 1024 * 1024;

  private static final int MAX_DEPTH = 64;

  /**
   * Receives one document; {@code name} is a label for messages (zip entry name or relative path).
   */
  interface Handler {
    void accept(String name, byte[] json) throws IOException;
  }

  private Sources() {}

  static void forEach(Path source, Handler handler) throws IOException {
    if (Files.isDirectory(source)) {
      directory(source, handler);
    } else if (!Files.isRegularFile(source)) {
      throw new VulnDbException(label(source) + ": no such file or directory");
    } else if (isZip(source)) {
      zip(source, handler);
    } else if (isJson(source.getFileName().toString())) {
      try (InputStream in = Files.newInputStream(source)) {
        handler.accept(label(source), readBounded(in, label(source)));
      }
    } else {
      throw new VulnDbException(label(source) + ": not a zip file, a .json file or a directory");
    }
  }

  private static void zip(Path file, Handler handler) throws IOException {
    String zipName = label(file);
    try (ZipFile zip = new ZipFile(file.toFile())) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry e = entries.nextElement();
        String name = e.getName();
        String where = zipName + ": entry '" + shown(name) + "'";
        if (!safeName(name)) {
          throw new VulnDbException(where + ": unsafe path");
        }
        if (e.isDirectory() || !isJson(name)) {
          continue;
        }
        if (e.getSize() > MAX_ENTRY_BYTES) {
          throw new VulnDbException(where + ": larger than 16 MiB");
        }
        try (InputStream in = zip.getInputStream(e)) {
          handler.accept(shown(name), readBounded(in, where));
        }
      }
    } catch (ZipException | IllegalArgumentException e) {
      // IllegalArgumentException: an entry name that is not valid in the zip's declared encoding.
      throw new VulnDbException(
          zipName + ": not a readable zip file: " + shown(String.valueOf(e.getMessage())), e);
    }
  }

  private static void directory(Path root, Handler handler) throws IOException {
    List<Path> files = new ArrayList<>();
    Files.walkFileTree(
        root,
        EnumSet.noneOf(FileVisitOption.class),
        MAX_DEPTH,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            // Symbolic links are not followed: the import reads only what lies inside the folder.
            if (attrs.isRegularFile() && isJson(file.getFileName().toString())) {
              if (attrs.size() > MAX_ENTRY_BYTES) {
                throw new VulnDbException(
                    shown(root.relativize(file).toString()) + ": larger than 16 MiB");
              }
              files.add(file);
            }
            return FileVisitResult.CONTINUE;
          }
        });
    files.sort(null);
    for (Path f : files) {
      String name = shown(root.relativize(f).toString());
      try (InputStream in = Files.newInputStream(f)) {
        handler.accept(name, readBounded(in, name));
      }
    }
  }

  /**
   * Reads at most {@link #MAX_ENTRY_BYTES}; a longer stream is refused whatever its header claimed.
   */
  static byte[] readBounded(InputStream in, String where) throws IOException {
    byte[] data = in.readNBytes(MAX_ENTRY_BYTES + 1);
    if (data.length > MAX_ENTRY_BYTES) {
      throw new VulnDbException(where + ": larger than 16 MiB");
    }
    return data;
  }

  static boolean safeName(String name) {
    if (name.isEmpty()
        || name.indexOf('\0') >= 0
        || name.startsWith("/")
        || name.startsWith("\\")
        || (name.length() > 1 && name.charAt(1) == ':')) {
      return false;
    }
    for (String segment : name.split("[/\\\\]")) {
      if (segment.equals("..")) {
        return false;
      }
    }
    return true;
  }

  private static boolean isZip(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] magic = in.readNBytes(4);
      return magic.length == 4
          && magic[0] == 'P'
          && magic[1] == 'K'
          && ((magic[2] == 3 && magic[3] == 4) || (magic[2] == 5 && magic[3] == 6));
    }
  }

  private static boolean isJson(String name) {
    return name.toLowerCase(Locale.ROOT).endsWith(".json");
  }

  /** The file name only, so that messages do not reveal local directory layouts. */
  static String label(Path p) {
    Path name = p.getFileName();
    return shown(name == null ? p.toString() : name.toString());
  }

  static String shown(String s) {
    String t = s.length() > 120 ? s.substring(0, 120) + "…" : s;
    return t.replaceAll("\\p{Cntrl}", "?");
  }
}
