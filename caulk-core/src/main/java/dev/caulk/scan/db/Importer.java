package dev.caulk.scan.db;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.caulk.scan.osv.Ecosystem;
import dev.caulk.scan.osv.OsvAffected;
import dev.caulk.scan.osv.OsvEntry;
import dev.caulk.scan.osv.OsvFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Streams an import source into a fresh generation directory: each valid record is written once,
 * compacted, to a spool file while only its location, id, modification time and package names stay
 * in memory; then each ecosystem's records are de-duplicated by id (latest {@code modified} wins),
 * ordered by package name and written as a {@code .dat}/{@code .idx} pair ({@link EcosystemIndex}).
 */
final class Importer {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
  private static final int MAX_PROBLEMS = 20;

  /** A spooled record. */
  private static final class Rec {
    final long spoolOffset;
    final int length;
    final String id;
    final Instant modified;
    final Set<String> names = new LinkedHashSet<>();
    long datOffset = -1;

    Rec(long spoolOffset, int length, String id, Instant modified) {
      this.spoolOffset = spoolOffset;
      this.length = length;
      this.id = id;
      this.modified = modified;
    }
  }

  private final Path dir;
  private final FileChannel spool;
  private final Map<String, Map<String, Rec>> byEcosystem = new TreeMap<>();
  private int withdrawn;
  private int ignored;
  private int invalid;
  private final List<String> problems = new ArrayList<>();

  private Importer(Path dir, FileChannel spool) {
    this.dir = dir;
    this.spool = spool;
  }

  /**
   * Imports {@code source} into the empty directory {@code dir}, writing one file pair per
   * ecosystem found and returning their manifest entries.
   */
  static Map.Entry<Map<String, Manifest.Eco>, ImportResult> run(Path source, Path dir, Instant now)
      throws IOException {
    Path spoolFile = dir.resolve("spool.tmp");
    try (FileChannel spool =
        FileChannel.open(
            spoolFile,
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE)) {
      Importer im = new Importer(dir, spool);
      Sources.forEach(source, im::accept);
      Map<String, Manifest.Eco> ecos = new TreeMap<>();
      Map<String, Integer> counts = new TreeMap<>();
      for (Map.Entry<String, Map<String, Rec>> e : im.byEcosystem.entrySet()) {
        Manifest.Eco eco = im.write(e.getKey(), e.getValue().values(), now, Sources.label(source));
        ecos.put(eco.name(), eco);
        counts.put(eco.name(), eco.records());
      }
      return Map.entry(
          ecos, new ImportResult(counts, im.withdrawn, im.ignored, im.invalid, im.problems));
    } finally {
      Files.deleteIfExists(spoolFile);
    }
  }

  private void accept(String name, byte[] json) throws IOException {
    JsonNode tree;
    OsvEntry entry;
    try {
      tree = MAPPER.readTree(json);
      entry = OsvEntry.fromJson(tree);
    } catch (JacksonException e) {
      problem(name + ": invalid JSON");
      return;
    } catch (OsvFormatException e) {
      problem(name + ": " + e.getMessage());
      return;
    }
    if (entry.isWithdrawn()) {
      withdrawn++;
      return;
    }
    Map<String, Set<String>> packages = new TreeMap<>();
    for (OsvAffected a : entry.affected()) {
      a.pkg()
          .ifPresent(
              p -> {
                String base = Ecosystem.parse(p.ecosystem()).name();
                if (!base.isEmpty()
                    && base.length() <= 100
                    && !p.name().isEmpty()
                    && base.chars().noneMatch(Character::isISOControl)) {
                  packages.computeIfAbsent(base, k -> new LinkedHashSet<>()).add(p.name());
                }
              });
    }
    if (packages.isEmpty()) {
      ignored++;
      return;
    }
    byte[] compact = MAPPER.writeValueAsBytes(tree);
    long offset = spool.size();
    writeFully(spool, ByteBuffer.wrap(compact), offset);
    for (Map.Entry<String, Set<String>> e : packages.entrySet()) {
      Rec rec = new Rec(offset, compact.length, entry.id(), entry.modified());
      rec.names.addAll(e.getValue());
      byEcosystem
          .computeIfAbsent(e.getKey(), k -> new HashMap<>())
          .merge(entry.id(), rec, (old, neu) -> neu.modified.isBefore(old.modified) ? old : neu);
    }
  }

