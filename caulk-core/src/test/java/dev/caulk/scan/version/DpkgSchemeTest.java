package dev.caulk.scan.version;

import static dev.caulk.scan.version.Orders.chain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DpkgSchemeTest {
  private final VersionScheme dpkg = VersionScheme.dpkg();

  /** Every dpkg vector of scan.md §2.1, one chain per line. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "1.0~rc1-1 < 1.0-1",
        "1.0~~ < 1.0~~a < 1.0~ < 1.0 < 1.0a",
        "1:0.9-1 > 2.0-1",
        "1.0-1 < 1.0-1+deb12u1",
        "1.0+dfsg-1 > 1.0-1",
        "1.0a < 1.0+",
        "1.0a < 1.0.1",
        "2.30-1 > 2.3-1",
        "1.001 = 1.1",
        "1.0-0 = 1.0",
        "0:1.0 = 1.0",
        "1.2.3-1+b1 > 1.2.3-1",
        "1.2.3-1+b1 < 1.2.3-1+deb12u1",
        "2.36-9+deb12u4 < 2.36-9+deb12u10",
        "3.0.11-1~deb12u2 < 3.0.11-1",
        "3.0.11-1~deb12u2 > 3.0.11-1~deb12u1",
        "1.2.3~bpo12+1 < 1.2.3",
        "1.0-1ubuntu0.1 > 1.0-1",
        "1.0-1ubuntu1 < 1.0-1.1",
        "9.1-1 < 9.1-1A",
        "1.0-A < 1.0-a",
        "1.18.0 < 1.18.0+really1.17.0",
        "2:2.6.2+samba4.17.12+dfsg-0+deb12u1 < 2:4.17.12+dfsg-0+deb12u1",
        // Further cases.
        "1.0~rc1 < 1.0",
        "1:0.9 > 2.0",
        "1.99999999999999999999999 < 1.100000000000000000000000",
        "99999999999999999999:1.0 > 2:9.9",
        "1.0-1-1 > 1.0-1",
        "a > 1",
        "1.0.0 > 1.0",
        "1.0 < 1.0-0.1",
      })
  void vectors(String line) {
    chain(dpkg, line);
  }

  @Test
  void canonicalTildeExampleFromDebianPolicy() {
    // deb-version(7): ~~ < ~~a < ~ < (empty) < a, as the upstream part after "1".
    chain(dpkg, "1~~ < 1~~a < 1~ < 1 < 1a");
  }

  @Test
  void validity() {
    for (String ok :
        List.of(
            "1.0", "1:2.3-4", "2:4.17.12+dfsg-0+deb12u1", "1.0~rc1", "0", "1.2-3-4", "1:2:3-1")) {
      assertTrue(dpkg.isValid(ok), ok);
    }
    for (String bad :
        List.of(
            "",
            " ",
            "1.0 2",
            "a:1.0",
            ":1.0",
            "1.0-",
            "abc",
            "1.0-1_2",
            "1.0_1",
            "1:2.3-4!",
            "1.0:1")) {
      assertFalse(dpkg.isValid(bad), bad);
    }
  }

  @Test
  void surroundingBlanksAreIgnoredLikeDpkg() {
    assertEquals(0, dpkg.compare(" 1.0-1 ", "1.0-1"));
  }

  @Test
  void comparatorLaws() {
    Orders.laws(
        dpkg,
        List.of(
            "1.0",
            "1.0~",
            "1.0~~a",
            "1:0.1",
            "1.0-1",
            "1.0-1~x",
            "1.0a",
            "1.0+",
            "1.0.1",
            "0.9",
            "1.0-0",
            "a",
            "~",
            "",
            "1.0-1.1",
            "1.0-1ubuntu1",
            "x:1"));
  }

  /** Differential check against the real dpkg, when installed (it is on Debian build hosts). */
  @Test
  void agreesWithDpkgCompareVersions() throws Exception {
    Path bin = Path.of("/usr/bin/dpkg");
    assumeTrue(Files.isExecutable(bin), "dpkg not installed");
    String[] atoms = {
      "0", "1", "01", "10", "2", "9", ".", "+", "~", "a", "b", "Z", "-", "~~", "1a"
    };
    Random random = new Random(42);
    List<String[]> pairs = new ArrayList<>();
    while (pairs.size() < 60) {
      String a = randomVersion(random, atoms);
      String b =
          random.nextInt(4) == 0
              ? a + atoms[random.nextInt(atoms.length)]
              : randomVersion(random, atoms);
      if (dpkg.isValid(a) && dpkg.isValid(b)) {
        pairs.add(new String[] {a, b});
      }
    }
    for (String[] p : pairs) {
      int ours = Integer.signum(dpkg.compare(p[0], p[1]));
      assertEquals(real(bin, p[0], p[1]), ours, "dpkg disagrees on " + p[0] + " vs " + p[1]);
    }
  }

  private static String randomVersion(Random r, String[] atoms) {
    StringBuilder sb = new StringBuilder();
    if (r.nextInt(5) == 0) {
      sb.append(r.nextInt(3)).append(':');
    }
    sb.append(r.nextInt(3));
    for (int k = r.nextInt(5); k > 0; k--) {
      sb.append(atoms[r.nextInt(atoms.length)]);
    }
    if (r.nextBoolean()) {
      sb.append('-').append(r.nextInt(3));
      for (int k = r.nextInt(3); k > 0; k--) {
        String atom = atoms[r.nextInt(atoms.length)];
        sb.append(atom.equals("-") ? "." : atom);
      }
    }
    return sb.toString();
  }

  private static int real(Path dpkg, String a, String b) throws Exception {
    if (run(dpkg, a, "lt", b)) {
      return -1;
    }
    return run(dpkg, a, "eq", b) ? 0 : 1;
  }

  private static boolean run(Path dpkg, String a, String op, String b) throws Exception {
    Process p =
        new ProcessBuilder(dpkg.toString(), "--compare-versions", a, op, b)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertTrue(p.waitFor(10, TimeUnit.SECONDS), "dpkg timed out");
    return p.exitValue() == 0;
  }
}
