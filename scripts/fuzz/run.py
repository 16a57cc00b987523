"""API fuzzing of the real sidecar from openapi/openapi.json, signed in as an admin.

Usage: run.py SIDECAR_BINARY [extra schemathesis arguments...]

Starts the sidecar on a fresh temporary data dir with `--port 0`, reads the address from its
`listening` line, makes the first admin through the API (the hooks sign in with it and sign in
again whenever a fuzzed call ends the session), then runs schemathesis with the settings of
schemathesis.toml beside this file. Exits with schemathesis' status: non-zero on any server
error, response that breaks the document, or request the document allows that the server refuses.
"""

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
# How long the sidecar may take to print its `listening` line.
START_DEADLINE_S = 30
# Admins besides the first, for the hooks to sign in with when one is locked out.
SPARE_ADMINS = 8


def start_sidecar(binary, data_dir, log):
    """The running sidecar and its `host:port`."""
    proc = subprocess.Popen(
        [binary, "--host", "127.0.0.1", "--port", "0", "--data-dir", data_dir, "--log-format", "json"],
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "RPMA_SHELL_TOKEN"},
    )
    deadline = time.monotonic() + START_DEADLINE_S
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if message.get("event") == "listening":
            return proc, message["addr"]
    proc.kill()
    sys.exit(f"the sidecar did not print its listening line (log: {log.name})")


def post(base, path, body, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(
        base + path, data=json.dumps(body).encode(), headers=headers, method="POST"
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)["data"]


def seed(base, token):
    """Rows for the operations on `/{id}` to reach past `NOT_FOUND`: per kind, one that every
    operation uses and a spare that `DELETE` removes. Their ids go to schemathesis.toml."""
    ids = {}
    for n, which in enumerate(("", "SPARE_")):
        user = post(base, "/api/v1/users", {
            "email": f"fuzz.tech{n}@example.org", "username": f"fuzz_tech{n}",
            "first_name": "Fuzz", "last_name": "Tech", "password": "Tech1234x", "role": "technician",
        }, token)
        client = post(base, "/api/v1/clients", {"name": f"Fuzz client {n}"}, token)
        task = post(base, "/api/v1/tasks", {
            "vehicle_plate": f"FZ-{n}", "vehicle_model": "Model 3", "ppf_zones": ["hood"],
            "scheduled_date": "2026-12-24", "client_id": client["id"],
        }, token)
        event = post(base, "/api/v1/calendar/events", {
            "title": f"Fuzz event {n}", "start_datetime": f"2026-12-2{n}T09:00:00Z",
            "end_datetime": f"2026-12-2{n}T10:00:00Z",
        }, token)
        for kind, row in (("USER", user), ("CLIENT", client), ("TASK", task), ("EVENT", event)):
            ids[f"RPMA_FUZZ_{which}{kind}"] = row["id"]
    return ids


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    binary, extra = sys.argv[1], sys.argv[2:]
    work = tempfile.mkdtemp(prefix="rpma-fuzz-")
    log = open(os.path.join(work, "sidecar.log"), "w")
    proc, addr = start_sidecar(binary, os.path.join(work, "data"), log)
    base = f"http://{addr}"
    status = 1
    try:
        # Not the document's example credentials, so a generated sign-in never hits the admin.
        email, password = "fuzz.admin@example.org", "Fz" + secrets.token_hex(8) + "9"
        post(
            base,
            "/api/v1/auth/bootstrap-admin",
            {
                "email": email,
                "username": "fuzz_admin",
                "first_name": "Fuzz",
                "last_name": "Admin",
                "password": password,
            },
        )
        token = post(base, "/api/v1/auth/login", {"email": email, "password": password})["access_token"]
        # Spare admins: wrong passwords sent by fuzzed calls (password change, 2FA disable) may
        # lock the signed-in admin out of signing in again; the hooks then move to the next one.
        accounts = [[email, password]]
        for n in range(1, SPARE_ADMINS + 1):
            spare = f"fuzz.admin{n}@example.org"
            post(base, "/api/v1/users", {
                "email": spare, "username": f"fuzz_admin{n}", "first_name": "Fuzz",
                "last_name": "Admin", "password": password, "role": "admin",
            }, token)
            accounts.append([spare, password])
        env = dict(
            os.environ,
            **seed(base, token),
            RPMA_FUZZ_BASE=base,
            RPMA_FUZZ_ACCOUNTS=json.dumps(accounts),
            SCHEMATHESIS_HOOKS="hooks",
            PYTHONPATH=HERE,
        )
        command = [
            os.path.join(os.path.dirname(sys.executable), "schemathesis"),
            "--config-file",
            os.path.join(HERE, "schemathesis.toml"),
            "run",
            os.path.join(ROOT, "openapi", "openapi.json"),
            "--url",
            base,
            "--report",
            "junit",
            "--report-dir",
            os.path.join(work, "report"),
            *extra,
        ]
        started = time.monotonic()
        status = subprocess.call(command, env=env, cwd=work)
        print(f"fuzz: schemathesis finished in {time.monotonic() - started:.0f} s with status {status}")
        if proc.poll() is not None:
            print(f"fuzz: the sidecar exited during the run with {proc.returncode}")
            status = status or 1
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        if status == 0:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"fuzz: sidecar log and report kept in {work}")
    sys.exit(status)


if __name__ == "__main__":
    main()
