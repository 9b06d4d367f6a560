package dev.caulk.build;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What git knows about the project, for the default tag and the OCI labels: {@code describe}
 * output, the commit, its time, and the origin remote as a URL for the {@code source} label ({@link
 * #sourceUrl}: null when the remote is a local path or missing).
 */
public record GitInfo(String describe, String revision, long commitTime, String remoteUrl) {

  /**
   * The URL schemes a remote may have to become the {@code source} label; {@code file:} and paths
   * never do.
   */
  private static final Set<String> URL_SCHEMES =
      Set.of("https", "http", "ssh", "git", "git+ssh", "ssh+git");

  /** {@code scheme://[userinfo@]rest}. */
  private static final Pattern URL =
      Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*)://(?:[^/?#]*@)?([^/?#@]+)(.*)", Pattern.DOTALL);

  /**
   * git's scp-like syntax {@code [user@]host:path}: no slash before the first colon, a host of two
   * characters or more.
   */
  private static final Pattern SCP =
      Pattern.compile(
          "(?:[^@/:]+@)?([A-Za-z0-9._-]{2,}|\\[[0-9A-Fa-f:.]+\\]):(?!//)(.+)", Pattern.DOTALL);

  /** Asks git in {@code dir}; empty when git is missing or {@code dir} is not in a work tree. */
  public static Optional<GitInfo> of(Path dir) {
    Optional<String> rev = git(dir, "rev-parse", "HEAD");
    if (rev.isEmpty()) return Optional.empty();
    String describe =
        git(dir, "describe", "--tags", "--always", "--dirty").orElse(rev.get().substring(0, 7));
    long time = git(dir, "log", "-1", "--format=%ct").map(Long::parseLong).orElse(0L);
    String remote =
        git(dir, "config", "--get", "remote.origin.url").map(GitInfo::sourceUrl).orElse(null);
    return Optional.of(new GitInfo(sanitizeTag(describe), rev.get(), time, remote));
  }

  /**
   * A git remote as the image's {@code source} URL, or null when it is not a URL anyone else could
   * use. Like Jib and ko, only a URL remote counts: {@code https}, {@code http}, {@code ssh},
   * {@code git} (and git's {@code git+ssh}); a local path or {@code file://} remote would only name
   * a folder on the build machine, and it would make the digest depend on where the clone is. An
   * scp-like remote ({@code git@host:owner/repo.git}) becomes {@code ssh://host/owner/repo.git}.
   * User info ({@code user:token@}, also a bare {@code git@}) is removed, so a credential in a
   * remote never reaches a label.
   */
  public static String sourceUrl(String remote) {
    if (remote == null) return null;
    String r = remote.strip();
    if (r.isEmpty() || r.chars().anyMatch(c -> c <= ' ')) return null;
    Matcher u = URL.matcher(r);
    if (u.matches()) {
      String scheme = u.group(1).toLowerCase(Locale.ROOT);
      return URL_SCHEMES.contains(scheme) ? scheme + "://" + u.group(2) + u.group(3) : null;
    }
    if (r.contains("://")) return null;
    Matcher scp = SCP.matcher(r);
    if (scp.matches()) {
      String path = scp.group(2);
      return "ssh://" + scp.group(1) + (path.startsWith("/") ? "" : "/") + path;
    }
    return null;
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
