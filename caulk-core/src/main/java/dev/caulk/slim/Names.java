package dev.caulk.slim;

import dev.caulk.audit.Programs;
import java.util.Set;

/**
 * File and package names that are shells or package managers: the audit's lists ({@link Programs}),
 * so that what harden removes is what the audit inventory counts, plus the helpers of apt and dpkg.
 */
final class Names {
  private static final Set<String> HELPERS =
      Set.of(
          "apt-cache",
          "apt-cdrom",
          "apt-config",
          "apt-key",
          "apt-mark",
          "apt-ftparchive",
          "apt-sortpkgs",
          "apt-extracttemplates",
          "update-alternatives");
  private static final Set<String> MANAGER_PACKAGES =
      Set.of(
          "apt",
          "aptitude",
          "dpkg",
          "apk-tools",
          "rpm",
          "yum",
          "dnf",
          "microdnf",
          "tdnf",
          "zypper",
          "pacman",
          "python3-pip",
          "python-pip",
          "npm",
          "yarn");

  private Names() {}

  static boolean isShell(String name) {
    return Programs.SHELLS.contains(name);
  }

  /** Package managers and their helpers: {@code dpkg-deb}, {@code pip3.11}, {@code apt-key}... */
  static boolean isPackageManager(String name) {
    return Programs.packageManager(name).isPresent()
        || HELPERS.contains(name)
        || name.startsWith("dpkg-");
  }

  /** Packages that are package managers, whatever files of theirs an image still has. */
  static boolean isPackageManagerPackage(String name) {
    return MANAGER_PACKAGES.contains(name);
  }
}
