"""Tests of warta.index.dates: every date form, year inference, precision, anchors, offsets."""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from warta.index import dates
from warta.index.dates import DateRulesError, anchor_date, find_dates
from warta.index.models import DateMention

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
DATA = Path(__file__).resolve().parents[1] / "data"

FRI = dt.date(2022, 5, 20)  # Friday
SAT = dt.date(2022, 7, 30)  # Saturday


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rules that fall back on today's date see the day these tests were written."""
    monkeypatch.setattr(dates, "_today", lambda: dt.date(2026, 11, 22))


def found(text: str, anchor: dt.date | None) -> list[tuple[str, str | None, str]]:
    mentions = find_dates(text, anchor)
    for m in mentions:
        assert text[m.start : m.end] == m.text
    return [(m.text, m.date, m.precision) for m in mentions]


def one(text: str, anchor: dt.date | None) -> tuple[str, str | None, str]:
    result = found(text, anchor)
    assert len(result) == 1, result
    return result[0]


def seed(prefix: str) -> str:
    for entry in resources.files("warta.seeds").iterdir():
        if entry.name.startswith(prefix) and entry.name.endswith(".txt"):
            return entry.read_text("utf-8")
    raise AssertionError(f"no seed {prefix}")


# -- the seeds ---------------------------------------------------------------------------------


def test_seed_000_anchor_from_text_and_its_dates() -> None:
    text = seed("000_")
    anchor = anchor_date(None, text)
    assert anchor == dt.date(2022, 5, 20)
    assert found(text, anchor) == [
        ("Kamis (19/5/2022)", "2022-05-19", "day"),
        ("Jumat (20/5/2022)", "2022-05-20", "day"),
        ("akhir Februari", "2022-02", "month"),
        ("Jumat pekan lalu", "2022-05-13", "day"),
    ]


def test_seed_001_weekday_fixes_the_year_without_anchor() -> None:
    text = seed("001_")
    assert anchor_date(None, text) is None  # "pada 2014" is a year, never an anchor
    result = found(text, None)
    assert result[0] == ("Selasa (23/11)", "2021-11-23", "day")
    assert ("2014", "2014", "year") in result
    assert ("Selasa", None, "unknown") in result
    assert ("bulan ini", None, "unknown") in result


def test_seed_003_day_month_without_any_year() -> None:
    text = seed("003_")
    assert anchor_date(None, text) is None
    assert found(text, None) == [
        ("(5/2)", None, "unknown"),
        ("2021", "2021", "year"),
        ("Februari 2022", "2022-02", "month"),
    ]
    # Neither "157 narapidana" nor "55.000 tentara" is a date.
    assert all(m.text not in ("157", "55.000", "000") for m in find_dates(text, None))


def test_seed_003_day_month_with_an_anchor_is_a_5_february() -> None:
    text = seed("003_")
    assert found(text, dt.date(2026, 2, 6))[0] == ("(5/2)", "2026-02-05", "day")


def test_seed_004_published_with_time_and_offset() -> None:
    text = seed("004_")
    anchor = anchor_date("2022-07-30T11:28+07:00", text)
    assert anchor == SAT
    result = found(text, anchor)
    assert result == [
        ("Sabtu, 30 Jul 2022 11:28 WIB", "2022-07-30", "day"),
        ("January 21, 2022", "2022-01-21", "day"),
        ("Januari 2022", "2022-01", "month"),
        ("April lalu", "2022-04", "month"),
        ("Jumat (29/7)", "2022-07-29", "day"),
        ("15 Februari lalu", "2022-02-15", "day"),
        ("awal Juli lalu", "2022-07", "month"),
        ("pekan depan", "2022-08", "month"),
    ]


def test_seed_002_relative_forms_without_anchor_are_unknown() -> None:
    result = found(seed("002_"), None)
    assert ("hari Jumat", None, "unknown") in result
    assert ("bulan Mei", None, "unknown") in result
    assert all(date is None for _, date, _ in result)


