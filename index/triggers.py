"""Provides the event trigger lexicon: kinds, CAMEO codes, trigger forms and context words."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from warta.lexicons.yamlsafe import MapNode, Node, Scalar, SeqNode, YamlProblem, parse

BUNDLED = "triggers.yaml"

_KIND_KEYS = frozenset(
    {
        "kind",
        "cameo",
        "name",
        "min_participants",
        "needs_destination",
        "needs_actor",
        "occasion",
        "placed",
        "parties",
        "triggers",
        "note",
    }
)
_TRIGGER_KEYS = frozenset({"forms", "cameo", "generic", "alone", "hosted", "reference", "note"})
_PARTIES: tuple[str, ...] = ("person", "institution", "country")
_CONTEXT_KEYS = frozenset(
    {
        "blockers",
        "blockers_after",
        "blockers_next",
        "speech_after",
        "time_shift",
        "date_blockers",
        "pair_anaphora",
        "counterpart",
        "counterpart_links",
        "speech",
        "place_links",
        "destination_links",
        "back_reference",
        "abbreviations",
        "list_separators",
        "reference_blockers",
        "scope",
        "between",
        "between_links",
        "pair_anaphora_countries",
        "forum_triggers",
        "agent_links",
        "onlookers",
        "relative",
        "relative_breaks",
    }
)
_KIND_ID = re.compile(r"^[a-z][a-z_]*$")
_CAMEO = re.compile(r"^[0-9]{3,4}$")


class TriggerError(ValueError):
    """The trigger lexicon is invalid; `issues` are "file:line: message" strings."""

    def __init__(self, issues: list[str]) -> None:
        super().__init__("\n".join(issues))
        self.issues = issues


@dataclass(frozen=True)
class Trigger:
    """One written form and what it reports."""

    form: str  # lower case, single spaces
    kind: str
    cameo: str
    generic: bool = False  # may stand for another event the article reports
    alone: bool = True  # an event on its own when it stands for no other
    hosted: bool = False  # "menerima kunjungan": the host is named, no destination needed
    reference: bool = False  # "perjanjian Minsk 2014": a past one named by its year


@dataclass(frozen=True)
class KindInfo:
    kind: str
    cameo: str
    name: str
    min_participants: int
    needs_destination: bool
    placed: bool = True  # has a place (a call has none)
    parties: tuple[str, ...] = _PARTIES  # which participants first
    needs_actor: bool = False  # a person or body besides the destination ("kunjungan ke Bali")
    occasion: str = ""  # kinds one occasion yields together share a date; "" is the kind


@dataclass(frozen=True)
class TriggerLexicon:
    """Every trigger form, by its normalised text, with the kinds and the context words."""

    triggers: dict[str, Trigger]
    kinds: dict[str, KindInfo]
    context: dict[str, frozenset[str]] = field(default_factory=dict)

    def words(self, key: str) -> frozenset[str]:
        return self.context.get(key, frozenset())


def norm(text: str) -> str:
    return " ".join(text.lower().split())


class _Checker:
    """Walks the marked YAML nodes; collects every problem with its line."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.issues: list[str] = []

    def problem(self, line: int, message: str) -> None:
        self.issues.append(f"{self.path}:{line}: {message}")

    def mapping(self, node: Node, allowed: frozenset[str], what: str) -> dict[str, Node] | None:
        if not isinstance(node, MapNode):
            self.problem(node.line, f"{what} must be a mapping")
            return None
        fields: dict[str, Node] = {}
        for key, value in node.items:
            if key.text not in allowed:
                self.problem(
                    key.line, f"unknown key {key.text!r} in {what}: expected {sorted(allowed)}"
                )
            elif key.text in fields:
                self.problem(key.line, f"repeated key {key.text!r} in {what}")
            else:
                fields[key.text] = value
        return fields

    def text(self, node: Node | None, what: str, line: int) -> str | None:
        if node is None:
            self.problem(line, f"missing {what}")
            return None
        if not isinstance(node, Scalar) or node.is_null or not node.text.strip():
            self.problem(node.line, f"{what} must be a non-empty text")
            return None
        return str(node.text).strip()

    def flag(self, node: Node | None, default: bool = False) -> bool:
        if node is None:
            return default
        if not isinstance(node, Scalar) or not node.is_bool:
            self.problem(node.line, "expected true or false")
            return False
        return node.text.lower() in ("true", "yes", "on")

    def words(self, node: Node, what: str) -> list[tuple[str, int]]:
        if not isinstance(node, SeqNode) or not node.items:
            self.problem(node.line, f"{what} must be a non-empty list of words")
            return []
        found: list[tuple[str, int]] = []
        seen: dict[str, int] = {}
        for item in node.items:
            word = self.text(item, f"a word of {what}", node.line)
            if word is None:
                continue
            key = norm(word)
            if key in seen:
                self.problem(item.line, f"{word!r} repeats line {seen[key]} in {what}")
                continue
            seen[key] = item.line
            found.append((key, item.line))
        return found


