"""Provides tests of the NER-set evaluation: BIO reading, offsets, overlap arithmetic, CLI."""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest
from warta.index import evaluate, evaluate_ner
from warta.index.evaluate_ner import (
    GovernmentWords,
    NerScores,
    NerSet,
    PhraseSet,
    Sentence,
    gold_spans,
    government_gold,
    join_tokens,
    judge_span,
    mark,
    read_bio,
    score_sentence,
)
from warta.index.models import EntitySpan
from warta.index.nlp import EntityExtractor

from tests.conftest import SHARED

TINY = Path(__file__).resolve().parents[1] / "data" / "ner" / "tiny_bio.txt"
CLASSES = {"PERSON": "person", "ORGANISATION": "organisation", "PLACE": "place"}
WORDS = GovernmentWords(
    roles=PhraseSet(["Presiden", "Menteri Pertahanan", "PM"]),
    titles=PhraseSet(["Presiden", "Menteri Pertahanan", "PM", "Jenderal"]),
    heads=PhraseSet(["Kementerian", "Pemerintah"]),
)


def _sentence(pairs: Sequence[tuple[str, str]], join: str = "spaces") -> Sentence:
    tokens = [t for t, _ in pairs]
    tags = [g for _, g in pairs]
    text, offsets = join_tokens(tokens, join)
    gold = gold_spans(tags, offsets, CLASSES)
    return Sentence("t:1", tuple(tokens), tuple(tags), text, tuple(offsets), tuple(gold))


def _span(sentence: Sentence, text: str, kind: str, listed: bool = True) -> EntitySpan:
    start = sentence.text.index(text)
    return EntitySpan(start, start + len(text), text, kind, "x", text, listed)


def test_read_bio_sentences_offsets_and_gold() -> None:
    sentences = list(read_bio(TINY, CLASSES, name="tiny/test"))
    # Two blank lines in a row make no empty sentence; the last needs no blank line after it.
    assert [s.ident for s in sentences] == ["tiny/test:1", "tiny/test:2", "tiny/test:3"]
    first = sentences[0]
    assert first.text == "Presiden Joko Widodo , kata Menteri Pertahanan Rusia ."
    for sentence in sentences:
        assert len(sentence.offsets) == len(sentence.tokens)
        for token, (start, end) in zip(sentence.tokens, sentence.offsets, strict=True):
            assert sentence.text[start:end] == token
    assert [(first.text[g.start : g.end], g.label, g.cls) for g in first.gold] == [
        ("Joko Widodo", "PERSON", "person"),
        ("Rusia", "PLACE", "place"),
    ]
    assert [(g.first, g.last) for g in first.gold] == [(1, 3), (7, 8)]


def test_gold_spans_i_without_b_starts_a_span_and_a_new_b_ends_one() -> None:
    third = list(read_bio(TINY, CLASSES))[2]
    assert [(third.text[g.start : g.end], g.label) for g in third.gold] == [
        ("Klub Bola", "ORGANISATION"),
        ("Sentosa", "PERSON"),
        ("Raya", "PLACE"),
    ]


def test_natural_join_attaches_punctuation_and_keeps_offsets() -> None:
    tokens = ["Kementerian", "Keuangan", "(", "Kemenkeu", ")", ",", "kata", "Joko", "."]
    text, offsets = join_tokens(tokens, "natural")
    assert text == "Kementerian Keuangan (Kemenkeu), kata Joko."
    assert [text[s:e] for s, e in offsets] == tokens
    spaced, _ = join_tokens(tokens)
    assert spaced == "Kementerian Keuangan ( Kemenkeu ) , kata Joko ."
    with pytest.raises(ValueError):
        join_tokens(tokens, "tabs")


