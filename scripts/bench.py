#!/usr/bin/env python3
"""Benchmarks of the release sidecar: start-up to healthy, idle memory, health requests/s,
sign-in latency and authenticated requests/s; tasks at scale on a database filled by rpma-seed
(filtered lists, statistics, CSV export and its memory, CSV import); a mixed read/write load at
64 connections on the same data (scripts/bench_load.py); the plant's dashboard and OEE on a year
of telemetry (scripts/bench_ops.py); the desktop shell's launch to a healthy
sidecar (under Xvfb) and the window action round trip REST -> socket -> shell.

Usage: bench.py RELEASE_DIR   (with rpma-sidecar, rpma-seed, rpma-shell, examples/window_roundtrip
and examples/load)
BENCH_ONLY=tasks (or a comma-separated list of server, tasks, interventions, stock, ops, load, shell) runs only those parts;
the tasks part needs only rpma-sidecar and rpma-seed, the load part those and examples/load.
Prints one line per measurement with its target. Load comes from wrk on the same machine,
so client and server share the cores: the numbers are what this machine does, end to end.
"""
import csv
import datetime
import glob
import http.client
import io
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
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


def wrk_rps(addr, path, headers=(), script=None):
    extra = [arg for header in headers for arg in ("-H", header)]
    if script is not None:
        extra += ["-s", script]
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
    # Two decimals below 10 (a kept page takes a fraction of a millisecond), one above.
    shown = f"{value:>10.2f}" if abs(value) < 10 else f"{value:>10.1f}"
    if target is None:
        print(f"{name:<72} {shown} {unit}")
        return
    met = value < target if better == "lower" else value >= target
    bound = "<" if better == "lower" else ">="
    print(f"{name:<72} {shown} {unit:<6} target {bound} {target:<8} {'ok' if met else 'MISSED'}")


SEED_TASKS = 100_000
SEED_CLIENTS = 5_000
PAGE_RUNS = 300
STATS_RUNS = 50
IMPORT_ROWS = 10_000
RSS_SAMPLE_SECONDS = 0.002


