package dev.caulk.scan.db;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** OSV records in the real schema, and zips of them, written by the tests. */
final class Fixtures {
  private Fixtures() {}

  /**
   * A record with one affected element per {@code ecosystem|name|fixed} triple (fixed may be
   * empty).
   */
  static String record(String id, String modified, String... affected) {
    StringBuilder sb = new StringBuilder();
    sb.append("{\n  \"schema_version\": \"1.6.0\",\n  \"id\": \"")
        .append(id)
        .append("\",\n")
        .append("  \"modified\": \"")
        .append(modified)
        .append("\",\n")
        .append("  \"published\": \"2023-01-01T00:00:00Z\",\n")
        .append("  \"upstream\": [\"CVE-2023-0001\"],\n")
        .append("  \"summary\": \"test record ")
        .append(id)
        .append("\",\n  \"affected\": [");
    for (int i = 0; i < affected.length; i++) {
      String[] p = affected[i].split("\\|", -1);
      sb.append(i == 0 ? "" : ",")
          .append("\n    {\"package\": {\"ecosystem\": \"")
          .append(p[0])
          .append("\", \"name\": \"")
          .append(p[1])
          .append("\"},\n     \"ranges\": [{\"type\": \"ECOSYSTEM\", ")
          .append("\"events\": [{\"introduced\": \"0\"}")
          .append(p[2].isEmpty() ? "" : ", {\"fixed\": \"" + p[2] + "\"}")
          .append("]}],\n")
          .append("     \"ecosystem_specific\": {\"urgency\": \"medium\"}}");
    }
    return sb.append(
            "\n  ],\n  \"references\": [{\"type\": \"ADVISORY\", \"url\": \"https://example.com/")
        .append(id)
        .append("\"}],\n  \"x_unknown\": 1\n}\n")
        .toString();
  }

  static Path zip(Path file, Map<String, String> entries) throws IOException {
    try (OutputStream out = Files.newOutputStream(file);
        ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, String> e : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        if (!e.getKey().endsWith("/")) {
          zip.write(e.getValue().getBytes(UTF_8));
        }
        zip.closeEntry();
      }
    }
    return file;
  }

  static Map<String, String> entries(String... nameThenContent) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < nameThenContent.length; i += 2) {
      m.put(nameThenContent[i], nameThenContent[i + 1]);
    }
    return m;
  }

  /**
   * A realistic Debian all.zip: two releases, a DSA, a withdrawn, a broken and a GIT-only record, a
   * CSV.
   */
  static Path debianZip(Path file) throws IOException {
    return zip(
        file,
        entries(
            "DEBIAN-CVE-2023-5678.json",
            record(
                "DEBIAN-CVE-2023-5678",
                "2024-01-10T00:00:00Z",
                "Debian:11|openssl|1.1.1w-0+deb11u2",
                "Debian:12|openssl|3.0.13-1~deb12u1"),
            "DSA-5532-1.json",
            record("DSA-5532-1", "2024-01-11T00:00:00Z", "Debian:12|openssl|3.0.11-1~deb12u2"),
            "DEBIAN-CVE-2023-4911.json",
            record(
                "DEBIAN-CVE-2023-4911", "2024-01-12T00:00:00Z", "Debian:12|glibc|2.36-9+deb12u3"),
            "DEBIAN-CVE-2020-0001.json",
            record("DEBIAN-CVE-2020-0001", "2024-01-12T00:00:00Z", "Debian:12|tiff|")
                .replace("\"published\"", "\"withdrawn\": \"2024-02-01T00:00:00Z\", \"published\""),
            "BROKEN-1.json",
            "{\"id\": \"BROKEN-1\"}",
            "GIT-ONLY-1.json",
            "{\"id\": \"GIT-ONLY-1\", \"modified\": \"2024-01-01T00:00:00Z\", \"affected\": [{"
                + "\"ranges\": [{\"type\": \"GIT\", \"repo\": \"https://example.com/x.git\", \"events\": "
                + "[{\"introduced\": \"0\"}]}]}]}",
            "nested/",
            "",
            "modified_id.csv",
            "2024-01-12T00:00:00Z,DEBIAN-CVE-2023-4911\n"));
  }
}
