package dev.caulk.audit;

import com.google.re2j.Pattern;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Program names the audit recognises: shells and package managers. */
public final class Programs {
  /** File names of shells; {@code busybox} counts, as it carries {@code sh}. */
  public static final Set<String> SHELLS =
      Set.of(
          "sh", "bash", "rbash", "ash", "dash", "zsh", "ksh", "ksh93", "mksh", "pdksh", "yash",
          "csh", "tcsh", "fish", "busybox", "toybox");

  /** File names of package managers, to the manager they belong to. */
  public static final Map<String, String> PACKAGE_MANAGERS =
      Map.ofEntries(
          Map.entry("apk", "apk"),
          Map.entry("apt", "apt"),
          Map.entry("apt-get", "apt"),
          Map.entry("aptitude", "apt"),
          Map.entry("dpkg", "dpkg"),
          Map.entry("rpm", "rpm"),
          Map.entry("yum", "yum"),
          Map.entry("dnf", "dnf"),
          Map.entry("dnf5", "dnf"),
          Map.entry("microdnf", "microdnf"),
          Map.entry("tdnf", "tdnf"),
          Map.entry("zypper", "zypper"),
          Map.entry("pacman", "pacman"),
          Map.entry("emerge", "portage"),
          Map.entry("pip", "pip"),
          Map.entry("easy_install", "pip"),
          Map.entry("npm", "npm"),
          Map.entry("yarn", "yarn"),
          Map.entry("pnpm", "pnpm"),
          Map.entry("gem", "gem"),
          Map.entry("conda", "conda"),
          Map.entry("mamba", "conda"),
          Map.entry("composer", "composer"));

  private static final Pattern VERSIONED_PIP = Pattern.compile("pip[0-9][0-9.]*");

  private Programs() {}

  /** The package manager a file name belongs to ({@code pip3.11} → {@code pip}), if any. */
  public static Optional<String> packageManager(String fileName) {
    String m = PACKAGE_MANAGERS.get(fileName);
    if (m == null && VERSIONED_PIP.matcher(fileName).matches()) m = "pip";
    return Optional.ofNullable(m);
  }
}
