"""Chaos run: 50 jobs while workers and API processes are SIGKILLed at random, then consistency checks.

Needs the scaled backends (PostgreSQL, Redis, S3-compatible): run `eval "$(scripts/services.sh start)"` first.
Starts 2 API processes and 3 workers (lease 3 s), submits 50 jobs from 5 users through random API processes
(retrying with the same Idempotency-Key when a process dies under a request), and for --seconds kills a random
worker or API process every few seconds and restarts it. Then waits for every job to end and checks: every job
terminal; no job completed twice (one completion log line per job); the ledger consistent (balance = grants -
debits + refunds, one debit per job, refunds only for failed/deleted ones); no orphan objects in storage.

Usage: python bench/chaos.py [--seconds 120] [--jobs 50] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deepfakesweb.config import Settings  # noqa: E402
from deepfakesweb.credits.models import EntryKind, LedgerEntry  # noqa: E402
from deepfakesweb.runtime import build_runtime  # noqa: E402
from deepfakesweb.videos.models import Video, VideoStatus  # noqa: E402
from tests.factories import CLIP, FACE, make_account, make_backend  # noqa: E402
from tests.scale.fleet import Fleet  # noqa: E402

GRANT = 20


def submit(fleet: Fleet, key: str, rng: random.Random) -> int:
    idempotency = uuid.uuid4().hex
    files = {"image": (FACE.name, FACE.read_bytes()), "video": (CLIP.name, CLIP.read_bytes())}
    for _ in range(60):
        url = rng.choice(fleet.api_urls)
        try:
            response = httpx.post(url + "/v1/videos", headers={"X-API-Key": key, "Idempotency-Key": idempotency},
                                  files=files, timeout=30)
        except httpx.HTTPError:
            time.sleep(0.5)
            continue
        if response.status_code == 200:
            return int(response.json()["data"]["id"])
        time.sleep(1 if response.status_code == 429 else 0.2)
    raise SystemExit("could not submit a job")


def chaos(fleet: Fleet, seconds: float, rng: random.Random) -> Counter[str]:
    kills: Counter[str] = Counter()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(rng.uniform(2, 6))
        name = rng.choice(sorted(fleet.processes))
        fleet.kill(name)
        kills[name.rsplit("-", 1)[0]] += 1
        if name.startswith("api"):
            restart_api(fleet, name)
        else:
            fleet.start_worker(name)
    return kills


def restart_api(fleet: Fleet, name: str) -> None:
    index = int(name.rsplit("-", 1)[1]) - 1
    old = fleet.api_urls[index]
    fleet.api_urls.remove(old)
    new = fleet.start_api(name)
    fleet.api_urls.remove(new)
    fleet.api_urls.insert(index, new)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--jobs", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    root = Path(tempfile.mkdtemp(prefix="dfw-chaos-"))
    backend = {**make_backend(), "lease_s": 3, "reconcile_interval_s": 1}
    runtime = build_runtime(Settings(data_dir=root / "bench", **backend))
    runtime.migrate()
    fleet = Fleet(backend, root)
    try:
        for name in ("api-1", "api-2"):
            fleet.start_api(name)
        for name in ("worker-1", "worker-2", "worker-3"):
            fleet.start_worker(name)
        accounts = [make_account(runtime, credits=GRANT) for _ in range(5)]
        started = time.monotonic()
        ids = [submit(fleet, accounts[n % 5].key, rng) for n in range(args.jobs // 2)]
        kills = chaos(fleet, args.seconds, rng)
        ids += [submit(fleet, accounts[n % 5].key, rng) for n in range(args.jobs // 2, args.jobs)]
        wait_terminal(runtime, ids, timeout=600)
        elapsed = time.monotonic() - started
        report(runtime, fleet, accounts, ids, kills, elapsed)
    finally:
        fleet.stop_all()
        runtime.close()


def wait_terminal(runtime, ids: list[int], timeout: float) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with runtime.db.unit_of_work() as session:
            open_jobs = session.query(Video).filter(Video.id.in_(ids), Video.status.in_(
                [VideoStatus.pending, VideoStatus.processing])).count()
        if open_jobs == 0:
            return
        time.sleep(1)
    raise SystemExit(f"{open_jobs} jobs never finished")


def completions(root: Path) -> Counter[int]:
    counts: Counter[int] = Counter()
    for log in root.glob("worker-*.log"):
        for line in log.read_text(errors="replace").splitlines():
            if '"completed:' in line or "completed:" in line:
                try:
                    counts[int(json.loads(line)["job_id"])] += 1
                except (ValueError, KeyError):
                    continue
    return counts


def report(runtime, fleet: Fleet, accounts, ids: list[int], kills: Counter[str], elapsed: float) -> None:  # type: ignore[no-untyped-def]
    with runtime.db.unit_of_work() as session:
        videos = session.query(Video).filter(Video.id.in_(ids)).all()
        entries = session.query(LedgerEntry).filter(LedgerEntry.user_id.in_([a.user_id for a in accounts])).all()
        statuses = Counter(v.status.value for v in videos)
        debits = Counter(e.video_id for e in entries if e.kind == EntryKind.debit)
        refunds = Counter(e.video_id for e in entries if e.kind == EntryKind.refund)
        ledger_ok = all(debits[v.id] == 1 for v in videos) and all(
            refunds[v.id] == (1 if v.status == VideoStatus.failed else 0) for v in videos)
        balances_ok = all(sum(e.delta for e in entries if e.user_id == a.user_id) == GRANT - sum(
            v.credits_used for v in videos if v.user_id == a.user_id and v.status != VideoStatus.failed)
            for a in accounts)
        live = {v.input_image_key.rsplit("/", 1)[0] for v in videos}
        attempts = Counter(v.attempts for v in videos)
    orphans = [k for k in runtime.storage.iter_keys("videos/") if k.rsplit("/", 1)[0] not in live]
    done_twice = [job for job, count in completions(fleet.root).items() if count > 1]
    print(f"jobs {len(ids)}: {dict(statuses)}; attempts {dict(sorted(attempts.items()))}; {elapsed:.0f} s")
    print(f"kills: {dict(kills)}")
    print(f"completed twice: {len(done_twice)}; ledger per job ok: {ledger_ok}; balances ok: {balances_ok}; "
          f"orphan objects: {len(orphans)}")
    ok = statuses.keys() <= {"completed", "failed"} and not done_twice and ledger_ok and balances_ok and not orphans
    print("CHAOS OK" if ok else "CHAOS FAILED")
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
