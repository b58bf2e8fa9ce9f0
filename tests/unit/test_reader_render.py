"""Unit tests of the reader's text rendering, history and key file."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from warta.index.models import Article, EntitySpan
from warta.tui.history import History, ListState, Location
from warta.tui.keys import load_keymap
from warta.tui.render import BodyStyles, article_body, find_hits, query_terms, wrap_offsets

STYLES = BodyStyles.plain()


def article(text: str) -> Article:
    return Article(id="a", path="a.txt", title="T", text=text)


def span(text: str, surface: str, kind: str = "official", listed: bool = True) -> EntitySpan:
    start = text.index(surface)
    return EntitySpan(start, start + len(surface), surface, kind, "x." + surface, surface, listed)


def test_markup_in_text_stays_literal() -> None:
    text = "Ada [bold red]x[/] dan [link=u]y[/link] di sini."
    body = article_body(article(text), [], STYLES)
    assert body.text.plain == text
    assert body.text.spans == []


def test_escape_sequences_are_removed_and_spans_still_fit() -> None:
    text = "Mula \x1b[31mmerah\x1b[0m lalu Sergei Shoigu berkata\r\n dan \x07 Moskow."
    spans = [span(text, "Sergei Shoigu"), span(text, "Moskow", "place")]
    body = article_body(article(text), spans, STYLES)
    shown = body.text.plain
    assert "\x1b" not in shown and "[31m" not in shown and "\x07" not in shown
    assert [shown[s.start : s.end] for s in body.stops] == ["Sergei Shoigu", "Moskow"]
    styled = {shown[s.start : s.end]: s.style for s in body.text.spans}
    assert styled["Sergei Shoigu"] == STYLES.kinds["official"]
    assert styled["Moskow"] == STYLES.kinds["place"]


def test_escape_inside_a_span_is_removed_from_it() -> None:
    text = "Kata Sergei\x1b[1m Shoigu hari ini."
    raw = EntitySpan(5, text.index(" hari"), "", "official", "ru.shoigu", "Shoigu")
    body = article_body(article(text), [raw], STYLES)
    stop = body.stops[0]
    assert body.text.plain[stop.start : stop.end] == "Sergei Shoigu"


def test_unlisted_officials_look_different() -> None:
    text = "Jenderal Budi dan Jenderal Andi."
    spans = [span(text, "Jenderal Budi"), span(text, "Jenderal Andi", listed=False)]
    body = article_body(article(text), spans, STYLES)
    styles = [s.style for s in body.text.spans]
    assert styles == [STYLES.kinds["official"], STYLES.unlisted]
    assert STYLES.kinds["official"] != STYLES.unlisted


def test_bad_and_overlapping_spans_are_dropped() -> None:
    text = "Sergei Shoigu"
    spans = [
        EntitySpan(0, 13, text, "official", "a", "a"),
        EntitySpan(7, 13, "Shoigu", "person", "b", "b"),
        EntitySpan(5, 99, "?", "place", "c", "c"),
    ]
    body = article_body(article(text), spans, STYLES)
    assert len(body.stops) == 1


def test_search_hits_are_marked_and_become_stops() -> None:
    text = "Menhan bertemu. Pertemuan menhan berikutnya di Moskow."
    hits = find_hits(text, query_terms("menhan"))
    assert hits == [(0, 6), (26, 32)]
    body = article_body(article(text), [], STYLES, hits)
    assert [body.text.plain[s.start : s.end] for s in body.stops] == ["Menhan", "menhan"]


def test_query_terms_use_the_snippet_forms_and_skip_operators() -> None:
    terms = query_terms("telepon AND shoigu", "… **menelepon** dan **Shoigu** …")
    assert terms == ["menelepon", "telepon", "shoigu"]
    assert find_hits("shoigu2 shoigu", ["shoigu"]) == [(8, 14)]
    assert find_hits("menteri menterinya", ["menteri*"]) == [(0, 7), (8, 18)]


def test_wrap_offsets_break_between_words_and_at_newlines() -> None:
    text = "satu dua tiga empat lima\n\nsembilan"
    lines = [text[start:end] for start, end in wrap_offsets(text, 10)]
    assert lines == ["satu dua", "tiga empat", "lima", "", "sembilan"]


def test_wrap_offsets_cut_words_wider_than_the_line_and_count_wide_cells() -> None:
    text = "abcdefghijkl xy"
    assert [text[s:e] for s, e in wrap_offsets(text, 5)] == ["abcde", "fghij", "kl xy"]
    wide = "日本語のテキスト"  # two cells a character
    assert [wide[s:e] for s, e in wrap_offsets(wide, 6)] == ["日本語", "のテキ", "スト"]
    assert wrap_offsets("", 10) == [(0, 0)]
    assert wrap_offsets("a\n", 10) == [(0, 1), (2, 2)]


def test_wrapped_lines_cover_every_word_in_order() -> None:
    text = "Kata  Sergei Shoigu,\tdi Moskow pada hari Jumat (21/10/2022) malam.\n  Lalu dia pergi."
    for width in (1, 3, 7, 20, 80):
        offsets = wrap_offsets(text, width)
        assert all(a <= b for a, b in offsets)
        assert all(e1 <= s2 for (_, e1), (s2, _) in pairwise(offsets))
        words = " ".join(text[s:e] for s, e in offsets).split()
        assert "".join(words) == "".join(text.split())


def test_tabs_become_spaces_and_spans_still_fit() -> None:
    text = "A\tSergei Shoigu"
    body = article_body(article(text), [span(text, "Sergei Shoigu")], STYLES)
    assert "\t" not in body.text.plain
    stop = body.stops[0]
    assert body.text.plain[stop.start : stop.end] == "Sergei Shoigu"


def location(article_id: str, y: float = 0.0) -> Location:
    return Location(article_id, y, ListState(), article_id)


def test_history_restores_where_the_reader_was() -> None:
    history = History()
    history.visit(None, location("a"))
    history.visit(location("a", 12.0), location("b"))
    history.visit(location("b", 3.0), location("c"))
    back = history.back(location("c", 7.0))
    assert back == location("b", 3.0)
    assert history.back(back) == location("a", 12.0)
    assert history.back(location("a")) is None
    assert history.forward(location("a", 12.0)) == location("b", 3.0)
    assert history.forward(location("b", 3.0)) == location("c", 7.0)
    history.back(location("c", 7.0))
    history.visit(location("b", 3.0), location("d"))
    assert not history.can_forward


def test_location_round_trips_through_json_and_tolerates_garbage() -> None:
    here = Location("a", 4.0, ListState("search", "shoigu", "relevance"), "a")
    assert Location.from_json(here.to_json()) == here
    assert Location.from_json("{not json") is None
    assert Location.from_json('{"listing": {"bogus": 1}}') is None
    assert Location.from_json(None) is None


def test_key_file_yaml_and_its_problems(tmp_path: Path) -> None:
    (tmp_path / "keys.yaml").write_text(
        "reader.back: backspace,h\nreader.quit: [q, ctrl+q]\nbogus.id: x\nreader.help: 3\n"
    )
    keymap, problems = load_keymap(tmp_path, {"reader.back", "reader.quit", "reader.help"})
    assert keymap == {"reader.back": "backspace,h", "reader.quit": "q,ctrl+q"}
    assert len(problems) == 2
    assert any("bogus.id" in p for p in problems)


def test_key_file_errors_name_the_line(tmp_path: Path) -> None:
    (tmp_path / "keys.yaml").write_text("reader.back: x\nreader.quit: [q\n")
    keymap, problems = load_keymap(tmp_path, {"reader.back"})
    assert keymap == {}
    assert problems and "keys.yaml:" in problems[0]


def test_key_file_toml(tmp_path: Path) -> None:
    (tmp_path / "keys.toml").write_text('"reader.back" = "h"\n')
    assert load_keymap(tmp_path, {"reader.back"}) == ({"reader.back": "h"}, [])
    assert load_keymap(tmp_path / "none", {"reader.back"}) == ({}, [])
