package dev.caulk.verbs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.auth.Credential;
import dev.caulk.location.ImageLocation;
import dev.caulk.location.Locations;
import dev.caulk.name.Reference;
import dev.caulk.registry.RegistryException;
import dev.caulk.registry.RegistryOptions;
import dev.caulk.testing.FaultProxy;
import dev.caulk.testing.RegistryExtension;
import dev.caulk.testing.TestRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --creds} is for one registry (issue 10 item 7): the one named, never another; naming two
 * with it is refused before any request, as skopeo's copy, which has only --src-creds and
 * --dest-creds, does. The session's options share one set of clients.
 */
class SessionCredentialsTest {
  @RegisterExtension
  static final RegistryExtension BASIC = RegistryExtension.of(TestRegistry.Mode.BASIC);

  @TempDir Path tmp;
  private Path noFiles;

  @BeforeEach
  void emptyAuthFile() throws IOException {
    noFiles = Files.writeString(tmp.resolve("auth.json"), "{}");
  }

  private static ImageLocation reg(String hostAndRepo) {
    return new ImageLocation.Registry(Reference.parse(hostAndRepo));
  }

  private String userPass(TestRegistry r) {
    return r.credentials().username() + ":" + r.credentials().password();
  }

  @Test
  void credsServeTheNamedRegistryAndNoOther() throws IOException {
    TestRegistry r = BASIC.registry();
    ImageLocation image = reg(r.host() + "/creds/app:v1");
    Session s = Session.builder().authFile(noFiles).credentials(userPass(r)).named(image).build();
    RegistryOptions o = s.source(image);
    Optional<Credential> mine = o.keychain().resolve(r.host());
    assertEquals(r.credentials().username(), mine.orElseThrow().username());
    assertEquals(Optional.empty(), o.keychain().resolve("other.example"), "never another registry");
    assertEquals(Optional.empty(), s.destination().keychain().resolve("other.example"));
    assertSame(s.registryClients(), o.session());
    assertEquals(o, s.source(image), "equal options, so one client of the session serves both");
  }

  @Test
  void credsAgainstTheRealRegistry() throws IOException {
    TestRegistry r = BASIC.registry();
    ImageLocation image = reg(r.host() + "/creds/app:v1");
    Session anonymous = Session.builder().authFile(noFiles).named(image).build();
    RegistryException denied =
        assertThrows(RegistryException.class, () -> Locations.open(image, anonymous.source(image)));
    assertEquals(401, denied.status());
    // the registry knows the credential: an unknown manifest, not a 401
    Session s = Session.builder().authFile(noFiles).credentials(userPass(r)).named(image).build();
    RegistryException missing =
        assertThrows(RegistryException.class, () -> Locations.open(image, s.source(image)));
    assertEquals(404, missing.status());
  }

  @Test
  void credsWithTwoRegistriesAreRefusedBeforeAnyRequest() throws IOException {
    TestRegistry r = BASIC.registry();
    try (FaultProxy other = FaultProxy.start(r)) {
      ImageLocation src = reg(other.host() + "/creds/src:v1");
      ImageLocation dst = reg(r.host() + "/creds/dst:v1");
      InvalidOptionsException e =
          assertThrows(
              InvalidOptionsException.class,
              () ->
                  Session.builder()
                      .authFile(noFiles)
                      .credentials(userPass(r))
                      .named(src, dst)
                      .build());
      assertTrue(
          e.getMessage().startsWith("--creds is for one registry, and this command reaches 2 ("),
          e.getMessage());
      assertTrue(
          e.getMessage()
              .endsWith("use --src-creds for the source and --dest-creds for the destination"),
          e.getMessage());
      assertTrue(!e.getMessage().contains(r.credentials().password()));

      // not named up front: the first registry reached takes --creds, a second is refused
      Session late = Session.builder().authFile(noFiles).credentials(userPass(r)).build();
      late.source(src);
      assertThrows(InvalidOptionsException.class, () -> late.destination(dst));
      assertEquals(0, other.requests().size(), "nothing was sent anywhere");

      // with --src-creds and --dest-creds, --creds has nothing left to serve: fine
      Session both =
          Session.builder()
              .authFile(noFiles)
              .credentials("x:y")
              .sourceCredentials("s:1")
              .destinationCredentials("d:2")
              .named(src, dst)
              .build();
      assertEquals("s", both.source(src).keychain().resolve(other.host()).orElseThrow().username());
      assertEquals(
          "d", both.destination(dst).keychain().resolve(r.host()).orElseThrow().username());
    }
  }

  @Test
  void withNoRegistryOnTheCommandLineCredsAreForTheRegistryWrittenTo() throws IOException {
    // build and push: the command line names a layout at most; the base image's registry and the
    // push target come from the project
    ImageLocation base = reg("base.example/debian:12");
    ImageLocation target = reg("push.example/team/app:v1");
    Session s =
        Session.builder()
            .authFile(noFiles)
            .credentials("u:p")
            .named(new ImageLocation.OciLayout(tmp, "app"))
            .build();
    assertEquals(
        Optional.empty(),
        s.source(base).keychain().resolve("base.example"),
        "the base's registry never gets it");
    assertEquals(
        "u", s.destination(target).keychain().resolve("push.example").orElseThrow().username());
    assertEquals(Optional.empty(), s.destination(target).keychain().resolve("base.example"));
    assertThrows(InvalidOptionsException.class, () -> s.destination(reg("third.example/app:v1")));
  }

  @Test
  void oneRegistryOnBothSidesKeepsCreds() throws IOException {
    TestRegistry r = BASIC.registry();
    ImageLocation src = reg(r.host() + "/creds/a:v1");
    ImageLocation dst = reg(r.host() + "/creds/b:v1");
    Session s =
        Session.builder().authFile(noFiles).credentials(userPass(r)).named(src, dst).build();
    assertTrue(s.source(src).keychain().resolve(r.host()).isPresent());
    assertTrue(s.destination(dst).keychain().resolve(r.host()).isPresent());
  }

  @Test
  void twoSessionsOwnTheirClients() {
    Session a = Session.defaults(null);
    Session b = Session.defaults(null);
    assertTrue(a.registryClients() != b.registryClients());
    assertSame(a.registryClients(), a.destination().session());
  }
}