# -- explicit forms ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pada Kamis (19/5/2022) waktu", ("Kamis (19/5/2022)", "2022-05-19", "day")),
        ("pada KAMIS (19/5/2022) waktu", ("KAMIS (19/5/2022)", "2022-05-19", "day")),
        ("tanggal 19/5/2022 itu", ("19/5/2022", "2022-05-19", "day")),
        ("tanggal 19-05-2022 itu", ("19-05-2022", "2022-05-19", "day")),
        ("dirilis (19/5/22).", ("(19/5/22)", "2022-05-19", "day")),
        ("Senin lalu (2/10/2023), tim", ("Senin lalu (2/10/2023)", "2023-10-02", "day")),
        ("pada 30 Jul 2022 pukul", ("30 Jul 2022", "2022-07-30", "day")),
        ("pada 30 Juli 2022.", ("30 Juli 2022", "2022-07-30", "day")),
        ("pada 30 juli 2022.", ("30 juli 2022", "2022-07-30", "day")),
        ("pada 1 Sept. 2022.", ("1 Sept. 2022", "2022-09-01", "day")),
        (
            "detikNews\nSabtu, 30 Jul 2022 11:28 WIB\nFoto",
            ("Sabtu, 30 Jul 2022 11:28 WIB", "2022-07-30", "day"),
        ),
        (
            "dibuka hari Selasa tanggal 12 Januari 2021 pukul 09.00 WIB",
            ("hari Selasa tanggal 12 Januari 2021 pukul 09.00 WIB", "2021-01-12", "day"),
        ),
        ("in Geneva, January 21, 2022. Alex", ("January 21, 2022", "2022-01-21", "day")),
        ("sejak Februari 2022 lalu", ("Februari 2022", "2022-02", "month")),
        ("pada akhir Juli 2022,", ("akhir Juli 2022", "2022-07", "month")),
        ("pada Mei tahun 2021,", ("Mei tahun 2021", "2021-05", "month")),
        ("hingga Agt 2023.", ("Agt 2023", "2023-08", "month")),
    ],
)
def test_explicit_forms_need_no_anchor(text: str, expected: tuple[str, str, str]) -> None:
    assert one(text, None) == expected
    assert one(text, FRI) == expected


def test_invalid_calendar_dates_are_not_dates() -> None:
    result = found("pada (31/2/2022) dan 30 Februari 2022", FRI)
    assert result == [("Februari 2022", "2022-02", "month")]  # the month still stands
    assert found("skor (45/3) itu", FRI) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pada 2014 lalu", ("2014 lalu", "2014", "year")),
        ("sejak 2021, ketika", ("2021", "2021", "year")),
        ("pada tahun 2014,", ("tahun 2014", "2014", "year")),
        ("sejak awal 2022 menjadi", ("awal 2022", "2022", "year")),
        ("Tahun 1999 adalah", ("Tahun 1999", "1999", "year")),
        ("pada 1968, alias 56 tahun silam", ("1968", "1968", "year")),
    ],
)
def test_years_in_a_date_context(text: str, expected: tuple[str, str, str]) -> None:
    assert found(text, FRI)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "perjanjian Minsk 2014, dan",
        "melepas 157 narapidana militer",
        "sekitar 55.000 tentara Ukraina",
        "pada 2.014 orang",
        "sejak 1800 hingga",
        "pada 20145 unit",
        "Nomor 16 Tahun 2021 tentang",
        "UU 36 tahun 1999 tentang",
        "pada 2020-an,",
        "musim 2023/2024",
        "Rp2022 per lembar",
    ],
)
def test_numbers_that_are_not_years(text: str) -> None:
    assert [m for m in find_dates(text, FRI) if m.precision == "year"] == []


# -- day/month without a year ------------------------------------------------------------------


