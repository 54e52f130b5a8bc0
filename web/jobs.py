"""Background assessments in worker processes (one job at a time each: durable_rules keeps one session per process),
so that the server answers pages while the risk model runs. A worker reads the job from the database, reports its
stage and simulated paths back to the job's row (which the page polls) and stores the assessment."""

from __future__ import annotations

import logging
import multiprocessing
import time
from concurrent.futures import Future, ProcessPoolExecutor

from sqlalchemy import select, update

from ipsa.web.models import Job, now

log = logging.getLogger("ipsa.web")
_ENGINES: dict[str, object] = {}  # per worker process: one engine per database URL


def _session(url: str):
    from ipsa.web.database import make_engine, sessions

    if url not in _ENGINES:
        _ENGINES[url] = sessions(make_engine(url))
    return _ENGINES[url]()


def work(url: str, job_id: int) -> str:
    """Run one job to its end in this (worker) process; returns its final status. Never raises: a failure is
    written to the job for the page to show."""
    from ipsa.web.service import Invalid, run_job

    with _session(url) as db:
        job = db.get(Job, job_id)
        if job is None or job.status != "queued":
            return job.status if job else "missing"
        job.status = "running"
        db.commit()
        last = [0.0]

        def tell(**values) -> None:
            if time.monotonic() - last[0] < 0.25 and "stage" not in values:
                return  # at most four progress writes a second
            last[0] = time.monotonic()
            with _session(url) as side:  # its own transaction: the page sees it while the job runs
                side.execute(update(Job).where(Job.id == job_id).values(**values))
                side.commit()

        try:
            stored = run_job(db, job, progress=lambda done, total: tell(done=done, total=total),
                             stage=lambda text: tell(stage=text[:300]))
            db.refresh(job)  # the progress the side sessions wrote
            job.status, job.assessment_id, job.finished_at, job.stage = "done", stored.id, now(), "done"
            job.done = job.total
            db.commit()
            return "done"
        except Invalid as exc:
            db.rollback()
            _fail(db, job_id, "; ".join(p["message"] for p in exc.problems))
        except Exception:  # noqa: BLE001 - a worker must record, not die; the log has the traceback
            log.exception("job %s failed", job_id)
            db.rollback()
            _fail(db, job_id, "the assessment failed inside ipsa; the server's log has the details")
    return "failed"


def _fail(db, job_id: int, message: str) -> None:
    job = db.get(Job, job_id)
    job.status, job.error, job.finished_at = "failed", message, now()
    db.commit()


class Workers:
    """A pool of `count` worker processes (spawned: each imports ipsa afresh) fed with job ids."""

    def __init__(self, url: str, count: int):
        self.url = url
        self.pool = ProcessPoolExecutor(max_workers=max(1, count), mp_context=multiprocessing.get_context("spawn"))

    def submit(self, job_id: int) -> Future:
        return self.pool.submit(work, self.url, job_id)

    def resume(self, db) -> None:
        """After a restart: jobs left running were interrupted (marked failed); queued ones are run."""
        for job in db.scalars(select(Job).where(Job.status.in_(("queued", "running")))):
            if job.status == "running":
                job.status, job.error, job.finished_at = "failed", "interrupted by a restart of the workspace; run it again", now()
            else:
                self.submit(job.id)
        db.commit()

    def close(self) -> None:
        """Stop now: queued jobs stay queued (run at the next start), a running one is stopped and marked interrupted
        at the next start; a stop never waits for a long risk run to end."""
        processes = list((getattr(self.pool, "_processes", None) or {}).values())
        self.pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:  # concurrent.futures has no public way to stop a busy worker before Python 3.14
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join(10)
