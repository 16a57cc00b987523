"""The plant under bench (part `ops` of bench.py): the demo plant with a year of line telemetry
loaded by `rpma-seed --ops-demo --telemetry-days 365` (its time), then requests/s (wrk, 32
connections) of what the plant screens ask most: the dashboard summary (OEE, yield and the
bottleneck over the last day of every line), a line's OEE over a day, a month and the whole
year (the longest window the API takes), and the control tower."""
import datetime
import os
import subprocess
import tempfile
import time

from bench import ADMIN, api, post_json, report, start, stop, wrk_rps

TELEMETRY_DAYS = 365


def ops(release):
    binary = os.path.join(release, "rpma-sidecar")
    with tempfile.TemporaryDirectory(prefix="rpma-bench-ops-") as data_dir:
        began = time.perf_counter()
        out = subprocess.run(
            [os.path.join(release, "rpma-seed"), "--data-dir", data_dir, "--ops-demo", "--telemetry-days", str(TELEMETRY_DAYS)],
            check=True, capture_output=True, text=True,
        ).stdout.strip()
        seeded = time.perf_counter() - began
        intervals = out.split(" lines, ")[1].split(" ")[0]
        report(f"rpma-seed --ops-demo --telemetry-days {TELEMETRY_DAYS} ({intervals} telemetry intervals)", seeded, "s")

        proc, addr = start(binary, data_dir)
        try:
            post_json(addr, "/api/v1/auth/bootstrap-admin", ADMIN)
            token = post_json(addr, "/api/v1/auth/login", {"email": ADMIN["email"], "password": ADMIN["password"]})["access_token"]
            auth = [f"Authorization: Bearer {token}"]
            line = api(addr, "GET", "/api/v1/ops/lines", token)[0]["id"]
            now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)

            def window(days):
                start_at = (now - datetime.timedelta(days=days)).isoformat().replace("+00:00", "Z")
                return f"from={start_at}&to={now.isoformat().replace('+00:00', 'Z')}"

            year = api(addr, "GET", f"/api/v1/ops/lines/{line}/oee?{window(365)}", token)
            assert year["intervals"] > 0, year
            report("GET /ops/dashboard/summary, a year of telemetry (32 connections)",
                   wrk_rps(addr, "/api/v1/ops/dashboard/summary", auth), "req/s", 1000, "higher")
            for days, label in ((1, "a day"), (30, "30 days"), (365, f"a year, {year['intervals']:,} intervals")):
                report(f"GET /ops/lines/{{id}}/oee over {label} (32 connections)",
                       wrk_rps(addr, f"/api/v1/ops/lines/{line}/oee?{window(days)}", auth), "req/s")
            report("GET /ops/control-tower/runbooks (32 connections)",
                   wrk_rps(addr, "/api/v1/ops/control-tower/runbooks", auth), "req/s")
        finally:
            stop(proc)
