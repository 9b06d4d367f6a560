package dev.caulk.verbs;

import dev.caulk.digest.Digest;
import dev.caulk.image.Artifact;
import dev.caulk.image.ImageIndex;
import dev.caulk.location.ImageLocation;
import dev.caulk.sign.Referrers;
import dev.caulk.sign.SignatureImages;
import dev.caulk.sign.SigningKeys;
import dev.caulk.spec.Descriptor;
import dev.caulk.spec.MediaType;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the signing verbs share: annotation parsing, key loading, the digests an index names. */
final class SignSupport {
  /** Annotations given per command: cosign's are a handful. */
  static final int MAX_ANNOTATIONS = 64;

  static final int MAX_ANNOTATION_CHARS = 4096;

  private SignSupport() {}

  /**
   * Parses {@code k=v} strings as cosign's {@code -a} does (the first {@code =} separates; the
   * value may be empty, the key may not).
   */
  static Map<String, String> annotations(String flag, List<String> pairs) {
    Map<String, String> out = new LinkedHashMap<>();
    if (pairs == null) {
      return out;
    }
    if (pairs.size() > MAX_ANNOTATIONS) {
      throw new InvalidOptionsException(flag + ": at most " + MAX_ANNOTATIONS + " annotations");
    }
    for (String p : pairs) {
      if (p == null || p.length() > MAX_ANNOTATION_CHARS) {
        throw new InvalidOptionsException(
            flag + ": an annotation is longer than " + MAX_ANNOTATION_CHARS + " characters");
      }
      int eq = p.indexOf('=');
      if (eq <= 0) {
        throw new InvalidOptionsException(flag + ": expected KEY=VALUE, got '" + clip(p) + "'");
      }
      String k = p.substring(0, eq);
      if (out.containsKey(k)) {
        throw new InvalidOptionsException(flag + ": " + clip(k) + " given twice");
      }
      out.put(k, p.substring(eq + 1));
    }
    return out;
  }

  /**
   * Checks annotations given as a map: as many, as long and as well formed as {@link #annotations}
   * allows.
   */
  static Map<String, String> validate(Map<String, String> annotations, String flag) {
    if (annotations == null) {
      return Map.of();
    }
    List<String> pairs = new ArrayList<>();
    for (var e : annotations.entrySet()) {
      if (e.getKey() == null
          || e.getKey().isEmpty()
          || e.getKey().contains("=")
          || e.getValue() == null) {
        throw new InvalidOptionsException(
            flag + ": annotation keys must be non-empty without '=', values not null");
      }
      pairs.add(e.getKey() + "=" + e.getValue());
    }
    return Map.copyOf(annotations(flag, pairs));
  }

  static String clip(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "…" : s;
  }

  /** Only registries and OCI layouts hold signatures. */
  static void requireStore(ImageLocation location, String verb) {
    if (location.sibling(SignatureImages.SIGNATURE_SUFFIX).isEmpty()) {
      throw new InvalidOptionsException(
          verb
              + ": "
              + location
              + " is a docker-archive file, which holds no signatures; use a registry or an oci:"
              + " layout");
    }
  }

  /** The private key, decrypted; the password array is wiped by the caller's options after use. */
  static PrivateKey privateKey(Path key, char[] password) throws IOException {
    char[] pw = password == null ? new char[0] : password.clone();
    try {
      return SigningKeys.readPrivateKey(key, pw);
    } finally {
      Arrays.fill(pw, '\0');
    }
  }

  /** The descriptor of what {@code a} is: its media type, digest and size. */
  static Descriptor descriptor(Artifact a) throws IOException {
    return Descriptor.of(a.mediaType(), a.digest(), a.rawManifest().length);
  }

  /**
   * What {@code --recursive} adds after the index itself: each manifest the index lists (and, for a
   * nested index, its children too), in order, without repeats; nothing for an image.
   */
  static List<Descriptor> children(Artifact a) throws IOException {
    List<Descriptor> out = new ArrayList<>();
    if (a.isIndex()) {
      collect(a.index(), out, 0);
    }
    return out;
  }

  private static void collect(ImageIndex index, List<Descriptor> out, int depth)
      throws IOException {
    if (depth > 4) {
      throw new IOException("index nested more than 4 deep");
    }
    for (Descriptor d : index.index().manifests()) {
      if (out.stream().noneMatch(o -> o.digest().equals(d.digest()))) {
        out.add(d);
      }
      if (MediaType.isIndex(d.mediaType())) {
        collect(index.childIndex(d), out, depth + 1);
      }
    }
  }

  /**
   * Where referrers of what {@code location} names are stored: the registry repository or the OCI
   * layout ({@code none} for other locations).
   */
  static List<ImageLocation> referrerStores(ImageLocation location) {
    return location.isRegistry() || location.layoutDirectory().isPresent()
        ? List.of(location)
        : List.of();
  }

  /** {@code digest} in the registry repository or OCI layout of {@code image}. */
  static ImageLocation byDigest(ImageLocation image, Digest digest) {
    if (image instanceof ImageLocation.Registry r) {
      return byDigest(r, digest);
    }
    return new ImageLocation.OciLayout(image.layoutDirectory().orElseThrow(), "@" + digest);
  }

  /** Where referrers of {@code digest} are, for reports: the fallback tag or the layout. */
  static String referrersWhere(ImageLocation image, Digest digest) {
    if (image instanceof ImageLocation.Registry r) {
      return r.reference().name() + ":" + Referrers.fallbackTag(digest);
    }
    return "oci:"
        + image.layoutDirectory().orElseThrow()
        + " (subject "
        + digest.shortString()
        + ")";
  }

  /** A registry location naming {@code digest} in the repository of {@code image}. */
  static ImageLocation.Registry byDigest(ImageLocation.Registry image, Digest digest) {
    return new ImageLocation.Registry(image.reference().withDigest(digest));
  }
}
