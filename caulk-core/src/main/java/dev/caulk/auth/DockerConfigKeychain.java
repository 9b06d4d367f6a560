package dev.caulk.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Credentials from the files Docker, Podman and skopeo write at login.
 *
 * <p>The files are read in this order, and the first that knows the registry wins: {@code
 * $DOCKER_CONFIG/config.json} (or {@code ~/.docker/config.json}), {@code $REGISTRY_AUTH_FILE},
 * {@code $XDG_RUNTIME_DIR/containers/auth.json}, {@code $XDG_CONFIG_HOME/containers/auth.json} (or
 * {@code ~/.config/containers/auth.json}). Missing files are skipped. Inside a file the order is
 * Docker's: {@code credHelpers[registry]}, then {@code credsStore}, then {@code auths[registry]}
 * ({@code auth} as base64 {@code user:pass} or {@code username}/{@code password}, and {@code
 * identitytoken}, which token servers get in preference to the password). Keys match with or
 * without {@code https://} and a {@code /v1/} path, and Docker Hub is found under {@code
 * https://index.docker.io/v1/} and its aliases. Namespace keys of containers-auth.json ({@code
 * host/namespace}) are not matched.
 *
 * <p>The environment and home directory are parameters, so tests (and {@code --authfile}) never
 * depend on the user's real files; credential helpers are looked up on the environment's {@code
 * PATH}.
 */
public final class DockerConfigKeychain implements Keychain {
  private static final int MAX_FILE_BYTES = 4 * 1024 * 1024;

  /** Made on the first file read, not when a keychain is made (start-up: bench/startup). */
  private static final class Json {
    static final JsonMapper MAPPER = new JsonMapper();
  }

  private static final Duration DEFAULT_HELPER_TIMEOUT = Duration.ofSeconds(30);

  private final List<Path> files;
  private final @Nullable String pathEnv;
  private final Duration helperTimeout;

  private DockerConfigKeychain(List<Path> files, @Nullable String pathEnv, Duration helperTimeout) {
    this.files = List.copyOf(files);
    this.pathEnv = pathEnv;
    this.helperTimeout = helperTimeout;
  }

  /** The default files, from this process's environment and {@code user.home}. */
  public static DockerConfigKeychain fromEnvironment() {
    return of(System.getenv(), Path.of(System.getProperty("user.home")));
  }

  /** The default files, located through the given environment variables and home directory. */
  public static DockerConfigKeychain of(Map<String, String> env, Path home) {
    List<Path> files = new ArrayList<>();
    String dockerConfig = env.get("DOCKER_CONFIG");
    files.add(
        dockerConfig != null && !dockerConfig.isEmpty()
            ? Path.of(dockerConfig, "config.json")
            : home.resolve(".docker").resolve("config.json"));
    String authFile = env.get("REGISTRY_AUTH_FILE");
    if (authFile != null && !authFile.isEmpty()) files.add(Path.of(authFile));
    String runtimeDir = env.get("XDG_RUNTIME_DIR");
    if (runtimeDir != null && !runtimeDir.isEmpty())
      files.add(Path.of(runtimeDir, "containers", "auth.json"));
    String xdgConfig = env.get("XDG_CONFIG_HOME");
    files.add(
        (xdgConfig != null && !xdgConfig.isEmpty() ? Path.of(xdgConfig) : home.resolve(".config"))
            .resolve("containers")
            .resolve("auth.json"));
    return new DockerConfigKeychain(files, env.get("PATH"), DEFAULT_HELPER_TIMEOUT);
  }

  /**
   * Exactly one file, as {@code --authfile FILE} asks (skopeo's meaning: this file instead of the
   * defaults); it may be a Docker config.json or a containers auth.json. Helpers are looked up on
   * the given environment's {@code PATH}.
   */
  public static DockerConfigKeychain ofFile(Path file, Map<String, String> env) {
    return new DockerConfigKeychain(List.of(file), env.get("PATH"), DEFAULT_HELPER_TIMEOUT);
  }

