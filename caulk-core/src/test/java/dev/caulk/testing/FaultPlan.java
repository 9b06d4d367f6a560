package dev.caulk.testing;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The programmable part of {@link FaultProxy}: an ordered list of rules, each matching a method and
 * a path regex and armed for a number of requests, plus a bounded log of the requests seen. All
 * methods are synchronized; the plan is small by design (at most {@value #MAX_RULES} rules, {@value
 * #MAX_LOG} log entries).
 */
final class FaultPlan {
  static final int MAX_RULES = 1000;
  static final int MAX_LOG = 10_000;

  /** What to do instead of (or on top of) forwarding a request. */
  sealed interface Fault permits Respond, Drop, Delay, Drip, Stall, AddHeaders {}

  /** Answer with this status, headers and body without forwarding. */
  record Respond(int status, Map<String, String> headers, String body) implements Fault {}

  /**
   * Forward, then set these headers on the upstream's response (for registry features the upstream
   * lacks, such as {@code OCI-Subject}).
   */
  record AddHeaders(Map<String, String> headers) implements Fault {}

  /** Close the connection after this many body bytes (request body if any, else response body). */
  record Drop(long afterBytes) implements Fault {}

  /** Wait, then forward normally. */
  record Delay(Duration delay) implements Fault {}

  /** Forward, then send the response (head and body) one byte every {@code interval}. */
  record Drip(Duration interval) implements Fault {}

  /**
   * Forward, send the head and {@code afterBytes} of the body, then send nothing for {@code stall}
   * and close.
   */
  record Stall(long afterBytes, Duration stall) implements Fault {}

  private static final class Rule {
    final String method;
    final Pattern path;
    final Fault fault;
    int remaining;

    Rule(String method, Pattern path, int remaining, Fault fault) {
      this.method = method;
      this.path = path;
      this.remaining = remaining;
      this.fault = fault;
    }

    boolean matches(String m, String p) {
      return (method == null || method.equalsIgnoreCase(m)) && path.matcher(p).find();
    }
  }

  private final List<Rule> rules = new ArrayList<>();
  private final Deque<FaultProxy.SeenRequest> log = new ArrayDeque<>();

  synchronized void add(String method, String pathRegex, int times, Fault fault) {
    if (times < 1) {
      throw new IllegalArgumentException("times must be at least 1");
    }
    if (rules.size() >= MAX_RULES) {
      throw new IllegalStateException("more than " + MAX_RULES + " pending faults");
    }
    String m = method == null || method.equals("*") ? null : method;
    rules.add(new Rule(m, Pattern.compile(pathRegex), times, fault));
  }

  /** Logs the request and takes one use of the first armed rule that matches it, if any. */
  synchronized Fault next(String method, String target) {
    if (log.size() >= MAX_LOG) {
      log.removeFirst();
    }
    log.addLast(new FaultProxy.SeenRequest(method, target));
    String path = pathOf(target);
    for (Iterator<Rule> it = rules.iterator(); it.hasNext(); ) {
      Rule r = it.next();
      if (r.matches(method, path)) {
        if (--r.remaining == 0) {
          it.remove();
        }
        return r.fault;
      }
    }
    return null;
  }

  synchronized int count(String method, String pathRegex) {
    Pattern p = Pattern.compile(pathRegex);
    int n = 0;
    for (FaultProxy.SeenRequest s : log) {
      if ((method == null || method.equals("*") || method.equalsIgnoreCase(s.method()))
          && p.matcher(s.path()).find()) {
        n++;
      }
    }
    return n;
  }

  synchronized List<FaultProxy.SeenRequest> seen() {
    return List.copyOf(log);
  }

  synchronized int pending() {
    int n = 0;
    for (Rule r : rules) {
      n += r.remaining;
    }
    return n;
  }

  synchronized void clearFaults() {
    rules.clear();
  }

  synchronized void clearLog() {
    log.clear();
  }

  static String pathOf(String target) {
    int q = target.indexOf('?');
    return q < 0 ? target : target.substring(0, q);
  }
}
