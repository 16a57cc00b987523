"""Stock and quotes under bench (part `stock` of bench.py): consumption requests/s (each one a
write transaction: the consumption row, its ledger row, the new stock), sequential and from 8
clients at once on one material; and the quote list at 10,000 quotes (wrk, 32 connections),
unfiltered and by status."""
import json
import threading
import time

from bench import ADMIN, connect, post_json, report, request, start, stop, wrk_rps

CONSUMPTIONS = 1000
PARALLEL_CLIENTS = 8
QUOTES = 10_000


def call(conn, method, path, token, body=None):
    status, raw = request(conn, method, path, token, None if body is None else json.dumps(body), "application/json")
    assert status < 300, f"{method} {path}: {status} {raw[:300]!r}"
    return json.loads(raw)["data"]


def stock(release):
    import tempfile
    binary = f"{release}/rpma-sidecar"
    with tempfile.TemporaryDirectory(prefix="rpma-bench-stock-") as data_dir:
        proc, addr = start(binary, data_dir)
        try:
            post_json(addr, "/api/v1/auth/bootstrap-admin", ADMIN)
            token = post_json(addr, "/api/v1/auth/login", {"email": ADMIN["email"], "password": ADMIN["password"]})["access_token"]
            conn = connect(addr)
            task = call(conn, "POST", "/api/v1/tasks", token, {
                "vehicle_plate": "BE-001-NC", "vehicle_model": "Model 3", "ppf_zones": ["hood"],
                "scheduled_date": "2026-12-15", "status": "pending",
            })
            job = call(conn, "POST", "/api/v1/interventions", token, {"task_id": task["id"]})
            iid, step = job["intervention"]["id"], job["steps"][0]["id"]
            film = call(conn, "POST", "/api/v1/materials", token, {
                "sku": "BENCH-FILM", "name": "Bench film", "material_type": "ppf_film", "unit_of_measure": "meter",
                "unit_cost": 1250, "reorder_point": 10, "initial_stock": 1_000_000,
            })
            body = json.dumps({"material_id": film["id"], "step_id": step, "quantity_used": 0.5, "waste_quantity": 0.1, "waste_reason": "offcut"})
            path = f"/api/v1/interventions/{iid}/consumption"

            began = time.perf_counter()
            for _ in range(CONSUMPTIONS):
                status, raw = request(conn, "POST", path, token, body, "application/json")
                assert status == 201, raw[:300]
            report(f"POST …/consumption (sequential, {CONSUMPTIONS}; row + 2 ledger rows each)",
                   CONSUMPTIONS / (time.perf_counter() - began), "req/s")

            failures = []

            def client():
                own = connect(addr)
                for _ in range(CONSUMPTIONS // PARALLEL_CLIENTS):
                    status, raw = request(own, "POST", path, token, body, "application/json")
                    if status != 201:
                        failures.append(raw[:200])
                own.close()

            threads = [threading.Thread(target=client) for _ in range(PARALLEL_CLIENTS)]
            began = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert not failures, failures[:3]
            report(f"POST …/consumption ({PARALLEL_CLIENTS} clients at once, one material)",
                   CONSUMPTIONS / (time.perf_counter() - began), "req/s")
            left = call(conn, "GET", f"/api/v1/materials/{film['id']}", token)["current_stock"]
            assert abs(left - (1_000_000 - 2 * CONSUMPTIONS * 0.6)) < 1e-6, left

            client_id = call(conn, "POST", "/api/v1/clients", token, {"name": "Bench Client"})["id"]
            statuses = ["draft", "sent"]
            for n in range(QUOTES):
                quote = call(conn, "POST", "/api/v1/quotes", token, {
                    "client_id": client_id, "description": f"Quote {n}", "vehicle_plate": f"Q{n:05d}",
                    "items": [{"kind": "labor", "label": "Fitting", "qty": 2, "unit_price": 6000},
                              {"kind": "material", "label": "Film", "qty": 1.5, "unit_price": 4000}],
                })
                if n % 2:
                    call(conn, "POST", f"/api/v1/quotes/{quote['id']}/status", token, {"to": statuses[1]})
            conn.close()
            auth = [f"Authorization: Bearer {token}"]
            report(f"GET /quotes at {QUOTES:,} quotes (first page of 50, 32 connections)",
                   wrk_rps(addr, "/api/v1/quotes", auth), "req/s")
            report(f"GET /quotes?status=sent at {QUOTES:,} quotes (32 connections)",
                   wrk_rps(addr, "/api/v1/quotes?status=sent&limit=50", auth), "req/s")
        finally:
            stop(proc)
