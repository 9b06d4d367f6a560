package dev.caulk.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.digest.DigestMismatchException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ReadAheadTest {

  @Test
  void passesEveryByteInOrderWhateverTheReadSizes() throws IOException {
    byte[] data = new byte[1_000_003];
    new Random(1).nextBytes(data);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Random sizes = new Random(2);
    try (ReadAhead in = new ReadAhead(new ByteArrayInputStream(data), 4096, 3, "t")) {
      byte[] buf = new byte[10_000];
      while (true) {
        int mode = sizes.nextInt(3);
        if (mode == 0) {
          int b = in.read();
          if (b < 0) break;
          out.write(b);
        } else if (mode == 1) {
          long s = in.skip(0);
          assertEquals(0, s);
        } else {
          int n = in.read(buf, 0, 1 + sizes.nextInt(buf.length - 1));
          if (n < 0) break;
          out.write(buf, 0, n);
        }
      }
      assertEquals(-1, in.read());
    }
    assertArrayEquals(data, out.toByteArray());
  }

  @Test
  void theSourcesExceptionArrivesAfterItsBytesAsTheSameObject() throws IOException {
    DigestMismatchException boom = new DigestMismatchException("layer sha256:ab…: digest mismatch");
    InputStream failing =
        new InputStream() {
          private int left = 5000;

          @Override
          public int read() throws IOException {
            if (left-- > 0) return 'x';
            throw boom;
          }
        };
    try (ReadAhead in = new ReadAhead(failing, 1024, 2, "t")) {
      byte[] got = in.readNBytes(5000);
      assertEquals(5000, got.length);
      assertSame(boom, assertThrows(DigestMismatchException.class, in::read));
      assertThrows(DigestMismatchException.class, in::read, "the error stays");
    }
  }

  @Test
  void closingEarlyStopsTheThreadAndClosesTheSource() throws Exception {
    AtomicBoolean closed = new AtomicBoolean();
    InputStream endless =
        new InputStream() {
          @Override
          public int read() {
            return 0;
          }

          @Override
          public int read(byte[] b, int off, int len) {
            return len;
          }

          @Override
          public void close() {
            closed.set(true);
          }
        };
    ReadAhead in = new ReadAhead(endless, 1 << 16, 2, "caulk-read-ahead-test");
    assertEquals(10, in.read(new byte[10]));
    in.close();
    assertTrue(closed.get());
    Thread.sleep(50);
    assertTrue(
        Thread.getAllStackTraces().keySet().stream()
            .noneMatch(t -> t.getName().equals("caulk-read-ahead-test")),
        "the read-ahead thread ended");
    assertThrows(IOException.class, in::read);
  }
}
