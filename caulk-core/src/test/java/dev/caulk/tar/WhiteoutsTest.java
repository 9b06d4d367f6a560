package dev.caulk.tar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class WhiteoutsTest {
  @Test
  void classifiesNames() {
    assertEquals(Whiteouts.Kind.NONE, Whiteouts.kind("etc/passwd"));
    assertEquals(Whiteouts.Kind.NONE, Whiteouts.kind("a.wh.b"));
    assertEquals(Whiteouts.Kind.WHITEOUT, Whiteouts.kind("etc/.wh.passwd"));
    assertEquals(Whiteouts.Kind.OPAQUE, Whiteouts.kind("var/cache/.wh..wh..opq"));
    assertEquals(Whiteouts.Kind.META, Whiteouts.kind(".wh..wh.plnk"));
    assertEquals(Whiteouts.Kind.INVALID, Whiteouts.kind("a/.wh."));
  }

  @Test
  void targetsAndNamesRoundTrip() {
    assertEquals("etc/passwd", Whiteouts.target("etc/.wh.passwd"));
    assertEquals("x", Whiteouts.target(".wh.x"));
    assertEquals("var/cache", Whiteouts.target("var/cache/.wh..wh..opq"));
    assertEquals("", Whiteouts.target(".wh..wh..opq"));
    assertEquals("etc/.wh.passwd", Whiteouts.whiteoutFor("etc/passwd"));
    assertEquals(".wh.x", Whiteouts.whiteoutFor("x"));
    assertEquals("a/.wh..wh..opq", Whiteouts.opaqueFor("a"));
    assertEquals(".wh..wh..opq", Whiteouts.opaqueFor(""));
    assertThrows(IllegalArgumentException.class, () -> Whiteouts.target("etc/passwd"));
    assertThrows(IllegalArgumentException.class, () -> Whiteouts.whiteoutFor(""));
  }
}
