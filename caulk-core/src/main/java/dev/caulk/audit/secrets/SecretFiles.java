package dev.caulk.audit.secrets;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Credential files recognised by name (CIS Docker Benchmark 4.10, Dockle CIS-DI-0010), independent
 * of {@link SecretScanner}'s content detectors.
 *
 * <p>Included: Dockle's file names and extensions (reference/audit.md, Appendix B), SSH keys and
 * anything else under {@code .ssh/} except public material ({@code *.pub}, {@code known_hosts},
 * {@code authorized_keys}, {@code config}), cloud CLI credentials ({@code .aws/credentials}, gcloud
 * ADC, Azure token caches, {@code .kube/config}), {@code .git-credentials}, {@code .pgpass}, GnuPG
 * secret keyrings, {@code .env} files, {@code *.key} and key stores ({@code .p12}, {@code .pfx},
 * {@code .jks}).
 *
 * <p>Some names are only credentials when they hold one, so they need the file's first bytes
 * ({@link #needsContent}): {@code .npmrc} with {@code _authToken}/{@code _auth}/{@code _password},
 * {@code .pypirc} and {@code .netrc} with {@code password}, {@code .docker/config.json} with {@code
 * "auth"} or a token, and {@code *.pem} with a {@code PRIVATE KEY} (most PEM files in an image are
 * CA certificates, which is why Dockle dropped {@code .pem} from its list). Weak names that
 * packages ship by the hundred ({@code settings.py}, {@code database.yml}, {@code credentials}…)
 * are ignored under package-owned trees such as {@code /usr/lib}, {@code site-packages} and {@code
 * node_modules}.
 */
public final class SecretFiles {
  private static final Set<String> SSH_KEY_NAMES =
      Set.of("id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "id_ecdsa_sk", "id_ed25519_sk");
  private static final Set<String> SSH_PUBLIC =
      Set.of(
          "known_hosts",
          "known_hosts.old",
          "authorized_keys",
          "authorized_keys2",
          "config",
          "environment",
          "rc");

  /** Dockle's names that are credentials wherever they are. */
  private static final Set<String> STRONG_NAMES =
      Set.of(
          "credentials.json",
          "credential.json",
          "password.txt",
          "credentials.xml",
          ".git-credentials",
          ".pgpass",
          "secring.gpg",
          "terraform.tfstate",
          "terraform.tfstate.backup");

  /** Dockle's names that packages and frameworks also ship as plain code or examples. */
  private static final Set<String> WEAK_NAMES =
      Set.of(
          "credentials",
          "credential",
          "secret_token.rb",
          "carrierwave.rb",
          "omniauth.rb",
          "settings.py",
          "database.yml");

  /**
   * Dockle's extensions (reference/audit.md Appendix B) plus private key and key store extensions.
   */
  private static final Set<String> EXTENSIONS =
      Set.of(
          ".secret",
          ".ovpn",
          ".private_key",
          ".cscfg",
          ".rdp",
          ".mdf",
          ".sdf",
          ".bek",
          ".tpm",
          ".fve",
          ".psafe3",
          ".agilekeychain",
          ".keychain",
          ".pcap",
          ".gnucache");

  private static final Set<String> KEY_STORE_EXTENSIONS =
      Set.of(".jks", ".p12", ".pfx", ".pkcs12", ".keystore");
  private static final Set<String> DOTENV_TEMPLATES =
      Set.of("example", "sample", "template", "dist", "defaults", "default", "tpl");
  private static final List<String> PACKAGE_TREES =
      List.of(
          "usr/lib/",
          "usr/share/",
          "usr/include/",
          "usr/local/lib/",
          "site-packages/",
          "dist-packages/",
          "node_modules/",
          "vendor/",
          "gems/");

  private SecretFiles() {}

  /**
   * The categories a file can be matched as (id, title, severity), for rule lists and configuration
   * checks.
   */
  public static List<SecretDetector> categories() {
    String high = Detectors.HIGH;
    return List.of(
        new SecretDetector("ssh-private-key-file", "SSH private key or SSH secret", high),
        new SecretDetector("cloud-credentials-file", "Cloud CLI credentials", high),
        new SecretDetector("gnupg-secret-key-file", "GnuPG secret key", high),
        new SecretDetector("credential-file", "Credential file", high),
        new SecretDetector("dotenv-file", "Environment file (.env)", high),
        new SecretDetector("private-key-file", "Private key file", high),
        new SecretDetector("key-store-file", "Key store", high),
        new SecretDetector("npmrc-credentials", "npm registry credentials", high),
        new SecretDetector("pypirc-credentials", "PyPI credentials", high),
        new SecretDetector("netrc-credentials", "netrc credentials", high),
        new SecretDetector("docker-config-credentials", "Docker registry credentials", high),
        new SecretDetector("maven-settings-credentials", "Maven settings with a password", high),
        new SecretDetector(
            "wordpress-config-credentials",
            "WordPress configuration with a database password",
            high));
  }

  /**
   * Judges a path by its name alone. Names that need content ({@link #needsContent}) never match
   * here.
   *
   * @param path the path inside the image, absolute or relative to the root
   */
  public static Optional<SecretFileMatch> matches(String path) {
    String p = normalize(path);
    if (p.isEmpty()) {
      return Optional.empty();
    }
    String name = p.substring(p.lastIndexOf('/') + 1);
    String lowerName = name.toLowerCase(Locale.ROOT);
    String parent = p.contains("/") ? p.substring(0, p.lastIndexOf('/')) : "";
    String ext = extension(lowerName);

    if (SSH_KEY_NAMES.contains(name)
        || (under(parent, ".ssh")
            && !SSH_PUBLIC.contains(name)
            && !lowerName.endsWith(".pub")
            && !name.startsWith("known_hosts")
            && !needsContentName(p))) {
      return match(
          "ssh-private-key-file",
          "SSH private key or SSH secret",
          "file name " + name + (SSH_KEY_NAMES.contains(name) ? "" : " under .ssh/"));
    }
    if (p.endsWith(".aws/credentials")
        || p.endsWith(".config/gcloud/application_default_credentials.json")
        || p.endsWith(".config/gcloud/credentials.db")
        || p.endsWith(".config/gcloud/access_tokens.db")
        || p.endsWith(".azure/accessTokens.json")
        || p.endsWith(".azure/msal_token_cache.json")
        || p.endsWith(".kube/config")) {
      return match("cloud-credentials-file", "Cloud CLI credentials", "file " + tail(p, 2));
    }
    if (under(parent, ".gnupg")
        && (name.equals("secring.gpg") || parent.endsWith("private-keys-v1.d"))) {
      return match("gnupg-secret-key-file", "GnuPG secret key", "file " + tail(p, 2));
    }
    if (STRONG_NAMES.contains(name)) {
      return match("credential-file", "Credential file", "file name " + name);
    }
    if (WEAK_NAMES.contains(name) && !inPackageTree(p)) {
      return match("credential-file", "Credential file", "file name " + name);
    }
    if (name.equals(".env")
        || (name.startsWith(".env.") && !DOTENV_TEMPLATES.contains(name.substring(5)))) {
      return match("dotenv-file", "Environment file (.env)", "file name " + name);
    }
    if (ext.equals(".key") && !inPackageTree(p)) {
      return match("private-key-file", "Private key file", "extension .key");
    }
    if (KEY_STORE_EXTENSIONS.contains(ext)
        && !lowerName.contains("truststore")
        && !lowerName.startsWith("cacerts")) {
      return match("key-store-file", "Key store", "extension " + ext);
    }
    if (EXTENSIONS.contains(ext)) {
      return match("credential-file", "Credential file", "extension " + ext);
    }
    return Optional.empty();
  }

  /**
   * Whether the name is a credential file only if its content says so; the caller should then peek
   * at the file and call {@link #matches(String, byte[])}.
   */
  public static boolean needsContent(String path) {
    return needsContentName(normalize(path));
  }

  /**
   * Judges a path by its name and, for names that need it, by its leading bytes.
   *
   * @param head the first bytes of the file (a few KiB are enough); may be empty for names that
   *     need no content
   */
  public static Optional<SecretFileMatch> matches(String path, byte[] head) {
    String p = normalize(path);
    if (!needsContentName(p)) {
      return matches(path);
    }
    String name = p.substring(p.lastIndexOf('/') + 1);
    int n = Math.min(head.length, SecretScanner.MAX_SCAN_BYTES);
    String text = new String(head, 0, n, StandardCharsets.ISO_8859_1);
    String lower = text.toLowerCase(Locale.ROOT);
    switch (name) {
      case ".npmrc":
        return lower.contains("_authtoken")
                || lower.contains("_auth=")
                || lower.contains("_auth =")
                || lower.contains("_password")
            ? match(
                "npmrc-credentials",
                "npm registry credentials",
                ".npmrc with an auth token or password")
            : Optional.empty();
      case ".pypirc":
        return lower.contains("password")
            ? match("pypirc-credentials", "PyPI credentials", ".pypirc with a password")
            : Optional.empty();
      case ".netrc":
      case "_netrc":
        return lower.contains("password")
            ? match("netrc-credentials", "netrc credentials", name + " with a password")
            : Optional.empty();
      case "settings.xml":
      case "settings-security.xml":
        return lower.contains("<password>")
                || lower.contains("<passphrase>")
                || lower.contains("<master>")
            ? match(
                "maven-settings-credentials",
                "Maven settings with a password",
                name + " with a <password> or <passphrase>")
            : Optional.empty();
      case "wp-config.php":
        return lower.contains("db_password")
            ? match(
                "wordpress-config-credentials",
                "WordPress configuration with a database password",
                "wp-config.php with DB_PASSWORD")
            : Optional.empty();
      case ".dockerconfigjson":
      case ".dockercfg":
      case "config.json":
        return lower.contains("\"auth\"")
                || lower.contains("\"identitytoken\"")
                || lower.contains("\"registrytoken\"")
            ? match(
                "docker-config-credentials",
                "Docker registry credentials",
                name + " with stored auth")
            : Optional.empty();
      default: // *.pem
        return text.contains("PRIVATE KEY-----")
            ? match("private-key-file", "Private key file", "PEM file with a private key")
            : Optional.empty();
    }
  }

  private static boolean needsContentName(String p) {
    String name = p.substring(p.lastIndexOf('/') + 1);
    return name.equals(".npmrc")
        || name.equals(".pypirc")
        || name.equals(".netrc")
        || name.equals("_netrc")
        || p.endsWith(".docker/config.json")
        || name.equals(".dockerconfigjson")
        || name.equals(".dockercfg")
        || p.endsWith(".m2/settings.xml")
        || p.endsWith(".m2/settings-security.xml")
        || name.equals("wp-config.php")
        || name.toLowerCase(Locale.ROOT).endsWith(".pem");
  }

  private static Optional<SecretFileMatch> match(String id, String title, String reason) {
    return Optional.of(new SecretFileMatch(id, title, reason));
  }

  /** Strips leading "/" and "./" so absolute and tar-style paths compare alike. */
  private static String normalize(String path) {
    String p = path == null ? "" : path.replace('\\', '/');
    while (p.startsWith("/") || p.startsWith("./")) {
      p = p.startsWith("/") ? p.substring(1) : p.substring(2);
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  private static boolean under(String parent, String dir) {
    return parent.equals(dir)
        || parent.endsWith("/" + dir)
        || parent.contains("/" + dir + "/")
        || parent.startsWith(dir + "/");
  }

  private static boolean inPackageTree(String p) {
    for (String t : PACKAGE_TREES) {
      if (p.startsWith(t) || p.contains("/" + t)) {
        return true;
      }
    }
    return false;
  }

  private static String extension(String lowerName) {
    int dot = lowerName.lastIndexOf('.');
    return dot > 0 ? lowerName.substring(dot) : "";
  }

  private static String tail(String p, int segments) {
    int i = p.length();
    for (int s = 0; s < segments && i > 0; s++) {
      i = p.lastIndexOf('/', i - 1);
    }
    return i < 0 ? p : p.substring(i + 1);
  }
}
