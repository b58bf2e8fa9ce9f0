"""Tests of event extraction: trigger lexicon, sentences, participants, dates, places."""

from __future__ import annotations

import re

import pytest
from warta.index.events import EventExtractor, Found, split_sentences
from warta.index.models import EntitySpan
from warta.index.triggers import TriggerError, load_triggers, parse_triggers
from warta.lexicons import Entry, Lexicon
from warta.lexicons.model import RoleSpell

# -- a small lexicon made for these tests -------------------------------------------------


def _lexicon() -> Lexicon:
    entries = [
        Entry("ru", "place", "Rusia", (), "RU", type="country"),
        Entry("us", "place", "Amerika Serikat", ("AS",), "US", type="country"),
        Entry("ch", "place", "Swiss", (), "CH", type="country"),
        Entry("jenewa", "place", "Jenewa", (), "CH", type="city"),
        Entry("menteri-pertahanan", "role", "Menteri Pertahanan", ("Menhan",), None),
        Entry("menteri-luar-negeri", "role", "Menteri Luar Negeri", ("Menlu",), None),
        Entry(
            "sergei-shoigu", "official", "Sergei Shoigu", ("Shoigu",), "RU",
            roles=(RoleSpell("menteri-pertahanan", "RU", "2012-11-06", "2024-05-12"),),
        ),
        Entry(
            "lloyd-austin", "official", "Lloyd Austin", ("Austin",), "US",
            roles=(RoleSpell("menteri-pertahanan", "US", "2021-01-22", "2025-01-20"),),
        ),
        Entry(
            "andrei-belousov", "official", "Andrei Belousov", ("Belousov",), "RU",
            roles=(RoleSpell("menteri-pertahanan", "RU", "2024-05-14", None),),
        ),
        Entry(
            "pete-hegseth", "official", "Pete Hegseth", ("Hegseth",), "US",
            roles=(RoleSpell("menteri-pertahanan", "US", "2025-01-25", None),),
        ),
        Entry(
            "antony-blinken", "official", "Antony Blinken", ("Blinken",), "US",
            roles=(RoleSpell("menteri-luar-negeri", "US", "2021-01-26", "2025-01-20"),),
        ),
        Entry(
            "sergei-lavrov", "official", "Sergei Lavrov", ("Lavrov",), "RU",
            roles=(RoleSpell("menteri-luar-negeri", "RU", "2004-03-09", None),),
        ),
        Entry("kemenlu-ru", "institution", "Kementerian Luar Negeri Rusia", (), "RU"),
        Entry("tass", "institution", "TASS", (), "RU", type="media"),
        Entry("komdis", "institution", "Komisi Disiplin", (), None),
    ]  # fmt: skip
    return Lexicon({e.key: e for e in entries})


LEXICON = _lexicon()
# Written forms the helper below turns into spans, longest first.
FORMS = [
    ("Menteri Pertahanan Rusia", "official", "title:menteri-pertahanan-ru"),
    ("Kementerian Luar Negeri Rusia", "institution", "kemenlu-ru"),
    ("Amerika Serikat", "place", "us"),
    ("Sergei Shoigu", "official", "sergei-shoigu"),
    ("Lloyd Austin", "official", "lloyd-austin"),
    ("Pete Hegseth", "official", "pete-hegseth"),
    ("Blinken", "official", "antony-blinken"),
    ("Lavrov", "official", "sergei-lavrov"),
    ("Shoigu", "official", "sergei-shoigu"),
    ("Austin", "official", "lloyd-austin"),
    ("Jenewa", "place", "jenewa"),
    ("Rusia", "place", "ru"),
    ("Komisi Disiplin", "institution", "komdis"),
    ("TASS", "institution", "tass"),
    ("AS", "place", "us"),
]


def spans_of(text: str) -> list[EntitySpan]:
    """What the entity extractor would give for these test texts: every form, no overlaps."""
    taken: list[EntitySpan] = []
    for form, kind, entity_id in FORMS:
        for m in re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)", text):
            if any(s.start < m.end() and m.start() < s.end for s in taken):
                continue
            entry = LEXICON.get(kind, entity_id)
            name = entry.name if entry else form
            listed = not entity_id.startswith("title:")
            taken.append(EntitySpan(m.start(), m.end(), form, kind, entity_id, name, listed))
    return sorted(taken, key=lambda s: s.start)


