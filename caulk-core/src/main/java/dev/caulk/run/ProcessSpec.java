package dev.caulk.run;

import java.util.List;

/**
 * What a bundle runs: the {@code process} section of its {@code config.json} (runtime-spec
 * config.md "Process"), resolved from the image config and the rootfs.
 *
 * @param args Entrypoint followed by Cmd, never empty
 * @param env {@code KEY=value} entries: the image's Env, the caller's additions, then PATH and HOME
 *     when the image sets neither
 * @param cwd the image's WorkingDir, {@code /} when unset
 * @param uid the user id resolved from the image's {@code User}
 * @param gid the primary group id
 * @param additionalGids supplementary groups of a named user from the rootfs's /etc/group
 * @param capabilities the capabilities the process keeps (runc's default three for root, none for
 *     any other user)
 */
public record ProcessSpec(
    List<String> args,
    List<String> env,
    String cwd,
    int uid,
    int gid,
    List<Integer> additionalGids,
    List<String> capabilities) {
  public ProcessSpec {
    args = List.copyOf(args);
    env = List.copyOf(env);
    additionalGids = List.copyOf(additionalGids);
    capabilities = List.copyOf(capabilities);
    if (args.isEmpty()) throw new IllegalArgumentException("no process arguments");
  }

  /** The value of an environment variable, or null. */
  public String envValue(String name) {
    String value = null;
    for (String e : env) {
      if (e.startsWith(name + "=")) value = e.substring(name.length() + 1);
    }
    return value;
  }
}
