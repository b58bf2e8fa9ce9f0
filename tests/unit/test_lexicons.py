"""Tests of the lexicon loader: validation with file and line, safety, merging, role dates."""

from __future__ import annotations

import datetime
import subprocess
import sys
import textwrap
from collections import defaultdict
from pathlib import Path

import pytest
from warta.lexicons import (
    Entry,
    Lexicon,
    LexiconIssue,
    RoleSpell,
    check_lexicons,
    load_lexicon,
)
from warta.lexicons import loader as lexicon_loader

DATA = Path(__file__).resolve().parents[1] / "data" / "lexicons"
GOOD = DATA / "good"


@pytest.fixture(autouse=True)
def _isolated(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    # No test may read the developer's own lexicons or write to their cache.
    monkeypatch.setenv("WARTA_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))
    monkeypatch.setenv("WARTA_CACHE_DIR", "off")


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def load_with_base(tmp_path: Path, name: str, text: str) -> tuple[Lexicon, Path]:
    """Load the small good lexicons plus one extra file; return the lexicon and the file."""
    path = write(tmp_path, name, text)
    return load_lexicon([GOOD, path], user_dir=False), path


def issues_in(lexicon: Lexicon, path: Path) -> list[LexiconIssue]:
    return [i for i in lexicon.issues if i.path == str(path)]


def only_issue(lexicon: Lexicon, path: Path) -> LexiconIssue:
    found = issues_in(lexicon, path)
    assert len(found) == 1, [str(i) for i in lexicon.issues]
    return found[0]


# -- the good test lexicons --------------------------------------------------------------------


def test_good_lexicons_load_without_issues() -> None:
    lx = load_lexicon([GOOD], user_dir=False)
    assert lx.issues == ()
    shoigu = lx.get("official", "sergei-shoigu")
    assert shoigu is not None
    assert shoigu.all_names == ("Sergei Shoigu", "Sergey Shoigu", "Shoigu")
    assert shoigu.roles[0] == RoleSpell("menteri-pertahanan", "RU", "2012-11-06", "2024-05-12")
    assert shoigu.origin == f"{GOOD / 'officials.yaml'}:2"
    assert [e.id for e in lx.officials] == ["sergei-shoigu", "andrei-belousov", "dmitry-peskov"]
    assert lx.get("role", "juru-bicara") == Entry(
        id="juru-bicara",
        kind="role",
        name="Juru Bicara",
        aliases=("Jubir",),
        country=None,
        type="spokesperson",
        unique=False,
        origin=f"{GOOD / 'roles.yaml'}:6",
    )
    assert lx.get("role", "menteri-pertahanan").unique is True  # type: ignore[union-attr]
    assert lx.get("institution", "kremlin").type == "government"  # type: ignore[union-attr]
    assert lx.get("place", "ru").country == "RU"  # type: ignore[union-attr]
    assert lx.entries["place:moskow"].country == "RU"


def test_same_id_in_two_kinds_is_allowed(tmp_path: Path) -> None:
    lx, _ = load_with_base(
        tmp_path, "inst.yaml", "institutions:\n  - id: ru\n    name: Pemerintah Rusia\n"
    )
    assert lx.issues == ()
    assert lx.get("place", "ru").name == "Rusia"  # type: ignore[union-attr]
    assert lx.get("institution", "ru").name == "Pemerintah Rusia"  # type: ignore[union-attr]


# -- validation, each rule with its file and line ----------------------------------------------


def test_unknown_key_in_entry_is_rejected_with_its_line() -> None:
    lx = load_lexicon([GOOD, DATA / "bad-keys.yaml"], user_dir=False)
    issue = only_issue(lx, DATA / "bad-keys.yaml")
    assert issue.line == 7
    assert "unknown key 'rank'" in issue.message and "'bad-key'" in issue.message
    assert str(issue).startswith(f"{DATA / 'bad-keys.yaml'}:7: ")
    assert lx.get("official", "bad-key") is None
    assert lx.get("official", "ok-person") is not None


def test_yaml_syntax_error_reports_the_line(tmp_path: Path) -> None:
    lx, path = load_with_base(
        tmp_path,
        "broken.yaml",
        """
        persons:
          - id: a
            name: A
          - id: b
            name: [unclosed
        """,
    )
    issue = only_issue(lx, path)
    assert issue.message.startswith("YAML syntax error")
    assert issue.line in (5, 6)


def test_unknown_top_level_key(tmp_path: Path) -> None:
    lx, path = load_with_base(tmp_path, "x.yaml", "persons: []\npeople:\n  - id: a\n    name: A\n")
    issue = only_issue(lx, path)
    assert issue.line == 2 and "unknown top-level key 'people'" in issue.message


def test_two_sections_in_one_file(tmp_path: Path) -> None:
    lx, path = load_with_base(tmp_path, "x.yaml", "persons: []\nofficials: []\n")
    assert only_issue(lx, path).line == 2


def test_empty_file_and_non_mapping(tmp_path: Path) -> None:
    empty = write(tmp_path, "empty.yaml", "")
    listed = write(tmp_path, "list.yaml", "- id: a\n")
    lx = load_lexicon([empty, listed], user_dir=False)
    assert "empty file" in only_issue(lx, empty).message
    assert only_issue(lx, listed).line == 1


@pytest.mark.parametrize(
    ("entry", "line", "fragment"),
    [
        ("  - name: No Id\n", 2, "id is missing"),
        ("  - id: no-name\n", 2, "name is missing"),
        ("  - id: Bad_Id\n    name: X\n", 2, "is not lower-case ASCII words"),
        ("  - id: -lead\n    name: X\n", 2, "is not lower-case ASCII words"),
        ("  - id: x\n    name: X\n    aliases: Single\n", 4, "aliases must be a list"),
        ("  - id: x\n    name: X\n    aliases: [A, [B]]\n", 4, "must be a text value"),
        ("  - id: x\n    name: {a: 1}\n", 3, "name must be a text value"),
        ("  - id: x\n    name: ''\n", 3, "name must not be empty"),
        ("  - id: x\n    name: X\n    country: ru\n", 4, "upper-case ISO"),
        ("  - id: x\n    name: X\n    country: XX\n", 4, "not the code of a country"),
        ("  - id: x\n    name: X\n    name: Y\n", 4, "given twice"),
        ("  - just a string\n", 2, "must be a mapping"),
    ],
)
def test_entry_rules(tmp_path: Path, entry: str, line: int, fragment: str) -> None:
    lx, path = load_with_base(tmp_path, "p.yaml", "persons:\n" + entry)
    issue = only_issue(lx, path)
    assert (issue.line, fragment in issue.message) == (line, True), str(issue)
    assert lx.persons == []


@pytest.mark.parametrize(
    ("spell", "line", "fragment"),
    [
        ("      - {role: menteri-pertahanan, of: RU, from: 2024-13}\n", 6, "no month 13"),
        ("      - {role: menteri-pertahanan, from: 2023-02-30}\n", 6, "not a day"),
        ("      - {role: menteri-pertahanan, from: 24-05-12}\n", 6, "YYYY-MM-DD"),
        ("      - {role: menteri-pertahanan, from: '2024/05/12'}\n", 6, "YYYY-MM-DD"),
        (
            "      - role: menteri-pertahanan\n        from: 2024-05\n        to: 2024-04\n",
            8,
            "comes before",
        ),
        ("      - {role: menteri-luar-angkasa, of: RU}\n", 6, "not in the roles lexicon"),
        ("      - {role: menteri-pertahanan, of: XX}\n", 6, "not the code of a country"),
        ("      - {role: juru-bicara, of: duma}\n", 6, "not the id of an institution"),
        ("      - {role: juru-bicara, of: 'Duma Negara'}\n", 6, "is not a country code"),
        ("      - {of: RU}\n", 6, "role id is missing"),
        ("      - {role: juru-bicara, since: 2020}\n", 6, "unknown key 'since'"),
        ("      - juru-bicara\n", 6, "each role must be a mapping"),
    ],
)
def test_role_rules(tmp_path: Path, spell: str, line: int, fragment: str) -> None:
    text = "officials:\n  - id: x\n    name: Xenia Example\n    country: RU\n    roles:\n" + spell
    lx, path = load_with_base(tmp_path, "o.yaml", text)
    issue = only_issue(lx, path)
    assert (issue.line, fragment in issue.message) == (line, True), str(issue)
    assert lx.get("official", "x") is None


def test_same_day_boundary_and_partial_dates_are_valid(tmp_path: Path) -> None:
    lx, path = load_with_base(
        tmp_path,
        "o.yaml",
        """
        officials:
          - id: x
            name: Xenia Example
            roles:
              - {role: menteri-pertahanan, of: RU, from: 2024-05-12, to: 2024-05}
              - {role: menteri-pertahanan, of: RU, from: 2020, to: 2020-01-01}
        """,
    )
    assert issues_in(lx, path) == []


def test_duplicate_id_within_a_kind(tmp_path: Path) -> None:
    lx, path = load_with_base(
        tmp_path,
        "dup.yaml",
        """
        persons:
          - id: jared-kushner
            name: Jared Kushner
          - id: jared-kushner
            name: Jared C. Kushner
        """,
    )
    issue = only_issue(lx, path)
    assert issue.line == 4 and "duplicate id" in issue.message and f"{path}:2" in issue.message
    assert lx.get("person", "jared-kushner").name == "Jared Kushner"  # type: ignore[union-attr]


def test_duplicate_id_across_files(tmp_path: Path) -> None:
    lx, path = load_with_base(
        tmp_path, "more.yaml", "officials:\n  - id: sergei-shoigu\n    name: S. Shoigu\n"
    )
    assert only_issue(lx, path).line == 2


def test_alias_claimed_by_two_entries_case_insensitively(tmp_path: Path) -> None:
    lx, path = load_with_base(
        tmp_path,
        "clash.yaml",
        """
        officials:
          - id: someone-else
            name: Someone Else
            aliases: [SHOIGU]
        """,
    )
    issue = only_issue(lx, path)
    assert issue.line == 2
    assert "'SHOIGU' is already a name of official 'sergei-shoigu'" in issue.message
    assert lx.get("official", "someone-else") is None


def test_same_alias_in_two_kinds_is_allowed(tmp_path: Path) -> None:
    lx, _ = load_with_base(
        tmp_path, "i.yaml", "institutions:\n  - id: rusia\n    name: Rusia\n    type: other\n"
    )
    assert lx.issues == ()


def test_repeated_alias_within_an_entry_is_dropped_and_reported(tmp_path: Path) -> None:
    lx, path = load_with_base(
        tmp_path,
        "p.yaml",
        """
        persons:
          - id: viktor-bout
            name: Viktor Bout
            aliases:
              - Bout
              - viktor bout
              - BOUT
        """,
    )
    assert [i.line for i in issues_in(lx, path)] == [6, 7]
    assert lx.get("person", "viktor-bout").aliases == ("Bout",)  # type: ignore[union-attr]


def test_type_values_are_checked(tmp_path: Path) -> None:
    inst = write(tmp_path, "i.yaml", "institutions:\n  - id: a\n    name: A\n    type: ngo\n")
    place = write(tmp_path, "p.yaml", "places:\n  - id: b\n    name: B\n    type: planet\n")
    country = write(tmp_path, "c.yaml", "places:\n  - id: abc\n    name: C\n    type: country\n")
    role = write(tmp_path, "r.yaml", "roles:\n  - id: r\n    name: R\n    unique: 'no'\n")
    lx = load_lexicon([inst, place, country, role], user_dir=False)
    assert "'ngo' is not one of" in only_issue(lx, inst).message
    assert "'planet' is not one of" in only_issue(lx, place).message
    assert "alpha-2" in only_issue(lx, country).message
    assert only_issue(lx, role).line == 4 and "true or false" in only_issue(lx, role).message


def test_parent_must_name_a_known_institution(tmp_path: Path) -> None:
    lx, path = load_with_base(
        tmp_path,
        "i.yaml",
        """
        institutions:
          - id: dewan-keamanan-pbb
            name: Dewan Keamanan PBB
            type: international
            parent: pbb
          - id: kremlin-press
            name: Layanan Pers Kremlin
            parent: kremlin
        """,
    )
    issue = only_issue(lx, path)
    assert issue.line == 5 and "'pbb' is not the id of an institution" in issue.message
    assert lx.get("institution", "kremlin-press").parent == "kremlin"  # type: ignore[union-attr]


def test_norway_is_not_false(tmp_path: Path) -> None:
    # YAML 1.1 reads a bare NO as false; lexicon scalars are taken as written.
    lx, path = load_with_base(
        tmp_path,
        "no.yaml",
        "places:\n  - id: no\n    name: Norwegia\n    type: country\n    country: NO\n",
    )
    assert issues_in(lx, path) == []
    assert lx.get("place", "no").country == "NO"  # type: ignore[union-attr]


def test_missing_path_is_reported(tmp_path: Path) -> None:
    lx = load_lexicon([tmp_path / "nope.yaml"], user_dir=False)
    assert [str(i) for i in lx.issues] == [f"{tmp_path / 'nope.yaml'}:1: no such file or directory"]


# -- safety ------------------------------------------------------------------------------------


def test_python_tags_are_refused_not_run(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    lx, path = load_with_base(
        tmp_path,
        "evil.yaml",
        f"""
        persons:
          - id: evil
            name: !!python/object/apply:os.system ["touch {marker}"]
        """,
    )
    issue = only_issue(lx, path)
    assert issue.line == 3 and "!!python/object/apply:os.system" in issue.message
    assert not marker.exists()
    assert lx.persons == []


def test_custom_tags_are_refused(tmp_path: Path) -> None:
    lx, path = load_with_base(tmp_path, "t.yaml", "persons:\n  - !entry\n    id: a\n    name: A\n")
    assert "tag !entry" in only_issue(lx, path).message


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, 9):
        prev, cur = chr(ord("a") + n - 1), chr(ord("a") + n)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    bomb = write(tmp_path, "bomb.yaml", "\n".join(lines) + "\n")
    lx = load_lexicon([bomb], user_dir=False)
    issue = only_issue(lx, bomb)
    assert issue.line == 1 and "anchors" in issue.message


def test_aliases_are_refused(tmp_path: Path) -> None:
    text = "persons:\n  - &p {id: a, name: A}\n  - *p\n"
    lx, path = load_with_base(tmp_path, "alias.yaml", text.replace("&p ", ""))
    assert "aliases (*name)" in only_issue(lx, path).message
    assert only_issue(lx, path).line == 3


def test_oversized_file_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lexicon_loader, "MAX_FILE_BYTES", 1000)
    path = write(tmp_path, "big.yaml", "persons:\n" + "  - {id: a, name: A}\n" * 100)
    lx = load_lexicon([path], user_dir=False)
    assert "at most" in only_issue(lx, path).message


def test_second_document_is_refused(tmp_path: Path) -> None:
    lx, path = load_with_base(tmp_path, "two.yaml", "persons: []\n---\npersons: []\n")
    assert only_issue(lx, path).line == 2


# -- user files merged over the bundled ones ---------------------------------------------------


def test_user_entry_replaces_bundled_one_with_same_id(tmp_path: Path) -> None:
    user = tmp_path / "user"
    write(user, "mine.yaml", "officials:\n  - id: sergei-shoigu\n    name: Sergei K. Shoigu\n")
    lx = load_lexicon([GOOD], user_dir=user)
    assert lx.issues == ()
    shoigu = lx.get("official", "sergei-shoigu")
    assert shoigu is not None and shoigu.name == "Sergei K. Shoigu" and shoigu.roles == ()
    assert shoigu.origin.startswith(str(user / "mine.yaml"))


def test_user_alias_wins_over_bundled_alias(tmp_path: Path) -> None:
    user = tmp_path / "user"
    write(
        user,
        "mine.yaml",
        "officials:\n  - id: shoigu-jr\n    name: Shoigu Junior\n    aliases: [shoigu]\n",
    )
    lx = load_lexicon([GOOD], user_dir=user)
    assert lx.issues == ()
    assert lx.get("official", "sergei-shoigu").aliases == ("Sergey Shoigu",)  # type: ignore[union-attr]
    assert lx.get("official", "shoigu-jr") is not None


def test_user_taking_a_bundled_name_replaces_that_entry(tmp_path: Path) -> None:
    user = tmp_path / "user"
    write(user, "mine.yaml", "persons:\n  - id: peskov\n    name: Dmitry Peskov\n")
    lx = load_lexicon([GOOD], user_dir=user)
    assert lx.get("official", "dmitry-peskov") is not None  # another kind: untouched
    write(user, "mine.yaml", "officials:\n  - id: peskov\n    name: Dmitry Peskov\n")
    lx = load_lexicon([GOOD], user_dir=user)
    assert lx.get("official", "dmitry-peskov") is None
    assert lx.get("official", "peskov") is not None


def test_invalid_user_entry_keeps_the_bundled_one(tmp_path: Path) -> None:
    user = tmp_path / "user"
    path = write(user, "mine.yaml", "officials:\n  - id: sergei-shoigu\n    nmae: Typo\n")
    lx = load_lexicon([GOOD], user_dir=user)
    assert len(issues_in(lx, path)) == 2
    assert lx.get("official", "sergei-shoigu").name == "Sergei Shoigu"  # type: ignore[union-attr]


def test_user_dir_defaults_to_config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WARTA_CONFIG_DIR", str(tmp_path))
    write(tmp_path / "lexicons", "p.yaml", "persons:\n  - id: viktor-bout\n    name: Viktor Bout\n")
    assert load_lexicon([GOOD]).get("person", "viktor-bout") is not None
    assert load_lexicon([GOOD], user_dir=False).get("person", "viktor-bout") is None


def test_check_lexicons_checks_user_files_over_the_bundled(tmp_path: Path) -> None:
    good = write(
        tmp_path,
        "mine.yaml",
        """
        officials:
          - id: test-official-xyz
            name: Test Official Xyz
            country: RU
            roles:
              - {role: menteri-pertahanan, of: RU, from: 2030}
        """,
    )
    bad = write(
        tmp_path, "bad.yaml", "officials:\n  - id: q\n    name: Q\n    roles: [{role: nope}]\n"
    )
    # Only the given files' issues are asserted: the bundled ones have their own test.
    mine = [i for i in check_lexicons([good]) if i.path.startswith(str(tmp_path))]
    assert mine == []
    issues = [i for i in check_lexicons([tmp_path]) if i.path.startswith(str(tmp_path))]
    assert [(i.path, i.line) for i in issues] == [(str(bad), 4)]


# -- dated roles -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2012, 11, 5), []),
        (datetime.date(2012, 11, 6), ["sergei-shoigu"]),
        (datetime.date(2022, 10, 21), ["sergei-shoigu"]),
        (datetime.date(2024, 4, 30), ["sergei-shoigu"]),
        (datetime.date(2024, 5, 1), ["andrei-belousov", "sergei-shoigu"]),
        (datetime.date(2024, 5, 12), ["andrei-belousov", "sergei-shoigu"]),
        (datetime.date(2024, 5, 13), ["andrei-belousov"]),
        (datetime.date(2025, 3, 1), ["andrei-belousov"]),
    ],
)
def test_holders_by_date(day: datetime.date, expected: list[str]) -> None:
    lx = load_lexicon([GOOD], user_dir=False)
    assert [e.id for e in lx.holders("menteri-pertahanan", "RU", day)] == expected


