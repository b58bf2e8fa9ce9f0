"""Provides `make bench`: import, search and command-line speed on the shared corpus.

Each measurement runs in its own process so peak memory is its own. Figures are printed as a
Markdown table to paste into docs/benchmarks.md. Wall time on a busy machine lies; CPU time
(process_time) is printed beside it.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("WARTA_SHARED", REPO.parent / "shared"))
NEWS = SHARED / "corpus" / "news.jsonl"
CLICKID = SHARED / "corpus" / "news-clickid.jsonl.gz"
QUERIES = [
    q.strip()
    for q in (REPO / "scripts" / "bench_queries.txt").read_text(encoding="utf-8").splitlines()
    if q.strip() and not q.startswith("#")
]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_import(data_dir: str, *inputs: str, core_only: bool = False) -> dict[str, float]:
    from warta.index import Library

    if core_only:
        # The foundation's own pipeline: read, clean, analyse, whoosh, SQLite. The entity and
        # event stages have budgets of their own and benchmarks of their own.
        def core_document(self: Library, article: Any) -> dict[str, Any]:
            return dict(self.fulltext.document(article))

        Library._document = core_document  # type: ignore[method-assign]
    lib = Library(data_dir, seed=False)
    wall, cpu = time.perf_counter(), time.process_time()
    report = lib.add(inputs)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    lib.close()
    return {
        "articles": report.added,
        "wall_s": wall,
        "cpu_s": cpu,
        "per_s_wall": report.added / wall,
        "per_s_cpu": report.added / cpu,
        "peak_mb": peak_rss_mb(),
    }


def child_search(data_dir: str) -> dict[str, float]:
    from warta.index import Library

    lib = Library(data_dir, seed=False)
    lib.search("pemanasan")  # open the searcher once, as the reader does
    walls, cpus = [], []
    for _ in range(3):
        for query in QUERIES:
            wall, cpu = time.perf_counter(), time.process_time()
            lib.search(query, limit=10)
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
    lib.close()

    def pct(values: list[float], p: float) -> float:
        return statistics.quantiles(values, n=100)[int(p) - 1]

    return {
        "queries": len(QUERIES),
        "p50_ms": pct(walls, 50),
        "p95_ms": pct(walls, 95),
        "p50_cpu_ms": pct(cpus, 50),
        "p95_cpu_ms": pct(cpus, 95),
        "peak_mb": peak_rss_mb(),
    }


def run_child(*args: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True
    ).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def cli_search_seconds(data_dir: str, runs: int = 7) -> float:
    warta = Path(sys.executable).with_name("warta")
    times = []
    for query in ["jokowi", "harga beras", '"panggilan telepon"', "published:2025-10"][:runs]:
        start = time.perf_counter()
        subprocess.run(
            [str(warta), "--data-dir", data_dir, "search", query, "--json"],
            check=True,
            capture_output=True,
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def head_jsonl(source: Path, count: int, target: Path) -> Path:
    with source.open(encoding="utf-8") as fh, target.open("w", encoding="utf-8") as out:
        for n, line in enumerate(fh):
            if n >= count:
                break
            out.write(line)
    return target


def main() -> None:
    if not NEWS.exists():
        sys.exit(f"bench: shared corpus not found at {NEWS}")
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory(prefix="warta-bench-") as tmp:
        small = head_jsonl(NEWS, 1000, Path(tmp) / "news-1k.jsonl")
        one_k = run_child("import-core", f"{tmp}/c1k", str(small))
        six_k = run_child("import-core", f"{tmp}/c6k", str(NEWS))
        full = run_child("import", f"{tmp}/d6k", str(NEWS))
        search = run_child("search", f"{tmp}/d6k")
        cli = cli_search_seconds(f"{tmp}/d6k")
        big = None
        if CLICKID.exists() and "--quick" not in sys.argv:
            big = run_child("import-core", f"{tmp}/c29k", str(NEWS), str(CLICKID))
            big_search = run_child("search", f"{tmp}/c29k")

    def imp(label: str, r: dict[str, float]) -> None:
        rows.append(
            (
                f"import + index, {label}",
                f"{r['articles']:,.0f} articles in {r['wall_s']:.1f} s wall"
                f" / {r['cpu_s']:.1f} s CPU: **{r['per_s_wall']:.0f}/s** wall,"
                f" {r['per_s_cpu']:.0f}/s CPU; peak {r['peak_mb']:.0f} MB",
            )
        )

    imp("core pipeline, 1k articles", one_k)
    imp("core pipeline, news.jsonl (6,270)", six_k)
    imp("all told (entities, dates, events), news.jsonl", full)
    rows.append(
        (
            f"search, {search['queries']:.0f} queries x3, top 10 with snippets (6k)",
            f"p50 **{search['p50_ms']:.1f} ms**, p95 **{search['p95_ms']:.1f} ms** wall"
            f" (CPU p50 {search['p50_cpu_ms']:.1f}, p95 {search['p95_cpu_ms']:.1f})",
        )
    )
    rows.append(("`warta search ... --json` end to end (6k), median", f"**{cli:.2f} s**"))
    if big is not None:
        imp("core pipeline, news + clickid (29k)", big)
        rows.append(
            (
                "search (29k, core index)",
                f"p50 **{big_search['p50_ms']:.1f} ms**, p95 **{big_search['p95_ms']:.1f} ms**",
            )
        )
    print("| measurement | result |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "import":
        print(json.dumps(child_import(sys.argv[2], *sys.argv[3:])))
    elif len(sys.argv) > 1 and sys.argv[1] == "import-core":
        print(json.dumps(child_import(sys.argv[2], *sys.argv[3:], core_only=True)))
    elif len(sys.argv) > 1 and sys.argv[1] == "search":
        print(json.dumps(child_search(sys.argv[2])))
    else:
        main()
