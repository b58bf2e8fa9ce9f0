"""Tests the cleaner on samples of every outlet in the shared corpus (slow; skipped without it)."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import pytest
from warta.index.clean import clean
from warta.index.models import RawDocument

CORPUS = Path(__file__).parents[2] / ".." / "shared" / "corpus" / "news.jsonl"
OUTLETS = (
    "kompas.com",
    "detik.com",
    "cnnindonesia.com",
    "bisnis.com",
    "jpnn.com",
    "antaranews.com",
    "tempo.co",
)
SAMPLE = 120

# Boilerplate that must never survive cleaning, whatever the outlet.
LEFTOVERS = re.compile(
    r"ADVERTISEMENT|SCROLL TO (?:CONTINUE|RESUME)|Baca [Jj]uga|Google\s*News|Cek Berita dan"
    r"|\[(?:img|video|embed)\.\d+\]|\*\*|\]\(|\{target=|\[Gambas:|Copyright ©|Pewarta:"
    r"|Dapatkan update berita|A post shared by|Sebuah kiriman dibagikan|Simak(?:!| Juga) Video"
    r"|Video Pilihan Redaksi|^#{1,6} |^:::|/jpnn\)|^Perbesar$|Leave a Reply|^Share$",
    re.M,
)
BYLINE = re.compile(
    r"^(?:[A-Z .]+, )?(?:KOMPAS\.com|Bisnis\.com|jpnn\.com)\b.{0,30}[-\u2013\u2014]"
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus not available"),
]


def family(source: str) -> str | None:
    return next((o for o in OUTLETS if source == o or source.endswith("." + o)), None)


@pytest.fixture(scope="module")
def samples() -> dict[str, list[tuple[dict[str, str], RawDocument]]]:
    by_outlet: dict[str, list[tuple[dict[str, str], RawDocument]]] = defaultdict(list)
    with CORPUS.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            record = json.loads(line)
            outlet = family(record["source"])
            if outlet is None:
                continue
            raw = RawDocument(
                path=f"news.jsonl#{number}",
                text=record["text"],
                title=record["title"],
                source=record["source"],
                url=record["url"],
                date=record["date"],
                record_id=record["id"],
            )
            by_outlet[outlet].append((record, raw))
    # An even spread over each outlet's records, the same every run.
    return {o: rs[:: max(1, len(rs) // SAMPLE)] for o, rs in by_outlet.items()}


@pytest.mark.parametrize("outlet", OUTLETS)
def test_no_boilerplate_survives_and_text_is_kept(
    outlet: str, samples: dict[str, list[tuple[dict[str, str], RawDocument]]]
) -> None:
    records = samples[outlet]
    assert len(records) >= 30
    for record, raw in records:
        article = clean(raw)
        where = f"{raw.path} ({record['id']})"
        leftover = LEFTOVERS.search(article.text)
        assert leftover is None, f"{where}: {leftover.group(0)!r} survived"
        assert not BYLINE.match(article.text), f"{where}: byline left in the body"
        assert "\n\n\n" not in article.text
        assert article.title.strip(), where
        assert article.source and article.source.endswith(outlet), where
        # Boilerplate is short: cleaning keeps the bulk of any real article.
        raw_words = len(record["text"].split())
        if raw_words >= 80:
            assert len(article.text.split()) >= 0.5 * raw_words, f"{where}: text emptied"


def test_record_dates_are_kept_or_refined(
    samples: dict[str, list[tuple[dict[str, str], RawDocument]]],
) -> None:
    for records in samples.values():
        for record, raw in records:
            published = clean(raw).published
            if record["date"] and not (raw.url and "kompas.com/" in raw.url):
                assert published is not None and published.startswith(record["date"])
