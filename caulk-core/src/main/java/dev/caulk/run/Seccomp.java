package dev.caulk.run;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The probe's seccomp filter, in the runtime-spec's {@code linux.seccomp} form (config-linux.md
 * "Seccomp"). Every system call is allowed except those that reach past a container: the calls
 * Docker's documentation lists as blocked by its default profile (kernel modules, kexec, reboot,
 * mounts and namespaces, keyrings, BPF, perf, tracing other processes, clock and swap settings,
 * NUMA policy, handle-based opens, userfaultfd, io_uring…), which fail with EPERM. {@code clone}
 * fails with EPERM when it asks for a new namespace, and {@code clone3} (whose flags a filter
 * cannot read) with ENOSYS, so that C libraries fall back to {@code clone}. The list is caulk's
 * own, written from those documented facts; names the running kernel does not know are skipped by
 * runc.
 */
final class Seccomp {
  /** EPERM: what a denied call returns. */
  static final int EPERM = 1;

  /** ENOSYS: "not implemented", for clone3. */
  static final int ENOSYS = 38;

  static final List<String> ARCHITECTURES =
      List.of(
          "SCMP_ARCH_X86_64",
          "SCMP_ARCH_X86",
          "SCMP_ARCH_X32",
          "SCMP_ARCH_AARCH64",
          "SCMP_ARCH_ARM");

  /** Denied outright. */
  static final List<String> DENIED =
      List.of(
          // kernel modules, kexec, reboot, kernel-wide settings
          "acct",
          "create_module",
          "delete_module",
          "finit_module",
          "get_kernel_syms",
          "init_module",
          "query_module",
          "kexec_file_load",
          "kexec_load",
          "reboot",
          "swapon",
          "swapoff",
          "syslog",
          "sysfs",
          "_sysctl",
          "uselib",
          "ustat",
          "nfsservctl",
          "lookup_dcookie",
          "quotactl",
          "quotactl_fd",
          "vhangup",
          // clocks
          "clock_adjtime",
          "clock_settime",
          "settimeofday",
          "stime",
          // mounts and namespaces
          "mount",
          "umount",
          "umount2",
          "pivot_root",
          "setns",
          "unshare",
          "fsopen",
          "fsconfig",
          "fsmount",
          "fspick",
          "move_mount",
          "open_tree",
          "mount_setattr",
          // keyrings
          "add_key",
          "keyctl",
          "request_key",
          // BPF, perf, tracing and other processes' memory
          "bpf",
          "perf_event_open",
          "ptrace",
          "process_vm_readv",
          "process_vm_writev",
          "kcmp",
          "pidfd_getfd",
          // handle-based opens (they bypass path checks)
          "name_to_handle_at",
          "open_by_handle_at",
          // NUMA policy
          "get_mempolicy",
          "set_mempolicy",
          "mbind",
          "move_pages",
          "migrate_pages",
          "set_mempolicy_home_node",
          // I/O ports, VM86
          "ioperm",
          "iopl",
          "vm86",
          "vm86old",
          // userfaultfd and io_uring (a history of kernel exploits; services do without)
          "userfaultfd",
          "io_uring_setup",
          "io_uring_enter",
          "io_uring_register");

  /** clone(2) flags that create namespaces (linux/sched.h). */
  static final List<Long> NAMESPACE_FLAGS =
      List.of(
          0x00020000L /* NEWNS */,
          0x02000000L /* NEWCGROUP */,
          0x04000000L /* NEWUTS */,
          0x08000000L /* NEWIPC */,
          0x10000000L /* NEWUSER */,
          0x20000000L /* NEWPID */,
          0x40000000L /* NEWNET */,
          0x00000080L /* NEWTIME */);

  private Seccomp() {}

  /** Fills {@code seccomp} (the {@code linux.seccomp} object). */
  static void write(ObjectNode seccomp) {
    seccomp.put("defaultAction", "SCMP_ACT_ALLOW");
    ArrayNode arch = seccomp.putArray("architectures");
    ARCHITECTURES.forEach(arch::add);
    ArrayNode calls = seccomp.putArray("syscalls");
    ObjectNode denied = calls.addObject();
    ArrayNode names = denied.putArray("names");
    DENIED.forEach(names::add);
    denied.put("action", "SCMP_ACT_ERRNO");
    denied.put("errnoRet", EPERM);
    for (long flag : NAMESPACE_FLAGS) {
      ObjectNode clone = calls.addObject();
      clone.putArray("names").add("clone");
      clone.put("action", "SCMP_ACT_ERRNO");
      clone.put("errnoRet", EPERM);
      ObjectNode arg = clone.putArray("args").addObject();
      arg.put("index", 0);
      arg.put("value", flag);
      arg.put("valueTwo", flag);
      arg.put("op", "SCMP_CMP_MASKED_EQ");
    }
    ObjectNode clone3 = calls.addObject();
    clone3.putArray("names").add("clone3");
    clone3.put("action", "SCMP_ACT_ERRNO");
    clone3.put("errnoRet", ENOSYS);
  }
}
