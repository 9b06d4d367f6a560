package dev.caulk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/** JVM errors (stack, heap) end in one error line naming the input, as any other failure does. */
@ResourceLock("caulk.test.fail")
class FatalErrorTest {
  @TempDir Path tmp;

  @AfterEach
  void clear() {
    System.clearProperty(TestHook.PROPERTY);
  }

  private Cli.Run fail(String how, String... args) {
    System.setProperty(TestHook.PROPERTY, how);
    return Cli.run(args);
  }

  @Test
  void stackOverflowIsOneLineNamingTheInput() {
    String image = "oci:" + tmp.resolve("img");
    Cli.Run r = fail("stack-overflow", "inspect", image);
    assertEquals(1, r.exit(), r.toString());
    assertEquals(1, r.err().lines().count(), r.toString());
    assertTrue(r.err().startsWith("caulk: error: "), r.err());
    assertTrue(r.err().contains("stack exhausted") && r.err().contains(image), r.err());
    assertFalse(r.err().contains("\tat "), r.err());
  }

  @Test
  void outOfMemoryIsOneLineNamingTheInput() {
    String image = "oci:" + tmp.resolve("img");
    Cli.Run r = fail("out-of-memory", "audit", "--format", "json", image);
    assertEquals(1, r.exit(), r.toString());
    assertEquals(1, r.err().lines().count(), r.toString());
    assertTrue(
        r.err().startsWith("caulk: error: out of memory while processing " + image), r.err());
    assertFalse(r.err().contains("json"), "an option's value is not an input: " + r.err());
  }

  @Test
  void debugAddsTheTrace() {
    Cli.Run r = fail("stack-overflow", "inspect", "--debug", "oci:" + tmp.resolve("img"));
    assertEquals(1, r.exit(), r.toString());
    assertTrue(r.err().startsWith("caulk: error: "), r.err());
    assertTrue(
        r.err().contains("StackOverflowError") && r.err().contains("\tat "),
        r.err().substring(0, 300));
  }
}