def test_weekday_fixes_the_year_looking_back_from_the_anchor() -> None:
    # 23 November is a Tuesday in 2021 and in 2027; from mid 2026 the nearest is 2021.
    assert one("pada Selasa (23/11).", dt.date(2026, 6, 1)) == (
        "Selasa (23/11)",
        "2021-11-23",
        "day",
    )
    assert one("pada Selasa (23/11).", dt.date(2021, 11, 24))[1] == "2021-11-23"


def test_weekday_fixes_a_coming_date_after_the_anchor() -> None:
    # An announced event: Monday 1 August 2022 seen from Saturday 30 July 2022.
    assert one("digelar Senin (1/8) mendatang", SAT)[1] == "2022-08-01"


def test_weekday_without_anchor_searches_back_from_today() -> None:
    assert one("Selasa (23/11)", None)[1] == "2021-11-23"
    # Monday 23 November 2026 is after "today" (22 November 2026): the search only looks back.
    assert one("pada Senin, 23/11 pagi", None) == ("Senin, 23/11", "2020-11-23", "day")


def test_weekday_that_never_matches_falls_back_on_the_nearest_date() -> None:
    # No 29 February from 2015 to 2023 is a Wednesday: keep the nearest 29/2.
    assert one("Rabu (29/2)", SAT) == ("Rabu (29/2)", "2020-02-29", "day")


def test_day_month_without_weekday_is_nearest_not_after_anchor() -> None:
    assert one("Associated Press (5/2), Komando", dt.date(2026, 2, 6))[1] == "2026-02-05"
    assert one("Associated Press (5/2), Komando", dt.date(2026, 1, 6))[1] == "2025-02-05"
    assert one("Associated Press (5/2), Komando", None) == ("(5/2)", None, "unknown")


def test_29_february_without_year_goes_back_to_a_leap_year() -> None:
    assert one("pada (29/2)", dt.date(2023, 6, 1))[1] == "2020-02-29"


@pytest.mark.parametrize(
    ("text", "anchor", "expected"),
    [
        ("sejak 15 Februari lalu, ketika", SAT, ("15 Februari lalu", "2022-02-15", "day")),
        ("pada 15 Februari, ketika", SAT, ("15 Februari", "2022-02-15", "day")),
        ("pada 15 Agustus, ketika", SAT, ("15 Agustus", "2021-08-15", "day")),
        ("pada 30 Agustus mendatang", SAT, ("30 Agustus mendatang", "2022-08-30", "day")),
        ("jelang 17 Agustus nanti", SAT, ("17 Agustus", "2022-08-17", "day")),
        ("pada 17 Agustus tahun lalu", SAT, ("17 Agustus tahun lalu", "2021-08-17", "day")),
        ("pada 1 Desember ini", SAT, ("1 Desember ini", "2022-12-01", "day")),
        ("pada Senin, 14 Oktober", SAT, ("Senin, 14 Oktober", "2019-10-14", "day")),
        ("pada 15 Februari lalu", None, ("15 Februari lalu", None, "unknown")),
    ],
)
def test_day_and_month_name_without_year(
    text: str, anchor: dt.date | None, expected: tuple[str, str | None, str]
) -> None:
    assert one(text, anchor) == expected


def test_ranges_take_the_year_of_their_second_end() -> None:
    anchor = dt.date(2025, 11, 1)
    assert found("dari 25 Juli hingga 26 Agustus 2026.", anchor) == [
        ("25 Juli", "2026-07-25", "day"),
        ("26 Agustus 2026", "2026-08-26", "day"),
    ]
    assert found("28 Desember hingga 3 Januari 2022", anchor)[0][1] == "2021-12-28"
    assert found("selama Januari - Agustus 2023", anchor)[0] == ("Januari", "2023-01", "month")
    assert found("pada akhir Januari atau awal Februari 2026", None)[0] == (
        "akhir Januari",
        "2026-01",
        "month",
    )
    assert found("pada Sabtu, 25 Mei dan Minggu, 26 Mei 2024", anchor)[0][1] == "2024-05-25"


