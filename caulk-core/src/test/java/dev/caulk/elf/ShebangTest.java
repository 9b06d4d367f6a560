package dev.caulk.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ShebangTest {
  private static Optional<Shebang> parse(String s) {
    return Shebang.parse(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void interpreterAndSingleArgument() {
    assertEquals(
        Optional.of(new Shebang("/bin/sh", Optional.empty())), parse("#!/bin/sh\necho hi\n"));
    assertEquals(Optional.of(new Shebang("/bin/sh", Optional.of("-e"))), parse("#! /bin/sh -e \n"));
    assertEquals(
        Optional.of(new Shebang("/usr/bin/env", Optional.of("python3 -u"))),
        parse("#!/usr/bin/env\tpython3 -u\r\nprint(1)"));
    assertEquals(Optional.of(new Shebang("/bin/bash", Optional.empty())), parse("#!/bin/bash"));
  }

  @Test
  void notAScript() throws IOException {
    assertEquals(Optional.empty(), parse("echo hi"));
    assertEquals(Optional.empty(), parse("#!"));
    assertEquals(Optional.empty(), parse("#!   \n/bin/sh"));
    assertEquals(Optional.empty(), parse(""));
    assertEquals(Optional.empty(), Shebang.read(ElfSource.of(new TestElf().build())));
  }

  @Test
  void interpreterMustFitInTheKernelBuffer() {
    String longName = "#!/" + "a".repeat(300) + "\n";
    assertEquals(Optional.empty(), parse(longName));
    String longArg = "#!/bin/sh " + "x".repeat(300) + "\n";
    Optional<Shebang> s = parse(longArg);
    assertEquals("/bin/sh", s.orElseThrow().interpreter());
    assertEquals(
        Shebang.MAX_LINE - "#!/bin/sh ".length(), s.get().argument().orElseThrow().length());
  }

  @Test
  void readsOnlyTheHead() throws IOException {
    byte[] big = ("#!/bin/sh\n" + "x".repeat(100_000)).getBytes(StandardCharsets.UTF_8);
    assertEquals("/bin/sh", Shebang.read(ElfSource.of(big)).orElseThrow().interpreter());
  }
}
