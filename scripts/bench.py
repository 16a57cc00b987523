#!/usr/bin/env python3
"""Benchmarks of the release sidecar: start-up to healthy, idle memory, health requests/s,
sign-in latency and authenticated requests/s; the desktop shell's launch to a healthy sidecar
(under Xvfb) and the window action round trip REST -> socket -> shell.

Usage: bench.py RELEASE_DIR   (with rpma-sidecar, rpma-shell and examples/window_roundtrip)
Prints one line per measurement with its target. Load comes from wrk on the same machine,
so client and server share the cores: the numbers are what this machine does, end to end.
"""
import glob
import http.client
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time

START_RUNS = 10
LOGIN_RUNS = 20
ADMIN = {
    "email": "bench@example.com",
    "username": "bench",
    "first_name": "Bench",
    "last_name": "Mark",
    "password": "Bench1234",
}
LOAD_SECONDS = 10
LOAD_CONNECTIONS = 32


def start(binary, data_dir):
    """Start the sidecar on a free port; return (process, 'host:port')."""
    proc = subprocess.Popen(
        [binary, "--port", "0", "--data-dir", data_dir],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    line = proc.stdout.readline()
    event = json.loads(line)
    assert event["event"] == "listening", line
    return proc, event["addr"]


def healthy(addr):
    host, port = addr.rsplit(":", 1)
    try:
        conn = http.client.HTTPConnection(host, int(port), timeout=2)
        conn.request("GET", "/api/v1/health")
        ok = conn.getresponse().status == 200
        conn.close()
        return ok
    except OSError:
        return False


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    code = proc.wait(timeout=10)
    assert code == 0, f"sidecar exited with {code}"


def cold_start_ms(binary, data_dir):
    """Milliseconds from spawning the process to its first 200 from /api/v1/health."""
    began = time.perf_counter()
    proc, addr = start(binary, data_dir)
    while not healthy(addr):
        time.sleep(0.001)
    elapsed = (time.perf_counter() - began) * 1000
    stop(proc)
    return elapsed


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        kib = int(re.search(r"VmRSS:\s+(\d+) kB", status.read()).group(1))
    return kib / 1024


def post_json(addr, path, body):
    host, port = addr.rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    conn.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
    response = conn.getresponse()
    data = json.loads(response.read())
    conn.close()
    assert response.status < 300, data
    return data["data"]


def login_ms(addr):
    """Milliseconds of one POST /api/v1/auth/login (Argon2id verification included)."""
    began = time.perf_counter()
    tokens = post_json(addr, "/api/v1/auth/login", {"email": ADMIN["email"], "password": ADMIN["password"]})
    elapsed = (time.perf_counter() - began) * 1000
    return elapsed, tokens["access_token"]


def wrk_rps(addr, path, headers=()):
    extra = [arg for header in headers for arg in ("-H", header)]
    out = subprocess.run(
        ["wrk", "-t2", f"-c{LOAD_CONNECTIONS}", f"-d{LOAD_SECONDS}s", *extra, f"http://{addr}{path}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    assert errors is None, f"wrk saw errors:\n{out}"
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def report(name, value, unit, target=None, better="lower"):
    if target is None:
        print(f"{name:<48} {value:>10.1f} {unit}")
        return
    met = value < target if better == "lower" else value >= target
    bound = "<" if better == "lower" else ">="
    print(f"{name:<48} {value:>10.1f} {unit:<6} target {bound} {target:<8} {'ok' if met else 'MISSED'}")


SHELL_RUNS = 5


class Display:
    """Xvfb, a session bus and openbox, for the shell."""

    def __enter__(self):
        self.env = dict(os.environ, DISPLAY=f":{random.randint(200, 299)}")
        self.procs = [subprocess.Popen(["Xvfb", self.env["DISPLAY"], "-noreset", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
        wait_until(lambda: subprocess.run(["xdpyinfo"], env=self.env, capture_output=True).returncode == 0, 10)
        bus = subprocess.run(["dbus-launch", "--sh-syntax"], env=self.env, capture_output=True, text=True, check=True).stdout
        for key in ("DBUS_SESSION_BUS_ADDRESS", "DBUS_SESSION_BUS_PID"):
            self.env[key] = re.search(rf"{key}='?([^';]+)", bus).group(1)
        self.procs.append(subprocess.Popen(["openbox"], env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        return self

    def __exit__(self, *_):
        for proc in self.procs:
            proc.terminate()
        os.kill(int(self.env["DBUS_SESSION_BUS_PID"]), signal.SIGTERM)


def wait_until(done, seconds):
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        time.sleep(0.002)


def shell_launch_ms(shell, display):
    """Milliseconds from spawning rpma-shell to its log saying the backend is healthy."""
    with tempfile.TemporaryDirectory(prefix="rpma-bench-shell-") as home:
        env = dict(display.env, XDG_DATA_HOME=f"{home}/data", XDG_CONFIG_HOME=f"{home}/config",
                   XDG_CACHE_HOME=f"{home}/cache", XDG_RUNTIME_DIR=f"{home}/run")
        os.makedirs(env["XDG_RUNTIME_DIR"], mode=0o700)
        log = f"{home}/data/com.rpma.desktop/logs/shell.log"
        began = time.perf_counter()
        proc = subprocess.Popen([shell], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        def healthy():
            return os.path.exists(log) and "backend healthy" in open(log).read()

        wait_until(healthy, 60)
        elapsed = (time.perf_counter() - began) * 1000
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
        return elapsed


def main():
    release = sys.argv[1]
    binary = os.path.join(release, "rpma-sidecar")
    with tempfile.TemporaryDirectory(prefix="rpma-bench-") as data_dir:
        # Create and migrate the database once: start-up is measured on an existing one.
        proc, _ = start(binary, data_dir)
        stop(proc)

        starts = [cold_start_ms(binary, data_dir) for _ in range(START_RUNS)]
        report(f"start to healthy (median of {START_RUNS})", statistics.median(starts), "ms", 100, "lower")

        proc, addr = start(binary, data_dir)
        try:
            assert healthy(addr)
            time.sleep(1)
            report("idle RSS", rss_mib(proc.pid), "MiB", 20, "lower")
            rps = wrk_rps(addr, "/api/v1/health")
            report(f"GET /api/v1/health ({LOAD_CONNECTIONS} conns, {LOAD_SECONDS}s)", rps, "req/s", 40000, "higher")

            post_json(addr, "/api/v1/auth/bootstrap-admin", ADMIN)
            logins = [login_ms(addr) for _ in range(LOGIN_RUNS)]
            report(f"POST /api/v1/auth/login (median of {LOGIN_RUNS})", statistics.median(t for t, _ in logins), "ms")
            token = logins[-1][1]
            rps = wrk_rps(addr, "/api/v1/auth/me", [f"Authorization: Bearer {token}"])
            report(f"GET /api/v1/auth/me, authenticated ({LOAD_CONNECTIONS} conns)", rps, "req/s", 20000, "higher")
        finally:
            stop(proc)

    with Display() as display:
        launches = [shell_launch_ms(os.path.join(release, "rpma-shell"), display) for _ in range(SHELL_RUNS)]
    report(f"shell launch to sidecar healthy (median of {SHELL_RUNS})", statistics.median(launches), "ms")

    roundtrip = subprocess.run([os.path.join(release, "examples", "window_roundtrip"), binary],
                               check=True, capture_output=True, text=True).stdout
    p50, p99 = (float(x) for x in re.findall(r"p\d\d_ms=([\d.]+)", roundtrip))
    report("window action REST -> socket -> shell, p50 (1,000 calls)", p50, "ms")
    report("window action REST -> socket -> shell, p99 (1,000 calls)", p99, "ms")


if __name__ == "__main__":
    main()