def request(conn, method, path, token=None, body=None, content_type=None):
    """One request on an open connection; returns (status, body bytes)."""
    headers = {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if content_type:
        headers["Content-Type"] = content_type
    conn.request(method, path, body, headers)
    response = conn.getresponse()
    return response.status, response.read()


def connect(addr, timeout=60):
    host, port = addr.rsplit(":", 1)
    return http.client.HTTPConnection(host, int(port), timeout=timeout)


def api(addr, method, path, token, body=None, content_type=None):
    """`data` of a successful API call; fails loudly on anything else."""
    conn = connect(addr)
    try:
        status, raw = request(conn, method, path, token, body, content_type)
    finally:
        conn.close()
    assert status == 200, f"{method} {path}: {status} {raw[:500]!r}"
    envelope = json.loads(raw)
    assert envelope["success"], envelope
    return envelope["data"]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def status_kib(pid, key):
    with open(f"/proc/{pid}/status") as status:
        return int(re.search(rf"{key}:\s+(\d+) kB", status.read()).group(1))


class RssSampler(threading.Thread):
    """Highest VmRSS of a process, sampled every few milliseconds until stopped."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak_kib, self.samples = pid, 0, 0
        self.done = threading.Event()

    def run(self):
        while not self.done.is_set():
            self.peak_kib = max(self.peak_kib, status_kib(self.pid, "VmRSS"))
            self.samples += 1
            time.sleep(RSS_SAMPLE_SECONDS)

    def __exit__(self, *_):
        self.done.set()
        self.join()

    def __enter__(self):
        self.start()
        return self


def import_csv(rows):
    """A valid import without technicians (so no booking can conflict), dated in the coming year."""
    zones = ["hood", "left_fender", "right_fender", "bumper", "mirrors", "sills", "roof", "doors"]
    models = ["Model 3", "Taycan", "M3", "RS6 Avant", "Golf R", "Clio", "508", "GR Yaris"]
    today = datetime.date.today()
    rng = random.Random(42)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["title", "vehicle_plate", "vehicle_model", "ppf_zones", "scheduled_date", "status", "priority"])
    for i in range(rows):
        model = rng.choice(models)
        plate = f"IM-{i % 1000:03d}-{chr(65 + i // 1000 % 26)}{chr(65 + i // 26000 % 26)}"
        writer.writerow([
            f"Imported {model} {i + 1}",
            plate,
            model,
            ";".join(rng.sample(zones, rng.randint(1, 4))),
            (today + datetime.timedelta(days=rng.randint(1, 365))).isoformat(),
            rng.choice(["draft", "pending", "scheduled"]),
            rng.choice(["low", "medium", "high", "urgent"]),
        ])
    return out.getvalue().encode()


# wrk script: each request the first page of completed tasks in a 90-day window ending on a
# random one of the last 1,000 days (TODAY is replaced by today's date).
DISTINCT_PAGES_LUA = """
local y, m, d = string.match("TODAY", "(%d+)-(%d+)-(%d+)")
local today = os.time({year = tonumber(y), month = tonumber(m), day = tonumber(d), hour = 12})
math.randomseed(os.time())
request = function()
  local to = today - math.random(0, 999) * 86400
  local from = to - 90 * 86400
  return wrk.format(nil, "/api/v1/tasks?status=completed&from=" .. os.date("!%Y-%m-%d", from)
    .. "&to=" .. os.date("!%Y-%m-%d", to) .. "&limit=50")
end
"""


def tasks_at_scale(release):
    """Filtered lists, statistics, export and import on a database of SEED_TASKS tasks."""
    seeder = os.path.join(release, "rpma-seed")
    binary = os.path.join(release, "rpma-sidecar")
    with tempfile.TemporaryDirectory(prefix="rpma-bench-tasks-") as data_dir:
        began = time.perf_counter()
        # Its stderr goes through: a failure says why, and check=True stops the bench.
        subprocess.run([seeder, "--data-dir", data_dir, "--tasks", str(SEED_TASKS), "--clients", str(SEED_CLIENTS),
                        "--password", "Tech12345"], check=True, stdout=subprocess.DEVNULL)
        report(f"rpma-seed {SEED_TASKS:,} tasks, {SEED_CLIENTS:,} clients", time.perf_counter() - began, "s", 30, "lower")

        proc, addr = start(binary, data_dir)
        try:
            post_json(addr, "/api/v1/auth/bootstrap-admin", ADMIN)
            _, token = login_ms(addr)
            bearer = [f"Authorization: Bearer {token}"]

            # (a) Filtered pages of 50: a technician's assigned work (the busiest technician),
            # and last quarter's completed jobs.
            technicians = api(addr, "GET", "/api/v1/users?role=technician&limit=500", token)["items"]
            assert technicians, "the seed made no technicians"
            busiest = max(technicians, key=lambda t: api(
                addr, "GET", f"/api/v1/tasks?status=assigned&technician_id={t['id']}&limit=1", token)["total"])
            today = datetime.date.today()
            quarter = f"from={today - datetime.timedelta(days=90)}&to={today}"
            lists = [
                ("status=assigned&technician_id=T", f"/api/v1/tasks?status=assigned&technician_id={busiest['id']}&limit=50"),
                ("status=completed&from=-90d&to=today", f"/api/v1/tasks?status=completed&{quarter}&limit=50"),
            ]
            for label, path in lists:
                page = api(addr, "GET", path, token)
                assert page["items"], f"{path} matched nothing"
                rps = wrk_rps(addr, path, bearer)
                report(f"GET /tasks?{label}&limit=50 ({page['total']:,} rows)", rps, "req/s", 10000, "higher")

            # The loop above asks for one page again and again, which after the first request
            # is a kept page (tasks::pages) until a task changes. Here each request asks for a
            # different page: completed jobs in a 90-day window ending a random 0-999 days ago,
            # so at most 64 of 1,000 pages can be kept and nearly every request reads SQLite.
            script = os.path.join(data_dir, "distinct-pages.lua")
            with open(script, "w") as lua:
                lua.write(DISTINCT_PAGES_LUA.replace("TODAY", today.isoformat()))
            rps = wrk_rps(addr, "/api/v1/tasks", bearer, script)
            report("GET /tasks?status=completed&<one of 1,000 90-day windows>&limit=50 (not kept)", rps, "req/s")

            # What one user feels: the latency of the list, requested one after another on one
            # connection: first pages that cannot be kept (each a different 90-day window), then
            # one page asked for again (kept after its first read).
            conn = connect(addr)
            for label, paths in [
                ("not kept", [f"/api/v1/tasks?status=completed&from={today - datetime.timedelta(days=90 + n)}"
                              f"&to={today - datetime.timedelta(days=n)}&limit=50" for n in range(PAGE_RUNS)]),
                ("kept", [lists[1][1]] * PAGE_RUNS),
            ]:
                times = []
                for path in paths:
                    t0 = time.perf_counter()
                    status, raw = request(conn, "GET", path, token)
                    times.append((time.perf_counter() - t0) * 1000)
                    assert status == 200, raw[:500]
                target = 5 if label == "not kept" else None
                report(f"GET /tasks page of 50 at {SEED_TASKS:,} tasks, one connection, {label}, median",
                       statistics.median(times), "ms", target, "lower")
                report(f"GET /tasks page of 50, {label}, p95 of {PAGE_RUNS}", percentile(times, 0.95), "ms")

            # (b) Statistics, sequential on one connection.
            conn = connect(addr)
            for label, query in [("all dates", ""), ("last 90 days", f"?{quarter}")]:
                times = []
                for _ in range(STATS_RUNS):
                    t0 = time.perf_counter()
                    status, raw = request(conn, "GET", f"/api/v1/tasks/stats{query}", token)
                    times.append((time.perf_counter() - t0) * 1000)
                    assert status == 200, raw[:500]
                total = json.loads(raw)["data"]["total"]
                report(f"GET /tasks/stats, {label} ({total:,} tasks), median", statistics.median(times), "ms")
                report(f"GET /tasks/stats, {label}, p95 of {STATS_RUNS}", percentile(times, 0.95), "ms")
            conn.close()

            # (c) Export of every row, with the sidecar's memory sampled while it streams, on a
            # restarted sidecar: what the load above left in the allocator's arenas (tens of MiB
            # after 32 connections) says nothing about the export. Writing 5 to clear_refs resets
            # VmHWM, so it is the peak of the export alone.
            stop(proc)
            proc, addr = start(binary, data_dir)
            _, token = login_ms(addr)
            with open(f"/proc/{proc.pid}/clear_refs", "w") as clear:
                clear.write("5")
            before = status_kib(proc.pid, "VmRSS")
            conn = connect(addr, timeout=120)
            with RssSampler(proc.pid) as sampler:
                t0 = time.perf_counter()
                status, raw = request(conn, "GET", "/api/v1/tasks/export.csv", token)
                seconds = time.perf_counter() - t0
            conn.close()
            assert status == 200, raw[:500]
            rows = sum(1 for _ in csv.reader(io.StringIO(raw.decode()))) - 1
            assert rows == SEED_TASKS, f"exported {rows} rows"
            hwm = status_kib(proc.pid, "VmHWM")
            report(f"GET /tasks/export.csv, {rows:,} rows, {len(raw) / 2**20:.1f} MiB", seconds, "s", 2, "lower")
            report("  sidecar RSS before the export (restarted, signed in)", before / 1024, "MiB")
            report(f"  sidecar peak RSS during the export ({sampler.samples} samples)", sampler.peak_kib / 1024, "MiB", 50, "lower")
            report("  sidecar VmHWM during the export", hwm / 1024, "MiB", 50, "lower")

            # (d) Import, all or nothing.
            body = import_csv(IMPORT_ROWS)
            t0 = time.perf_counter()
            result = api(addr, "POST", "/api/v1/tasks/import?mode=all_or_nothing", token, body, "text/csv")
            seconds = time.perf_counter() - t0
            assert result["created"] == IMPORT_ROWS and not result["errors"], {**result, "errors": result["errors"][:5]}
            report(f"POST /tasks/import, {IMPORT_ROWS:,} rows ({len(body) / 2**20:.1f} MiB)", seconds, "s")
        finally:
            stop(proc)


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


PARTS = ("server", "tasks", "interventions", "stock", "ops", "load", "shell")


def main():
    release = sys.argv[1]
    only = [part.strip() for part in os.environ.get("BENCH_ONLY", "").split(",") if part.strip()] or PARTS
    unknown = set(only) - set(PARTS)
    assert not unknown, f"BENCH_ONLY: unknown part(s) {', '.join(sorted(unknown))}; parts are {', '.join(PARTS)}"
    if "server" in only:
        server(release)
    if "tasks" in only:
        tasks_at_scale(release)
    if "interventions" in only:
        import bench_interventions
        bench_interventions.interventions(release)
    if "stock" in only:
        import bench_stock
        bench_stock.stock(release)
    if "ops" in only:
        import bench_ops
        bench_ops.ops(release)
    if "load" in only:
        import bench_load
        bench_load.load(release)
    if "shell" in only:
        shell(release)


def server(release):
    """Start-up, idle memory, health and authenticated requests/s, sign-in."""
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


def shell(release):
    """The desktop shell's launch and the window action round trip."""
    binary = os.path.join(release, "rpma-sidecar")
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
