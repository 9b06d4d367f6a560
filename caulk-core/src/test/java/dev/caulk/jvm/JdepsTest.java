package dev.caulk.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class JdepsTest {
  @Test
  void moduleNames() {
    for (String ok : List.of("java.base", "jdk.crypto.ec", "a", "a1.b_2.$c")) {
      assertTrue(Jdeps.isModuleName(ok), ok);
    }
    for (String bad :
        List.of(
            "",
            ".java",
            "java.",
            "java..base",
            "1java",
            "java.base,x",
            "java base",
            "a/b",
            "--add-opens",
            "a".repeat(201))) {
      assertFalse(Jdeps.isModuleName(bad), bad);
    }
  }

  @Test
  void parsesTheLastLine() throws JvmException {
    assertEquals(
        List.of("java.base", "java.net.http", "jdk.httpserver"),
        List.copyOf(
            Jdeps.parse("Warning: split package\n\njdk.httpserver,java.base,java.net.http\n\n")));
  }

  @Test
  void refusesOutputThatIsNoModuleList() {
    JvmException e =
        assertThrows(JvmException.class, () -> Jdeps.parse("Error: something went wrong\n"));
    assertTrue(e.getMessage().startsWith("jdeps printed no module list"), e.getMessage());
    assertThrows(JvmException.class, () -> Jdeps.parse(""));
    assertThrows(JvmException.class, () -> Jdeps.parse("java.base,--evil"));
  }
}
