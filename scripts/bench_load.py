"""The load part of scripts/bench.py: LOAD_CONNECTIONS connections for LOAD_SECONDS on a database
seeded with SEED_TASKS tasks, LOAD_WRITE_PERCENT % writes (a task or a client created) and the rest
authenticated reads (task list pages, single tasks, client pages and clients, the caller).

Requests come from the `load` example (sidecar/examples/load.rs), which keeps read and write
latency apart. Reported: requests/s, p50/p99 of reads and of writes, the answers that were not
2xx by status and code, and those that carry a database error (SQLITE_BUSY reaching a client
would be one), plus the sidecar's log lines that mention a locked database. The same mix runs on
SQLite and then on PostgreSQL (scripts/postgres.sh's server, fsync on), after the seeded desk is
moved there with `rpma-sidecar migrate-to`, whose time is reported.
"""
import datetime
import json
import os
import random
import signal
import subprocess
import tempfile
import time

from bench import ADMIN, SEED_CLIENTS, SEED_TASKS, api, login_ms, post_json, report

LOAD_SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "60"))
LOAD_CONNECTIONS = 64
LOAD_WRITE_PERCENT = 10
# Codes a busy or failing database gives a client: none may reach one.
DATABASE_CODES = ("DATABASE_ERROR", "DATABASE_UNAVAILABLE", "TIMEOUT")
BUSY_LOG_WORDS = ("database is locked", "SQLITE_BUSY", "(code: 5)")


def read_paths(addr, token):
    """The reads of the mix: list pages (some kept between writes, some not), tasks, clients."""
    rng = random.Random(13)
    today = datetime.date.today()
    paths = ["/api/v1/auth/me", "/api/v1/tasks?limit=50", "/api/v1/clients?limit=50"]
    # The pages a person turns to: the first twenty of the list.
    paths += [f"/api/v1/tasks?limit=50&offset={50 * rng.randint(1, 20)}" for _ in range(20)]
    for status in ("completed", "scheduled", "assigned", "in_progress"):
        for _ in range(5):
            to = today - datetime.timedelta(days=rng.randint(0, 999))
            paths.append(f"/api/v1/tasks?status={status}&from={to - datetime.timedelta(days=90)}&to={to}&limit=50")
    tasks = api(addr, "GET", "/api/v1/tasks?limit=500&offset=40000", token)["items"]
    paths += [f"/api/v1/tasks/{task['id']}" for task in rng.sample(tasks, 40)]
    clients = api(addr, "GET", "/api/v1/clients?limit=500&offset=1000", token)["items"]
    paths += [f"/api/v1/clients/{client['id']}" for client in rng.sample(clients, 20)]
    paths += [f"/api/v1/clients?limit=50&offset={50 * rng.randint(1, 20)}" for _ in range(10)]
    return paths


def load(release):
    """Mixed reads and writes at 64 connections on 100,000 tasks, on SQLite and then on PostgreSQL
    (the same seeded desk, moved there with `migrate-to`, whose time is reported too)."""
    seeder = os.path.join(release, "rpma-seed")
    binary = os.path.join(release, "rpma-sidecar")
    generator = os.path.join(release, "examples", "load")
    here = os.path.dirname(os.path.abspath(__file__))
    server = subprocess.run([os.path.join(here, "postgres.sh"), "start"], check=True,
                            capture_output=True, text=True).stdout.strip().splitlines()[-1]
    with tempfile.TemporaryDirectory(prefix="rpma-bench-load-") as data_dir:
        subprocess.run([seeder, "--data-dir", data_dir, "--tasks", str(SEED_TASKS), "--clients", str(SEED_CLIENTS),
                        "--password", "Tech12345"], check=True, stdout=subprocess.DEVNULL)
        mixed(binary, generator, data_dir, [], "SQLite")
        database = f"rpma_bench_{os.getpid()}"
        target = server.rsplit("/", 1)[0] + "/" + database
        subprocess.run(["psql", server, "-qc", f"CREATE DATABASE {database}"], check=True)
        try:
            started = time.monotonic()
            moved = subprocess.run([binary, "--data-dir", data_dir, "migrate-to", "--database-url", target],
                                   check=True, capture_output=True, text=True).stdout
            report(f"migrate-to PostgreSQL of {SEED_TASKS:,} tasks ({moved.strip().splitlines()[-1]})",
                   round(time.monotonic() - started, 2), "s")
            mixed(binary, generator, data_dir, ["--database-url", target], "PostgreSQL")
        finally:
            subprocess.run(["psql", server, "-qc", f"DROP DATABASE IF EXISTS {database}"], check=False)


def mixed(binary, generator, data_dir, args, kind):
    """One run of the mix against the sidecar on `data_dir` (and `args`), reported as `kind`."""
    log_path = os.path.join(data_dir, f"sidecar-{kind}.log")
    with open(log_path, "w") as log:
        proc = subprocess.Popen([binary, "--port", "0", "--data-dir", data_dir, *args],
                                stdout=subprocess.PIPE, stderr=log, text=True)
    try:
        event = json.loads(proc.stdout.readline())
        assert event["event"] == "listening", event
        addr = event["addr"]
        if kind == "SQLite":  # the admin then moves to PostgreSQL with the rest
            post_json(addr, "/api/v1/auth/bootstrap-admin", ADMIN)
        _, token = login_ms(addr)
        paths_file = os.path.join(data_dir, "paths.txt")
        with open(paths_file, "w") as out:
            out.write("\n".join(read_paths(addr, token)) + "\n")
        result = json.loads(subprocess.run(
            [generator, addr, token, str(LOAD_SECONDS), str(LOAD_CONNECTIONS), str(LOAD_WRITE_PERCENT), paths_file],
            check=True, capture_output=True, text=True).stdout)
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0, "sidecar did not exit cleanly"
    with open(log_path) as log:
        busy_logged = sum(1 for line in log if any(word in line for word in BUSY_LOG_WORDS))

    failures = result["failures"]
    database = sum(n for key, n in failures.items() if key.split(" ", 1)[1] in DATABASE_CODES)
    reads, writes = result["reads"], result["writes"]
    label = f"{kind}: {LOAD_CONNECTIONS} conns, {LOAD_SECONDS}s, {LOAD_WRITE_PERCENT}% writes, {SEED_TASKS:,} tasks"
    report(f"mixed load ({label})", result["requests_per_s"], "req/s")
    report(f"  answers not 2xx ({reads['count'] + writes['count']:,} requests): {failures or 'none'}",
           sum(failures.values()), "", 1, "lower")
    report("  database errors reaching a client (SQLITE_BUSY among them)", database, "", 1, "lower")
    report("  sidecar log lines about a locked database", busy_logged, "", 1, "lower")
    report(f"  reads p50 ({reads['count']:,})", reads["p50_ms"], "ms")
    report("  reads p99", reads["p99_ms"], "ms")
    report(f"  writes p50 ({writes['count']:,})", writes["p50_ms"], "ms")
    report("  writes p99", writes["p99_ms"], "ms", 100, "lower")
    report("  writes max", writes["max_ms"], "ms")
