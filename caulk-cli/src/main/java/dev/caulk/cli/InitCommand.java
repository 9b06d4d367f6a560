package dev.caulk.cli;

import dev.caulk.build.DockerfileImport;
import dev.caulk.verbs.Init;
import dev.caulk.verbs.Session;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code caulk init}: caulk.yaml and caulk.mk for a service repository, optionally from its
 * Dockerfile.
 */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Write a commented caulk.yaml (the services under cmd/, the binary naming found in build/) and caulk.mk,",
      "a Makefile snippet with docker, docker.%, push and push.% targets calling caulk.",
      "With --from-dockerfile, map what a service Dockerfile says (ARG/ENV, WORKDIR, COPY of the binary, USER and",
      "adduser, EXPOSE, ENTRYPOINT/CMD, LABEL, TZ, apk/apt-get add ca-certificates tzdata) and print, on stdout,",
      "every instruction with what became of it: mapped, not needed in a caulk image, or not mapped and why.",
      "Existing files are kept unless --force is given."
    },
    footer = {
      "",
      "Examples:",
      "  caulk init",
      "  caulk init --from-dockerfile docker/serve/Dockerfile",
      "  caulk init -C services/ --force"
    })
final class InitCommand implements Callable<Integer>, ConsoleAware {
  @Mixin CommonOptions common;
  private Console console;

  @Option(
      names = {"-C", "--project"},
      paramLabel = "DIR",
      description = "Project root (default: the current folder).")
  Path project = Path.of(".");

  @Option(
      names = "--from-dockerfile",
      paramLabel = "FILE",
      description = "A Dockerfile to take the settings from (relative to the project).")
  Path dockerfile;

  @Option(names = "--force", description = "Replace caulk.yaml and caulk.mk when they exist.")
  boolean force;

  @Override
  public void console(Console c) {
    this.console = c;
  }

  @Override
  public Integer call() throws Exception {
    Init.Options options =
        Init.options().projectDir(project).fromDockerfile(dockerfile).force(force).build();
    Init.Result r = Init.run(options, Session.defaults(console));
    for (DockerfileImport.Note n : r.notes()) {
      String outcome = n.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' ');
      console
          .out()
          .println(
              dockerfile
                  + ":"
                  + n.line()
                  + ": "
                  + outcome
                  + ": "
                  + n.instruction()
                  + ": "
                  + n.reason());
    }
    int unmapped = r.unmapped().size();
    console.status(
        "wrote "
            + String.join(", ", r.written().stream().map(p -> p.getFileName().toString()).toList())
            + (r.services().isEmpty()
                ? "; no services under cmd/ yet"
                : " for " + r.services().size() + " service(s): " + String.join(", ", r.services()))
            + (dockerfile == null
                ? ""
                : unmapped == 0
                    ? "; every Dockerfile line was mapped or is not needed"
                    : "; " + unmapped + " Dockerfile line(s) not mapped (listed on stdout)"));
    return ExitCodes.OK;
  }
}
