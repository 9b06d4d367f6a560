/**
 * Runs an image in a real OCI runtime without a daemon, to prove that it starts and answers:
 * {@link dev.caulk.run.Bundle} unpacks an image into an OCI runtime bundle (runtime-spec 1.0.2
 * {@code config.json} plus a read-only {@code rootfs/}), {@link dev.caulk.run.Container} runs the
 * bundle under {@code runc} with a private state directory and tears it down, and
 * {@link dev.caulk.run.Probe} waits for a TCP port on 127.0.0.1 and sends an HTTP GET.
 *
 * <p>Containers share the host's network namespace so that a probe reaches them on the loopback
 * address; two containers listening on the same port therefore cannot run at once, and
 * {@link dev.caulk.run.Container#start} serialises them with a per-port lock. See docs/run.md.
 */
package dev.caulk.run;
