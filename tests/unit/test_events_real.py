"""Tests of events on the seeds and on hand-checked excerpts of real news (real lexicons)."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import pytest
from warta.index import Library
from warta.index.events import EventExtractor
from warta.index.models import Event
from warta.index.nlp import default_extractor
from warta.index.triggers import load_triggers
from warta.tui.cli import main

SAMPLE = Path(__file__).parents[1] / "data" / "events_sample.jsonl"


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Any:
    lib = Library(tmp_path_factory.mktemp("events-seeds"))
    yield lib
    lib.close()


def seed_id(lib: Library, number: str) -> str:
    (found,) = [a.id for a in lib.articles() if Path(a.path).name.startswith(number)]
    return found


def calls(lib: Library, article_id: str, who: set[str]) -> list[Event]:
    return [
        e
        for e in lib.events(article_id)
        if e.kind == "call" and {p.entity_id for p in e.participants} == who
    ]


GM = {"valery-gerasimov", "mark-milley"}
SA = {"sergei-shoigu", "lloyd-austin"}


@pytest.mark.parametrize(
    ("seed", "who", "date", "precision"),
    [
        ("000", GM, "2022-05-19", "day"),
        ("001", GM, "2021-11-23", "day"),
        ("004", {"antony-blinken", "sergei-lavrov"}, "2022-07-29", "day"),
        ("000", SA, "2022-05-13", "day"),
        ("002", SA, None, "unknown"),
    ],
)
def test_the_seed_calls(
    library: Library, seed: str, who: set[str], date: str | None, precision: str
) -> None:
    (event,) = calls(library, seed_id(library, seed), who)
    assert (event.date, event.date_precision, event.cameo) == (date, precision, "041")
    assert event.mentions and all(m.sentence for m in event.mentions)


def test_the_seed_calls_relate_by_their_pair(library: Library) -> None:
    (may, nov) = (calls(library, seed_id(library, s), GM)[0] for s in ("000", "001"))
    assert (nov.event_id, "same_participants") in may.related
    (may, october) = (calls(library, seed_id(library, s), SA)[0] for s in ("000", "002"))
    assert may.event_id != october.event_id
    assert (october.event_id, "same_participants") in may.related


def test_related_articles_of_a_seed(library: Library) -> None:
    got = {r.article_id: r for r in library.related(seed_id(library, "000"))}
    assert got[seed_id(library, "001")].relation == "same_participants"
    assert set(got[seed_id(library, "001")].via) == GM
    assert got[seed_id(library, "002")].relation == "same_participants"


def test_events_are_in_the_index_and_in_show(library: Library) -> None:
    article = seed_id(library, "004")
    ids = [e.event_id for e in library.events(article)]
    assert library.article_extras(article)["events"] == ids
    found = library.fulltext.ids_matching("event", [ids[0]])
    assert found == [article]


def run(*argv: str) -> tuple[int, Any]:
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(list(argv))
    return code, json.loads(out.getvalue())


def test_the_command_line_json_is_the_contract(library: Library) -> None:
    data_dir = str(library.data_dir)
    code, doc = run("events", "--data-dir", data_dir, "--json")
    assert code == 0 and doc["events"]
    event = doc["events"][0]
    assert list(event) == [
        "event_id", "kind", "cameo", "date", "date_precision", "date_text", "place",
        "participants", "mentions", "related",
    ]  # fmt: skip
    assert list(event["participants"][0]) == ["entity_id", "name", "kind"]
    assert list(event["mentions"][0]) == ["article_id", "sentence"]
    article = seed_id(library, "000")
    code, doc = run("related", article, "--data-dir", data_dir, "--json")
    assert code == 0 and doc["article_id"] == article
    assert list(doc["related"][0]) == ["article_id", "title", "relation", "via"]
    assert doc["related"][0]["relation"] == "same_participants"


# -- hand-checked excerpts of the shared corpus ---------------------------------------------


def _sample() -> list[dict[str, Any]]:
    return [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def extractors() -> tuple[Any, EventExtractor]:
    entities = default_extractor()
    return entities, EventExtractor(entities.lexicon, load_triggers())


@pytest.mark.parametrize("record", _sample(), ids=lambda r: r["id"])
def test_hand_checked_corpus_excerpts(
    extractors: tuple[Any, EventExtractor], record: dict[str, Any]
) -> None:
    entities, events = extractors
    text, published = record["text"], record["published"]
    found = events.extract(text, published, entities.extract(text, published))
    got = sorted(
        (f.kind, sorted(p.entity_id for p in f.participants), f.date, f.precision, f.place)
        for f in found
    )
    expected = sorted(
        (e["kind"], sorted(e["participants"]), e["date"], e["precision"], e["place"])
        for e in record["expected"]
    )
    assert sorted({json.dumps(g) for g in got}) == sorted({json.dumps(e) for e in expected})
