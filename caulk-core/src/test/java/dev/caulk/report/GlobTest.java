package dev.caulk.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GlobTest {

  @Test
  void singleStarStaysInOneSegment() {
    Glob g = Glob.compile("/usr/bin/*");
    assertTrue(g.matches("/usr/bin/passwd"));
    assertFalse(g.matches("/usr/bin/x/passwd"));
    assertFalse(g.matches("/usr/sbin/passwd"));
  }

  @Test
  void doubleStarCrossesSegments() {
    Glob g = Glob.compile("/opt/app/**");
    assertTrue(g.matches("/opt/app/a"));
    assertTrue(g.matches("/opt/app/a/b/c.txt"));
    assertFalse(g.matches("/opt/other/a"));
    Glob any = Glob.compile("**/id_rsa");
    assertTrue(any.matches("/id_rsa"));
    assertTrue(any.matches("/root/.ssh/id_rsa"));
    assertFalse(any.matches("/root/.ssh/id_rsa.pub"));
    Glob mid = Glob.compile("/srv/**/test/*.pem");
    assertTrue(mid.matches("/srv/test/a.pem"));
    assertTrue(mid.matches("/srv/x/y/test/a.pem"));
  }

  @Test
  void questionMarkAndLiterals() {
    Glob g = Glob.compile("/etc/ssl/key?.pem");
    assertTrue(g.matches("/etc/ssl/key1.pem"));
    assertFalse(g.matches("/etc/ssl/key12.pem"));
    assertFalse(g.matches("/etc/ssl/key/.pem"));
    // regex metacharacters are literal
    assertTrue(Glob.compile("/a+b/(c)[d].txt").matches("/a+b/(c)[d].txt"));
    assertFalse(Glob.compile("/a.b").matches("/axb"));
  }

  /**
   * {@code --ignore 'ID /app/*a*a*a*a*a*b'}: a backtracking matcher is exponential in the stars.
   */
  @Test
  void manyStarsMatchInLinearTime() {
    Glob g = Glob.compile("/app/" + "*a".repeat(16) + "*b");
    String path = "/app/" + "a".repeat(200);
    assertFalse(
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
            java.time.Duration.ofSeconds(10), () -> g.matches(path)));
    assertTrue(g.matches(path + "b"));
    Glob deep = Glob.compile("/**/" + "*a".repeat(16) + "*b");
    assertFalse(
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
            java.time.Duration.ofSeconds(10),
            () -> deep.matches("/a".repeat(500) + "/" + "a".repeat(200))));
  }
}
