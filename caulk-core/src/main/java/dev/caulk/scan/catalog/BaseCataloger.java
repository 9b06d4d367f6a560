package dev.caulk.scan.catalog;

import dev.caulk.pkgdb.PackageDbException;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * What every cataloger shares: problem collection, and telling a broken layer stream (rethrown)
 * from broken content (a {@link Problem}). Subclasses implement {@link #read}.
 */
abstract class BaseCataloger implements Cataloger {
  final CatalogLimits limits;
  private final List<Problem> problems = new ArrayList<>();

  BaseCataloger(CatalogLimits limits) {
    this.limits = limits;
  }

  /**
   * Parses one wanted file; may throw {@link CatalogException} or any IOException for bad content.
   */
  abstract void read(String path, InputStream in, long size) throws IOException;

  @Override
  public final void accept(String absolutePath, InputStream content, long size) throws IOException {
    SourceGuard guard = new SourceGuard(content);
    try {
      read(absolutePath, guard, size);
    } catch (IOException e) {
      if (guard.failure != null) throw guard.failure;
      problem(absolutePath, describe(e));
    } catch (RuntimeException e) {
      // A parser bug on hostile input must not end the scan; record it as this file's problem.
      problem(absolutePath, "unreadable: " + e.getClass().getSimpleName());
    }
  }

  @Override
  public final List<Problem> problems() {
    List<Problem> out = new ArrayList<>(problems);
    out.sort(Problem.ORDER);
    return out;
  }

  final void problem(String path, String reason) {
    if (problems.size() < 10_000) problems.add(new Problem(path, name(), reason));
  }

  static String describe(IOException e) {
    if (e instanceof CatalogException || e instanceof PackageDbException) return e.getMessage();
    String m = e.getMessage();
    String kind = e instanceof java.io.EOFException ? "truncated" : "unreadable";
    return m == null || m.isBlank() ? kind : kind + ": " + clip(m.strip());
  }

  static String clip(String s) {
    String one = s.replaceAll("[\\r\\n\\t]+", " ");
    return one.length() <= 120 ? one : one.substring(0, 117) + "...";
  }

  /** Reads the whole stream, failing with a {@link CatalogException} past {@code max} bytes. */
  static byte[] readBounded(InputStream in, long max, String what) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[16 * 1024];
    long total = 0;
    for (int n; (n = in.read(buf)) > 0; ) {
      total += n;
      if (total > max) throw new CatalogException(what + " is larger than " + max + " bytes");
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  /**
   * Remembers an IOException thrown by the layer stream itself, so it is not mistaken for bad
   * content.
   */
  static final class SourceGuard extends FilterInputStream {
    IOException failure;

    SourceGuard(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (IOException e) {
        failure = e;
        throw e;
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (IOException e) {
        failure = e;
        throw e;
      }
    }

    @Override
    public long skip(long n) throws IOException {
      try {
        return super.skip(n);
      } catch (IOException e) {
        failure = e;
        throw e;
      }
    }

    @Override
    public void close() {
      // The pass owns the stream.
    }
  }
}