# -- relative to the anchor --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected_date"),
    [
        ("kemarin", "2022-05-19"),
        ("Kemarin, harga", "2022-05-19"),
        ("kemarin lusa", "2022-05-18"),
        ("hari ini", "2022-05-20"),
        ("Hari ini", "2022-05-20"),
        ("besok", "2022-05-21"),
        ("lusa", "2022-05-22"),
        ("tadi pagi", "2022-05-20"),
        ("tadi malam", "2022-05-19"),
        ("dua hari lalu", "2022-05-18"),
        ("3 hari yang lalu", "2022-05-17"),
        ("sehari lalu", "2022-05-19"),
    ],
)
def test_relative_days(text: str, expected_date: str) -> None:
    assert one(text, FRI) == (text.split(",")[0], expected_date, "day")


@pytest.mark.parametrize(
    ("text", "anchor", "expected"),
    [
        # Anchor Friday 20 May 2022: the previous Mon-Sun week is 9-15 May.
        ("pada Jumat pekan lalu.", FRI, ("Jumat pekan lalu", "2022-05-13")),
        ("pada Jumat minggu lalu.", FRI, ("Jumat minggu lalu", "2022-05-13")),
        ("pada Senin pekan lalu.", FRI, ("Senin pekan lalu", "2022-05-09")),
        ("pada Senin pekan depan.", FRI, ("Senin pekan depan", "2022-05-23")),
        ("pada Rabu pekan ini.", FRI, ("Rabu pekan ini", "2022-05-18")),
        # "<weekday> lalu/kemarin": the most recent such day strictly before the anchor.
        ("pada Jumat lalu.", FRI, ("Jumat lalu", "2022-05-13")),
        ("pada Jumat lalu.", dt.date(2022, 5, 21), ("Jumat lalu", "2022-05-20")),
        ("pada Kamis lalu.", dt.date(2025, 11, 1), ("Kamis lalu", "2025-10-30")),
        ("pada Rabu kemarin.", FRI, ("Rabu kemarin", "2022-05-18")),
        ("pada hari Jumat lalu.", FRI, ("hari Jumat lalu", "2022-05-13")),
        # "<weekday> depan": the next such day strictly after the anchor.
        ("pada Senin depan.", FRI, ("Senin depan", "2022-05-23")),
        ("pada Jumat mendatang.", FRI, ("Jumat mendatang", "2022-05-27")),
        ("pada Jumat ini.", FRI, ("Jumat ini", "2022-05-20")),
    ],
)
def test_weekday_relative(text: str, anchor: dt.date, expected: tuple[str, str]) -> None:
    assert one(text, anchor) == (*expected, "day")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A weekday named without "lalu" is the most recent one on or before the anchor:
        # the anchor itself when it is that weekday.
        ("pada hari Jumat, setelah", ("hari Jumat", "2022-05-20")),
        ("pada Jumat, setelah", ("Jumat", "2022-05-20")),
        ("kata juru bicara Pentagon Jumat, tanpa", ("Jumat", "2022-05-20")),
        ("di Jakarta, Kamis.", ("Kamis", "2022-05-19")),
        ("pada sabtu malam", ("sabtu", "2022-05-14")),
        ("pada hari Minggu", ("hari Minggu", "2022-05-15")),
        ("di Solo, Minggu (15/5).", ("Minggu (15/5)", "2022-05-15")),
        ("di Solo, Minggu.", ("Minggu", "2022-05-15")),
        ("hingga Minggu malam", ("Minggu", "2022-05-15")),
    ],
)
def test_bare_weekday(text: str, expected: tuple[str, str]) -> None:
    assert one(text, FRI) == (*expected, "day")


@pytest.mark.parametrize(
    "text",
    [
        "setiap Jumat ada pengajian",
        "usai salat Jumat di masjid",
        "setiap hari Selasa.",
        "buka Senin-Jumat, pukul 08.00",
        "sejak dua minggu terakhir",
        "minggu ini juga di Jogja",  # the week, not Sunday: a month-precision period
    ],
)
def test_weekdays_that_are_not_a_day(text: str) -> None:
    assert all(precision != "day" for _, _, precision in found(text, FRI))


