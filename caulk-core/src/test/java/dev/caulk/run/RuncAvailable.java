package dev.caulk.run;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Skips a runc test class on a developer machine without root or runc; under CI=true it fails
 * instead.
 */
final class RuncAvailable {
  private RuncAvailable() {}

  static void assume() {
    boolean ci = "true".equals(System.getenv("CI"));
    boolean runc;
    try {
      Runc.locate(null, System.getenv("PATH"));
      runc = true;
    } catch (RunException e) {
      runc = false;
    }
    boolean ok = runc && RootCheck.isRoot();
    if (ci && !ok)
      throw new AssertionError(runc ? "runc tests need root under CI" : Runc.NOT_FOUND);
    assumeTrue(ok, "needs root and runc (apt-get install runc)");
  }
}
