"""Provides `python -m warta.index.evaluate`: highlighting recall and precision on annotated news.

The annotations (detik-annotations.jsonl) list, per article, the stakeholders named in it as
written ("Menteri Dalam Negeri Tito Karnavian", "Kemendagri"). Each annotated government
mention is looked up in the cleaned article text (case-insensitively, every occurrence):

  recall     annotated government mentions with an occurrence overlapped by a highlighted
             official/institution span / annotated government mentions occurring in the text
  precision  highlighted official/institution spans overlapping an occurrence of any annotated
             stakeholder (any category) / all highlighted official/institution spans

The shared data lives in $WARTA_SHARED, else ../shared beside the repository.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .clean import clean
from .models import EntitySpan, RawDocument
from .nlp import EntityExtractor

HIGHLIGHT_KINDS = ("official", "institution")


def shared_dir() -> Path:
    env = os.environ.get("WARTA_SHARED")
    if env:
        return Path(env).expanduser()
    return Path(__file__).resolve().parent.parent.parent / "shared"


@dataclass
class Scores:
    annotated: int = 0  # government mentions occurring in the text
    absent: int = 0  # government mentions not found in the cleaned text at all
    found: int = 0
    spans: int = 0
    spans_ok: int = 0
    spans_literal_ok: int = 0
    articles: int = 0
    chars: int = 0
    seconds: float = 0.0
    by_kind: Counter[str] = field(default_factory=Counter)
    by_kind_ok: Counter[str] = field(default_factory=Counter)
    by_listed: Counter[str] = field(default_factory=Counter)
    by_listed_ok: Counter[str] = field(default_factory=Counter)
    misses: Counter[str] = field(default_factory=Counter)
    false_positives: Counter[str] = field(default_factory=Counter)

    @property
    def recall(self) -> float:
        return self.found / self.annotated if self.annotated else 0.0

    @property
    def precision(self) -> float:
        return self.spans_ok / self.spans if self.spans else 0.0

    @property
    def literal_precision(self) -> float:
        return self.spans_literal_ok / self.spans if self.spans else 0.0

    def to_json(self, top: int) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "recall": round(self.recall, 4),
            "precision": round(self.precision, 4),
            "annotated_mentions": self.annotated,
            "annotated_not_in_text": self.absent,
            "found": self.found,
            "spans": self.spans,
            "spans_overlapping": self.spans_ok,
            "literal_precision": round(self.literal_precision, 4),
            "precision_by_kind": {
                k: round(self.by_kind_ok[k] / n, 4) for k, n in self.by_kind.items() if n
            },
            "precision_by_listed": {
                k: round(self.by_listed_ok[k] / n, 4) for k, n in self.by_listed.items() if n
            },
            "spans_by_kind": dict(self.by_kind),
            "top_misses": self.misses.most_common(top),
            "top_false_positives": self.false_positives.most_common(top),
            "mb_per_second": round(self.chars / 1e6 / self.seconds, 3) if self.seconds else None,
        }


_PAREN = re.compile(r"\s*\(([^()]*)\)")


def _literal(text: str, mention: str) -> list[tuple[int, int]]:
    words = mention.split()
    if not words:
        return []
    pattern = r"\s+".join(re.escape(w) for w in words)
    return [(m.start(), m.end()) for m in re.finditer(pattern, text, re.IGNORECASE)]


def occurrences(text: str, mention: str) -> list[tuple[int, int]]:
    """Every case-insensitive occurrence of a mention, whitespace runs matching any whitespace.

    Annotators often add an expansion in parentheses the text does not carry ("Bank Indonesia
    (BI)", "Menteri Sosial Saifullah Yusuf (Gus Ipul)"): when the mention as written is not in
    the text, the mention without its parentheses is looked for, and failing that each part.
    """
    found = _literal(text, mention)
    if found or "(" not in mention:
        return found
    found = _literal(text, _PAREN.sub("", mention))
    if found:
        return found
    parts = [_PAREN.sub("", mention), *_PAREN.findall(mention)]
    return [place for part in parts for place in _literal(text, part)]


def _overlaps(span: EntitySpan, places: list[tuple[int, int]]) -> bool:
    return any(span.start < e and s < span.end for s, e in places)


def iter_annotated(shared: Path) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(news record, annotation record) pairs joined by id."""
    wanted: dict[str, dict[str, Any]] = {}
    with (shared / "corpus" / "detik-annotations.jsonl").open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                record = json.loads(line)
                wanted[record["id"]] = record
    with (shared / "corpus" / "news.jsonl").open(encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            record = json.loads(line)
            annotation = wanted.get(record.get("id"))
            if annotation is not None:
                yield record, annotation


def evaluate(shared: Path, extractor: EntityExtractor, limit: int | None = None) -> Scores:
    scores = Scores()
    for n, (record, annotation) in enumerate(iter_annotated(shared)):
        if limit is not None and n >= limit:
            break
        raw = RawDocument(
            path=str(record.get("id")),
            text=record.get("text") or "",
            title=record.get("title"),
            source=record.get("source"),
            url=record.get("url"),
            date=record.get("date"),
            record_id=record.get("id"),
            format="jsonl",
        )
        article = clean(raw)
        text = article.text
        started = time.process_time()
        spans = [s for s in extractor.extract(text, article.published) if s.kind in HIGHLIGHT_KINDS]
        scores.seconds += time.process_time() - started
        scores.chars += len(text.encode("utf-8"))
        scores.articles += 1
        entity = annotation.get("entity") or {}
        government = [m for m in entity.get("government") or [] if m.strip()]
        every: list[tuple[int, int]] = []
        for mentions in entity.values():
            for mention in mentions or []:
                every.extend(occurrences(text, mention))
        for mention in dict.fromkeys(government):
            places = occurrences(text, mention)
            if not places:
                scores.absent += 1
                continue
            scores.annotated += 1
            if any(_overlaps(s, places) for s in spans):
                scores.found += 1
            else:
                scores.misses[mention] += 1
        # The annotators list a stakeholder once, as written at one place; the same entity
        # named again ("Prabowo" after "Presiden Prabowo Subianto") is the same stakeholder.
        marked = {s.entity_id for s in spans if _overlaps(s, every)}
        for span in spans:
            listed = "listed" if span.listed else "unlisted"
            scores.spans += 1
            scores.by_kind[span.kind] += 1
            scores.by_listed[listed] += 1
            if _overlaps(span, every):
                scores.spans_literal_ok += 1
            if span.entity_id in marked:
                scores.spans_ok += 1
                scores.by_kind_ok[span.kind] += 1
                scores.by_listed_ok[listed] += 1
            else:
                scores.false_positives[f"{span.text} [{span.entity_id}]"] += 1
    return scores


def _print(scores: Scores, top: int) -> None:
    print(f"articles            {scores.articles}")
    print(
        f"recall              {scores.recall:.3f}  "
        f"({scores.found}/{scores.annotated} government mentions; "
        f"{scores.absent} annotated but not in the cleaned text)"
    )
    print(
        f"precision           {scores.precision:.3f}  ({scores.spans_ok}/{scores.spans} spans of "
        "an entity overlapping an annotated occurrence)"
    )
    print(
        f"literal precision   {scores.literal_precision:.3f}  ({scores.spans_literal_ok} spans "
        "themselves overlapping an annotated occurrence)"
    )
    for kind, n in sorted(scores.by_kind.items()):
        print(f"  {kind:<17} {scores.by_kind_ok[kind] / n:.3f}  ({scores.by_kind_ok[kind]}/{n})")
    for listed, n in sorted(scores.by_listed.items()):
        ok = scores.by_listed_ok[listed]
        print(f"  {listed:<17} {ok / n:.3f}  ({ok}/{n})")
    if scores.seconds:
        print(f"extraction          {scores.chars / 1e6 / scores.seconds:.2f} MB/s CPU")
    print(f"\nmost frequent misses (of {sum(scores.misses.values())}):")
    for mention, n in scores.misses.most_common(top):
        print(f"  {n:4}  {mention}")
    print(f"\nmost frequent false positives (of {sum(scores.false_positives.values())}):")
    for mention, n in scores.false_positives.most_common(top):
        print(f"  {n:4}  {mention}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m warta.index.evaluate",
        description=__doc__.splitlines()[0] if __doc__ else "",
    )
    parser.add_argument("--shared", type=Path, default=None, help="the shared data directory")
    parser.add_argument("--limit", type=int, default=None, help="evaluate the first N articles")
    parser.add_argument("--top", type=int, default=25, help="misses and false positives to list")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args(argv)
    shared = args.shared or shared_dir()
    if not (shared / "corpus" / "detik-annotations.jsonl").exists():
        print(f"evaluate: no annotations under {shared}/corpus", file=sys.stderr)
        return 2
    scores = evaluate(shared, EntityExtractor(), args.limit)
    if args.json:
        json.dump(scores.to_json(args.top), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        _print(scores, args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