def _parse(data: bytes | str, path: str) -> TriggerLexicon:
    check = _Checker(path)
    try:
        root = parse(data)
    except YamlProblem as exc:
        raise TriggerError([f"{path}:{exc.line}: {exc.message}"]) from None
    if root is None:
        raise TriggerError([f"{path}:1: empty file: expected kinds: and context:"])
    top = check.mapping(root, frozenset({"kinds", "context"}), "the top level")
    if top is None or "kinds" not in top:
        check.problem(root.line, "missing kinds:")
        raise TriggerError(check.issues)

    triggers: dict[str, Trigger] = {}
    where: dict[str, int] = {}
    kinds: dict[str, KindInfo] = {}
    kinds_node = top["kinds"]
    if not isinstance(kinds_node, SeqNode):
        check.problem(kinds_node.line, "kinds must be a list of kinds (each starting '- kind:')")
        kinds_node = SeqNode(kinds_node.line)
    for item in kinds_node.items:
        fields = check.mapping(item, _KIND_KEYS, "a kind")
        if fields is None:
            continue
        kind = check.text(fields.get("kind"), "kind", item.line)
        cameo = check.text(fields.get("cameo"), "cameo", item.line)
        name = check.text(fields.get("name"), "name", item.line)
        if kind is not None and not _KIND_ID.match(kind):
            check.problem(fields["kind"].line, f"kind {kind!r} must be lower-case letters and _")
            kind = None
        if kind is not None and kind in kinds:
            check.problem(fields["kind"].line, f"kind {kind!r} is defined twice")
            kind = None
        if cameo is not None and not _CAMEO.match(cameo):
            check.problem(
                fields["cameo"].line, f"cameo {cameo!r} must be a 3 or 4 digit CAMEO code"
            )
            cameo = None
        least = 1
        if "min_participants" in fields:
            node = fields["min_participants"]
            if isinstance(node, Scalar) and node.text in ("1", "2"):
                least = int(node.text)
            else:
                check.problem(node.line, "min_participants must be 1 or 2")
        destination = check.flag(fields.get("needs_destination"))
        placed = check.flag(fields.get("placed"), True)
        actor = check.flag(fields.get("needs_actor"))
        occasion = ""
        if "occasion" in fields:
            occasion = check.text(fields["occasion"], "occasion", item.line) or ""
        parties: tuple[str, ...] = _PARTIES
        if "parties" in fields:
            order = tuple(w for w, _ in check.words(fields["parties"], "parties"))
            if sorted(order) != sorted(_PARTIES):
                check.problem(fields["parties"].line, f"parties must order {list(_PARTIES)}")
            else:
                parties = order
        if kind is None or cameo is None or name is None:
            continue
        kinds[kind] = KindInfo(
            kind, cameo, name, least, destination, placed, parties, actor, occasion or kind
        )
        groups = fields.get("triggers")
        if not isinstance(groups, SeqNode) or not groups.items:
            check.problem(item.line, f"kind {kind!r} needs a list of triggers")
            continue
        for group in groups.items:
            gfields = check.mapping(group, _TRIGGER_KEYS, "a trigger group")
            if gfields is None:
                continue
            own = cameo
            if "cameo" in gfields:
                value = check.text(gfields["cameo"], "cameo", group.line)
                if value is not None and _CAMEO.match(value):
                    own = value
                elif value is not None:
                    check.problem(
                        gfields["cameo"].line, f"cameo {value!r} must be a 3 or 4 digit code"
                    )
            generic = check.flag(gfields.get("generic"))
            alone = check.flag(gfields.get("alone"), True)
            hosted = check.flag(gfields.get("hosted"))
            reference = check.flag(gfields.get("reference"))
            forms_node = gfields.get("forms")
            if forms_node is None:
                check.problem(group.line, "a trigger group needs forms:")
                continue
            for form, line in check.words(forms_node, "forms"):
                if form in where:
                    check.problem(line, f"trigger {form!r} is already given on line {where[form]}")
                    continue
                where[form] = line
                triggers[form] = Trigger(form, kind, own, generic, alone, hosted, reference)

    context: dict[str, frozenset[str]] = {}
    if "context" in top:
        cfields = check.mapping(top["context"], _CONTEXT_KEYS, "context")
        for key, node in (cfields or {}).items():
            context[key] = frozenset(word for word, _ in check.words(node, key))
    if check.issues:
        raise TriggerError(check.issues)
    return TriggerLexicon(triggers, kinds, context)


def load_triggers(path: str | Path | None = None) -> TriggerLexicon:
    """The trigger lexicon from `path`, else the bundled one; TriggerError lists the problems."""
    if path is None:
        return _bundled()
    data = Path(path).read_bytes()
    return _parse(data, str(path))


@lru_cache(maxsize=1)
def _bundled() -> TriggerLexicon:
    source = resources.files("warta.index.data").joinpath(BUNDLED)
    return _parse(source.read_bytes(), f"index/data/{BUNDLED}")


def parse_triggers(text: str, path: str = "<text>") -> TriggerLexicon:
    """Parse trigger YAML given as text (for tests and `lexicon check`)."""
    return _parse(text, path)
