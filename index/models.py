"""Provides the shared vocabulary of Warta: frozen dataclasses passed between core and UI."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RawDocument:
    """One article as a reader found it, before cleaning.

    `path` is the display path: a file path, or `file.jsonl#LINE` for a JSON Lines record
    (LINE counted from 1). The optional fields are what the container gave us (a JSON record,
    an HTML page's meta tags); cleaning fills in what is missing from the text itself.
    """

    path: str
    text: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    date: str | None = None
    author: str | None = None
    record_id: str | None = None
    format: str = "txt"


@dataclass(frozen=True)
class Article:
    """A cleaned article: the unit that is indexed, searched and shown."""

    id: str
    path: str
    title: str
    text: str
    source: str | None = None
    url: str | None = None
    published: str | None = None
    author: str | None = None
    dateline: str | None = None
    content_hash: str = ""


@dataclass(frozen=True)
class EntitySpan:
    """One highlighted mention: character offsets into `Article.text`."""

    start: int
    end: int
    text: str
    kind: str  # official | institution | place | person
    entity_id: str
    name: str
    listed: bool = True


@dataclass(frozen=True)
class SearchHit:
    """One search result; `snippet` marks the matched terms with `**`."""

    id: str
    path: str
    title: str
    source: str | None
    published: str | None
    score: float
    snippet: str


@dataclass(frozen=True)
class SearchResults:
    query: str
    total: int
    hits: tuple[SearchHit, ...]


@dataclass(frozen=True)
class ArticleSummary:
    """What the article list shows for one article."""

    id: str
    title: str
    source: str | None
    published: str | None
    path: str


@dataclass(frozen=True)
class Skipped:
    """An input that was not imported, with the reason a user can act on."""

    path: str
    reason: str


@dataclass
class AddReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)
    # Inputs imported with a caveat (path, what was done: "read as Windows-1252").
    notes: list[Skipped] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": [{"path": s.path, "reason": s.reason} for s in self.skipped],
        }


@dataclass(frozen=True)
class DateMention:
    """One date expression in an article: offsets into its text and the date it stands for.

    `date` is ISO at the given precision ("2022-05-19", "2022-05", "2022") or None when the
    expression cannot be resolved (a relative date in an article with no anchor).
    """

    start: int
    end: int
    text: str
    date: str | None
    precision: str  # day | month | year | unknown


@dataclass(frozen=True)
class EntitySummary:
    """One entity across the corpus (or one article): how often and where it is named."""

    entity_id: str
    name: str
    kind: str
    mentions: int
    articles: tuple[str, ...]


@dataclass(frozen=True)
class RoleInfo:
    role: str  # display title, e.g. "Menteri Pertahanan"
    of: str | None  # display name of the country or organisation
    start: str | None
    end: str | None


@dataclass(frozen=True)
class EntityInfo:
    """The card the reader shows for an entity: who or what it is."""

    entity_id: str
    name: str
    kind: str
    country: str | None
    aliases: tuple[str, ...] = ()
    roles: tuple[RoleInfo, ...] = ()
    listed: bool = True


@dataclass(frozen=True)
class Participant:
    entity_id: str
    name: str
    kind: str


@dataclass(frozen=True)
class EventMention:
    """Where an article reports an event, with the evidence for it."""

    article_id: str
    sentence: str
    start: int  # offsets of the sentence in the article text
    end: int
    trigger: tuple[int, int] = (0, 0)  # offsets in the article text
    participant_spans: tuple[tuple[int, int], ...] = ()
    rule: str = ""


@dataclass(frozen=True)
class Event:
    """One event (a call, a visit, talks...) merged from all the articles that report it."""

    event_id: str
    kind: str
    cameo: str
    date: str | None
    date_precision: str
    date_text: str | None
    place: str | None
    participants: tuple[Participant, ...]
    mentions: tuple[EventMention, ...]
    related: tuple[tuple[str, str], ...] = ()  # (event_id, relation)


@dataclass(frozen=True)
class RelatedArticle:
    """Another article linked to one, strongest relation first."""

    article_id: str
    title: str
    relation: str  # same_event | same_participants | shared_entities
    via: tuple[str, ...]  # event or entity ids that link them
