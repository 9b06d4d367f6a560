package dev.caulk.scan.sbom;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.re2j.Pattern;
import dev.caulk.digest.Digest;
import dev.caulk.scan.catalog.PackageType;
import dev.caulk.scan.catalog.Purl;
import dev.caulk.scan.ecosystem.Ecosystems;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads an SBOM back into an {@link Sbom}: CycloneDX JSON (1.4 to 1.6) or SPDX 2.2/2.3 JSON, as
 * written by caulk, Syft or Trivy. This is what makes continuous rescanning work: {@code caulk scan
 * sbom.json} matches the stored package list against today's database, offline and without the
 * image.
 *
 * <p>Identity comes from each component's package URL. The source package of an OS package, which
 * distribution advisories are keyed by, is taken from the first of: caulk's {@code
 * caulk:package:sourceName} / {@code sourceVersion} properties; Trivy's {@code
 * aquasecurity:trivy:SrcName} / {@code SrcVersion} / {@code SrcRelease} / {@code SrcEpoch}; the
 * purl's {@code upstream=name[@version]} qualifier (caulk, Syft); scalibr's {@code source} / {@code
 * sourceversion} qualifiers; SPDX {@code sourceInfo} "built package from: NAME VERSION"; otherwise
 * the binary package itself (source = binary, as dpkg-query reports it).
 *
 * <p>Components of kinds caulk does not catalog (npm, PyPI, files) are not errors: they are counted
 * as problems so the caller can say what was not matched.
 */
public final class SbomReader {
  /** Largest document accepted, so a hostile file cannot exhaust memory. */
  public static final long MAX_BYTES = 64L << 20;

  static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");

  private SbomReader() {}

  /**
   * True when the bytes start like a JSON document that names itself CycloneDX or SPDX (cheap
   * sniff).
   */
  public static boolean looksLikeSbom(byte[] head) {
    String s =
        new String(head, 0, Math.min(head.length, 4096), java.nio.charset.StandardCharsets.UTF_8)
            .stripLeading();
    if (s.startsWith("\uFEFF")) s = s.substring(1).stripLeading();
    return s.startsWith("{")
        && (s.contains("\"bomFormat\"")
            || s.contains("\"spdxVersion\"")
            || s.contains("\"SPDXID\""));
  }

  /**
   * Parses one SBOM.
   *
   * @param label what to call the document in messages (a file name; never its content)
   * @throws SbomFormatException when it is not valid JSON, not CycloneDX or SPDX, or too large
   */
  public static Sbom read(byte[] json, String label) throws SbomFormatException {
    if (json.length > MAX_BYTES)
      throw new SbomFormatException(label + ": larger than " + (MAX_BYTES >> 20) + " MiB");
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      // Location is null for limit violations (nesting depth, number or string length).
      throw new SbomFormatException(
          label
              + ": not valid JSON"
              + (e.getLocation() == null
                  ? " (over a nesting or size limit)"
                  : " (line " + e.getLocation().getLineNr() + ")"));
    } catch (IOException e) {
      throw new SbomFormatException(label + ": not valid JSON");
    }
    if (root == null || !root.isObject())
      throw new SbomFormatException(label + ": not a JSON object");
    Digest fallback = Digest.sha256(json);
    if ("CycloneDX".equals(root.path("bomFormat").asText()))
      return CycloneDxReader.read(root, label, fallback);
    if (root.path("spdxVersion").asText().startsWith("SPDX-2."))
      return SpdxReader.read(root, label, fallback);
    throw new SbomFormatException(
        label + ": neither CycloneDX (bomFormat) nor SPDX 2.x (spdxVersion) JSON");
  }

  /** The package type of a purl, if an ecosystem of that kind is registered. */
  static Optional<PackageType> type(Purl purl) {
    return Ecosystems.typeOfPurl(purl.type());
  }

  /** A purl, or empty when the text is missing or not a purl. */
  static Optional<Purl> purl(String text) {
    if (text == null || text.isBlank()) return Optional.empty();
    try {
      return Optional.of(Purl.parse(text.strip()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * The package name caulk uses for a purl: the full module path for Go, the plain name otherwise.
   */
  static String name(Purl p, PackageType t) {
    if (t == PackageType.GOLANG && p.namespace() != null) return p.namespace() + "/" + p.name();
    return p.name();
  }

  /** A digest in text ({@code sha256:…}), or null. */
  static Digest digest(String s) {
    if (s == null) return null;
    String t = s.strip().toLowerCase(Locale.ROOT);
    return SHA256.matcher(t).matches() ? Digest.parse(t) : null;
  }

  /** Text of a field, or null when absent, blank or an SPDX NOASSERTION/NONE. */
  static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isValueNode()) return null;
    String s = v.asText().strip();
    return s.isEmpty() || s.equals("NOASSERTION") || s.equals("NONE") ? null : s;
  }

  /**
   * The source package from an {@code upstream} (Syft, caulk) or {@code source}/{@code
   * sourceversion} (scalibr) qualifier: {name, version-or-null}, or null.
   */
  static String[] sourceFromQualifiers(Purl p) {
    String up = p.qualifiers().get("upstream");
    if (up != null && !up.isBlank()) {
      int at = up.indexOf('@');
      return at > 0
          ? new String[] {up.substring(0, at), up.substring(at + 1)}
          : new String[] {up, null};
    }
    String src = p.qualifiers().get("source");
    if (src != null && !src.isBlank())
      return new String[] {src, p.qualifiers().get("sourceversion")};
    return null;
  }
}
