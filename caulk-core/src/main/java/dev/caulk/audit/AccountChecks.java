package dev.caulk.audit;

import static dev.caulk.report.Severity.HIGH;

import dev.caulk.accounts.Accounts;
import dev.caulk.fs.Node;
import dev.caulk.report.Finding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Checks of the accounts in {@code /etc/passwd}, {@code /etc/group} and {@code /etc/shadow}. */
final class AccountChecks {
  private AccountChecks() {}

  static Rule emptyPassword() {
    return new BuiltinRule(
        "DKL-LI-0001",
        HIGH,
        "Account without a password",
        "Lock the account (passwd -l NAME, or '!' in the shadow password field) or remove it.",
        List.of(),
        (r, ctx) -> {
          List<Finding> out = new ArrayList<>();
          Accounts a = ctx.accounts();
          for (Accounts.Shadow s : a.shadow()) {
            if (s.emptyPassword())
              out.add(account(r, ctx, AuditVisitor.SHADOW, s.name(), "empty password field"));
          }
          for (Accounts.User u : a.users()) {
            boolean inShadow = a.shadow(u.name()).isPresent();
            if (!inShadow && u.password().isEmpty()) {
              out.add(
                  account(
                      r,
                      ctx,
                      AuditVisitor.PASSWD,
                      u.name(),
                      "empty password field in /etc/passwd"));
            }
          }
          return out;
        });
  }

  static Rule duplicateIds() {
    return new BuiltinRule(
        "DKL-LI-0002",
        HIGH,
        "Duplicate uid or gid",
        "Give every account its own uid and every group its own gid; a shared id shares every file and "
            + "permission.",
        List.of(),
        (r, ctx) -> {
          List<Finding> out = new ArrayList<>();
          Map<Long, List<String>> uids = new LinkedHashMap<>();
          for (Accounts.User u : ctx.accounts().users())
            uids.computeIfAbsent(u.uid(), k -> new ArrayList<>()).add(u.name());
          uids.forEach(
              (id, names) -> {
                if (names.size() > 1)
                  out.add(duplicate(r, ctx, AuditVisitor.PASSWD, "uid", id, names));
              });
          Map<Long, List<String>> gids = new LinkedHashMap<>();
          for (Accounts.Group g : ctx.accounts().groups())
            gids.computeIfAbsent(g.gid(), k -> new ArrayList<>()).add(g.name());
          gids.forEach(
              (id, names) -> {
                if (names.size() > 1)
                  out.add(duplicate(r, ctx, AuditVisitor.GROUP, "gid", id, names));
              });
          return out;
        });
  }

  static Rule uid0Account() {
    return new BuiltinRule(
        "uid0-account",
        HIGH,
        "Account other than root with uid 0",
        "Remove the account or give it its own non-zero uid: any account with uid 0 is root.",
        List.of(),
        (r, ctx) -> {
          List<Finding> out = new ArrayList<>();
          for (Accounts.User u : ctx.accounts().users()) {
            if (u.uid() == 0 && !u.name().equals("root")) {
              out.add(
                  account(
                      r,
                      ctx,
                      AuditVisitor.PASSWD,
                      u.name(),
                      "account '"
                          + u.name()
                          + "' has uid 0"
                          + (u.loginShell() ? " and the login shell " + u.shell() : "")));
            }
          }
          return out;
        });
  }

  private static Finding account(
      Rule r, AuditContext ctx, String file, String name, String detail) {
    return r.finding()
        .withPath(file)
        .withLayer(layerOf(ctx, file))
        .withKey(name)
        .withDetail("account '" + name + "': " + detail);
  }

  private static Finding duplicate(
      Rule r, AuditContext ctx, String file, String kind, long id, List<String> names) {
    return r.finding()
        .withPath(file)
        .withLayer(layerOf(ctx, file))
        .withKey(kind + ":" + id)
        .withDetail(kind + " " + id + " is shared by " + String.join(", ", names));
  }

  private static String layerOf(AuditContext ctx, String path) {
    return ctx.tree().node(path).map(Node::layerIndex).map(ctx::layer).orElse(null);
  }
}