def test_read_bio_reports_a_line_without_tag(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("Joko\tB-PERSON\nWidodo\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.txt:2"):
        list(read_bio(bad, CLASSES))


def test_strict_and_title_tolerant_judgement() -> None:
    s = next(read_bio(TINY, CLASSES))
    named = judge_span(_span(s, "Presiden Joko Widodo", "official"), s, WORDS)
    assert (named.strict, named.tolerant) == (True, True)
    # The set leaves titles O: a bare title over a gold place overlaps no person.
    bare = judge_span(_span(s, "Menteri Pertahanan Rusia", "official"), s, WORDS)
    assert (bare.strict, bare.tolerant) == (False, True)
    title_only = judge_span(_span(s, "Menteri Pertahanan", "official"), s, WORDS)
    assert (title_only.strict, title_only.tolerant) == (False, True)
    # A word outside gold spans that is no title makes the span wrong either way.
    loose = judge_span(_span(s, "kata Menteri Pertahanan", "official"), s, WORDS)
    assert (loose.strict, loose.tolerant) == (False, False)
    # Title words are not institution head words.
    as_institution = judge_span(_span(s, "Menteri Pertahanan Rusia", "institution"), s, WORDS)
    assert (as_institution.strict, as_institution.tolerant) == (False, False)
    # Inside a gold place and no title word: wrong (the city Austin read as an official).
    in_place = judge_span(_span(s, "Rusia", "official"), s, WORDS)
    assert (in_place.strict, in_place.tolerant) == (False, False)
    place = judge_span(_span(s, "Rusia", "place"), s, WORDS)
    assert (place.strict, place.tolerant) == (True, True)
    # Places have no tolerance: a place inside a person's name is wrong.
    in_name = judge_span(_span(s, "Widodo", "place"), s, WORDS)
    assert (in_name.strict, in_name.tolerant) == (False, False)


def test_institution_head_word_tolerance() -> None:
    s = _sentence([("Pemerintah", "O"), ("Bandung", "B-PLACE"), ("setuju", "O")])
    head = judge_span(_span(s, "Pemerintah Bandung", "institution"), s, WORDS)
    assert (head.strict, head.tolerant) == (False, True)
    bare = judge_span(_span(s, "Pemerintah", "institution"), s, WORDS)
    assert (bare.strict, bare.tolerant) == (False, True)
    s = _sentence([("Kementerian", "B-PLACE"), ("Sosial", "I-PLACE"), ("Bandung", "I-PLACE")])
    inside = judge_span(_span(s, "Kementerian Sosial Bandung", "institution"), s, WORDS)
    assert (inside.strict, inside.tolerant) == (False, True)
    assert judge_span(_span(s, "Sosial Bandung", "institution"), s, WORDS).tolerant is False
    official = judge_span(_span(s, "Kementerian Sosial Bandung", "official"), s, WORDS)
    assert official.tolerant is False


def test_capital_words_of_a_title_match_exactly() -> None:
    s = _sentence([("pm", "O"), ("Jepang", "B-PLACE")])
    assert judge_span(_span(s, "pm Jepang", "official"), s, WORDS).tolerant is False
    s = _sentence([("PM", "O"), ("Jepang", "B-PLACE")])
    assert judge_span(_span(s, "PM Jepang", "official"), s, WORDS).tolerant is True


def test_score_sentence_counts() -> None:
    first, second, _ = read_bio(TINY, CLASSES)
    scores = NerScores("tiny")
    spans = [
        _span(first, "Presiden Joko Widodo", "official"),
        _span(first, "Menteri Pertahanan Rusia", "official", listed=False),
        _span(first, "Rusia", "place"),
    ]
    # The third span overlaps the second: the arithmetic does not depend on the extractor's
    # no-overlap rule.
    wrong: list[evaluate_ner.Wrong] = []
    score_sentence(first, spans, WORDS, scores, "test", wrong)
    score_sentence(second, [_span(second, "Keuangan", "place")], WORDS, scores, "test", wrong)
    assert scores.sentences == 2
    assert scores.highlighted == 2
    assert scores.precision_strict == 0.5
    assert scores.precision_tolerant == 1.0
    assert dict(scores.by_listed) == {"listed": 1, "unlisted": 1}
    assert scores.by_listed_strict["unlisted"] == 0
    assert scores.by_listed_tolerant["unlisted"] == 1
    assert scores.spans["place"] == 2 and scores.strict["place"] == 1
    assert dict(scores.wrong_places_within) == {"organisation": 1}
    # Only spans wrong by one measure at least are kept for sampling.
    assert [w.span.text for w in wrong] == ["Menteri Pertahanan Rusia"]
    # Government gold: the titled person was found, the ministry (head word) was not.
    assert dict(scores.government) == {"person": 1, "organisation": 1}
    assert dict(scores.government_found) == {"person": 1}
    assert scores.recall == 0.5
    assert list(scores.missed) == ["Kementerian Keuangan [ORGANISATION]"]
    document = scores.to_json(5)
    assert document["precision_strict"] == 0.5
    assert document["precision_by_kind"]["official"] == {
        "strict": 0.5,
        "tolerant": 1.0,
        "spans": 2,
    }


def test_government_gold_person_after_title_across_place_and_rank() -> None:
    s = _sentence(
        [
            ("Menteri", "O"),
            ("Pertahanan", "O"),
            ("Rusia", "B-PLACE"),
            ("Jenderal", "O"),
            ("Sergei", "B-PERSON"),
            ("Shoigu", "I-PERSON"),
            ("dan", "O"),
            ("Andi", "B-PERSON"),
            ("dari", "O"),
            ("Klub", "B-ORGANISATION"),
            ("Bola", "I-ORGANISATION"),
        ]
    )
    found = [s.text[g.start : g.end] for g in government_gold(s, WORDS)]
    assert found == ["Sergei Shoigu"]


def test_mark_shows_span_and_gold() -> None:
    s = next(read_bio(TINY, CLASSES))
    marked = mark(s, _span(s, "Menteri Pertahanan Rusia", "official"))
    assert marked == "Presiden {Joko Widodo|PERSON} , kata [[Menteri Pertahanan {Rusia|PLACE}]] ."
    # Same start, same end, crossing: the marks still nest or cross at the right characters.
    assert mark(s, _span(s, "Rusia", "place")).endswith("[[{Rusia|PLACE}]] .")
    assert mark(s, _span(s, "Joko", "official")).startswith("Presiden {[[Joko]] Widodo|PERSON}")
    crossing = mark(s, _span(s, "Widodo , kata", "official"))
    assert crossing.startswith("Presiden {Joko [[Widodo|PERSON} , kata]] Menteri")


def _tiny_shared(tmp_path: Path) -> tuple[Path, NerSet]:
    directory = tmp_path / "ner" / "tiny"
    directory.mkdir(parents=True)
    shutil.copy(TINY, directory / "test_preprocess.txt")
    return tmp_path, NerSet("tiny", "tiny", CLASSES)


def test_evaluate_set_runs_the_extractor(tmp_path: Path) -> None:
    shared, ner_set = _tiny_shared(tmp_path)
    extractor = EntityExtractor()
    scores = evaluate_ner.evaluate_set(shared, ner_set, extractor)
    assert scores.splits == ["test"] and scores.sentences == 3
    found = list(extractor.extract_many((s.text, None) for s in read_bio(TINY, CLASSES)))
    assert sum(scores.spans.values()) == sum(len(spans) for spans in found)
    texts = {span.text for spans in found for span in spans}
    assert "Presiden Joko Widodo" in texts
    assert scores.government_found["person"] == 1


def test_cli_json_includes_the_ner_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shared, ner_set = _tiny_shared(tmp_path)
    monkeypatch.setattr(evaluate_ner, "NER_SETS", (ner_set,))
    assert evaluate.main(["--shared", str(shared), "--ner", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["ner"]["join"] == "spaces"
    assert document["ner"]["tiny"]["sentences"] == 3
    assert 0.0 <= document["ner"]["tiny"]["precision_tolerant"] <= 1.0
    assert evaluate.main(["--shared", str(tmp_path / "none"), "--ner"]) == 2


@pytest.mark.slow
def test_real_ner_sets() -> None:
    if not (SHARED / "ner").is_dir():
        pytest.skip("no shared NER sets")
    for ner_set in evaluate_ner.NER_SETS:
        for split in evaluate_ner.SPLITS:
            path = ner_set.path(SHARED, split)
            raw = path.read_text(encoding="utf-8")
            groups = [g for g in raw.split("\n\n") if g.strip()]
            sentences = list(read_bio(path, ner_set.classes))
            assert len(sentences) == len(groups)
            for sentence in sentences:
                for token, (start, end) in zip(sentence.tokens, sentence.offsets, strict=True):
                    assert sentence.text[start:end] == token
    results = evaluate_ner.evaluate_ner(SHARED, EntityExtractor())
    grit = results["nergrit"]
    assert grit.sentences == 2090
    assert grit.highlighted > 100
    # Title tolerance only ever adds spans.
    assert grit.precision_tolerant >= grit.precision_strict
    assert 0.5 < grit.precision_tolerant <= 1.0
