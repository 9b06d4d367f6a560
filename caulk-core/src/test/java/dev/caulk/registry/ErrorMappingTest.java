package dev.caulk.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** {@link ErrorMapping} alone: one-line messages, what is temporary, and its two steps. */
class ErrorMappingTest {
  private static final URI URL =
      URI.create("http://127.0.0.1:5000/v2/app/manifests/v1?token=secret");
  private final Req req = Req.of("GET", URL, Auth.pull("app"), "127.0.0.1:5000/app:v1", 200);
  private boolean hasCredential;
  private final ErrorMapping errors =
      new ErrorMapping("127.0.0.1:5000", Duration.ofSeconds(30), () -> hasCredential);

  private RegistryException failWith(IOException e) {
    return assertThrows(
        RegistryException.class,
        () ->
            errors
                .transportErrors(
                    c -> {
                      throw e;
                    })
                .send(StepTesting.call(req)));
  }

  @Test
  void ioFailuresBecomeOneLineMessagesThatSayWhatToDo() {
    assertEquals(
        "cannot connect to registry 127.0.0.1:5000: connection refused",
        failWith(new ConnectException("Connection refused")).getMessage());
    RegistryException idle = failWith(new SocketTimeoutException("Read timed out"));
    assertEquals(
        "registry 127.0.0.1:5000 sent nothing for 30.0 s during GET (127.0.0.1:5000/app:v1; --timeout to change it)",
        idle.getMessage());
    assertTrue(idle.isTemporary());
    RegistryException tls = failWith(new SSLHandshakeException("PKIX path building failed"));
    assertTrue(
        tls.getMessage().startsWith("TLS certificate of registry 127.0.0.1:5000 is not trusted"),
        tls.getMessage());
    assertFalse(tls.isTemporary());
    RegistryException head = failWith(new ProtocolException("Header size too big"));
    assertEquals(
        "registry 127.0.0.1:5000 sent a response head larger than caulk accepts for GET (127.0.0.1:5000/app:v1)",
        head.getMessage());
    assertFalse(head.isTemporary());
    RegistryException eof = failWith(new EOFException("line one\nline two"));
    assertEquals("GET failed: line one line two (127.0.0.1:5000/app:v1)", eof.getMessage());
    assertTrue(eof.isTemporary());
    assertFalse(eof.url().contains("secret"), eof.url());
  }

  @Test
  void registryExceptionsPassAndAPassedDeadlineIsPermanent() throws InterruptedException {
    RegistryException mine = RegistryException.ofTransport("GET", "u", "as it was", true, null);
    assertSame(mine, failWith(mine));

    Exchange.Call late = Exchange.Call.of(req, new Deadline(Duration.ofMillis(1)));
    Thread.sleep(5);
    RegistryException e =
        assertThrows(
            RegistryException.class,
            () ->
                errors
                    .transportErrors(
                        c -> {
                          throw new EOFException("dropped");
                        })
                    .send(late));
    assertEquals(
        "registry 127.0.0.1:5000 did not finish GET within the 1 ms deadline (127.0.0.1:5000/app:v1; --deadline to change it)",
        e.getMessage());
    assertFalse(e.isTemporary());
  }

  @Test
  void unexpectedStatusesBecomeRegistryErrors() throws IOException {
    Exchange ok = errors.statusErrors(c -> StepTesting.response(200, c.uri()));
    assertEquals(200, ok.send(StepTesting.call(req)).status());

    Exchange missing =
        errors.statusErrors(
            c ->
                StepTesting.response(
                    404,
                    c.uri(),
                    Map.of(),
                    "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}"));
    RegistryException e =
        assertThrows(RegistryException.class, () -> missing.send(StepTesting.call(req)));
    assertEquals("MANIFEST_UNKNOWN: manifest unknown (127.0.0.1:5000/app:v1)", e.getMessage());
    assertFalse(e.isTemporary());

    Exchange busy =
        errors.statusErrors(
            c -> StepTesting.response(503, c.uri(), Map.of("Retry-After", "7"), ""));
    RegistryException b =
        assertThrows(RegistryException.class, () -> busy.send(StepTesting.call(req)));
    assertTrue(b.isTemporary());
    assertEquals(Duration.ofSeconds(7), b.retryAfter());

    Exchange denied = errors.statusErrors(c -> StepTesting.response(401, c.uri()));
    assertEquals(
        "UNAUTHORIZED: authentication required (registry 127.0.0.1:5000; no credentials configured)",
        assertThrows(RegistryException.class, () -> denied.send(StepTesting.call(req)))
            .getMessage());
    hasCredential = true;
    assertEquals(
        "UNAUTHORIZED: authentication required (registry 127.0.0.1:5000)",
        assertThrows(RegistryException.class, () -> denied.send(StepTesting.call(req)))
            .getMessage());
  }
}