@pytest.fixture(scope="module")
def extractor() -> EventExtractor:
    return EventExtractor(LEXICON, load_triggers())


def extract(extractor: EventExtractor, text: str, published: str | None) -> list[Found]:
    return extractor.extract(text, published, spans_of(text))


def people(found: Found) -> set[str]:
    return {p.entity_id for p in found.participants}


# -- the trigger lexicon --------------------------------------------------------------------


def test_bundled_triggers_cover_the_kinds_and_inflections() -> None:
    lexicon = load_triggers()
    assert {"call", "visit", "meeting", "talks", "agreement", "statement"} <= set(lexicon.kinds)
    assert lexicon.kinds["call"].cameo == "041"
    for form in ("bertemu", "pertemuan", "menemui", "bertatap muka"):
        assert lexicon.triggers[form].kind == "meeting"
    for form in ("panggilan telepon", "teleponan", "menelepon", "berbicara melalui telepon"):
        assert lexicon.triggers[form].kind == "call"
    assert lexicon.triggers["menerima kunjungan"].cameo == "043"


GOOD = """\
kinds:
  - kind: call
    cameo: "041"
    name: Telepon
    triggers:
      - forms: [menelepon]
"""


def test_a_valid_trigger_file_loads() -> None:
    lexicon = parse_triggers(GOOD, "t.yaml")
    assert lexicon.triggers["menelepon"].kind == "call"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (GOOD + "    colour: red\n", 7, "unknown key 'colour'"),
        (GOOD.replace('"041"', '"41x"'), 3, "cameo '41x'"),
        (GOOD.replace("[menelepon]", "[menelepon, Menelepon]"), 6, "repeats line 6"),
        (GOOD + "context:\n  blockers: []\n", 8, "non-empty list"),
        (GOOD + "  - kind: visit\n    cameo: '042'\n    name: K\n    triggers:\n"
         "      - forms: [menelepon]\n", 11, "already given on line 6"),
        ("kinds: [\n", 2, "YAML syntax error"),
        (GOOD.replace("kind: call", "kind: Call!"), 2, "lower-case"),
    ],
)  # fmt: skip
def test_trigger_file_problems_are_reported_with_file_and_line(
    text: str, line: int, message: str
) -> None:
    with pytest.raises(TriggerError) as caught:
        parse_triggers(text, "t.yaml")
    assert any(i.startswith(f"t.yaml:{line}:") and message in i for i in caught.value.issues), (
        caught.value.issues
    )


# -- sentences ------------------------------------------------------------------------------


def test_sentences_keep_offsets_and_skip_abbreviations() -> None:
    text = (
        "Jend. Mark Milley tiba di Jenewa. Ia bertemu H. Agus.\n"
        "“Kami sepakat,” kata dia. Lalu pulang!"
    )
    sentences = split_sentences(text, load_triggers().words("abbreviations"))
    got = [text[s.start : s.end] for s in sentences]
    assert got == [
        "Jend. Mark Milley tiba di Jenewa.",
        "Ia bertemu H. Agus.",
        "“Kami sepakat,” kata dia.",
        "Lalu pulang!",
    ]
    assert [s.paragraph for s in sentences] == [0, 0, 1, 1]


# -- participants ---------------------------------------------------------------------------


def test_participants_in_the_sentence_with_the_evidence(extractor: EventExtractor) -> None:
    text = "Blinken dan Lavrov melakukan panggilan telepon pada Jumat (29/7/2022)."
    (found,) = extract(extractor, text, "2022-07-30")
    assert (found.kind, found.cameo, found.date, found.precision) == (
        "call",
        "041",
        "2022-07-29",
        "day",
    )
    assert people(found) == {"antony-blinken", "sergei-lavrov"}
    assert text[found.trigger[0] : found.trigger[1]] == "panggilan telepon"
    assert [text[a:b] for a, b in found.participant_spans] == ["Blinken", "Lavrov"]
    assert found.rule == "trigger"


