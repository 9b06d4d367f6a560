package dev.caulk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.caulk.digest.Digest;
import dev.caulk.image.Artifact;
import dev.caulk.image.Image;
import dev.caulk.layout.MediaFixtures;
import dev.caulk.location.ImageLocation;
import dev.caulk.location.Locations;
import dev.caulk.registry.RegistryOptions;
import dev.caulk.testing.RegistryExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the signing integration tests ({@code SignCommandIT}, {@code BuildAttachCommandIT}, {@code
 * CopyReferrersIT}) set up alike: caulk in a child JVM as a user runs it (a password only in its
 * environment, no terminal), a cosign key pair made by {@code caulk key generate}, and distinct
 * images pushed to the test registry. One per test class, made once the registry and the folder
 * exist ({@code @BeforeAll} or the test).
 */
final class SigningSetup {
  /**
   * A key pair written by {@code caulk key generate}: {@code PREFIX.key} and {@code PREFIX.pub}.
   */
  record KeyPair(Path key, Path pub) {}

  private final RegistryExtension registry;
  private final Path dir;
  private final String password;
  private final AtomicInteger images = new AtomicInteger();

  /**
   * @param registry the test class's registry, asked for its host on each use
   * @param dir the children's working folder, where their output, keys and image blobs go
   * @param password the password of the keys and of {@link #withPassword}
   */
  SigningSetup(RegistryExtension registry, Path dir, String password) {
    this.registry = registry;
    this.dir = dir;
    this.password = password;
  }

  /** caulk in a child JVM ({@link ChildCaulk}) working in the folder, with {@code env}. */
  Cli.Run child(Map<String, String> env, String... args) throws Exception {
    return ChildCaulk.run(dir, env, args);
  }

  /** caulk in a child JVM with the password in {@code CAULK_PASSWORD}. */
  Cli.Run withPassword(String... args) throws Exception {
    return child(Map.of("CAULK_PASSWORD", password), args);
  }

  /**
   * {@code caulk key generate} of {@code name} in the folder, with the password; it must succeed.
   */
  KeyPair keyPair(String name) throws Exception {
    return keyPair(name, Map.of("CAULK_PASSWORD", password));
  }

  /** {@code caulk key generate} of {@code name} in the folder, the password from {@code env}. */
  KeyPair keyPair(String name, Map<String, String> env) throws Exception {
    Path prefix = dir.resolve(name);
    Cli.Run gen = child(env, "key", "generate", "--output-key-prefix", prefix.toString());
    assertEquals(0, gen.exit(), gen.toString());
    return new KeyPair(Path.of(prefix + ".key"), Path.of(prefix + ".pub"));
  }

  /** The registry's {@code host:port}. */
  String host() {
    return registry.registry().host();
  }

  /** {@code docker://HOST/repo}, no tag. */
  String location(String repo) {
    return "docker://" + host() + "/" + repo;
  }

  /** A new image, distinct from every other this setup pushed, at {@code repo:v1}; its location. */
  String pushed(String repo) throws IOException {
    int n = images.incrementAndGet();
    Image img = MediaFixtures.image(Files.createTempDirectory(dir, "img"), "file" + n + ".txt");
    String loc = location(repo) + ":v1";
    Locations.write(Artifact.of(img), ImageLocation.parse(loc), RegistryOptions.defaults());
    return loc;
  }

  /** The digest at a location, read in this JVM. */
  static Digest digestOf(String loc) throws IOException {
    return Locations.open(ImageLocation.parse(loc), RegistryOptions.defaults()).digest();
  }
}