def test_minggu_as_week_or_sunday() -> None:
    assert one("Data minggu lalu yang", FRI) == ("minggu lalu", "2022-05", "month")
    assert one("Minggu lalu, harga naik", FRI) == ("Minggu lalu", "2022-05", "month")
    assert one("kebakaran pada Minggu lalu.", FRI) == ("Minggu lalu", "2022-05-15", "day")
    assert one("sejak satu Minggu lalu", FRI) == ("satu Minggu lalu", "2022-05", "month")
    assert one("pada hari Minggu kemarin", FRI) == ("hari Minggu kemarin", "2022-05-15", "day")


@pytest.mark.parametrize(
    ("text", "anchor", "expected"),
    [
        # A week is given at month precision: its month when all seven days share one, else
        # the anchor's month (docs/dates.md).
        ("pekan lalu", FRI, ("pekan lalu", "2022-05")),
        ("pekan lalu", dt.date(2022, 6, 1), ("pekan lalu", "2022-05")),  # 23-29 May
        ("pekan lalu", dt.date(2022, 6, 6), ("pekan lalu", "2022-06")),  # 30 May-5 June
        ("pekan depan", SAT, ("pekan depan", "2022-08")),
        ("pekan ini", FRI, ("pekan ini", "2022-05")),
        ("sepekan lalu", FRI, ("sepekan lalu", "2022-05")),
        ("dua pekan lalu", dt.date(2022, 3, 20), ("dua pekan lalu", "2022-03")),
        ("akhir pekan lalu", dt.date(2019, 5, 20), ("akhir pekan lalu", "2019-05")),
        ("bulan lalu", FRI, ("bulan lalu", "2022-04")),
        ("bulan lalu", dt.date(2022, 1, 3), ("bulan lalu", "2021-12")),
        ("bulan ini", FRI, ("bulan ini", "2022-05")),
        ("bulan depan", dt.date(2022, 12, 3), ("bulan depan", "2023-01")),
        ("awal bulan lalu", dt.date(2023, 10, 2), ("awal bulan lalu", "2023-09")),
        ("tiga bulan lalu", FRI, ("tiga bulan lalu", "2022-02")),
    ],
)
def test_periods_at_month_precision(text: str, anchor: dt.date, expected: tuple[str, str]) -> None:
    assert one(text, anchor) == (*expected, "month")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tahun lalu", ("tahun lalu", "2021")),
        ("tahun ini", ("tahun ini", "2022")),
        ("Tahun depan", ("Tahun depan", "2023")),
        ("dua tahun lalu", ("dua tahun lalu", "2020")),
        ("10 tahun silam", ("10 tahun silam", "2012")),
        ("setahun lalu", ("setahun lalu", "2021")),
        ("akhir tahun lalu", ("akhir tahun lalu", "2021")),
        ("hingga akhir tahun nanti", ("akhir tahun", "2022")),
    ],
)
def test_periods_at_year_precision(text: str, expected: tuple[str, str]) -> None:
    assert one(text, FRI) == (*expected, "year")


def test_vague_counts_are_reported_unresolved() -> None:
    assert one("beberapa hari lalu", FRI) == ("beberapa hari lalu", None, "unknown")
    assert one("puluhan tahun lalu", FRI) == ("puluhan tahun lalu", None, "unknown")


def test_periods_counted_from_another_time_are_not_dates() -> None:
    assert found("pada pertengahan tahun sebelumnya", FRI) == []
    assert found("akhir tahun itu", FRI) == []
    assert found("dua tahun ini berat", FRI) == [("tahun ini", "2022", "year")]


