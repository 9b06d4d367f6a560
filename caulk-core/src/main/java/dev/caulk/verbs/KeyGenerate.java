package dev.caulk.verbs;

import dev.caulk.sign.SigningKeys;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;

/**
 * {@code caulk key generate}: an ECDSA P-256 key pair in cosign's format, {@code PREFIX.key} (the
 * private key encrypted with the password, mode 0600) and {@code PREFIX.pub}, as {@code cosign
 * generate-key-pair --output-key-prefix PREFIX} writes them. Existing files are never replaced.
 */
public final class KeyGenerate {
  /** cosign's default prefix: {@code cosign.key}, {@code cosign.pub}. */
  public static final String DEFAULT_PREFIX = "cosign";

  private KeyGenerate() {}

  public static Builder options() {
    return new Builder();
  }

  /**
   * @param prefix the files are {@code PREFIX.key} and {@code PREFIX.pub}
   * @param password encrypts the private key (may be empty, as cosign allows); never logged
   */
  public record Options(Path prefix, char[] password) {
    @Override
    public String toString() {
      return "KeyGenerate.Options[" + prefix + "]";
    }
  }

  /**
   * @param privateKey the encrypted private key file written
   * @param publicKey the public key file written
   * @param publicKeyPem the public key, as written
   */
  public record Result(Path privateKey, Path publicKey, String publicKeyPem) {}

  /** Builds {@link Options}. */
  public static final class Builder {
    private String prefix = DEFAULT_PREFIX;
    private char[] password;

    private Builder() {}

    /**
     * cosign's {@code --output-key-prefix}: a path without the {@code .key}/{@code .pub} ending.
     */
    public Builder outputKeyPrefix(String p) {
      this.prefix = p;
      return this;
    }

    public Builder password(char[] p) {
      this.password = p;
      return this;
    }

    public Options build() {
      if (prefix == null || prefix.isBlank() || prefix.endsWith("/")) {
        throw new InvalidOptionsException(
            "--output-key-prefix must name a file prefix, e.g. cosign or keys/release");
      }
      if (password == null) {
        throw new InvalidOptionsException(
            "key generate: a password is required (an empty one is allowed)");
      }
      Path p;
      try {
        p = Path.of(prefix);
      } catch (IllegalArgumentException e) {
        throw new InvalidOptionsException("--output-key-prefix: not a valid path");
      }
      if (p.getFileName() == null) {
        throw new InvalidOptionsException(
            "--output-key-prefix must name a file prefix, e.g. cosign or keys/release");
      }
      return new Options(p, password);
    }
  }

  public static Result run(Options o, Session session) throws IOException {
    KeyPair pair = SigningKeys.generate();
    SigningKeys.write(pair, o.password(), o.prefix());
    Path key = o.prefix().resolveSibling(o.prefix().getFileName() + ".key");
    Path pub = o.prefix().resolveSibling(o.prefix().getFileName() + ".pub");
    session.events().info("wrote " + key + " and " + pub);
    return new Result(key, pub, SigningKeys.publicKeyPem(pair.getPublic()));
  }
}
