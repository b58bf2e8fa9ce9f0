"""Provides the memory benchmark of a large import: resident memory at 5k, 10k and 20k records.

    python scripts/bench_memory.py [--records 20000] [--trace] [--json]

../shared/corpus/news-clickid.jsonl.gz (23k records) is imported through Library.add in a
fresh data directory, without seeds. At each mark the resident set (VmRSS), its anonymous
part (the heap; RssFile is mapped index segments, reclaimable page cache), the peak (VmHWM)
and the sizes of the caches that may grow are taken. The figures are printed as Markdown
table rows. `--trace` also diffs tracemalloc snapshots between marks (slow: ~2x the time).
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("WARTA_SHARED", REPO.parent / "shared"))
CLICKID = SHARED / "corpus" / "news-clickid.jsonl.gz"
MARKS = (5_000, 10_000, 20_000)


def status_mb() -> dict[str, float]:
    """VmRSS, VmHWM, RssAnon and RssFile of this process, in MB."""
    found: dict[str, float] = {}
    with open("/proc/self/status") as fh:
        for line in fh:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
                found[key] = round(int(value.split()[0]) / 1024, 1)
    return found


def cache_sizes(lib: Any) -> dict[str, int]:
    from warta.index import analysis

    sizes = {"stems": analysis.stem_cache_size()}
    extractor = lib._extractor
    if extractor is not None:
        vocab = extractor.nlp.vocab
        sizes["lexemes"] = len(vocab)
        sizes["strings"] = len(vocab.strings)
    return sizes


def run(limit: int, trace: bool, tmp: Path) -> list[dict[str, Any]]:
    from warta.index import Library

    source = tmp / "subset.jsonl.gz"
    with gzip.open(CLICKID, "rb") as src, gzip.open(source, "wb") as dst:
        for line in itertools.islice(src, limit or None):
            dst.write(line)
    rows: list[dict[str, Any]] = []
    marks = [m for m in MARKS if not limit or m <= limit]
    if trace:
        tracemalloc.start(8)
    snapshots: list[tracemalloc.Snapshot] = []
    started_wall, started_cpu = time.perf_counter(), time.process_time()

    with Library(tmp / "data", seed=False) as lib:

        def progress(done: int) -> None:
            if done not in marks:
                return
            rows.append(
                {
                    "records": done,
                    **status_mb(),
                    **cache_sizes(lib),
                    "wall_s": round(time.perf_counter() - started_wall, 1),
                    "cpu_s": round(time.process_time() - started_cpu, 1),
                }
            )
            if trace:
                snapshots.append(tracemalloc.take_snapshot())
                if len(snapshots) > 1:
                    stats = snapshots[-1].compare_to(snapshots[-2], "traceback")
                    print(f"## tracemalloc growth up to {done} records", file=sys.stderr)
                    for stat in stats[:12]:
                        print(
                            f"{stat.size_diff / 1e6:+8.1f} MB {stat.count_diff:+9d}",
                            file=sys.stderr,
                        )
                        for frame in stat.traceback.format()[-8:]:
                            print("    " + frame, file=sys.stderr)

        lib.add([source], progress=progress)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--records", type=int, default=20_000, help="records to import (0: all)")
    parser.add_argument("--trace", action="store_true", help="diff tracemalloc snapshots")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    if not CLICKID.exists():
        print(f"bench_memory: {CLICKID} not found", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="warta-bench-memory-") as tmp:
        rows = run(args.records, args.trace, Path(tmp))
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print("| records | VmRSS MB | RssAnon MB | RssFile MB | VmHWM MB | stems | lexemes | CPU s |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['records']} | {r['VmRSS']} | {r['RssAnon']} | {r['RssFile']} | {r['VmHWM']}"
            f" | {r['stems']} | {r.get('lexemes', '')} | {r['cpu_s']} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
