package dev.caulk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.run.Probe;
import dev.caulk.slim.Prover;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * slim and harden: naming a probe asks for one, so every --probe-* option turns probing on without
 * --probe.
 */
class RewriteCommandTest {
  static RewriteCommand parse(String verb, String... options) {
    RewriteCommand c = verb.equals("slim") ? new SlimCommand() : new HardenCommand();
    List<String> args =
        new ArrayList<>(List.of("oci:/nonexistent/in:app", "--to", "oci:/nonexistent/out:app"));
    args.addAll(List.of(options));
    new CommandLine(c).parseArgs(args.toArray(String[]::new));
    return c;
  }

  static Stream<Arguments> probeOptions() {
    List<Arguments> out = new ArrayList<>();
    for (String verb : List.of("slim", "harden")) {
      for (List<String> o :
          List.of(
              List.of("--probe-http", "/"),
              List.of("--probe-tcp"),
              List.of("--probe-body"),
              List.of("--probe-port", "8080"),
              List.of("--probe-env", "PORT=8080"),
              List.of("--probe-timeout", "5"),
              List.of("--probe"),
              List.of("--trace"),
              List.of("--probe-as-root"),
              List.of("--probe-host-network"))) {
        out.add(Arguments.of(verb, o));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("probeOptions")
  void anyProbeOptionEnablesProbing(String verb, List<String> options) throws Exception {
    RewriteCommand c = parse(verb, options.toArray(String[]::new));
    assertTrue(c.probing(), verb + " " + options);
    c.probeOptions(); // and it is not a usage error
  }

  @ParameterizedTest
  @ValueSource(strings = {"slim", "harden"})
  void noProbeOptionNoProbe(String verb) {
    assertFalse(parse(verb).probing());
    assertFalse(
        parse(verb, "--runc", "/usr/sbin/runc").probing(),
        "--runc says which runtime, not that a probe is wanted");
  }

  @ParameterizedTest
  @ValueSource(strings = {"slim", "harden"})
  void probeHttpAloneProbesThatPath(String verb) throws Exception {
    RewriteCommand c =
        parse(
            verb,
            "--probe-http",
            "/healthz",
            "--probe-port",
            "9000",
            "--probe-env",
            "PORT=9000",
            "--probe-timeout",
            "7");
    assertTrue(c.probing());
    Prover.Options o = c.probeOptions();
    assertEquals(new Probe.Http("/healthz"), o.check());
    assertEquals(9000, o.port());
    assertEquals(Map.of("PORT", "9000"), o.env());
    assertEquals(Duration.ofSeconds(7), o.timeout());
  }

  @ParameterizedTest
  @ValueSource(strings = {"slim", "harden"})
  void theSandboxIsSecureUnlessTheFlagsSayOtherwise(String verb) throws Exception {
    Prover.Options strict = parse(verb, "--probe").probeOptions();
    assertFalse(strict.sandbox().asRoot(), "root is refused by default");
    assertFalse(strict.sandbox().hostNetwork(), "a network namespace of its own by default");
    Prover.Options loose = parse(verb, "--probe-as-root", "--probe-host-network").probeOptions();
    assertTrue(loose.sandbox().asRoot());
    assertTrue(loose.sandbox().hostNetwork());
  }

  @ParameterizedTest
  @ValueSource(strings = {"slim", "harden"})
  void defaultsWithoutProbeOptions(String verb) throws Exception {
    Prover.Options o = parse(verb, "--probe").probeOptions();
    assertEquals(new Probe.Http("/"), o.check());
    assertEquals(0, o.port(), "0: the image's first exposed port");
    assertEquals(Duration.ofSeconds(20), o.timeout());
  }

  @ParameterizedTest
  @ValueSource(strings = {"slim", "harden"})
  void conflictingOrOutOfRangeProbeOptionsAreUsageErrors(String verb) {
    UsageException tcp =
        assertThrows(
            UsageException.class,
            () -> parse(verb, "--probe-tcp", "--probe-http", "/").probeOptions());
    assertTrue(tcp.getMessage().contains("--probe-tcp cannot be combined"), tcp.getMessage());
    assertThrows(UsageException.class, () -> parse(verb, "--probe-port", "0").probeOptions());
    assertThrows(UsageException.class, () -> parse(verb, "--probe-port", "70000").probeOptions());
    assertThrows(UsageException.class, () -> parse(verb, "--probe-timeout", "0").probeOptions());
  }

  @org.junit.jupiter.api.Test
  void maxSpoolTakesASizeAndDurationsTakeUnits() {
    assertEquals(8L << 30, RewriteCommand.size("--max-spool", "8G"));
    assertEquals(500L << 20, RewriteCommand.size("--max-spool", "500m"));
    assertEquals(4096, RewriteCommand.size("--max-spool", "4096"));
    assertEquals(2L << 40, RewriteCommand.size("--max-spool", "2TB"));
    for (String bad : List.of("", "G", "-1G", "1.5G", "0", "99999999999999999T", "lots")) {
      UsageException e =
          assertThrows(UsageException.class, () -> RewriteCommand.size("--max-spool", bad), bad);
      assertTrue(e.getMessage().startsWith("--max-spool"), e.getMessage());
    }
    assertEquals(Duration.ofMillis(500), RegistryFlags.duration("--deadline", "500ms"));
    assertEquals(Duration.ofMinutes(10), RegistryFlags.duration("--deadline", "10m"));
    assertEquals(Duration.ofSeconds(90), RegistryFlags.duration("--deadline", "90"));
    assertThrows(UsageException.class, () -> RegistryFlags.duration("--deadline", "0s"));
    assertThrows(UsageException.class, () -> RegistryFlags.duration("--deadline", "8d"));
    assertThrows(UsageException.class, () -> RegistryFlags.duration("--deadline", "1h30m"));
  }
}
