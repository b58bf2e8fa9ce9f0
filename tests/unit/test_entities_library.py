"""Tests of entities through the Library facade and the command line: storage, search, cards."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from warta.index import Library, NotFound
from warta.tui.cli import main

DATA = Path(__file__).resolve().parents[1] / "data"


def _seed_id(library: Library, name: str) -> str:
    return library.article(name).id


def test_spans_are_stored_and_shown(library: Library) -> None:
    article_id = _seed_id(library, "000_748064ef28cb275b.txt")
    article = library.article(article_id)
    spans = library.spans(article_id)
    assert spans, "the seed names officials"
    for s in spans:
        assert article.text[s.start : s.end] == s.text
    assert [s.start for s in spans] == sorted(s.start for s in spans)
    extras = library.article_extras(article_id)
    assert {"valery-gerasimov", "mark-milley"} <= {e["entity_id"] for e in extras["entities"]}


def test_entity_search_finds_the_articles(library: Library) -> None:
    results = library.search("entity:sergei-shoigu")
    assert results.total >= 1
    assert all("Shoigu" in library.article(h.id).text for h in results.hits)


def test_alias_search_finds_articles_that_do_not_use_the_alias(library: Library) -> None:
    with_alias = {h.id for h in library.search("Menhan Rusia", limit=50).hits}
    naming = {a.id for a in library.articles_naming("sergei-shoigu")}
    assert naming and naming <= with_alias
    plain = [a for a in naming if "Menhan" not in library.article(a).text]
    assert plain, "some seed names Shoigu without the word Menhan"


def test_entities_corpus_wide_and_per_article(library: Library) -> None:
    every = library.entities()
    assert every == sorted(every, key=lambda e: (-e.mentions, e.entity_id))
    by_id = {e.entity_id: e for e in every}
    assert by_id["nato"].kind == "institution"
    assert by_id["sergei-shoigu"].mentions >= 2
    article_id = _seed_id(library, "000_748064ef28cb275b.txt")
    one = {e.entity_id for e in library.entities(article_id)}
    assert "valery-gerasimov" in one and one <= set(by_id)


def test_entity_card_from_the_lexicon(library: Library) -> None:
    card = library.entity("sergei-shoigu")
    assert card.kind == "official" and card.listed
    assert "Shoigu" in card.aliases
    assert any(r.role == "Menteri Pertahanan" and r.of == "Rusia" for r in card.roles)
    with pytest.raises(NotFound):
        library.entity("no-such-entity")


def test_articles_naming_newest_first(library: Library) -> None:
    found = library.articles_naming("nato")
    assert found
    dated = [a.published for a in found if a.published]
    assert dated == sorted(dated, reverse=True)


def test_reindex_rebuilds_spans_and_keeps_user_state(library: Library) -> None:
    article_id = _seed_id(library, "000_748064ef28cb275b.txt")
    library.set_bookmark(article_id)
    before = library.spans(article_id)
    library.derived.clear()
    library.derived.commit()
    assert library.spans(article_id) == []
    library.reindex()
    assert library.spans(article_id) == before
    assert library.bookmarks() == [article_id]
    assert library.search("entity:valery-gerasimov").total >= 1


def test_an_updated_article_gets_new_spans(empty_library: Library, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Judul\n\nSergei Shoigu berbicara dengan NATO.\n", encoding="utf-8")
    empty_library.add([path])
    article_id = empty_library.article(str(path)).id
    assert {s.entity_id for s in empty_library.spans(article_id)} == {"sergei-shoigu", "nato"}
    path.write_text("Judul\n\nAntony Blinken berbicara dengan PBB.\n", encoding="utf-8")
    empty_library.add([path])
    ids = {s.entity_id for s in empty_library.spans(empty_library.article(str(path)).id)}
    assert "sergei-shoigu" not in ids and "antony-blinken" in ids


def test_cli_entities_json(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["entities", "--json", "--data-dir", str(data_dir)]) == 0
    data = json.loads(capsys.readouterr().out)
    first = data["entities"][0]
    assert set(first) == {"entity_id", "name", "kind", "mentions", "articles"}
    assert isinstance(first["articles"], list)
    assert main(["entities", "--data-dir", str(data_dir)]) == 0
    assert "MENTIONS" in capsys.readouterr().out


def test_cli_lexicon_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lexicon", "check"]) == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("officials:\n  - id: x\n    name: X\n    bogus: 1\n", encoding="utf-8")
    assert main(["lexicon", "check", str(bad)]) == 1
    out = capsys.readouterr().out
    assert f"{bad}:4:" in out and "bogus" in out


def test_an_articles_own_outlet_is_not_highlighted(tmp_path: Path) -> None:
    from warta.index import Library

    page = tmp_path / "berita.json"
    page.write_text(
        '{"id": "t:1", "source": "detik.com", "title": "Kapolri ke Bali",'
        ' "text": "Kapolri Listyo Sigit Prabowo mengatakan kepada detikcom bahwa TNI siap.'
        ' Hal itu juga dikutip Reuters."}',
        encoding="utf-8",
    )
    with Library(tmp_path / "d", seed=False) as lib:
        lib.add([page])
        texts = [span.text for span in lib.spans("t:1")]
    assert "detikcom" not in texts
    assert "Reuters" in texts and "TNI" in texts
