package dev.caulk.audit.secrets;

import java.util.Objects;

/**
 * Why a file's name marks it as a likely credential store.
 *
 * @param id stable category id, such as {@code ssh-private-key-file} or {@code dotenv-file}
 * @param title what kind of file it is, for people
 * @param reason which name or extension matched ("file name id_rsa")
 */
public record SecretFileMatch(String id, String title, String reason) {

  /** Checks that nothing is null. */
  public SecretFileMatch {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(reason, "reason");
  }
}
