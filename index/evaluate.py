"""Provides `python -m warta.index.evaluate`: highlighting recall and precision on annotated news.

The annotations (detik-annotations.jsonl) list, per article, the stakeholders named in it, each
once and as written at one place ("Menteri Dalam Negeri Tito Karnavian", "Kemendagri"), in five
categories (government, industry, society, experts, other). An annotated mention's occurrences
are looked up in the cleaned article text case-insensitively, as whole words only ("PAN" is not
in "pangan"):

  recall             annotated government mentions with an occurrence overlapped by a highlighted
                     official/institution span / annotated government mentions occurring in the
                     text
  literal precision  highlighted official/institution spans overlapping an occurrence of any
                     annotated stakeholder / all highlighted official/institution spans
  precision          the same, a span also counting when it names an entity an annotated mention
                     names: the extractor is run on each annotated string by itself (dated by the
                     article), so "Purbaya" counts in an article whose annotation lists "Menteri
                     Keuangan Purbaya Yudhi Sadewa". The ids come from the annotation, never from
                     the spans found in the text, so a wrong span cannot vouch for itself.

A second part (index/evaluate_ner.py, docs/evaluation.md) scores the same spans against the
IndoNLU NER sets, which tag every person, organisation and place: `--ner` runs only that part,
`--detik` only this one; by default both run and `--json` holds the NER figures under "ner".

The shared data lives in $WARTA_SHARED, else ../shared beside the repository.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import evaluate_ner
from .clean import clean
from .models import EntitySpan
from .nlp import EntityExtractor
from .readers import record_to_doc

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
    # Whole words only: "PAN" must not be found in "pangan", nor "Polri" in "Kapolri".
    # Annotators drop the comma of an apposition: "Gubernur Bali Wayan Koster" is written
    # "Gubernur Bali, Wayan Koster"; a comma between the words is accepted.
    pattern = r"(?<!\w)" + r",?\s+".join(re.escape(w) for w in words) + r"(?!\w)"
    return [(m.start(), m.end()) for m in re.finditer(pattern, text, re.IGNORECASE)]


def mention_forms(mention: str) -> list[str]:
    """The forms an annotated mention is looked for in: as written, without its parentheses,
    then each part ("Bank Indonesia (BI)" → "Bank Indonesia (BI)", "Bank Indonesia", "BI")."""
    if "(" not in mention:
        return [mention]
    bare = _PAREN.sub("", mention).strip()
    return [mention, bare, *(part.strip() for part in _PAREN.findall(mention) if part.strip())]


def occurrences(text: str, mention: str) -> list[tuple[int, int]]:
    """Every case-insensitive whole-word occurrence of a mention (any whitespace between words).

    Annotators often add an expansion in parentheses the text does not carry ("Bank Indonesia
    (BI)", "Menteri Sosial Saifullah Yusuf (Gus Ipul)"): when the mention as written is not in
    the text, the mention without its parentheses is looked for, and failing that each part.
    """
    forms = mention_forms(mention)
    for form in forms[:2]:
        found = _literal(text, form)
        if found:
            return found
    return [place for part in forms[1:] for place in _literal(text, part)]


def _overlaps(span: EntitySpan, places: list[tuple[int, int]]) -> bool:
    return any(span.start < e and s < span.end for s, e in places)


@dataclass
class ArticleScore:
    """One article's counts; `false_positives` are the spans that count in neither way."""

    annotated: int = 0
    absent: int = 0
    found: int = 0
    spans: list[tuple[EntitySpan, bool, bool]] = field(default_factory=list)  # span, ok, literal
    misses: list[str] = field(default_factory=list)

    @property
    def false_positives(self) -> list[EntitySpan]:
        return [span for span, ok, _ in self.spans if not ok]


def annotated_ids(
    extractor: EntityExtractor, mentions: list[str], published: str | None
) -> set[str]:
    """The entity ids the annotated strings name by themselves, each read as a short text."""
    ids: set[str] = set()
    for mention in mentions:
        for form in mention_forms(mention):
            ids.update(s.entity_id for s in extractor.extract(form, published) if s.entity_id)
    return ids


def score_article(
    text: str,
    published: str | None,
    spans: list[EntitySpan],
    entity: dict[str, list[str]],
    extractor: EntityExtractor,
) -> ArticleScore:
    """Recall and precision counts of one article's official/institution spans."""
    result = ArticleScore()
    spans = [s for s in spans if s.kind in HIGHLIGHT_KINDS]
    government = [m for m in entity.get("government") or [] if m.strip()]
    every_mention = [m for ms in entity.values() for m in ms or [] if m.strip()]
    every: list[tuple[int, int]] = []
    for mention in every_mention:
        every.extend(occurrences(text, mention))
    for mention in dict.fromkeys(government):
        places = occurrences(text, mention)
        if not places:
            result.absent += 1
            continue
        result.annotated += 1
        if any(_overlaps(s, places) for s in spans):
            result.found += 1
        else:
            result.misses.append(mention)
    ids = annotated_ids(extractor, every_mention, published)
    for span in spans:
        literal = _overlaps(span, every)
        result.spans.append((span, literal or span.entity_id in ids, literal))
    return result


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


@dataclass
class FalsePositive:
    article_id: str
    span: EntitySpan
    context: str


def _context(text: str, span: EntitySpan, width: int = 70) -> str:
    left = text[max(0, span.start - width) : span.start]
    right = text[span.end : span.end + width]
    return " ".join(f"{left}[[{span.text}]]{right}".split())


def evaluate(
    shared: Path,
    extractor: EntityExtractor,
    limit: int | None = None,
    sample: list[FalsePositive] | None = None,
) -> Scores:
    """Scores over the annotated articles; every false positive is appended to `sample`."""
    scores = Scores()
    for n, (record, annotation) in enumerate(iter_annotated(shared)):
        if limit is not None and n >= limit:
            break
        raw, _problem = record_to_doc(record, str(record.get("id")), "jsonl")
        if raw is None:
            continue
        article = clean(raw)
        text = article.text
        started = time.process_time()
        spans = extractor.extract(text, article.published, source=article.source)
        scores.seconds += time.process_time() - started
        scores.chars += len(text.encode("utf-8"))
        scores.articles += 1
        result = score_article(
            text, article.published, spans, annotation.get("entity") or {}, extractor
        )
        scores.annotated += result.annotated
        scores.absent += result.absent
        scores.found += result.found
        scores.misses.update(result.misses)
        for span, ok, literal in result.spans:
            listed = "listed" if span.listed else "unlisted"
            scores.spans += 1
            scores.by_kind[span.kind] += 1
            scores.by_listed[listed] += 1
            scores.spans_literal_ok += literal
            if ok:
                scores.spans_ok += 1
                scores.by_kind_ok[span.kind] += 1
                scores.by_listed_ok[listed] += 1
            else:
                scores.false_positives[f"{span.text} [{span.entity_id}]"] += 1
                if sample is not None:
                    sample.append(FalsePositive(str(record.get("id")), span, _context(text, span)))
    return scores


def _print(scores: Scores, top: int) -> None:
    print(f"articles            {scores.articles}")
    print(
        f"recall              {scores.recall:.3f}  "
        f"({scores.found}/{scores.annotated} government mentions; "
        f"{scores.absent} annotated but not in the cleaned text)"
    )
    print(
        f"precision           {scores.precision:.3f}  ({scores.spans_ok}/{scores.spans} spans "
        "overlapping an annotated occurrence or naming an annotated entity)"
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
    part = parser.add_mutually_exclusive_group()
    part.add_argument("--detik", action="store_true", help="only the detik annotations")
    part.add_argument("--ner", action="store_true", help="only the IndoNLU NER sets")
    parser.add_argument("--limit", type=int, default=None, help="evaluate the first N articles")
    parser.add_argument("--top", type=int, default=25, help="misses and false positives to list")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument(
        "--sample",
        type=int,
        default=0,
        metavar="N",
        help="print N false positives drawn at random, with context (seed: --seed)",
    )
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument(
        "--ner-splits",
        default=",".join(evaluate_ner.SPLITS),
        help="NER splits to read, comma-separated (default: %(default)s)",
    )
    parser.add_argument(
        "--ner-join",
        choices=evaluate_ner.JOINS,
        default="spaces",
        help="how a NER sentence's tokens are joined into text (default: %(default)s)",
    )
    parser.add_argument(
        "--sample-strict",
        action="store_true",
        help="NER sample: spans wrong by the strict measure, not the title-tolerant one",
    )
    args = parser.parse_args(argv)
    shared = args.shared or shared_dir()
    run_detik, run_ner = not args.ner, not args.detik
    if run_detik and not (shared / "corpus" / "detik-annotations.jsonl").exists():
        print(f"evaluate: no annotations under {shared}/corpus", file=sys.stderr)
        return 2
    if run_ner and not (shared / "ner").is_dir():
        if args.ner:
            print(f"evaluate: no NER sets under {shared}/ner", file=sys.stderr)
            return 2
        run_ner = False
    extractor = EntityExtractor()
    found: list[FalsePositive] = []
    scores = evaluate(shared, extractor, args.limit, found) if run_detik else None
    wrong: list[evaluate_ner.Wrong] = []
    splits = [s.strip() for s in args.ner_splits.split(",") if s.strip()]
    ner = (
        evaluate_ner.evaluate_ner(shared, extractor, splits=splits, join=args.ner_join, wrong=wrong)
        if run_ner
        else {}
    )
    if args.sample:
        if scores is not None:
            print("detik: spans overlapping no annotated stakeholder")
            picked = random.Random(args.seed).sample(found, min(args.sample, len(found)))
            for i, fp in enumerate(picked, 1):
                span = fp.span
                print(f"{i:3} {span.kind:<11} {span.entity_id}\n    {fp.context}")
        if run_ner:
            measure = "strict" if args.sample_strict else "title-tolerant"
            print(f"NER sets: spans wrong by the {measure} measure ([[span]], {{gold|LABEL}})")
            evaluate_ner.print_sample(wrong, args.sample, args.seed, strict=args.sample_strict)
        return 0
    if args.json:
        document: dict[str, Any] = scores.to_json(args.top) if scores is not None else {}
        if run_ner:
            document["ner"] = {
                "join": args.ner_join,
                **{name: s.to_json(args.top) for name, s in ner.items()},
            }
        json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        if scores is not None:
            _print(scores, args.top)
        if run_ner:
            evaluate_ner.print_ner(ner, args.top, args.ner_join)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
