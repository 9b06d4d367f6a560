package dev.caulk.slim;

import java.util.Set;

/** File names that are shells or package managers. */
final class Names {
  private static final Set<String> SHELLS = Set.of("sh", "bash", "rbash", "ash", "dash", "zsh", "ksh", "ksh93",
      "mksh", "pdksh", "yash", "csh", "tcsh", "fish", "busybox", "toybox");
  private static final Set<String> MANAGERS = Set.of("apk", "apt", "apt-get", "apt-cache", "apt-config", "apt-key",
      "apt-mark", "aptitude", "dpkg", "rpm", "yum", "dnf", "dnf5", "microdnf", "tdnf", "zypper", "pacman", "emerge",
      "pip", "easy_install", "npm", "yarn", "pnpm", "gem", "conda", "mamba", "composer");

  private static final Set<String> MANAGER_PACKAGES = Set.of("apt", "aptitude", "dpkg", "apk-tools", "rpm", "yum",
      "dnf", "microdnf", "tdnf", "zypper", "pacman", "python3-pip", "python-pip", "npm", "yarn");

  private Names() {}

  /** Packages that are package managers, whatever files of theirs an image still has. */
  static boolean isPackageManagerPackage(String name) {
    return MANAGER_PACKAGES.contains(name);
  }

  static boolean isShell(String name) {
    return SHELLS.contains(name);
  }

  /** Package managers and their helpers: {@code dpkg-deb}, {@code pip3.11}, {@code apt-get}... */
  static boolean isPackageManager(String name) {
    return MANAGERS.contains(name) || name.startsWith("dpkg-") || name.matches("pip[0-9][0-9.]*");
  }
}
