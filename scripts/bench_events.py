"""Provides the events benchmark: indexing speed with events and dates, and `related` latency.

Imports the shared corpus into a fresh data directory, timing the whole import and the share
spent on events (extraction with its dates, storing and merging), then times `related` on a
sample of articles in the same process. Wall time on a shared machine lies; CPU time
(process_time) is printed beside it. Usage: bench_events.py [CORPUS.jsonl] [--sample N]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("WARTA_SHARED", REPO.parent / "shared"))
NEWS = SHARED / "corpus" / "news.jsonl"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(NEWS))
    parser.add_argument("--sample", type=int, default=300, help="articles to time related() on")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from warta.index import Library

    spent = {"wall": 0.0, "cpu": 0.0, "calls": 0}
    original = Library._index_events

    def timed(self: Any, article: Any, spans: Any) -> list[str]:
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return original(self, article, spans)
        finally:
            spent["wall"] += time.perf_counter() - wall
            spent["cpu"] += time.process_time() - cpu
            spent["calls"] += 1

    Library._index_events = timed  # type: ignore[method-assign]
    fixes = {"wall": 0.0, "articles": 0}
    original_fix = Library._fix_event_fields

    def timed_fix(self: Any, index: Any) -> None:
        fixes["articles"] += len(self._stale_events)
        wall = time.perf_counter()
        try:
            original_fix(self, index)
        finally:
            fixes["wall"] += time.perf_counter() - wall

    Library._fix_event_fields = timed_fix  # type: ignore[method-assign]

    with tempfile.TemporaryDirectory(prefix="warta-bench-events-") as tmp:
        lib = Library(tmp, seed=False)
        wall, cpu = time.perf_counter(), time.process_time()
        report = lib.add([args.corpus])
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        n = report.added + report.updated
        ids = sorted(a.id for a in lib.articles())

        t = time.perf_counter()
        every = lib.events()
        all_events_ms = (time.perf_counter() - t) * 1000

        rng = random.Random(4)
        with_events = [i for i in ids if lib.event_store.event_ids(i)]
        sample = rng.sample(ids, min(args.sample, len(ids)))
        sample += rng.sample(with_events, min(args.sample // 3, len(with_events)))
        first = time.perf_counter()
        lib.related(sample[0])
        first_ms = (time.perf_counter() - first) * 1000
        times = []
        cpu_times = []
        for article_id in sample:
            t, c = time.perf_counter(), time.process_time()
            lib.related(article_id)
            times.append((time.perf_counter() - t) * 1000)
            cpu_times.append((time.process_time() - c) * 1000)
        times.sort()
        mentions = lib.event_store.db.execute("SELECT COUNT(*) FROM mentions").fetchone()[0]
        lib.close()

    figures = {
        "articles": n,
        "import_wall_s": round(wall, 1),
        "import_cpu_s": round(cpu, 1),
        "articles_per_s_wall": round(n / wall, 1),
        "articles_per_s_cpu": round(n / cpu, 1),
        "events_wall_s": round(spent["wall"], 2),
        "events_cpu_s": round(spent["cpu"], 2),
        "events_ms_per_article_cpu": round(spent["cpu"] * 1000 / max(1, spent["calls"]), 2),
        "events_share_of_cpu": round(spent["cpu"] / cpu, 3),
        "stale_documents_rewritten": fixes["articles"],
        "stale_rewrite_wall_s": round(fixes["wall"], 2),
        "events": len(every),
        "mentions": mentions,
        "articles_with_events": len(with_events),
        "events_all_ms": round(all_events_ms, 1),
        "related_first_ms": round(first_ms, 1),
        "related_median_ms": round(statistics.median(times), 2),
        "related_p95_ms": round(times[int(len(times) * 0.95) - 1], 2),
        "related_max_ms": round(times[-1], 2),
        "related_cpu_median_ms": round(statistics.median(cpu_times), 2),
        "related_sample": len(times),
    }
    if args.json:
        json.dump(figures, sys.stdout, indent=2)
        print()
    else:
        print("| measure | value |\n|---|---|")
        for key, value in figures.items():
            print(f"| {key} | {value} |")
    ok = figures["articles_per_s_wall"] >= 120 and figures["related_p95_ms"] < 50
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
