package dev.caulk.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Builds tar files entry by entry, hostile ones included (names are written exactly as given). */
final class CraftedTar {
  private record Item(String name, byte type, String link, byte[] content) {}

  private final List<Item> items = new ArrayList<>();

  CraftedTar file(String name, byte[] content) {
    items.add(new Item(name, TarConstants.LF_NORMAL, null, content));
    return this;
  }

  CraftedTar file(String name, String content) {
    return file(name, content.getBytes(StandardCharsets.UTF_8));
  }

  CraftedTar symlink(String name, String target) {
    items.add(new Item(name, TarConstants.LF_SYMLINK, target, new byte[0]));
    return this;
  }

  CraftedTar hardlink(String name, String target) {
    items.add(new Item(name, TarConstants.LF_LINK, target, new byte[0]));
    return this;
  }

  byte[] bytes() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Item i : items) {
        TarArchiveEntry e =
            i.type() == TarConstants.LF_NORMAL
                ? new TarArchiveEntry(i.name(), true)
                : new TarArchiveEntry(i.name(), i.type(), true);
        if (i.link() != null) e.setLinkName(i.link());
        e.setSize(i.content().length);
        e.setModTime(0);
        tar.putArchiveEntry(e);
        tar.write(i.content());
        tar.closeArchiveEntry();
      }
    }
    return out.toByteArray();
  }

  Path write(Path file) throws IOException {
    return Files.write(file, bytes());
  }
}
