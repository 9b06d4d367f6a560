#!/usr/bin/env python3
"""bench/java's start-up probe: the time from `runc run` to the service's first HTTP 200.

Usage: first-answer.py BUNDLE PORT RUNS EXPECT
BUNDLE is an umoci-unpacked image (config.json + rootfs). Its config is edited once: the network namespace
is dropped (the service listens on the host's loopback), PORT is set in the environment and there is no
terminal. Each run starts a fresh container, polls http://127.0.0.1:PORT/ every 5 ms until it answers 200
with a body containing EXPECT, then kills and deletes the container. Prints the best and the median seconds.
Fails (exit 1, one line) when the service does not answer within 30 s or answers something else.
"""
import json
import os
import socket
import statistics
import subprocess
import sys
import time

RUNC = "/usr/sbin/runc" if os.path.exists("/usr/sbin/runc") else "runc"


def get(port):
    """One GET / on a fresh connection: (status, body), or None when nothing listens yet."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
    except OSError:
        return None
    if not data.startswith(b"HTTP/"):
        return None
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body.decode("utf-8", "replace")


def one(bundle, port, expect, name):
    log = open(os.path.join(os.path.dirname(bundle), name + ".log"), "wb")
    start = time.monotonic()
    proc = subprocess.Popen([RUNC, "run", "--bundle", bundle, name], stdin=subprocess.DEVNULL, stdout=log, stderr=log)
    try:
        while time.monotonic() - start < 30:
            answer = get(port)
            if answer is not None:
                elapsed = time.monotonic() - start
                status, body = answer
                if status != 200 or expect not in body:
                    sys.exit(f"first-answer: {name} answered {status} {body[:200]!r}, expected 200 with {expect!r}")
                return elapsed
            if proc.poll() is not None:
                sys.exit(f"first-answer: {name} exited with {proc.returncode} before answering; see {log.name}")
            time.sleep(0.005)
        sys.exit(f"first-answer: {name} did not answer on port {port} within 30 s; see {log.name}")
    finally:
        subprocess.run([RUNC, "kill", name, "KILL"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        subprocess.run([RUNC, "delete", "-f", name], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main():
    bundle, port, runs, expect = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    path = os.path.join(bundle, "config.json")
    with open(path) as f:
        config = json.load(f)
    linux = config.setdefault("linux", {})
    linux["namespaces"] = [n for n in linux.get("namespaces", []) if n.get("type") != "network"]
    process = config["process"]
    process["terminal"] = False
    process["env"] = [e for e in process.get("env", []) if not e.startswith("PORT=")] + [f"PORT={port}"]
    with open(path, "w") as f:
        json.dump(config, f)
    name = "caulk-bench-java-" + os.path.basename(bundle.rstrip("/")) + "-" + str(os.getpid())
    times = [one(bundle, port, expect, f"{name}-{i}") for i in range(runs)]
    print(f"{min(times):.3f} {statistics.median(times):.3f}")


if __name__ == "__main__":
    main()
