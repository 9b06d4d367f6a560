package dev.caulk.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caulk.image.Image;
import dev.caulk.tar.EntryType;
import dev.caulk.tar.InvalidLayerException;
import dev.caulk.tar.TestTars;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Image-wide budgets of the file tree: one for the whole image, whatever the layers and entries.
 */
class BudgetTest {
  /**
   * Layers whose entries carry 256 KiB of xattrs each: a few MB compressed, gigabytes held in the
   * tree before.
   */
  private static Image xattrImage(int layers, int entries) throws Exception {
    String big = "x".repeat(256 << 10);
    byte[][] tars = new byte[layers][];
    for (int l = 0; l < layers; l++) {
      TestTars.Tar t = TestTars.tar();
      for (int i = 0; i < entries; i++) {
        t.entry(
            "l" + l + "/f" + i,
            EntryType.FILE,
            0644,
            0,
            0,
            new byte[0],
            null,
            Map.of("user.pad", big));
      }
      tars[l] = t.bytes();
    }
    return TestTars.image(tars);
  }

  @Test
  void xattrBytesHaveOneBudgetForTheImage() throws Exception {
    Image image = xattrImage(2, 40); // 80 entries × 256 KiB = 20 MiB, under the default 32 MiB
    FileTree tree = FileTree.build(image);
    assertTrue(tree.node("/l1/f39").isPresent());
    // 12 MiB allowed: the first layer's 10 MiB fit, the second layer passes the image's budget
    InvalidLayerException e =
        assertThrows(
            InvalidLayerException.class,
            () -> FileTree.build(image, FileTree.Options.defaults().withMaxXattrBytes(12L << 20)));
    assertTrue(
        e.getMessage().contains("more than 12582912 bytes of extended attributes"), e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
  }

  @Test
  void entriesHaveOneBudgetForTheImage() throws Exception {
    TestTars.Tar a = TestTars.tar();
    TestTars.Tar b = TestTars.tar();
    for (int i = 0; i < 60; i++) {
      a.file("a" + i, "x");
      b.file("b" + i, "x");
    }
    Image image = TestTars.image(a.bytes(), b.bytes());
    InvalidLayerException e =
        assertThrows(
            InvalidLayerException.class,
            () -> FileTree.build(image, FileTree.Options.defaults().withMaxEntries(100)));
    assertTrue(e.getMessage().contains("more than 100 paths in the image"), e.getMessage());
  }
}
