package dev.caulk.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a service Dockerfile of the usual shape ({@code FROM alpine}, {@code apk add ca-certificates
 * tzdata}, a non-root user, {@code COPY build/${service_name}-linux-amd64 /app/service}, {@code
 * EXPOSE}, {@code ENTRYPOINT}) says, as caulk build settings, and for every line whether it was
 * mapped, is not needed in a caulk image, or could not be mapped (with the reason). Only the final
 * stage is mapped; earlier (builder) stages are reported as not needed. Nothing is run.
 */
public final class DockerfileImport {
  /** How one instruction was treated. */
  public enum Outcome {
    MAPPED,
    NOT_NEEDED,
    NOT_MAPPED
  }

  /** One instruction's outcome: {@code line}, its text (cut), and why. */
  public record Note(int line, String instruction, Outcome outcome, String reason) {}

  /**
   * The settings found, each with the line it came from.
   *
   * @param binary the binary pattern ({@code build/{service}-linux-{arch}}), or null for the
   *     default
   * @param user name, uid and gid (gid may be null), or null when the Dockerfile names none
   * @param workdir the working directory, or null
   * @param ports exposed ports ({@code 3000}, {@code 53/udp})
   * @param env environment variables other than {@code TZ}
   * @param timezone the {@code TZ} zone, or null
   * @param caCertificates whether the image installs a CA bundle
   * @param tzdata whether the image installs tzdata (then zoneinfo of the zone is copied)
   * @param labels {@code LABEL} pairs
   * @param entrypoint the entrypoint when it is not the default {@code /app/service}, else empty
   * @param cmd {@code CMD} arguments
   * @param sources setting name → the line it was taken from
   * @param notes every instruction, in order
   */
  public record Result(
      String binary,
      BuildConfig.User user,
      String workdir,
      List<String> ports,
      Map<String, String> env,
      String timezone,
      boolean caCertificates,
      boolean tzdata,
      Map<String, String> labels,
      List<String> entrypoint,
      List<String> cmd,
      Map<String, Integer> sources,
      List<Note> notes) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SERVICE_PATH = "/app/service";
  private static final Set<String> SYSTEM_DIRS =
      Set.of(
          "/bin",
          "/sbin",
          "/usr/bin",
          "/usr/sbin",
          "/usr/local/bin",
          "/lib",
          "/usr/lib",
          "/usr/local/sbin",
          "/etc/apk",
          "/var/cache/apk",
          "/usr/share/apk",
          "/lib/apk");

  private final Map<String, String> args = new LinkedHashMap<>();
  private final Map<String, String> vars = new LinkedHashMap<>();
  private final List<Note> notes = new ArrayList<>();
  private final Map<String, Integer> sources = new LinkedHashMap<>();
  private final Map<String, Integer> adduserUid = new LinkedHashMap<>();
  private final Map<String, Integer> groupGid = new LinkedHashMap<>();
  private final Map<String, String> userGroup = new LinkedHashMap<>();
  private String serviceArg;
  private String binary;
  private String binaryDestination;
  private String userName;
  private Integer userUid;
  private Integer userGid;
  private String workdir;
  private final List<String> ports = new ArrayList<>();
  private final Map<String, String> env = new LinkedHashMap<>();
  private String timezone;
  private boolean ca;
  private boolean tzdata;
  private final Map<String, String> labels = new LinkedHashMap<>();
  private List<String> entrypoint = List.of();
  private List<String> cmd = List.of();

  private DockerfileImport() {}

