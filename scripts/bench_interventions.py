"""Interventions under bench (part `interventions` of bench.py): advance-step requests/s, the
upload of a 4000 x 3000 JPEG (decode, EXIF-free re-encode, thumbnail), and the report PDF of a
job with 20 photos, with the sidecar's peak memory while it is made."""
import json
import statistics
import subprocess
import tempfile
import time

from bench import ADMIN, connect, post_json, report, request, start, stop

ADVANCES = 300
UPLOADS = 5
REPORT_PHOTOS = 20


def call(addr, method, path, token, body=None, content_type="application/json"):
    conn = connect(addr)
    try:
        data = body if body is None or isinstance(body, bytes) else json.dumps(body)
        status, raw = request(conn, method, path, token, data, content_type if body is not None else None)
    finally:
        conn.close()
    assert status < 300, f"{method} {path}: {status} {raw[:300]!r}"
    return json.loads(raw)["data"] if raw[:1] == b"{" else raw


def new_job(addr, token, n):
    task = call(addr, "POST", "/api/v1/tasks", token, {
        "vehicle_plate": f"BE-{n:03d}-NC"[:20], "vehicle_model": "Model 3", "ppf_zones": ["hood", "bumper", "mirrors"],
        "scheduled_date": "2026-12-15", "status": "pending",
    })
    return call(addr, "POST", "/api/v1/interventions", token, {"task_id": task["id"], "temperature_celsius": 21})


def multipart(jpeg):
    boundary = "rpma-bench"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"p.jpg\"\r\n"
            "Content-Type: image/jpeg\r\n\r\n").encode()
    return head + jpeg + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def peak_rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def interventions(release):
    binary = f"{release}/rpma-sidecar"
    with tempfile.TemporaryDirectory(prefix="rpma-bench-int-") as data_dir:
        proc, addr = start(binary, data_dir)
        try:
            post_json(addr, "/api/v1/auth/bootstrap-admin", ADMIN)
            token = post_json(addr, "/api/v1/auth/login", {"email": ADMIN["email"], "password": ADMIN["password"]})["access_token"]

            jobs = [new_job(addr, token, n) for n in range(ADVANCES)]
            conn = connect(addr)
            began = time.perf_counter()
            for job in jobs:
                path = f"/api/v1/interventions/{job['intervention']['id']}/steps/{job['steps'][0]['id']}/advance"
                status, raw = request(conn, "POST", path, token, b"{}", "application/json")
                assert status == 200, raw[:300]
            elapsed = time.perf_counter() - began
            conn.close()
            report(f"POST …/steps/{{id}}/advance (sequential, {ADVANCES} steps)", ADVANCES / elapsed, "req/s")

            with tempfile.NamedTemporaryFile(suffix=".jpg") as big:
                subprocess.run(["convert", "-size", "4000x3000", "gradient:#204080-#e0a060", "-quality", "90", big.name], check=True)
                jpeg = open(big.name, "rb").read()
            body, content_type = multipart(jpeg)
            job = new_job(addr, token, 900)
            iid, steps = job["intervention"]["id"], job["steps"]
            times = []
            for i in range(REPORT_PHOTOS):
                step = steps[0] if i < 10 else steps[2]
                began = time.perf_counter()
                call(addr, "POST", f"/api/v1/interventions/{iid}/steps/{step['id']}/photos", token, body, content_type)
                times.append((time.perf_counter() - began) * 1000)
            report(f"photo upload + thumbnail, 4000x3000 JPEG of {len(jpeg) // 1024} KiB (median of {REPORT_PHOTOS})",
                   statistics.median(times), "ms")

            # Peak memory from here on: the kernel's high-water mark, reset first.
            with open(f"/proc/{proc.pid}/clear_refs", "w") as refs:
                refs.write("5")
            began = time.perf_counter()
            made = call(addr, "POST", f"/api/v1/interventions/{iid}/report", token)
            report(f"intervention report PDF with {REPORT_PHOTOS} photos", (time.perf_counter() - began) * 1000, "ms")
            report("sidecar peak RSS while the report is made", peak_rss_mib(proc.pid), "MiB", 150, "lower")
            assert made["report_number"].startswith("INT-"), made
        finally:
            stop(proc)