def test_keduanya_means_the_two_people_just_named(extractor: EventExtractor) -> None:
    text = (
        "Lloyd Austin dan Sergei Shoigu adalah menteri pertahanan.\n"
        "Keduanya melakukan panggilan telepon pada Jumat (13/5/2022)."
    )
    (found,) = extract(extractor, text, "2022-05-20")
    assert people(found) == {"lloyd-austin", "sergei-shoigu"}
    assert "pair-anaphora" in found.rule


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("Sergei Shoigu menelepon mitranya dari AS pada Jumat (21/10/2022).", "2022-10-22",
         {"sergei-shoigu", "lloyd-austin"}),
        ("Pete Hegseth menelepon mitranya dari Rusia pada Jumat (28/2/2025).", "2025-03-01",
         {"pete-hegseth", "andrei-belousov"}),
    ],
)  # fmt: skip
def test_the_counterpart_is_who_held_the_same_title_that_day(
    extractor: EventExtractor, text: str, published: str, expected: set[str]
) -> None:
    (found,) = extract(extractor, text, published)
    assert people(found) == expected
    assert "counterpart" in found.rule


def test_an_undated_counterpart_is_the_official_the_article_names(
    extractor: EventExtractor,
) -> None:
    text = (
        "Menteri Pertahanan Rusia mengadakan percakapan telepon dengan mitranya dari AS "
        "pada hari Jumat.\nPercakapan antara Sergei Shoigu dan Lloyd Austin membahas Ukraina."
    )
    found = extract(extractor, text, None)
    assert found, "no event"
    assert all(people(f) == {"sergei-shoigu", "lloyd-austin"} for f in found)
    assert all(f.kind == "call" and f.precision == "unknown" for f in found)


def test_a_ministry_statement_about_the_call_joins_the_officials(
    extractor: EventExtractor,
) -> None:
    text = (
        "Kementerian Luar Negeri Rusia membahas percakapan telepon itu.\n"
        "Percakapan telepon pada Jumat (29/7) itu yang pertama antara Blinken dan Lavrov."
    )
    found = extract(extractor, text, "2022-07-30")
    assert len(found) == 2
    assert all(people(f) == {"antony-blinken", "sergei-lavrov"} for f in found)
    assert all(f.date == "2022-07-29" for f in found)


@pytest.mark.parametrize(
    "sentence",
    [
        "Blinken menolak untuk bertemu Lavrov.",
        "Blinken tidak ada rencana bertemu Lavrov.",
        "Blinken akan bertemu Lavrov di Jenewa.",
        "Blinken dijadwalkan bertemu dengan Lavrov.",
    ],
)
def test_refused_or_planned_events_are_not_events(extractor: EventExtractor, sentence: str) -> None:
    assert extract(extractor, sentence, "2022-07-30") == []


def test_a_coming_date_means_a_planned_event(extractor: EventExtractor) -> None:
    assert extract(extractor, "Pertemuan Blinken dan Lavrov pekan depan.", "2022-07-30") == []


def test_one_participant_is_not_a_call(extractor: EventExtractor) -> None:
    assert extract(extractor, "Blinken melakukan panggilan telepon.", "2022-07-30") == []


def test_the_source_of_a_report_is_not_a_participant(extractor: EventExtractor) -> None:
    text = "Shoigu dan Austin menelepon, lapor TASS."
    (found,) = extract(extractor, text, "2022-05-20")
    assert people(found) == {"sergei-shoigu", "lloyd-austin"}


# -- dates and places -------------------------------------------------------------------


def test_a_since_date_is_not_the_event_date(extractor: EventExtractor) -> None:
    text = "Blinken dan Lavrov melakukan panggilan telepon pertama sejak 15 Februari lalu."
    (found,) = extract(extractor, text, "2022-07-30")
    assert (found.date, found.precision, found.date_text) == ("2022-07-30", "unknown", None)


