package dev.caulk.build;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What git knows about the project, for the default tag and the OCI labels: {@code describe}
 * output, the commit, its time, and the remote URL (credentials stripped).
 */
public record GitInfo(String describe, String revision, long commitTime, String remoteUrl) {

  /** Asks git in {@code dir}; empty when git is missing or {@code dir} is not in a work tree. */
  public static Optional<GitInfo> of(Path dir) {
    Optional<String> rev = git(dir, "rev-parse", "HEAD");
    if (rev.isEmpty()) return Optional.empty();
    String describe = git(dir, "describe", "--tags", "--always", "--dirty").orElse(rev.get().substring(0, 7));
    long time = git(dir, "log", "-1", "--format=%ct").map(Long::parseLong).orElse(0L);
    String remote = git(dir, "config", "--get", "remote.origin.url").map(GitInfo::stripCredentials).orElse(null);
    return Optional.of(new GitInfo(sanitizeTag(describe), rev.get(), time, remote));
  }

  /** Removes {@code user:password@} from a URL so a token in a remote URL never reaches a label. */
  static String stripCredentials(String url) {
    return url.replaceFirst("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@]+@", "$1");
  }

  /** A describe string as a valid tag: {@code [A-Za-z0-9_][A-Za-z0-9._-]{0,127}}. */
  static String sanitizeTag(String s) {
    String t = s.replaceAll("[^A-Za-z0-9._-]", "-");
    if (t.isEmpty() || !Character.isLetterOrDigit(t.charAt(0)) && t.charAt(0) != '_') t = "v" + t;
    return t.length() > 128 ? t.substring(0, 128) : t;
  }

  private static Optional<String> git(Path dir, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add("git");
    cmd.add("-C");
    cmd.add(dir.toString());
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      byte[] out;
      try (InputStream in = p.getInputStream()) {
        out = in.readNBytes(4096);
      }
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return Optional.empty();
      }
      if (p.exitValue() != 0) return Optional.empty();
      String s = new String(out, StandardCharsets.UTF_8).trim();
      return s.isEmpty() ? Optional.empty() : Optional.of(s);
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
