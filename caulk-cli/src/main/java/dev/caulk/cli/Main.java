package dev.caulk.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Set;
import picocli.CommandLine;

/** The entry point: the only place in caulk that calls {@code System.exit}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    // a helper thread that dies says so on one line, never with a JVM trace (its work's failure
    // reaches main)
    Thread.setDefaultUncaughtExceptionHandler(
        (t, e) -> {
          if (!Arrays.asList(args).contains("--debug")) return;
          System.err.println("caulk: thread " + t.getName() + " ended: " + e);
        });
    // layer digests are verified while streaming: get SHA-256 compiled while the command line is
    // parsed (not for the short verbs, which hash a few KB: there it only takes CPU from the main
    // thread, measurable with two cores or fewer; bench/startup)
    if (streamsLayers(args)) {
      Thread warm = new Thread(dev.caulk.digest.Digest::warmUp, "caulk-warm-up");
      warm.setDaemon(true);
      warm.setPriority(Thread.MIN_PRIORITY);
      warm.start();
    }
    int code = run(args, Console.system());
    stopIdleNetworkThreads();
    System.exit(code);
  }

  /**
   * Wakes the JDK HTTP client's selector threads so they end before the JVM exits. A thread that
   * sits in a native call (the selector's epoll wait) makes HotSpot's exit wait up to 300 ms for
   * it; the selector loop ends when its thread is interrupted, so an exit after a transfer is as
   * quick as any other (measured: 0.32 s less per registry command).
   */
  static void stopIdleNetworkThreads() {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().contains("SelectorManager")) {
        t.interrupt();
        try {
          t.join(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** The verbs that read manifests and configs only, or nothing at all: no SHA-256 warm-up. */
  private static final Set<String> SHORT_VERBS =
      Set.of("digest", "inspect", "tags", "key", "init", "help");

  /**
   * Whether the command line may stream layers (and gains from warming SHA-256 up): false for
   * {@link #SHORT_VERBS}, for help and version requests, and for no verb at all.
   */
  static boolean streamsLayers(String[] args) {
    String verb = null;
    for (String a : args) {
      if (a.equals("--help") || a.equals("-h") || a.equals("--version") || a.equals("-V")) {
        return false;
      }
      if (verb == null && !a.startsWith("-")) {
        verb = a;
      }
    }
    return verb != null && !SHORT_VERBS.contains(verb);
  }

  /** Runs a command line against a console and returns the exit code (tests call this). */
  public static int run(String[] args, Console console) {
    return run(args, console, true);
  }

  /**
   * {@link #run(String[], Console)}; with {@code onlyInvokedVerb}, a command line that starts with
   * a verb gets a command model of the root and that verb only (what it prints and returns is the
   * same as with the full model: {@code StartupPathTest}).
   */
  static int run(String[] args, Console console, boolean onlyInvokedVerb) {
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      // the same lines picocli prints, without building the command model first (picocli's
      // classes, its converters, the root command's annotations: most of this command's run time)
      for (String line : new VersionProvider().getVersion()) {
        console.out().println(line);
      }
      console.flush();
      return ExitCodes.OK;
    }
    boolean debug = Arrays.asList(args).contains("--debug");
    Factory factory = new Factory(console);
    CommandLine cl = new CommandLine(new CaulkCommand(), factory);
    // only a verb in first place: before it, the root's options apply (`caulk --help digest` lists
    // every verb, an unknown option's suggestions come from the full model)
    Class<?> invoked =
        onlyInvokedVerb && args.length > 0 && !args[0].startsWith("-")
            ? CaulkCommand.verb(args[0])
            : null;
    for (Class<?> verb : CaulkCommand.VERBS) {
      if (invoked == null || verb == invoked) cl.addSubcommand(createCommand(factory, verb));
    }
    cl.setOut(new PrintWriter(console.out(), true));
    cl.setErr(new PrintWriter(console.err(), true));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setUsageHelpAutoWidth(true);
    cl.setExecutionExceptionHandler(
        (ex, line, parse) -> {
          console.error(Errors.describe(ex, inputs(parse)), debug ? ex : null);
          return ex instanceof UsageException
                  || ex instanceof dev.caulk.verbs.InvalidOptionsException
              ? ExitCodes.USAGE
              : ExitCodes.ERROR;
        });
    // the test hook runs where a command's work runs: after parsing, inside execute
    CommandLine.IExecutionStrategy last = new CommandLine.RunLast();
    cl.setExecutionStrategy(
        parse -> {
          TestHook.fire();
          return last.execute(parse);
        });
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          CommandLine c = ex.getCommandLine();
          console.error(ex.getMessage(), debug ? ex : null);
          CommandLine.UnmatchedArgumentException.printSuggestions(ex, c.getErr());
          c.getErr().println("Run '" + c.getCommandSpec().qualifiedName() + " --help' for usage.");
          c.getErr().flush();
          return ExitCodes.USAGE;
        });
    try {
      return cl.execute(args);
    } catch (Throwable t) {
      // picocli hands only Exceptions to the handler above: an Error (StackOverflowError,
      // OutOfMemoryError, a linkage error) lands here, and is one line too. What the stack or heap
      // held is unwound by now, so there is room to print it.
      try {
        console.error(Errors.describe(t, inputs(cl.getParseResult())), debug ? t : null);
      } catch (Throwable again) {
        console.err().println("caulk: error: " + t.getClass().getSimpleName());
      }
      return ExitCodes.ERROR;
    } finally {
      console.flush();
    }
  }

  /** The positional arguments of the verb that ran (its images, files, directories), as typed. */
  static java.util.List<String> inputs(CommandLine.ParseResult parse) {
    java.util.List<String> in = new java.util.ArrayList<>();
    if (parse == null) return in;
    CommandLine.ParseResult p = parse;
    while (p.subcommand() != null) p = p.subcommand();
    for (CommandLine.Model.PositionalParamSpec spec : p.matchedPositionals())
      in.addAll(spec.originalStringValues());
    return in;
  }

  private static Object createCommand(Factory factory, Class<?> verb) {
    try {
      return factory.create(verb);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create command " + verb.getSimpleName(), e);
    }
  }

  /** Gives every command the console it should talk to. */
  static final class Factory implements CommandLine.IFactory {
    private final Console console;

    Factory(Console console) {
      this.console = console;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
      K k = CommandLine.defaultFactory().create(cls);
      if (k instanceof ConsoleAware ca) ca.console(console);
      return k;
    }
  }
}