def test_the_next_sentence_may_date_the_event_when_it_refers_back(
    extractor: EventExtractor,
) -> None:
    text = (
        "Austin dan Shoigu melakukan panggilan telepon pertama sejak akhir Februari. "
        "Berita itu dikonfirmasi kedua belah pihak pada Jumat pekan lalu."
    )
    (found,) = extract(extractor, text, "2022-05-20")
    assert (found.date, found.precision, found.date_text) == (
        "2022-05-13",
        "day",
        "Jumat pekan lalu",
    )


def test_an_earlier_date_in_the_paragraph_dates_the_event(extractor: EventExtractor) -> None:
    text = "Pada Kamis (19/5/2022), suasana tegang. Shoigu dan Austin berbicara melalui telepon."
    (found,) = extract(extractor, text, "2022-05-20")
    assert found.date == "2022-05-19"


def test_no_date_gives_the_anchor_with_precision_unknown(extractor: EventExtractor) -> None:
    (found,) = extract(extractor, "Shoigu dan Austin berbicara melalui telepon.", "2022-05-20")
    assert (found.date, found.precision) == ("2022-05-20", "unknown")
    (found,) = extract(extractor, "Shoigu dan Austin berbicara melalui telepon.", None)
    assert (found.date, found.precision) == (None, "unknown")


def test_the_place_is_where_it_happened(extractor: EventExtractor) -> None:
    text = "Blinken bertemu Lavrov di Jenewa pada Jumat (21/1/2022)."
    (found,) = extract(extractor, text, "2022-01-22")
    assert (found.kind, found.place, found.place_id) == ("meeting", "Jenewa", "jenewa")
    assert people(found) == {"antony-blinken", "sergei-lavrov"}


def test_a_call_has_no_place(extractor: EventExtractor) -> None:
    text = "Blinken menelepon Lavrov di Jenewa pada Jumat (21/1/2022)."
    (found,) = extract(extractor, text, "2022-01-22")
    assert found.place is None


def test_a_visit_goes_somewhere(extractor: EventExtractor) -> None:
    text = "Lavrov berkunjung ke Amerika Serikat pada Jumat (21/1/2022)."
    (found,) = extract(extractor, text, "2022-01-22")
    assert found.kind == "visit"
    assert people(found) == {"sergei-lavrov", "us"}
    assert extract(extractor, "Lavrov berkunjung pada Jumat (21/1/2022).", "2022-01-22") == []


# -- wrong events the follow-up of issue 4 removed ---------------------------------------


def test_a_refused_meeting_is_not_listed_through_another_trigger(
    extractor: EventExtractor,
) -> None:
    text = "Saat sama-sama menghadiri pertemuan di Jenewa pada awal Juli lalu, Blinken menolak untuk bertemu Lavrov."  # noqa: E501
    assert extract(extractor, text, "2022-07-30") == []


@pytest.mark.parametrize(
    ("text", "events"),
    [
        ("Rusia menuduh AS melanggar perjanjian Minsk 2014.", 0),
        ("Rusia dan AS mencapai kesepakatan Jenewa 2022.", 1),
    ],
)
def test_a_past_agreement_named_by_its_year_is_only_referred_to(
    extractor: EventExtractor, text: str, events: int
) -> None:
    assert len(extract(extractor, text, "2022-05-20")) == events


def test_of_one_mind_is_no_agreement(extractor: EventExtractor) -> None:
    assert extract(extractor, "Blinken dan Lavrov sepakat bahwa perang harus usai.", None) == []


def test_a_visit_needs_someone_who_went(extractor: EventExtractor) -> None:
    text = "Dalam kunjungan ke Rusia pada Jumat (21/1/2022), pabrik itu terlihat ramai."
    assert extract(extractor, text, "2022-01-22") == []


def test_a_date_of_another_event_is_not_carried_over(extractor: EventExtractor) -> None:
    text = (
        "Blinken dan Lavrov melakukan percakapan telepon pada Jumat (29/7). "
        "Rusia menyerbu, yang mendorong AS menjatuhkan sanksi kepada Rusia."
    )
    sanction = next(f for f in extract(extractor, text, "2022-07-30") if f.kind == "sanction")
    assert (sanction.precision, sanction.date_text) == ("unknown", None)