  /** The same files, with credential helpers killed after {@code timeout}. */
  public DockerConfigKeychain withHelperTimeout(Duration timeout) {
    return new DockerConfigKeychain(files, pathEnv, timeout);
  }

  /** The files consulted, in order (they need not exist). */
  public List<Path> files() {
    return files;
  }

  @Override
  public Optional<Credential> resolve(String registry) throws IOException {
    String host = Hosts.normalize(registry);
    if (host == null) return Optional.empty();
    for (Path f : files) {
      JsonNode config = read(f);
      if (config == null) continue;
      Optional<Credential> c = resolve(config, host, registry, f);
      if (c.isPresent()) return c;
    }
    return Optional.empty();
  }

  private Optional<Credential> resolve(JsonNode config, String host, String registry, Path file)
      throws IOException {
    CredentialHelper helper = new CredentialHelper(pathEnv, helperTimeout);
    JsonNode helperName = find(config.path("credHelpers"), host);
    if (helperName != null && helperName.isTextual() && !helperName.asText().isEmpty()) {
      Optional<Credential> c = helper.get(helperName.asText(), Hosts.helperServerUrl(registry));
      if (c.isPresent()) return c;
    }
    String store = config.path("credsStore").asText("");
    if (!store.isEmpty()) {
      Optional<Credential> c = helper.get(store, Hosts.helperServerUrl(registry));
      if (c.isPresent()) return c;
    }
    JsonNode entry = find(config.path("auths"), host);
    return entry == null || !entry.isObject() ? Optional.empty() : fromEntry(entry, host, file);
  }

  private static Optional<Credential> fromEntry(JsonNode entry, String host, Path file)
      throws CredentialException {
    String user = text(entry, "username");
    String pass = text(entry, "password");
    String auth = text(entry, "auth");
    if (auth != null) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new CredentialException(
            file + ": the auth entry for " + host + " is not valid base64");
      }
      int colon = decoded.indexOf(':');
      if (colon <= 0)
        throw new CredentialException(
            file + ": the auth entry for " + host + " is not base64 of user:password");
      user = decoded.substring(0, colon);
      pass = decoded.substring(colon + 1);
    }
    String token = text(entry, "identitytoken");
    if (token != null)
      return Optional.of(new Credential(user, pass == null || pass.isEmpty() ? null : pass, token));
    if (user != null && pass != null && !pass.isEmpty())
      return Optional.of(Credential.basic(user, pass));
    return Optional.empty();
  }

  /**
   * The value under the key matching {@code host}: an exact key first, then any key normalising to
   * it.
   */
  private static @Nullable JsonNode find(JsonNode map, String host) {
    if (!map.isObject()) return null;
    for (String exact : new String[] {host, "https://" + host, "http://" + host}) {
      if (map.has(exact)) return map.get(exact);
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (host.equals(Hosts.normalize(e.getKey()))) return e.getValue();
    }
    return null;
  }

  private static @Nullable JsonNode read(Path f) throws CredentialException {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(f)) {
      bytes = in.readNBytes(MAX_FILE_BYTES + 1);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      if (!Files.exists(f)) return null;
      throw new CredentialException("cannot read credentials file " + f + ": " + e.getMessage());
    }
    if (bytes.length > MAX_FILE_BYTES)
      throw new CredentialException("credentials file " + f + " is larger than 4 MiB");
    if (bytes.length == 0) return null;
    try {
      JsonNode n = Json.MAPPER.readTree(bytes);
      if (n == null || !n.isObject())
        throw new CredentialException("credentials file " + f + " is not a JSON object");
      return n;
    } catch (CredentialException e) {
      throw e;
    } catch (IOException e) {
      // Jackson's message may quote the file's text, which holds secrets: give the position only.
      String where =
          e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                  && j.getLocation() != null
              ? " (line " + j.getLocation().getLineNr() + ")"
              : "";
      throw new CredentialException("credentials file " + f + " is not valid JSON" + where);
    }
  }

  private static @Nullable String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || !v.isTextual() || v.asText().isEmpty() ? null : v.asText();
  }
}