  /** Maps {@code file}. */
  public static Result map(Dockerfile file) {
    DockerfileImport m = new DockerfileImport();
    List<Dockerfile.Instruction> all = file.instructions();
    int lastFrom = -1;
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).keyword().equals("FROM")) lastFrom = i;
    }
    for (int i = 0; i < all.size(); i++) {
      Dockerfile.Instruction in = all.get(i);
      if (i < lastFrom && !in.keyword().equals("ARG")) {
        m.note(
            in,
            Outcome.NOT_NEEDED,
            in.keyword().equals("FROM")
                ? "a build stage: caulk takes the binary built on the host (build it before caulk build)"
                : "in a build stage, not the image");
        continue;
      }
      m.apply(in);
    }
    return m.result();
  }

  private void apply(Dockerfile.Instruction in) {
    String a = in.arguments();
    switch (in.keyword()) {
      case "FROM" -> from(in);
      case "ARG" -> arg(in);
      case "ENV" -> envInstruction(in);
      case "WORKDIR" -> {
        workdir = expand(a.trim());
        mapped(in, "workdir", "workdir: " + workdir);
      }
      case "COPY", "ADD" -> copy(in);
      case "USER" -> user(in);
      case "EXPOSE" -> {
        for (String p : words(a)) ports.add(expand(p).toLowerCase(Locale.ROOT).replace("/tcp", ""));
        mapped(in, "ports", "ports");
      }
      case "LABEL" -> {
        Map<String, String> pairs = pairs(a, in);
        if (pairs == null) return;
        pairs.forEach((k, v) -> labels.put(expand(k), expand(v)));
        mapped(in, "labels", "labels");
      }
      case "ENTRYPOINT" -> command(in, true);
      case "CMD" -> command(in, false);
      case "RUN" -> run(in);
      case "HEALTHCHECK" ->
          note(
              in,
              Outcome.NOT_MAPPED,
              "a health check command runs inside the image, which has no shell or curl: probe the service from the orchestrator"
                  + " (a Kubernetes liveness/readiness probe)");
      case "VOLUME" ->
          note(
              in,
              Outcome.NOT_MAPPED,
              "volumes are mounted by the runtime; caulk images declare none");
      case "STOPSIGNAL" ->
          note(
              in,
              Outcome.NOT_MAPPED,
              "caulk does not set a stop signal (the runtime's default SIGTERM applies)");
      case "SHELL" -> note(in, Outcome.NOT_NEEDED, "a caulk image has no shell");
      case "ONBUILD" ->
          note(
              in,
              Outcome.NOT_MAPPED,
              "ONBUILD triggers run in images built FROM this one; caulk images are not bases");
      case "MAINTAINER" -> {
        labels.put("org.opencontainers.image.authors", expand(a.trim()));
        mapped(in, "labels", "label org.opencontainers.image.authors");
      }
      default -> note(in, Outcome.NOT_MAPPED, "unknown instruction");
    }
  }

  private void from(Dockerfile.Instruction in) {
    String image =
        words(in.arguments()).stream().filter(w -> !w.startsWith("--")).findFirst().orElse("");
    note(
        in,
        Outcome.NOT_NEEDED,
        image.equals("scratch")
            ? "caulk builds from scratch too"
            : "caulk builds from scratch: no "
                + Dockerfile.cut(image, 60)
                + " distribution, shell or package manager in the image");
  }

  private void arg(Dockerfile.Instruction in) {
    boolean declaresService = false;
    for (String w : words(in.arguments())) {
      int eq = w.indexOf('=');
      String name = eq < 0 ? w : w.substring(0, eq);
      String value = eq < 0 ? null : expand(unquote(w.substring(eq + 1)));
      args.put(name, value);
      if (value != null) vars.put(name, value);
      if (value == null
          && serviceArg == null
          && name.toLowerCase(Locale.ROOT).contains("service")) {
        serviceArg = name;
        declaresService = true;
      }
    }
    note(
        in,
        Outcome.MAPPED,
        declaresService
            ? "ARG "
                + serviceArg
                + " is the service name: {service} in caulk.yaml, one image per folder under cmd/"
            : "build arguments are expanded where they are used");
  }

  private void envInstruction(Dockerfile.Instruction in) {
    Map<String, String> pairs = pairs(in.arguments(), in);
    if (pairs == null) return;
    List<String> what = new ArrayList<>();
    for (Map.Entry<String, String> e : pairs.entrySet()) {
      String value = expand(e.getValue());
      if (e.getKey().equals("TZ")) {
        timezone = value;
        sources.put("timezone", in.line());
        what.add("timezone: " + value);
      } else if (serviceArg != null && refersTo(e.getValue(), serviceArg)) {
        what.add(e.getKey() + " (the service name: not needed, each image is one service)");
      } else {
        env.put(e.getKey(), value);
        sources.putIfAbsent("env", in.line());
        what.add("env " + e.getKey());
      }
      vars.put(e.getKey(), value);
    }
    note(in, Outcome.MAPPED, String.join(", ", what));
  }

  private void copy(Dockerfile.Instruction in) {
    List<String> w = new ArrayList<>();
    List<String> flags = new ArrayList<>();
    List<String> parsed = jsonArray(in.arguments());
    for (String s : parsed != null ? parsed : words(in.arguments())) {
      if (s.startsWith("--") && w.isEmpty()) flags.add(s);
      else w.add(s);
    }
    if (w.size() < 2) {
      note(in, Outcome.NOT_MAPPED, "expected a source and a destination");
      return;
    }
    String dest = expand(w.get(w.size() - 1));
    String src = w.get(0);
    boolean fromStage = flags.stream().anyMatch(f -> f.startsWith("--from"));
    boolean isBinary =
        w.size() == 2
            && (dest.equals(SERVICE_PATH)
                || (dest.endsWith("/") && (dest + base(src)).equals(SERVICE_PATH))
                || (binary == null
                    && !fromStage
                    && (dest.startsWith("/app/") || dest.startsWith("/usr/local/bin/"))
                    && !src.contains("*")));
    if (fromStage) {
      if (w.size() == 2 && binaryDestination == null)
        binaryDestination = dest.endsWith("/") ? dest + base(src) : dest;
      note(
          in,
          Outcome.NOT_MAPPED,
          "copies from a build stage: build the binary on the host into build/ (the binary pattern is left at"
              + " its default, build/{service}-linux-{arch})");
      return;
    }
    if (src.startsWith("http://") || src.startsWith("https://") || src.startsWith("git@")) {
      note(
          in,
          Outcome.NOT_MAPPED,
          "caulk build reads only the project's files; download it into the project and list it in files:");
      return;
    }
    if (isBinary) {
      binary = pattern(src);
      binaryDestination = dest.endsWith("/") ? dest + base(src) : dest;
      sources.put("binary", in.line());
      note(
          in,
          Outcome.MAPPED,
          "binary: "
              + binary
              + (binaryDestination.equals(SERVICE_PATH) ? "" : " (placed at /app/service)"));
      return;
    }
    note(
        in,
        Outcome.NOT_MAPPED,
        "extra files go in files: (source in the project, destination, mode); not guessed from COPY");
  }

  /**
   * A COPY source as a binary pattern: the service argument becomes {service}, the architecture
   * {arch}.
   */
  private String pattern(String src) {
    String s = src.startsWith("/") ? src.substring(1) : src;
    if (s.startsWith("./")) s = s.substring(2);
    if (serviceArg != null)
      s = s.replace("${" + serviceArg + "}", "{service}").replace("$" + serviceArg, "{service}");
    s = s.replace("${TARGETARCH}", "{arch}").replace("$TARGETARCH", "{arch}");
    s = s.replace("linux-amd64", "linux-{arch}").replace("linux_amd64", "linux_{arch}");
    return expand(s);
  }

  private void user(Dockerfile.Instruction in) {
    String spec = expand(in.arguments().trim());
    String name = spec;
    String group = null;
    int colon = spec.indexOf(':');
    if (colon >= 0) {
      name = spec.substring(0, colon);
      group = spec.substring(colon + 1);
    }
    if (name.equals("root") || name.equals("0")) {
      note(
          in,
          Outcome.NOT_MAPPED,
          "the image would run as root; caulk images run as a non-root user (default nonroot:65532)");
      return;
    }
    if (isNumber(name)) {
      userUid = Integer.parseInt(name);
      userName = "app";
    } else {
      userName = name;
      userUid = adduserUid.get(name);
    }
    if (group != null && isNumber(group)) userGid = Integer.parseInt(group);
    else if (group != null && groupGid.containsKey(group)) userGid = groupGid.get(group);
    else if (userGroup.containsKey(name) && groupGid.containsKey(userGroup.get(name)))
      userGid = groupGid.get(userGroup.get(name));
    sources.put("user", in.line());
    if (userUid == null) {
      note(
          in,
          Outcome.MAPPED,
          "user " + userName + ": no uid found in the Dockerfile, caulk's 65532 is used");
    } else {
      note(
          in,
          Outcome.MAPPED,
          "user " + userName + " uid " + userUid + (userGid == null ? "" : " gid " + userGid));
    }
  }

  private void command(Dockerfile.Instruction in, boolean isEntrypoint) {
    List<String> parts = jsonArray(in.arguments());
    String how = "";
    if (parts == null) {
      String shell = in.arguments().trim();
      if (shell.chars().anyMatch(c -> "|&;<>()$`*?\"'\\".indexOf(c) >= 0)) {
        note(
            in,
            Outcome.NOT_MAPPED,
            "shell form needs /bin/sh, which a caulk image has not; write it in exec (JSON) form");
        return;
      }
      parts = words(shell);
      how = " (shell form written in exec form: the image has no shell)";
    }
    List<String> expanded = new ArrayList<>();
    for (String p : parts) expanded.add(expand(p));
    if (isEntrypoint) {
      if (!expanded.isEmpty()
          && binaryDestination != null
          && expanded.get(0).equals(binaryDestination)) {
        expanded.set(0, SERVICE_PATH);
      }
      entrypoint =
          expanded.size() == 1 && expanded.get(0).equals(SERVICE_PATH) ? List.of() : expanded;
      sources.put("entrypoint", in.line());
      note(
          in,
          Outcome.MAPPED,
          (entrypoint.isEmpty() ? "the default entrypoint /app/service" : "entrypoint") + how);
    } else {
      cmd = expanded;
      sources.put("cmd", in.line());
      note(in, Outcome.MAPPED, "cmd" + how);
    }
  }

  private void run(Dockerfile.Instruction in) {
    if (!in.heredoc().isEmpty()) {
      note(in, Outcome.NOT_MAPPED, "a heredoc script needs a shell; caulk images have none");
      return;
    }
    List<String> mapped = new ArrayList<>();
    List<String> unneeded = new ArrayList<>();
    List<String> unmapped = new ArrayList<>();
    for (String step : steps(in.arguments())) {
      List<String> w = words(step);
      if (w.isEmpty()) continue;
      String c = w.get(0);
      if (c.equals("apk")
          || c.equals("apt-get")
          || c.equals("apt")
          || c.equals("yum")
          || c.equals("dnf")
          || c.equals("microdnf")) {
        packages(w, mapped, unneeded, unmapped);
      } else if (c.equals("rm")
          && w.stream()
              .anyMatch(
                  x ->
                      SYSTEM_DIRS.contains(trimSlash(x))
                          || x.startsWith("/var/lib/apt")
                          || x.startsWith("/var/cache"))) {
        unneeded.add(
            "rm of system folders (a caulk image has no shell or system binaries, and an rm in a later layer frees no bytes)");
      } else if (c.equals("adduser") || c.equals("useradd")) {
        account(w, true);
        mapped.add("the user (" + String.join(" ", w.subList(0, Math.min(w.size(), 6))) + ")");
      } else if (c.equals("addgroup") || c.equals("groupadd")) {
        account(w, false);
        mapped.add("the group");
      } else if ((c.equals("ln") || c.equals("cp")) && step.contains("/usr/share/zoneinfo")
          || c.equals("echo") && step.contains("/etc/timezone")) {
        unneeded.add("the zone link (timezone: writes /etc/localtime and /etc/timezone)");
      } else if (c.equals("update-ca-certificates")) {
        unneeded.add("update-ca-certificates (the CA bundle is copied whole)");
      } else if ((c.equals("chmod") || c.equals("chown")) && step.contains("/app")) {
        unneeded.add(c + " (the binary is 0755 and root-owned, the workdir belongs to the user)");
      } else if (c.equals("mkdir") && workdir != null && w.contains(workdir)) {
        unneeded.add("mkdir of the workdir (made by caulk)");
      } else {
        unmapped.add(Dockerfile.cut(step.trim(), 60));
      }
    }
    if (!unmapped.isEmpty()) {
      note(
          in,
          Outcome.NOT_MAPPED,
          "RUN needs a shell and a distribution, which caulk images have not: "
              + String.join("; ", unmapped)
              + (mapped.isEmpty() && unneeded.isEmpty()
                  ? ""
                  : " (the rest: " + String.join(", ", concat(mapped, unneeded)) + ")"));
    } else if (!mapped.isEmpty()) {
      note(in, Outcome.MAPPED, String.join(", ", concat(mapped, unneeded)));
    } else {
      note(in, Outcome.NOT_NEEDED, String.join(", ", unneeded));
    }
  }

  private void packages(
      List<String> w, List<String> mapped, List<String> unneeded, List<String> unmapped) {
    int verb = -1;
    for (int i = 1; i < w.size(); i++) {
      if (Set.of("add", "install").contains(w.get(i))) {
        verb = i;
        break;
      }
      if (Set.of("update", "upgrade", "del", "remove", "purge", "clean", "autoremove", "cache")
          .contains(w.get(i))) {
        unneeded.add(w.get(0) + " " + w.get(i) + " (no package manager in the image)");
        return;
      }
    }
    if (verb < 0) {
      unmapped.add(String.join(" ", w));
      return;
    }
    List<String> other = new ArrayList<>();
    for (String p : w.subList(verb + 1, w.size())) {
      if (p.startsWith("-")) continue;
      String name = p.contains("=") ? p.substring(0, p.indexOf('=')) : p;
      if (name.equals("ca-certificates") || name.equals("ca-certificates-bundle")) {
        ca = true;
        mapped.add("ca-certificates (the host's CA bundle)");
      } else if (name.equals("tzdata")) {
        tzdata = true;
        mapped.add("tzdata (zoneinfo of the zone)");
      } else {
        other.add(name);
      }
    }
    if (!other.isEmpty()) {
      unmapped.add(
          "packages "
              + String.join(" ", other)
              + " (caulk copies the shared libraries the binary needs; other files go in files:)");
    }
  }

  /** adduser/useradd/addgroup/groupadd: remember uid, gid and primary group by name. */
  private void account(List<String> w, boolean user) {
    Integer id = null;
    String group = null;
    String name = null;
    boolean busyboxAdduser = w.get(0).equals("adduser");
    for (int i = 1; i < w.size(); i++) {
      String t = w.get(i);
      String next = i + 1 < w.size() ? w.get(i + 1) : null;
      if ((t.equals("-u") || t.equals("--uid")) && next != null && isNumber(next)) {
        id = Integer.parseInt(next);
        i++;
      } else if (!user && (t.equals("-g") || t.equals("--gid")) && next != null && isNumber(next)) {
        id = Integer.parseInt(next);
        i++;
      } else if (user
          && ((busyboxAdduser && (t.equals("-G") || t.equals("--ingroup")))
              || (!busyboxAdduser && (t.equals("-g") || t.equals("--gid"))))
          && next != null) {
        group = next;
        i++;
      } else if (Set.of(
              "-g",
              "-h",
              "-s",
              "-k",
              "-c",
              "-d",
              "-G",
              "--home",
              "--shell",
              "--gecos",
              "--comment",
              "--home-dir")
          .contains(t)) {
        i++;
      } else if (!t.startsWith("-")) {
        if (name == null) name = t;
        else if (busyboxAdduser && group == null) group = t; // adduser USER GROUP
      }
    }
    if (name == null) return;
    if (user) {
      if (id != null) adduserUid.put(name, id);
      if (group != null) userGroup.put(name, group);
      if (group != null && isNumber(group)) groupGid.put(group, Integer.parseInt(group));
    } else if (id != null) {
      groupGid.put(name, id);
    }
  }

  private Result result() {
    BuildConfig.User u = null;
    if (userName != null) {
      int uid = userUid == null ? BuildConfig.User.NONROOT.uid() : userUid;
      try {
        u = new BuildConfig.User(userName, uid, userGid != null ? userGid : uid);
      } catch (IllegalArgumentException e) {
        notes.add(
            new Note(
                sources.getOrDefault("user", 0),
                "USER " + Dockerfile.cut(userName, 40),
                Outcome.NOT_MAPPED,
                e.getMessage()));
        sources.remove("user");
      }
    }
    return new Result(
        binary,
        u,
        workdir,
        List.copyOf(ports),
        new LinkedHashMap<>(env),
        timezone,
        ca,
        tzdata,
        new LinkedHashMap<>(labels),
        entrypoint,
        cmd,
        new LinkedHashMap<>(sources),
        List.copyOf(notes));
  }

  private void mapped(Dockerfile.Instruction in, String key, String what) {
    sources.putIfAbsent(key, in.line());
    note(in, Outcome.MAPPED, what);
  }

  private void note(Dockerfile.Instruction in, Outcome o, String reason) {
    notes.add(new Note(in.line(), in.text(80), o, reason));
  }

  // ---- words, pairs, expansion (linear, quotes as the Dockerfile reference reads them) ----

  /** Splits on whitespace outside quotes; quotes removed, backslash escapes the next character. */
  static List<String> words(String s) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote != 0) {
        if (c == quote) quote = 0;
        else if (c == '\\' && quote == '"' && i + 1 < s.length()) cur.append(s.charAt(++i));
        else cur.append(c);
      } else if (c == '"' || c == '\'') {
        quote = c;
        inWord = true;
      } else if (c == '\\' && i + 1 < s.length()) {
        cur.append(s.charAt(++i));
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) out.add(cur.toString());
        cur.setLength(0);
        inWord = false;
      } else {
        cur.append(c);
        inWord = true;
      }
    }
    if (inWord) out.add(cur.toString());
    return out;
  }

  /**
   * The steps of a shell command line: split on {@code &&}, {@code ||}, {@code ;} outside quotes.
   */
  static List<String> steps(String s) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    char quote = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote != 0) {
        if (c == quote) quote = 0;
        cur.append(c);
      } else if (c == '"' || c == '\'') {
        quote = c;
        cur.append(c);
      } else if (c == ';'
          || ((c == '&' || c == '|') && i + 1 < s.length() && s.charAt(i + 1) == c)) {
        out.add(cur.toString());
        cur.setLength(0);
        if (c != ';') i++;
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
  }

  /**
   * {@code k=v k2="v 2"}, or the legacy {@code KEY value with spaces}; null (noted) when malformed.
   */
  private Map<String, String> pairs(String s, Dockerfile.Instruction in) {
    Map<String, String> out = new LinkedHashMap<>();
    List<String> w = words(s);
    if (w.isEmpty()) {
      note(in, Outcome.NOT_MAPPED, "nothing to set");
      return null;
    }
    if (!w.get(0).contains("=")) {
      String t = s.trim();
      int sp = t.indexOf(' ');
      if (sp < 0) {
        note(in, Outcome.NOT_MAPPED, "expected KEY=VALUE");
        return null;
      }
      out.put(t.substring(0, sp), unquote(t.substring(sp + 1).trim()));
      return out;
    }
    for (String p : w) {
      int eq = p.indexOf('=');
      if (eq <= 0) {
        note(in, Outcome.NOT_MAPPED, "expected KEY=VALUE pairs");
        return null;
      }
      out.put(p.substring(0, eq), p.substring(eq + 1));
    }
    return out;
  }

  private static String unquote(String s) {
    List<String> w = words(s);
    return w.size() == 1 ? w.get(0) : s;
  }

  /**
   * {@code $NAME}, {@code ${NAME}}, {@code ${NAME:-default}} from ARG and ENV; unknown names are
   * kept as written.
   */
  String expand(String s) {
    if (s.indexOf('$') < 0) return s;
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '$' || i + 1 >= s.length()) {
        b.append(c);
        continue;
      }
      int start = i;
      String name;
      String fallback = null;
      if (s.charAt(i + 1) == '{') {
        int close = s.indexOf('}', i + 2);
        if (close < 0) {
          b.append(s, i, s.length());
          break;
        }
        String inner = s.substring(i + 2, close);
        int dash = inner.indexOf(":-");
        name = dash < 0 ? inner : inner.substring(0, dash);
        fallback = dash < 0 ? null : inner.substring(dash + 2);
        i = close;
      } else {
        int j = i + 1;
        while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_'))
          j++;
        if (j == i + 1) {
          b.append(c);
          continue;
        }
        name = s.substring(i + 1, j);
        i = j - 1;
      }
      String v = vars.get(name);
      if (v != null) b.append(v);
      else if (fallback != null) b.append(fallback);
      else b.append(s, start, i + 1);
    }
    return b.toString();
  }

  private static boolean refersTo(String value, String name) {
    return value.contains("$" + name) || value.contains("${" + name + "}");
  }

  private static List<String> jsonArray(String s) {
    String t = s.trim();
    if (!t.startsWith("[")) return null;
    try {
      JsonNode n = JSON.readTree(t);
      if (!n.isArray()) return null;
      List<String> out = new ArrayList<>();
      for (JsonNode e : n) {
        if (!e.isTextual()) return null;
        out.add(e.asText());
      }
      return out;
    } catch (IOException e) {
      return null;
    }
  }

  private static boolean isNumber(String s) {
    if (s.isEmpty() || s.length() > 9) return false;
    for (int i = 0; i < s.length(); i++) {
      if (!Character.isDigit(s.charAt(i))) return false;
    }
    return true;
  }

  private static String base(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? path : path.substring(slash + 1);
  }

  private static String trimSlash(String p) {
    return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p.replace("/*", "");
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