def test_a_time_of_its_own_takes_no_neighbour_date(extractor: EventExtractor) -> None:
    text = (
        "Pada Kamis (19/5/2022), suasana tegang. "
        "Sembilan hari kemudian Shoigu dan Austin berbicara melalui telepon."
    )
    (found,) = extract(extractor, text, "2022-05-20")
    assert found.precision == "unknown"


def test_a_date_passes_between_kinds_of_one_occasion(extractor: EventExtractor) -> None:
    text = "Rusia dan AS sepakat pada Kamis (19/5/2022). Pertemuan dihadiri Blinken dan Lavrov."
    meeting = next(f for f in extract(extractor, text, "2022-05-20") if f.kind == "meeting")
    assert (meeting.date, meeting.precision) == ("2022-05-19", "day")


def test_who_said_it_is_no_participant_when_others_are_named(extractor: EventExtractor) -> None:
    text = "Austin mengatakan, Blinken bertemu Lavrov di Jenewa pada Jumat (21/1/2022)."
    (found,) = extract(extractor, text, "2022-01-22")
    assert people(found) == {"antony-blinken", "sergei-lavrov"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD.replace("      - forms:", "      - reference: maybe\n        forms:"),
         "expected true or false"),
        (GOOD.replace("    cameo:", "    needs_actor: 2\n    cameo:"), "expected true or false"),
        (GOOD.replace("    cameo:", "    occasion: ''\n    cameo:"), "occasion must be"),
    ],
)  # fmt: skip
def test_the_new_trigger_keys_are_validated(text: str, message: str) -> None:
    with pytest.raises(TriggerError) as caught:
        parse_triggers(text, "t.yaml")
    assert any(message in i for i in caught.value.issues), caught.value.issues


# -- precision on real text: parties, forums, lists, sports ----------------------------------


def kinds_of(found: list[Found]) -> set[str]:
    return {f.kind for f in found}


def test_a_trigger_word_in_a_list_is_no_event(extractor: EventExtractor) -> None:
    listed = "Pelatihan Rusia dan AS mencakup investigasi, negosiasi, kontrateroris dan intelijen."
    assert "talks" not in kinds_of(extract(extractor, listed, "2024-03-01"))
    told = "Rusia dan AS memulai negosiasi, kata TASS."
    assert "talks" in kinds_of(extract(extractor, told, "2024-03-01"))


def test_a_forum_meeting_takes_nobody_of_its_sentence(extractor: EventExtractor) -> None:
    forum = (
        "Dalam pertemuan Dewan Keamanan pekan ini, Blinken bertemu banyak menteri, termasuk Lavrov."
    )
    assert "meeting" not in kinds_of(extract(extractor, forum, "2024-03-01"))
    own = "Pertemuan Blinken dan Lavrov berlangsung di Jenewa."
    found = [f for f in extract(extractor, own, "2024-03-01") if f.kind == "meeting"]
    assert [people(f) for f in found] == [{"antony-blinken", "sergei-lavrov"}]


def test_who_proposed_the_plan_is_no_party(extractor: EventExtractor) -> None:
    text = (
        "Rusia dan AS menandatangani perjanjian yang didasarkan pada usulan "
        "yang diajukan oleh Lavrov."
    )
    found = [f for f in extract(extractor, text, "2024-03-01") if f.kind == "agreement"]
    assert found and all(people(f) == {"ru", "us"} for f in found)


def test_an_onlooker_is_no_party(extractor: EventExtractor) -> None:
    text = "Penandatanganan perjanjian Rusia dan AS disaksikan langsung oleh Shoigu."
    found = [f for f in extract(extractor, text, "2024-03-01") if f.kind == "agreement"]
    assert found and all(people(f) == {"ru", "us"} for f in found)


