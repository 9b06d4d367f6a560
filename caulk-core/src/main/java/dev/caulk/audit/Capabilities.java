package dev.caulk.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes file capabilities: the {@code security.capability} extended attribute, a {@code
 * vfs_cap_data} record (linux/capability.h: a little-endian {@code magic_etc} word with the
 * revision in its top byte and the effective flag in bit 0, then permitted/inheritable masks, low
 * 32 bits first; revision 3 adds the namespace root uid). Shown the way {@code getcap} shows it:
 * {@code cap_net_bind_service=ep}.
 */
final class Capabilities {
  /** Capability names by number (linux/capability.h, up to CAP_CHECKPOINT_RESTORE = 40). */
  private static final String[] NAMES = {
    "chown",
    "dac_override",
    "dac_read_search",
    "fowner",
    "fsetid",
    "kill",
    "setgid",
    "setuid",
    "setpcap",
    "linux_immutable",
    "net_bind_service",
    "net_broadcast",
    "net_admin",
    "net_raw",
    "ipc_lock",
    "ipc_owner",
    "sys_module",
    "sys_rawio",
    "sys_chroot",
    "sys_ptrace",
    "sys_pacct",
    "sys_admin",
    "sys_boot",
    "sys_nice",
    "sys_resource",
    "sys_time",
    "sys_tty_config",
    "mknod",
    "lease",
    "audit_write",
    "audit_control",
    "setfcap",
    "mac_override",
    "mac_admin",
    "syslog",
    "wake_alarm",
    "block_suspend",
    "audit_read",
    "perfmon",
    "bpf",
    "checkpoint_restore"
  };

  private Capabilities() {}

  /**
   * The getcap-style text of a raw attribute value, or a short description of why it cannot be
   * read.
   */
  static String describe(byte[] v) {
    if (v == null || v.length < 4)
      return "unreadable security.capability (" + (v == null ? 0 : v.length) + " bytes)";
    long magic = u32(v, 0);
    int revision = (int) (magic >>> 24);
    boolean effective = (magic & 1) != 0;
    int words = revision == 1 ? 1 : 2;
    int need = revision == 1 ? 12 : revision == 2 ? 20 : revision == 3 ? 24 : -1;
    if (need < 0 || v.length < need)
      return "unreadable security.capability (revision " + revision + ", " + v.length + " bytes)";
    long permitted = 0;
    long inheritable = 0;
    for (int w = 0; w < words; w++) {
      permitted |= u32(v, 4 + 8 * w) << (32 * w);
      inheritable |= u32(v, 8 + 8 * w) << (32 * w);
    }
    Map<String, List<String>> byFlags = new LinkedHashMap<>();
    for (int bit = 0; bit < 64; bit++) {
      boolean p = (permitted >>> bit & 1) != 0;
      boolean i = (inheritable >>> bit & 1) != 0;
      if (!p && !i) continue;
      String flags = (p && effective ? "e" : "") + (i ? "i" : "") + (p ? "p" : "");
      byFlags.computeIfAbsent(flags, k -> new ArrayList<>()).add(name(bit));
    }
    if (byFlags.isEmpty()) return "(no capabilities)";
    List<String> parts = new ArrayList<>();
    byFlags.forEach((flags, names) -> parts.add(String.join(",", names) + "=" + flags));
    String out = String.join(" ", parts);
    return revision == 3 ? out + " [rootid=" + u32(v, 20) + "]" : out;
  }

  /**
   * Whether the permitted set holds a capability that amounts to root (sys_admin, setuid,
   * dac_override…).
   */
  static boolean powerful(String described) {
    for (String c :
        List.of(
            "cap_sys_admin",
            "cap_setuid",
            "cap_setgid",
            "cap_dac_override",
            "cap_sys_ptrace",
            "cap_sys_module",
            "cap_setfcap",
            "cap_chown",
            "cap_fowner",
            "cap_dac_read_search")) {
      if (described.contains(c + ",") || described.contains(c + "=")) return true;
    }
    return false;
  }

  private static String name(int bit) {
    return bit < NAMES.length ? "cap_" + NAMES[bit] : "cap_" + bit;
  }

  private static long u32(byte[] b, int off) {
    return (b[off] & 0xffL)
        | (b[off + 1] & 0xffL) << 8
        | (b[off + 2] & 0xffL) << 16
        | (b[off + 3] & 0xffL) << 24;
  }
}