  private void problem(String message) {
    invalid++;
    if (problems.size() < MAX_PROBLEMS) {
      problems.add(Sources.shown(message));
    }
  }

  /**
   * Writes one ecosystem's file pair, records ordered by their first package name in byte order.
   */
  private Manifest.Eco write(String ecosystem, Iterable<Rec> recs, Instant now, String sourceLabel)
      throws IOException {
    Map<String, List<Rec>> byName =
        new TreeMap<>((a, b) -> Arrays.compareUnsigned(a.getBytes(UTF_8), b.getBytes(UTF_8)));
    int records = 0;
    for (Rec r : recs) {
      records++;
      for (String n : r.names) {
        byName.computeIfAbsent(n, k -> new ArrayList<>()).add(r);
      }
    }
    String stem = Manifest.stem(ecosystem);
    try (FileChannel dat =
        FileChannel.open(
            dir.resolve(stem + ".dat"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer head =
          ByteBuffer.allocate(12).put(EcosystemIndex.DAT_MAGIC).putInt(EcosystemIndex.VERSION);
      long pos = writeFully(dat, head.flip(), 0);
      for (List<Rec> list : byName.values()) {
        list.sort((a, b) -> a.id.compareTo(b.id));
        for (Rec r : list) {
          if (r.datOffset < 0) {
            ByteBuffer buf = ByteBuffer.allocate(r.length);
            while (buf.hasRemaining()) {
              if (spool.read(buf, r.spoolOffset + buf.position()) < 0) {
                throw new IOException("import spool truncated");
              }
            }
            r.datOffset = pos;
            pos = writeFully(dat, buf.flip(), pos);
          }
        }
      }
      dat.force(true);
    }
    writeIndex(dir.resolve(stem + ".idx"), byName);
    return new Manifest.Eco(ecosystem, stem, records, byName.size(), now, sourceLabel);
  }

  private static void writeIndex(Path file, Map<String, List<Rec>> byName) throws IOException {
    List<byte[]> names = new ArrayList<>();
    int refs = 0;
    long namesLength = 0;
    for (Map.Entry<String, List<Rec>> e : byName.entrySet()) {
      byte[] n = e.getKey().getBytes(UTF_8);
      names.add(n);
      namesLength += n.length;
      refs += e.getValue().size();
    }
    long size =
        EcosystemIndex.HEADER
            + (long) names.size() * EcosystemIndex.SLOT
            + (long) refs * EcosystemIndex.REF
            + namesLength;
    if (size > Integer.MAX_VALUE) {
      throw new VulnDbException("ecosystem index would exceed 2 GiB");
    }
    ByteBuffer buf = ByteBuffer.allocate((int) size);
    buf.put(EcosystemIndex.IDX_MAGIC)
        .putInt(EcosystemIndex.VERSION)
        .putInt(names.size())
        .putInt(refs)
        .putInt((int) namesLength)
        .put(new byte[8]);
    int nameOffset = 0;
    int ref = 0;
    int k = 0;
    for (List<Rec> list : byName.values()) {
      byte[] n = names.get(k++);
      buf.putInt(nameOffset).putInt(n.length).putInt(ref).putInt(list.size());
      nameOffset += n.length;
      ref += list.size();
    }
    for (List<Rec> list : byName.values()) {
      for (Rec r : list) {
        buf.putLong(r.datOffset).putInt(r.length);
      }
    }
    names.forEach(buf::put);
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      writeFully(ch, buf.flip(), 0);
      ch.force(true);
    }
  }

  private static long writeFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    long pos = position;
    while (buf.hasRemaining()) {
      pos += ch.write(buf, pos);
    }
    return pos;
  }
}
