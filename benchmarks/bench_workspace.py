"""The workspace under load on localhost: N users assessing at once, in one run beside a baseline.

    python benchmarks/bench_workspace.py [--users 8] [--assessments 1000] [--workers 2] [--paths 0]
                                         [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/DB]

A real uvicorn server over a fresh database (SQLite in a temporary folder unless a URL is given) with `--workers`
worker processes. Each user signs in, opens a matter and uploads the Chinese example, then all users submit their
share of `--assessments` assessments at once through the JSON API and wait for each (rules only with --paths 0;
a risk analysis of that many paths otherwise). Prints one JSON line:
  throughput_per_s      assessments finished per second of the loaded phase
  latency_p50_s / p95   from the request to the stored assessment, per assessment
  lost, failed          assessments requested but not stored, and runs that failed (both must be 0)
  rss_mb                the server's and its workers' resident memory after each tenth of the assessments
  rss_growth            last tenth over the second tenth (flat is about 1.0)
  baseline_per_s        the same assessments (read, validated, assessed, serialised) through the pipeline in this
                        process, one after another, with no server, database or worker
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _family_rss(workers) -> float:
    """This process's and its worker processes' resident memory."""
    processes = getattr(workers.pool, "_processes", None) or {}
    pids = [os.getpid(), *(p.pid for p in list(processes.values()))]
    return round(sum(_rss_mb(pid) for pid in pids), 1)


def main(users: int, assessments: int, workers: int, paths: int, database_url: str | None) -> dict:
    from tests.web_support import running_workspace

    cn = (ROOT / "examples" / "cn_licence_special_plan.yaml").read_text(encoding="utf-8")
    run = uuid.uuid4().hex[:8]  # users of this run, apart from any already in a database given by URL
    body = {"paths": max(paths, 100), "risk": paths > 0, "advice": False, "seed": 0}
    with tempfile.TemporaryDirectory() as data, running_workspace(Path(data), database_url, workers) as ws:
        clients = []
        for n in range(users):
            email = f"user{n}-{run}@bench.example"
            ws.user(email)
            client = ws.browser_client(email)
            matter = client.api("POST", "/api/matters", json={"name": f"Matter {n}"}).json()["id"]
            client.api("POST", f"/api/matters/{matter}/versions", json={"filename": "cn.yaml", "text": cn})
            clients.append((client, matter))
        # Warm the workers (each imports ipsa once) before measuring.
        first, matter = clients[0]
        job = first.api("POST", f"/api/matters/{matter}/versions/1/assessments", json=body).json()["id"]
        while first.http.get(f"/api/matters/{matter}/jobs/{job}").json()["status"] not in ("done", "failed"):
            time.sleep(0.1)
        pool = ws.app.state.workers  # the running app's worker pool, for its processes' memory
        latencies: list[float] = []
        finished = [0]
        failed = [0]
        memory: list[float] = []
        lock = threading.Lock()
        share = [assessments // users + (1 if k < assessments % users else 0) for k in range(users)]

        def user(k: int) -> None:
            client, matter = clients[k]
            for _ in range(share[k]):
                started = time.perf_counter()
                job = client.api("POST", f"/api/matters/{matter}/versions/1/assessments", json=body).json()["id"]
                while True:
                    state = client.http.get(f"/api/matters/{matter}/jobs/{job}").json()
                    if state["status"] in ("done", "failed"):
                        break
                    time.sleep(0.05)
                with lock:
                    failed[0] += state["status"] == "failed"
                    latencies.append(time.perf_counter() - started)
                    finished[0] += 1
                    if finished[0] % max(1, assessments // 10) == 0:
                        memory.append(_family_rss(pool))

        started = time.perf_counter()
        threads = [threading.Thread(target=user, args=(k,)) for k in range(users)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
        stored = sum(len(c.http.get(f"/api/matters/{m}/assessments").json()) for c, m in clients) - 1  # less warm-up

    from ipsa.engine import pipeline
    from ipsa.engine.loading import load_text

    options = pipeline.Options(risk=paths > 0, paths=max(paths, 100), advice=False)
    pipeline.run(load_text(cn, "cn.yaml"), options)
    count = min(assessments, 50)
    t0 = time.perf_counter()
    for _ in range(count):  # what a worker does for one job, less the database and the HTTP around it
        pipeline.run(load_text(cn, "cn.yaml"), options).model_dump_json()
    baseline = count / (time.perf_counter() - t0)
    ordered = sorted(latencies)
    return {
        "users": users, "assessments": assessments, "workers": workers, "paths": paths,
        "database": "postgresql" if database_url else "sqlite",
        "throughput_per_s": round(len(latencies) / elapsed, 2),
        "latency_p50_s": round(statistics.median(ordered), 3),
        "latency_p95_s": round(ordered[int(0.95 * (len(ordered) - 1))], 3),
        "lost": assessments - stored, "rss_mb": memory,
        "rss_growth": round(memory[-1] / memory[1], 3) if len(memory) > 2 else None,
        "baseline_per_s": round(baseline, 2), "failed": failed[0],
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--assessments", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--paths", type=int, default=0, help="0: rules only")
    parser.add_argument("--database-url")
    args = parser.parse_args()
    print(json.dumps(main(args.users, args.assessments, args.workers, args.paths, args.database_url)))
