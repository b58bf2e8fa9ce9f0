"""Provides the import benchmark: HTML pages per second, and memory while streaming a big import.

    python scripts/bench_import.py [--pages 1000] [--records 0] [--skip-pages] [--skip-stream]

1. HTML: `--pages` pages are generated from ../shared/corpus/news.jsonl records into a
   temporary directory (never committed), then read (sniff + trafilatura), read and cleaned
   (the import before NLP), and imported whole through Library.add (NLP included).
2. Streaming: ../shared/corpus/news-clickid.jsonl.gz (23k records) is imported through
   Library.add; resident memory is sampled at 5k, 10k and 20k records. `--records N` stops
   after N records (0: all).

Wall and CPU time are both reported: the machine is shared, so wall time alone misleads.
"""

from __future__ import annotations

import argparse
import html
import itertools
import json
import os
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("WARTA_SHARED", REPO.parent / "shared"))
NEWS = SHARED / "corpus" / "news.jsonl"
CLICKID = SHARED / "corpus" / "news-clickid.jsonl.gz"
MARKS = (5_000, 10_000, 20_000)


def page(record: dict[str, str]) -> str:
    """A saved news page around one record: navigation, scripts, related links, comments."""
    esc = html.escape
    paras = [p for p in record["text"].split("\n") if p.strip()]
    body: list[str] = []
    for i, para in enumerate(paras):
        body.append(f"<p>{esc(para)}</p>")
        if i == 1:
            body.append(
                '<div class="baca-juga"><strong>Baca juga:</strong> '
                '<a href="/lain">Berita lain yang sedang ramai dibaca</a></div>'
            )
    title = esc(record.get("title") or "")
    date = record.get("date") or "2024-01-01"
    return f"""<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8"><title>{title} - {esc(record["source"])}</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="{esc(record["source"])}">
<meta name="author" content="Redaksi {esc(record["source"])}">
<meta property="article:published_time" content="{esc(date)}T10:00:00+07:00">
<link rel="canonical" href="{esc(record.get("url") or "")}">
<script>window.dataLayer = []; function track() {{ return "<p>iklan</p>"; }}</script>
<style>.menu {{ display: flex }}</style></head>
<body><header><nav><ul><li><a href="/">Beranda</a></li><li><a href="/news">Berita</a></li>
<li><a href="/ekonomi">Ekonomi</a></li><li><a href="/olahraga">Olahraga</a></li></ul></nav></header>
<main><article><h1>{title}</h1>
{"".join(body)}
</article>
<aside><h3>Berita Terkait</h3><ul><li><a href="/a">Satu</a></li><li><a href="/b">Dua</a></li></ul>
</aside>
<section class="comments"><h3>Komentar</h3><div class="comment"><p>Komentar pembaca yang
panjang dan tidak ada hubungannya dengan berita di atas.</p></div></section></main>
<footer><p>&copy; 2024 {esc(record["source"])}</p></footer>
<script src="/js/app.js"></script></body></html>
"""


def records(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def rss_mb() -> float:
    """Resident memory of this process now, in MB."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def rss_split_mb() -> dict[str, float]:
    """Anonymous (heap) and file-backed (mapped index segments, reclaimable) resident MB."""
    found: dict[str, float] = {}
    with open("/proc/self/status") as fh:
        for line in fh:
            key, _, value = line.partition(":")
            if key in ("RssAnon", "RssFile"):
                found[key.lower()] = round(int(value.split()[0]) / 1024, 1)
    return found


def peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def cpu_seconds() -> float:
    """CPU time of this process and of its finished helper processes (the stemmer)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


class Clock:
    def __enter__(self) -> Clock:
        self.wall0, self.cpu0 = time.perf_counter(), cpu_seconds()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall0
        self.cpu = cpu_seconds() - self.cpu0


def bench_pages(n: int, tmp: Path) -> dict[str, object]:
    from warta.index import Library
    from warta.index.clean import clean
    from warta.index.readers import iter_inputs

    folder = tmp / "pages"
    folder.mkdir()
    usable = (r for r in records(NEWS) if r.get("text") and r.get("title"))
    for i, record in enumerate(itertools.islice(usable, n)):
        (folder / f"{i:05d}.html").write_text(page(record), encoding="utf-8")
    out: dict[str, object] = {"pages": n}

    with Clock() as read:
        docs = [item.doc for item in iter_inputs([folder]) if item.doc is not None]
    with Clock() as both:
        articles = [clean(item.doc) for item in iter_inputs([folder]) if item.doc is not None]
    empty = sum(1 for a in articles if not a.text)
    with Library(tmp / "data-pages", seed=False) as lib, Clock() as full:
        report = lib.add([folder])
    for name, clock, count in (
        ("read", read, len(docs)),
        ("read_clean", both, len(articles)),
        ("library_add", full, report.added),
    ):
        out[name] = {
            "documents": count,
            "wall_s": round(clock.wall, 2),
            "cpu_s": round(clock.cpu, 2),
            "per_s_wall": round(count / clock.wall, 1),
            "per_s_cpu": round(count / clock.cpu, 1) if clock.cpu else None,
        }
    out["empty_articles"] = empty
    out["skipped"] = len(report.skipped)
    return out


def bench_stream(limit: int, tmp: Path) -> dict[str, object]:
    from warta.index import Library

    source: Path = CLICKID
    if limit:
        import gzip

        source = tmp / "subset.jsonl.gz"
        with gzip.open(CLICKID, "rb") as src, gzip.open(source, "wb") as dst:
            for line in itertools.islice(src, limit):
                dst.write(line)
    samples: dict[int, dict[str, float]] = {}
    started = time.perf_counter()

    def progress(done: int) -> None:
        if done in MARKS or done % 1000 == 0:
            samples[done] = {
                "rss_mb": round(rss_mb(), 1),
                **rss_split_mb(),
                "peak_mb": round(peak_mb(), 1),
                "wall_s": round(time.perf_counter() - started, 1),
            }

    with Library(tmp / "data-stream", seed=False) as lib:
        opened_mb = rss_mb()
        with Clock() as clock:
            report = lib.add([source], progress=progress)
    done = report.added + report.updated + report.unchanged
    return {
        "records": done,
        "added": report.added,
        "skipped": len(report.skipped),
        "wall_s": round(clock.wall, 1),
        "cpu_s": round(clock.cpu, 1),
        "per_s_wall": round(done / clock.wall, 1),
        "rss_after_open_mb": round(opened_mb, 1),
        "rss_at": {str(k): v for k, v in sorted(samples.items()) if k in MARKS},
        "rss_every_1000": [v["rss_mb"] for _, v in sorted(samples.items())],
        "peak_mb": round(peak_mb(), 1),
        "helper_peak_mb": round(peak_mb(resource.RUSAGE_CHILDREN), 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--records", type=int, default=0, help="stop the stream after N (0: all)")
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--skip-stream", action="store_true")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    for needed in (NEWS, CLICKID):
        if not needed.exists():
            print(f"bench_import: {needed} not found", file=sys.stderr)
            return 2
    results: dict[str, object] = {"cpus": os.cpu_count(), "load_avg": os.getloadavg()}
    with tempfile.TemporaryDirectory(prefix="warta-bench-import-") as tmp:
        if not args.skip_pages:
            results["html"] = bench_pages(args.pages, Path(tmp))
            if not args.json:
                print(json.dumps({"html": results["html"]}, indent=2), flush=True)
        if not args.skip_stream:
            results["stream"] = bench_stream(args.records, Path(tmp))
            if not args.json:
                print(json.dumps({"stream": results["stream"]}, indent=2), flush=True)
    if args.json:
        print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