@pytest.mark.parametrize(
    ("text", "anchor", "expected"),
    [
        ("pada akhir Februari.", FRI, ("akhir Februari", "2022-02")),
        ("pada awal Juli lalu", SAT, ("awal Juli lalu", "2022-07")),
        ("pada April lalu.", SAT, ("April lalu", "2022-04")),
        ("pada bulan Mei,", FRI, ("bulan Mei", "2022-05")),
        ("pada bulan Juni,", FRI, ("bulan Juni", "2021-06")),
        ("pada Februari.", FRI, ("Februari", "2022-02")),
        ("pada Desember mendatang", FRI, ("Desember mendatang", "2022-12")),
        ("pada Maret depan", FRI, ("Maret depan", "2023-03")),
        ("pada Juni tahun lalu", FRI, ("Juni tahun lalu", "2021-06")),
        ("pada Oktober tahun ini", FRI, ("Oktober tahun ini", "2022-10")),
        ("jelang Agustus atau", dt.date(2025, 7, 11), ("Agustus", "2025-08")),
        ("pada pertengahan bulan Juni", FRI, ("pertengahan bulan Juni", "2021-06")),
    ],
)
def test_months_without_year(text: str, anchor: dt.date, expected: tuple[str, str]) -> None:
    assert one(text, anchor) == (*expected, "month")


def test_bare_month_names_need_a_context_word() -> None:
    assert found("Mei Ling bertemu Juni Rahman", FRI) == []
    assert found("bertemu pejabat Jan Hus", FRI) == []


@pytest.mark.parametrize(
    "text",
    [
        "kemarin",
        "hari ini",
        "besok",
        "pada hari Jumat",
        "Jumat pekan lalu",
        "Jumat lalu",
        "pekan lalu",
        "bulan lalu",
        "tahun lalu",
        "tahun ini",
        "bulan ini",
        "pada bulan Mei",
        "Mei lalu",
        "akhir Februari",
        "awal Juli",
        "dua hari lalu",
        "(5/2)",
        "15 Februari lalu",
    ],
)
def test_no_anchor_leaves_relative_forms_unknown(text: str) -> None:
    (_, date, precision) = one(text, None)
    assert (date, precision) == (None, "unknown")


# -- offsets, order, shape ---------------------------------------------------------------------


def test_mentions_are_ordered_non_overlapping_with_exact_offsets() -> None:
    text = seed("004_") + "\n" + seed("000_") + "\nkemarin dan pekan lalu, Selasa (23/11)."
    mentions = find_dates(text, SAT)
    assert len(mentions) >= 14
    last_end = 0
    for m in mentions:
        assert isinstance(m, DateMention)
        assert text[m.start : m.end] == m.text
        assert m.start >= last_end
        assert m.precision in {"day", "month", "year", "unknown"}
        assert (m.date is None) == (m.precision == "unknown")
        last_end = m.end


def test_spans_do_not_cross_lines() -> None:
    assert found("Kamis\n(19/5/2022)", None) == [
        ("Kamis", None, "unknown"),
        ("(19/5/2022)", "2022-05-19", "day"),
    ]


def test_non_breaking_spaces_are_spaces() -> None:
    assert one("pada 30\xa0Juli\xa02022", None) == ("30\xa0Juli\xa02022", "2022-07-30", "day")


# -- anchor_date -------------------------------------------------------------------------------


def test_anchor_from_published_in_any_iso_shape() -> None:
    assert anchor_date("2022-07-30", "") == SAT
    assert anchor_date("2022-07-30T11:28+07:00", "") == SAT
    assert anchor_date("2022-07-30T23:59:59Z", "Jumat (20/5/2022)") == SAT


def test_anchor_falls_back_on_the_latest_full_date_in_the_text() -> None:
    text = "Jumat (20/5/2022) lalu Kamis (19/5/2022) dan Februari 2023, sejak 2024."
    assert anchor_date(None, text) == FRI
    assert anchor_date("", text) == FRI
    assert anchor_date("bukan tanggal", text) == FRI
    assert anchor_date("2022-02-30", text) == FRI