def test_who_signed_after_oleh_is_a_party(extractor: EventExtractor) -> None:
    text = "Perjanjian itu ditandatangani oleh Blinken dan Lavrov di Jenewa."
    found = [f for f in extract(extractor, text, "2024-03-01") if f.kind == "agreement"]
    assert found and people(found[0]) == {"antony-blinken", "sergei-lavrov"}


def test_the_body_a_body_belongs_to_is_no_second_party(extractor: EventExtractor) -> None:
    text = (
        "Komisi Disiplin (Komdis) Kementerian Luar Negeri Rusia (Kemenlu) "
        "menjatuhkan sanksi kepada Shoigu."
    )
    found = [f for f in extract(extractor, text, "2024-03-01") if f.kind == "sanction"]
    assert [people(f) for f in found] == [{"komdis", "sergei-shoigu"}]


@pytest.mark.parametrize(
    "text",
    [
        "Blinken menjamu Lavrov di Stadion Luzhniki, Minggu (3/3/2024).",
        "Dari rekor pertemuan, Rusia selalu kalah kontra AS.",
    ],
)
def test_sports_uses_are_no_events(extractor: EventExtractor, text: str) -> None:
    assert extract(extractor, text, "2024-03-04") == []


def test_keduanya_means_two_people_not_two_countries(extractor: EventExtractor) -> None:
    earlier = "Pemain itu lahir di Rusia dan besar di AS. "
    people_only = earlier + "Keduanya pertama kali bertemu di sebuah butik di Jenewa."
    assert extract(extractor, people_only, "2024-03-01") == []
    countries = earlier + "Kedua negara bertemu di Jenewa, Jumat (1/3/2024)."
    found = [f for f in extract(extractor, countries, "2024-03-01") if f.kind == "meeting"]
    assert [people(f) for f in found] == [{"ru", "us"}]


def test_a_body_after_di_is_where_not_who(extractor: EventExtractor) -> None:
    text = "Para pedagang menemui Blinken di Komisi Disiplin, Jumat (1/3/2024)."
    assert extract(extractor, text, "2024-03-01") == []


@pytest.mark.parametrize(
    "text",
    [
        "Merespons soal perjanjian antara Rusia dan AS, TASS enggan berkomentar.",
        "Rusia menuduh AS melanggar perjanjian mereka.",
        "Blinken kerap menemani Lavrov di berbagai kunjungan ke Jenewa.",
        "Rusia dan AS secara aktif melakukan pertemuan dalam forum konsultasi.",
    ],
)
def test_topics_breaches_and_habits_are_no_events(extractor: EventExtractor, text: str) -> None:
    assert extract(extractor, text, "2024-03-04") == []


def test_antara_names_the_two_sides_over_a_speaker(extractor: EventExtractor) -> None:
    text = "Blinken menyatakan menyambut baik negosiasi antara Rusia dan AS di Jenewa."
    found = [f for f in extract(extractor, text, "2024-03-01") if f.kind == "talks"]
    assert [people(f) for f in found] == [{"ru", "us"}]


def test_who_tells_of_the_event_already_reported_is_no_party(extractor: EventExtractor) -> None:
    text = "Shoigu menyebutkan pertemuan itu membahas keamanan AS."
    assert extract(extractor, text, "2024-03-01") == []
    met = "Shoigu mengatakan telah bertemu Austin di Jenewa."
    found = [f for f in extract(extractor, met, "2024-03-01") if f.kind == "meeting"]
    assert [people(f) for f in found] == [{"sergei-shoigu", "lloyd-austin"}]


def test_a_topic_or_scope_is_no_party(extractor: EventExtractor) -> None:
    text = "Blinken memimpin perundingan mengenai Rusia di Jenewa."
    assert [f for f in extract(extractor, text, "2024-03-01") if f.kind == "talks"] == []


def test_a_meeting_asked_about_still_happened(extractor: EventExtractor) -> None:
    text = "Wartawan bertanya soal pertemuan Blinken dengan Lavrov di Jenewa, Rabu (4/10/2023)."
    found = [f for f in extract(extractor, text, "2023-10-05") if f.kind == "meeting"]
    assert [people(f) for f in found] == [{"antony-blinken", "sergei-lavrov"}]
