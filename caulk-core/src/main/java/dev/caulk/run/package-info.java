/**
 * Runs an image in a real OCI runtime without a daemon, to prove that it starts and answers: {@link
 * dev.caulk.run.Bundle} unpacks an image into an OCI runtime bundle (runtime-spec 1.0.2 {@code
 * config.json} plus a read-only {@code rootfs/}), {@link dev.caulk.run.Container} runs the bundle
 * under {@code runc} with a private state directory and tears it down, and {@link
 * dev.caulk.run.Probe} waits for the container's TCP port and sends an HTTP GET.
 *
 * <p>Every run is confined by a {@link dev.caulk.run.Sandbox}: the image's non-root user, a user
 * namespace where possible, its own network namespace (reached through {@link
 * dev.caulk.run.NetnsRelay}), cgroup limits, no capabilities, no new privileges, seccomp and a
 * read-only root. With the host network, two containers listening on the same port cannot run at
 * once, and {@link dev.caulk.run.Container#start} serialises them with a per-port lock. See
 * docs/run.md.
 */
package dev.caulk.run;