def test_anchor_ignores_future_dates_and_partial_dates() -> None:
    assert anchor_date(None, "berlaku hingga 31 Desember 2099, sejak Kamis (19/5/2022)") == (
        dt.date(2022, 5, 19)
    )
    assert anchor_date(None, "pada 2014 dan Februari 2022, Selasa (23/11)") is None
    assert anchor_date(None, "") is None


# -- robustness and rule data ------------------------------------------------------------------

_FRAGMENTS = [
    "Kamis",
    "(19/5/2022)",
    "(5/2)",
    "Minggu",
    "minggu",
    " lalu",
    " depan",
    "pekan",
    "hari",
    "tahun",
    "2022",
    "1999",
    "29",
    "/",
    "-",
    "Februari",
    "Jul",
    "akhir",
    "pada",
    "setiap",
    "beberapa",
    "kemarin",
    " ",
    ",",
    "\n",
    "\xa0",
    "(",
    ")",
    "\u0130",  # lower-cases to two characters
    "\u017f",  # case-folds to "s"
    "\u0663",  # an Arabic-Indic digit
]

_ANCHORS = st.one_of(
    st.none(), st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))
)


def _check(text: str, anchor: dt.date | None) -> None:
    for m in find_dates(text, anchor):
        assert text[m.start : m.end] == m.text
        assert m.precision in {"day", "month", "year", "unknown"}


@settings(max_examples=300, deadline=None)
@given(text=st.text(), anchor=_ANCHORS)
def test_find_dates_never_raises_on_arbitrary_text(text: str, anchor: dt.date | None) -> None:
    _check(text, anchor)


@settings(max_examples=500, deadline=None)
@given(parts=st.lists(st.sampled_from(_FRAGMENTS), max_size=25), anchor=_ANCHORS)
def test_find_dates_never_raises_on_date_like_text(
    parts: list[str], anchor: dt.date | None
) -> None:
    text = "".join(parts)
    _check(text, anchor)
    anchor_date(None, text)


def _rule_data() -> dict[str, Any]:
    text = resources.files("warta.index.data").joinpath("dates.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    assert isinstance(data, dict)
    return data


def test_bundled_rules_are_valid() -> None:
    dates._parse_rules(_rule_data())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(unknown_key=[]), "unknown keys"),
        (lambda d: d.pop("weekdays"), "missing keys"),
        (lambda d: d["months"].pop(), "all twelve months"),
        (lambda d: d["months"][0].update(number=13), "bad month number"),
        (lambda d: d["directions"].update(kelak=2), "directions"),
        (lambda d: d["units"].update(abad="century"), "units values"),
        (lambda d: d["modifiers"].update(awal=[3, 1]), "modifier"),
        (lambda d: d.update(context_words="pada"), "list of words"),
    ],
)
def test_malformed_rules_are_rejected(change: Any, message: str) -> None:
    data = _rule_data()
    change(data)
    with pytest.raises(DateRulesError, match=message):
        dates._parse_rules(data)


# -- real articles, resolved by hand -----------------------------------------------------------


def _corpus_cases() -> list[dict[str, Any]]:
    data = yaml.safe_load((DATA / "dates_corpus_cases.yaml").read_text("utf-8"))
    cases: list[dict[str, Any]] = data["cases"]
    return cases


@pytest.mark.slow
def test_hand_resolved_corpus_articles() -> None:
    path = CORPUS / "news.jsonl"
    if not path.exists():
        pytest.skip("the shared corpus is not here")
    cases = {c["id"]: c for c in _corpus_cases()}
    assert len(cases) >= 10
    seen: set[str] = set()
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            case = cases.get(record["id"])
            if case is None:
                continue
            seen.add(record["id"])
            anchor = anchor_date(record["date"], record["text"])
            assert anchor == dt.date.fromisoformat(case["anchor"])
            got = [(m.text, m.date, m.precision) for m in find_dates(record["text"], anchor)]
            for want in case["expect"]:
                assert (want["text"], want["date"], want["precision"]) in got, (record["id"], got)
    assert seen == set(cases)
