"""Tests of merging event mentions into events, relating them, and the Library's answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from warta.index.event_store import EventStore, Row, cluster
from warta.index.events import Found, Sentence
from warta.index.models import Participant

GERASIMOV = Participant("valery-gerasimov", "Valery Gerasimov", "official")
MILLEY = Participant("mark-milley", "Mark Milley", "official")
SHOIGU = Participant("sergei-shoigu", "Sergei Shoigu", "official")
AUSTIN = Participant("lloyd-austin", "Lloyd Austin", "official")


def row(date: str | None, precision: str, anchor: str | None = None, art: str = "a") -> Row:
    return Row(art, 0, date, precision, date, anchor, None, None, "041")


def test_reports_a_day_apart_are_one_event() -> None:
    (one,) = cluster([row("2022-05-19", "day"), row("2022-05-20", "day"), row("2022-05-19", "day")])
    assert (one.date, one.precision) == ("2022-05-19", "day")


def test_a_month_joins_the_only_day_inside_it() -> None:
    (one,) = cluster([row("2022-05-19", "day"), row("2022-05", "month")])
    assert one.date == "2022-05-19"
    two = cluster([row("2022-05-02", "day"), row("2022-05-19", "day"), row("2022-05", "month")])
    assert sorted((c.date, c.precision) for c in two) == [
        ("2022-05", "month"), ("2022-05-02", "day"), ("2022-05-19", "day"),
    ]  # fmt: skip


def test_an_undated_report_joins_the_event_it_followed() -> None:
    (one,) = cluster([row("2022-05-13", "day"), row(None, "unknown", anchor="2022-05-20")])
    assert one.date == "2022-05-13"
    apart = cluster([row("2022-05-13", "day"), row(None, "unknown", anchor="2022-10-22")])
    assert sorted(c.precision for c in apart) == ["day", "unknown"]
    (undated,) = [c for c in apart if c.precision == "unknown"]
    assert undated.date == "2022-10-22"


def test_an_undated_report_with_no_anchor_stays_apart() -> None:
    found = cluster([row("2022-05-13", "day"), row(None, "unknown", anchor=None)])
    assert sorted(c.precision for c in found) == ["day", "unknown"]


def found(
    participants: list[Participant],
    date: str | None,
    precision: str = "day",
    anchor: str | None = None,
    kind: str = "call",
    place: str | None = None,
) -> Found:
    return Found(
        kind=kind,
        cameo="041" if kind == "call" else "044",
        generic=False,
        alone=True,
        backref=False,
        participants=list(participants),
        participant_spans=[(0, 3)] * len(participants),
        sentence=Sentence(0, 10, 0),
        trigger=(4, 8),
        rule="trigger",
        date=date,
        precision=precision,
        date_text=date,
        anchor=anchor or date,
        place_id=place,
        place=place.title() if place else None,
    )


@pytest.fixture
def store(tmp_path: Path) -> EventStore:
    return EventStore(tmp_path / "events.sqlite")


TEXT = "some text of an article"


def test_mentions_of_one_event_in_two_articles_merge(store: EventStore) -> None:
    store.put("a", TEXT, [found([GERASIMOV, MILLEY], "2022-05-19")], ["valery-gerasimov"])
    changed = store.put("b", TEXT, [found([MILLEY, GERASIMOV], "2022-05-19")], [])
    assert changed == {"b"}
    (event,) = store.events()
    assert {m.article_id for m in event.mentions} == {"a", "b"}
    assert store.event_ids("a") == store.event_ids("b") == [event.event_id]


def test_event_ids_do_not_depend_on_the_order_articles_arrive(tmp_path: Path) -> None:
    items = [
        ("a", [found([SHOIGU, AUSTIN], "2022-05-13")]),
        ("b", [found([SHOIGU, AUSTIN], None, "unknown", anchor="2022-05-20")]),
        ("c", [found([SHOIGU, AUSTIN], "2022-05", "month")]),
    ]
    ids = []
    for order, name in ((items, "one"), (items[::-1], "two")):
        store = EventStore(tmp_path / f"{name}.sqlite")
        for art, mentions in order:
            store.put(art, TEXT, mentions)
        ids.append({art: store.event_ids(art) for art, _ in items})
    assert ids[0] == ids[1]
    assert len({tuple(v) for v in ids[0].values()}) == 1


def test_adding_an_article_reports_the_articles_whose_events_moved(store: EventStore) -> None:
    store.put("a", TEXT, [found([SHOIGU, AUSTIN], "2022-05-13")])
    store.put("b", TEXT, [found([SHOIGU, AUSTIN], "2022-05-14")])
    before = store.event_ids("a")
    # Two reports now say the 14th: the event's date, and so its id, moves.
    changed = store.put("c", TEXT, [found([SHOIGU, AUSTIN], "2022-05-14")])
    assert store.event_ids("a") != before
    assert changed == {"a", "b", "c"}
    untouched = store.put("d", TEXT, [found([GERASIMOV, MILLEY], "2022-05-19")])
    assert untouched == {"d"}


def test_deleting_an_article_keeps_the_event_of_the_others(store: EventStore) -> None:
    store.put("a", TEXT, [found([GERASIMOV, MILLEY], "2022-05-19")])
    store.put("b", TEXT, [found([GERASIMOV, MILLEY], "2022-05-19")])
    store.delete("b")
    (event,) = store.events()
    assert [m.article_id for m in event.mentions] == ["a"]
    store.delete("a")
    assert store.events() == []


def test_events_relate_by_pair_by_person_and_kind_and_by_place_and_day(
    store: EventStore,
) -> None:
    store.put("a", TEXT, [found([GERASIMOV, MILLEY], "2022-05-19")])
    store.put("b", TEXT, [found([GERASIMOV, MILLEY], "2021-11-23")])
    store.put("c", TEXT, [found([MILLEY, AUSTIN], "2022-06-01")])
    store.put("d", TEXT, [found([SHOIGU, AUSTIN], "2022-06-01", kind="meeting", place="jenewa")])
    store.put("e", TEXT, [found([GERASIMOV, SHOIGU], "2022-06-01", kind="meeting", place="jenewa")])
    by_id = {e.event_id: e for e in store.events()}
    of = {e.mentions[0].article_id: e for e in by_id.values()}
    related = {
        art: {by_id[o].mentions[0].article_id: how for o, how in e.related} for art, e in of.items()
    }
    assert related["a"]["b"] == "same_participants"
    assert related["a"]["c"] == "same_participant_kind"
    assert related["d"]["e"] == "same_participant_kind"
    assert "d" not in related["a"]


def test_related_articles_rank_same_event_then_participants_then_entities(
    store: EventStore,
) -> None:
    store.put("a", TEXT, [found([GERASIMOV, MILLEY], "2022-05-19")], ["x", "y", "z", "ru"])
    store.put("b", TEXT, [found([GERASIMOV, MILLEY], "2022-05-19")], ["ru"])
    store.put("c", TEXT, [found([GERASIMOV, MILLEY], "2021-11-23")], [])
    store.put("d", TEXT, [], ["x", "y", "q"])
    store.put("e", TEXT, [], ["x", "q"])
    titles = {"b": "B", "c": "C", "d": "D", "e": "E"}
    got = store.related("a", lambda ids: {i: titles[i] for i in ids})
    assert [(r.article_id, r.relation) for r in got] == [
        ("b", "same_event"),
        ("c", "same_participants"),
        ("d", "shared_entities"),
    ]
    assert got[0].via == tuple(store.event_ids("a"))
    assert got[1].via == ("mark-milley", "valery-gerasimov")
    assert set(got[2].via) == {"x", "y"}
    assert got[0].title == "B"
