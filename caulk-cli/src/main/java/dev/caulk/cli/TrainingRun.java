package dev.caulk.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The workload {@code scripts/dist} records the start-up archive from (a CDS archive, or an AOT
 * cache on JDK 25+): the short commands people run most, each through {@link Main#run} as the
 * launcher would, on the OCI layout given (tag {@code train}). Output is discarded; a command that
 * fails makes the run fail, so a broken distribution is not packaged.
 */
public final class TrainingRun {
  private TrainingRun() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: TrainingRun LAYOUT_DIR");
      System.exit(ExitCodes.USAGE);
    }
    String image = "oci:" + Path.of(args[0]).toAbsolutePath() + ":train";
    Path scratch = Files.createTempDirectory("caulk-training");
    String copy = "oci:" + scratch.resolve("copy") + ":train";
    List<List<String>> commands =
        List.of(
            List.of("--version"),
            List.of("inspect", image),
            List.of("inspect", "--format", "json", image),
            List.of("digest", image),
            List.of("audit", image),
            List.of("audit", "--format", "json", image),
            List.of("sbom", image),
            List.of("copy", image, copy));
    int failed = 0;
    try {
      for (List<String> c : commands) {
        Console quiet = new Console(OutputStream.nullOutputStream(), System.err, false, false);
        int code = Main.run(c.toArray(String[]::new), quiet);
        if (code != ExitCodes.OK) {
          System.err.println("training run: caulk " + String.join(" ", c) + " exited " + code);
          failed++;
        }
      }
    } finally {
      try (Stream<Path> walk = Files.walk(scratch)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
      }
    }
    Main.stopIdleNetworkThreads();
    System.exit(failed == 0 ? ExitCodes.OK : ExitCodes.ERROR);
  }
}
