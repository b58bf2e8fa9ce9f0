"""Tests of stemming ahead in a helper process."""

from __future__ import annotations

from warta.index import analysis
from warta.index.prestem import StemAhead, stem_new_words


def test_stem_new_words_skips_stopwords_and_protected_names() -> None:
    stems = stem_new_words(["Pertemuan di Bekasi yang membahas perundingan"])
    assert stems.get("perundingan", "runding") == "runding"
    assert "yang" not in stems and "bekasi" not in stems


def test_helper_process_fills_the_main_cache() -> None:
    word = "pertemuanmerekalah"  # a word no other test stems first
    analysis._STEMS.pop(word, None)
    ahead = StemAhead()
    try:
        ahead.submit([f"Sebuah {word} panjang"])
        ahead.collect()
    finally:
        ahead.close()
    assert word in analysis._STEMS
    assert analysis._STEMS[word] == analysis._stemmer().stem(word)  # type: ignore[attr-defined]


def test_a_dead_helper_only_costs_speed() -> None:
    ahead = StemAhead()
    ahead.submit(["satu"])
    assert ahead._child is not None
    ahead._child.kill()
    ahead._child.wait()
    ahead.collect()
    ahead.submit(["dua"])  # refused quietly once broken
    ahead.close()
