package dev.caulk.auth;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a registry login needs: a username and password, or an identity token (an OAuth2 refresh
 * token that Docker's credential helpers return with the username {@code <token>}).
 *
 * <p>{@link #toString()} masks every secret, so a credential can be logged or put in an exception
 * by mistake without leaking.
 *
 * @param username the login name, or null for a bare identity token
 * @param password the password, or null
 * @param identityToken the identity (refresh) token, or null
 */
public record Credential(
    @Nullable String username, @Nullable String password, @Nullable String identityToken) {
  /** The username Docker credential helpers use to say that the secret is an identity token. */
  public static final String TOKEN_USERNAME = "<token>";

  public Credential {
    if (identityToken == null && password == null) {
      throw new IllegalArgumentException("a credential needs a password or an identity token");
    }
    if (identityToken != null && identityToken.isEmpty())
      throw new IllegalArgumentException("empty identity token");
  }

  /** A username and password, sent with HTTP Basic auth or to a token server. */
  public static Credential basic(String username, String password) {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    return new Credential(username, password, null);
  }

  /**
   * An identity token, exchanged for access tokens at the token server (OAuth2 refresh_token
   * grant).
   */
  public static Credential identityToken(@Nullable String username, String token) {
    return new Credential(username, null, token);
  }

  /**
   * Parses {@code USER:PASS} as given to {@code --creds}; the password may itself contain colons.
   *
   * @throws IllegalArgumentException without echoing the value, which holds a secret
   */
  public static Credential parse(String userColonPass) {
    int colon = userColonPass == null ? -1 : userColonPass.indexOf(':');
    if (colon <= 0) throw new IllegalArgumentException("credentials must be USER:PASSWORD");
    return basic(userColonPass.substring(0, colon), userColonPass.substring(colon + 1));
  }

  /**
   * True when this credential has an identity token, which token servers get in preference to the
   * password.
   */
  public boolean isIdentityToken() {
    return identityToken != null;
  }

  @Override
  public String toString() {
    return "Credential[username="
        + username
        + (password != null ? ", password=****" : "")
        + (identityToken != null ? ", identityToken=****" : "")
        + "]";
  }
}
