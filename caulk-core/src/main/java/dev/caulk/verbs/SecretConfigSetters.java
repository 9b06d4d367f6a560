package dev.caulk.verbs;

import dev.caulk.audit.secrets.SecretConfig;
import dev.caulk.audit.secrets.SecretConfigException;
import dev.caulk.audit.secrets.SecretRuleBook;
import java.nio.file.Path;

/**
 * The secret-rule setters of the builders of the verbs that audit ({@link Audit}; {@link Inspect},
 * whose history masking uses the rules; {@link Rewrite}, whose two audits do), written once: a
 * named {@code secrets.yaml}, else {@code .caulk/secrets.yaml} under a search directory when it is
 * there, else the built-in rules. A builder implements {@link #secretConfigChoice()} with a field;
 * each setter returns the verb's own builder, so the chains read as before.
 *
 * @param <B> the verb's builder
 */
public interface SecretConfigSetters<B extends SecretConfigSetters<B>> {
  /** What the setters filled in; the builder reads it when it builds its options. */
  Choice secretConfigChoice();

  /** The {@code secrets.yaml} whose rules the verb uses (it must exist and be valid). */
  default B secretConfig(Path v) {
    secretConfigChoice().file = v;
    return self();
  }

  /** Where {@code .caulk/secrets.yaml} is read from when present and no file is named. */
  default B searchSecretConfigIn(Path dir) {
    secretConfigChoice().searchDirectory = dir;
    return self();
  }

  @SuppressWarnings("unchecked") // B is the implementing builder, by the bound and by convention
  private B self() {
    return (B) this;
  }

  /** Where a verb's secret rules come from: a file, a directory to look in, or neither. */
  final class Choice {
    private Path file;
    private Path searchDirectory;

    Choice() {}

    /** The {@code secrets.yaml} the rules come from, or null for the built-in ones. */
    Path file() {
      return fileOf(file, searchDirectory);
    }

    /**
     * The rules of {@link #file()}.
     *
     * @throws InvalidOptionsException with the file's one-line error
     */
    SecretRuleBook book() {
      return load(file());
    }

    /** {@code file}, else {@code .caulk/secrets.yaml} under {@code searchDirectory}, else null. */
    static Path fileOf(Path file, Path searchDirectory) {
      if (file != null) {
        return file;
      }
      return searchDirectory == null
          ? null
          : SecretConfig.defaultFile(searchDirectory).orElse(null);
    }

    /** The rules of a {@code secrets.yaml}; the built-in ones for null. */
    static SecretRuleBook load(Path file) {
      if (file == null) {
        return SecretRuleBook.builtIn();
      }
      try {
        return SecretRuleBook.of(SecretConfig.load(file));
      } catch (SecretConfigException e) {
        throw new InvalidOptionsException(e.getMessage());
      }
    }
  }
}