def test_holders_filters_by_of() -> None:
    lx = load_lexicon([GOOD], user_dir=False)
    day = datetime.date(2022, 7, 1)
    assert lx.holders("menteri-pertahanan", "US", day) == []
    assert [e.id for e in lx.holders("juru-bicara", "kremlin", day)] == ["dmitry-peskov"]
    assert [e.id for e in lx.holders("juru-bicara", None, day)] == ["dmitry-peskov"]
    assert lx.holders("juru-bicara", "kremlin", datetime.date(2011, 12, 31)) == []


def test_role_spell_partial_dates() -> None:
    spell = RoleSpell("presiden", "US", "2021-01", "2025")
    assert not spell.active_on(datetime.date(2020, 12, 31))
    assert spell.active_on(datetime.date(2021, 1, 1))
    assert spell.active_on(datetime.date(2025, 12, 31))
    assert not spell.active_on(datetime.date(2026, 1, 1))
    assert RoleSpell("presiden", None, None, None).active_on(datetime.date(1900, 1, 1))


# -- caching -----------------------------------------------------------------------------------


def test_disk_cache_gives_the_same_lexicon(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WARTA_CACHE_DIR", str(tmp_path / "cache"))
    path = write(tmp_path, "p.yaml", "persons:\n  - id: a\n    name: A\n    nmae: typo\n")
    first = load_lexicon([GOOD, path], user_dir=False)
    assert (tmp_path / "cache" / "lexicons-cache.json").exists()
    lexicon_loader._PARSE_CACHE.clear()
    second = load_lexicon([GOOD, path], user_dir=False)
    assert second.entries == first.entries and second.issues == first.issues
    # A changed file is read again, not served from either cache.
    write(tmp_path, "p.yaml", "persons:\n  - id: a\n    name: A changed\n")
    third = load_lexicon([GOOD, path], user_dir=False)
    assert third.get("person", "a").name == "A changed"  # type: ignore[union-attr]
    assert issues_in(third, path) == []


# -- the bundled lexicons ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled() -> Lexicon:
    return load_lexicon(user_dir=False)


def test_bundled_lexicons_have_no_issues(bundled: Lexicon) -> None:
    assert [str(i) for i in bundled.issues] == []


def test_bundled_aliases_are_distinct_within_a_kind(bundled: Lexicon) -> None:
    owners: dict[tuple[str, str], set[str]] = defaultdict(set)
    for entry in bundled.entries.values():
        for name in entry.all_names:
            owners[(entry.kind, " ".join(name.casefold().split()))].add(entry.id)
    shared = {key: ids for key, ids in owners.items() if len(ids) > 1}
    assert shared == {}


def test_bundled_lexicons_cover_the_basics(bundled: Lexicon) -> None:
    countries = [p for p in bundled.places if p.type == "country"]
    assert len(countries) >= 240
    assert len([p for p in bundled.places if p.type == "province"]) == 38
    us = bundled.get("place", "us")
    assert us is not None and {"AS", "Amerika"} <= set(us.aliases)
    for role in ("menteri-pertahanan", "menteri-luar-negeri", "kepala-staf-umum", "juru-bicara"):
        assert bundled.get("role", role) is not None
    assert bundled.get("role", "duta-besar").unique is False  # type: ignore[union-attr]


def test_lexicons_never_import_textual_or_spacy() -> None:
    code = (
        "import sys, warta.lexicons as l; l.load_lexicon(user_dir=False);"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'spacy')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
