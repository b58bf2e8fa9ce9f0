"""Provides a safe YAML reader that keeps line numbers and refuses tags, anchors and aliases."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeAlias, cast

import yaml

# libyaml's parser is several times faster; the pure-Python one is the fallback.
_Loader: type[yaml.SafeLoader] | type[yaml.CSafeLoader]
_Loader = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader

_YAML = "tag:yaml.org,2002:"
# The only explicit tags a lexicon may carry: the plain data types of YAML 1.1.
_ALLOWED_TAGS = frozenset(
    _YAML + name for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
)


class YamlProblem(Exception):
    """A file that cannot be read as a lexicon document, with the 1-based line at fault."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(slots=True)
class Scalar:
    """A scalar exactly as written; `tag` is the resolved YAML tag (str, int, bool, null...)."""

    text: str
    tag: str
    line: int

    @property
    def is_null(self) -> bool:
        return self.tag == _YAML + "null"

    @property
    def is_bool(self) -> bool:
        return self.tag == _YAML + "bool"


@dataclass(slots=True)
class MapNode:
    """A mapping; `items` keeps every key in order, duplicates included, so they can be reported."""

    line: int
    items: list[tuple[Scalar, Node]] = field(default_factory=list)


@dataclass(slots=True)
class SeqNode:
    line: int
    items: list[Node] = field(default_factory=list)


Node: TypeAlias = Scalar | MapNode | SeqNode


def _check_tag(tag: str | None, line: int) -> None:
    if tag is None or tag == "!" or tag in _ALLOWED_TAGS:
        return
    shown = "!!" + tag[len(_YAML) :] if tag.startswith(_YAML) else tag
    raise YamlProblem(line, f"YAML tag {shown} is not allowed in a lexicon")


def _error_line(exc: yaml.YAMLError) -> int:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return mark.line + 1 if mark is not None else 1


def _error_text(exc: yaml.YAMLError) -> str:
    if isinstance(exc, yaml.MarkedYAMLError):
        parts = [p for p in (exc.context, exc.problem) if p]
        return "YAML syntax error: " + ", ".join(parts)
    return f"YAML error: {exc}"


def parse(data: bytes | str) -> Node | None:
    """Parse one YAML document into marked nodes; None for an empty stream.

    Nothing is constructed from tags, so no YAML can run code; explicit non-data tags,
    anchors and aliases (the "billion laughs" bomb) and a second document raise YamlProblem.
    """
    loader = _Loader(data)
    try:
        return _build(loader)
    except yaml.YAMLError as exc:
        raise YamlProblem(_error_line(exc), _error_text(exc)) from None
    finally:
        loader.dispose()


_NULL = _YAML + "null"
_BOOL = _YAML + "bool"
_STR = _YAML + "str"
# YAML 1.1 plain scalars that mean null or a boolean; everything else is kept as written.
_PLAIN_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_PLAIN_BOOL = frozenset(
    word
    for base in ("yes", "no", "true", "false", "on", "off")
    for word in (base, base.title(), base.upper())
)


def _plain_tag(value: str) -> str:
    if value in _PLAIN_NULL:
        return _NULL
    if value in _PLAIN_BOOL:
        return _BOOL
    return _STR


def _build(loader: yaml.SafeLoader | yaml.CSafeLoader) -> Node | None:
    # A hand-rolled composer over the parser's events: faster than yaml.compose, and the one
    # place where anchors, aliases and tags can be refused before anything is built.
    stack: list[MapNode | SeqNode] = []
    keys: list[Scalar | None] = []
    root: Node | None = None
    documents = 0
    scalar_event = yaml.ScalarEvent
    get_event = loader.get_event

    while True:
        event = get_event()
        if event is None:
            return root
        cls = type(event)
        line = event.start_mark.line + 1 if event.start_mark is not None else 1
        node: Node
        if cls is scalar_event:
            event = cast(yaml.ScalarEvent, event)
            if event.anchor is not None:
                raise YamlProblem(line, "YAML anchors (&name) are not allowed in a lexicon")
            tag = event.tag
            if tag is None or tag == "!":
                tag = _plain_tag(event.value) if event.implicit[0] else _STR
            else:
                _check_tag(tag, line)
            node = Scalar(event.value, tag, line)
        elif cls is yaml.MappingStartEvent or cls is yaml.SequenceStartEvent:
            event = cast(yaml.CollectionStartEvent, event)
            if event.anchor is not None:
                raise YamlProblem(line, "YAML anchors (&name) are not allowed in a lexicon")
            _check_tag(event.tag, line)
            node = MapNode(line) if cls is yaml.MappingStartEvent else SeqNode(line)
        elif cls is yaml.MappingEndEvent or cls is yaml.SequenceEndEvent:
            stack.pop()
            keys.pop()
            continue
        elif cls is yaml.AliasEvent:
            raise YamlProblem(line, "YAML aliases (*name) are not allowed in a lexicon")
        elif cls is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise YamlProblem(line, "a lexicon file holds one YAML document, found a second")
            continue
        elif cls is yaml.StreamEndEvent:
            return root
        else:
            continue

        if not stack:
            root = node
        else:
            top = stack[-1]
            if type(top) is SeqNode:
                top.items.append(node)
            else:
                key = keys[-1]
                if key is None:
                    if type(node) is not Scalar:
                        raise YamlProblem(line, "a mapping key must be a plain value")
                    keys[-1] = node
                else:
                    top.items.append((key, node))  # type: ignore[arg-type]
                    keys[-1] = None
        if type(node) is not Scalar:
            stack.append(node)  # type: ignore[arg-type]
            keys.append(None)
