"""Provides the whoosh full-text index: schema, writing in batches, queries and snippets."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.analysis import LowercaseFilter, RegexTokenizer
from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.qparser import MultifieldParser, QueryParser
from whoosh.qparser.dateparse import DateParserPlugin
from whoosh.query import Every, Or, Query
from whoosh.searching import Searcher

from .analysis import index_form, indonesian_analyzer
from .errors import QueryError
from .models import Article, SearchHit
from .snippets import make_snippet

INDEX_NAME = "articles"
SCHEMA_VERSION = "2"  # 2: entity ids and the names field filled


def make_schema() -> Schema:
    analyzer = indonesian_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        path=STORED(),
        title=TEXT(analyzer=analyzer, stored=True, field_boost=3.0),
        text=TEXT(analyzer=analyzer, phrase=True),
        source=TEXT(analyzer=RegexTokenizer(r"[^\s.]+") | LowercaseFilter(), stored=True),
        published=DATETIME(sortable=True),
        published_iso=STORED(),
        entity=KEYWORD(commas=True, lowercase=True, scorable=True),
        event=KEYWORD(commas=True, lowercase=True),
        # Names and aliases of the article's entities (indexed, not stored), so a search for
        # an alias the text does not use ("Menhan Rusia") finds the article.
        names=TEXT(analyzer=analyzer),
    )


_SPACE = re.compile(r"\s+")
# Words only: no quotes, field prefixes, ranges, groups or operators.
_PLAIN = re.compile(r"(?!.*\b(?:AND|OR|NOT|TO)\b)[^\"':()\[\]{}*?~^]+")


def published_datetime(published: str | None) -> datetime | None:
    """The wall-clock time of an ISO published value, for range queries; None if unusable."""
    if not published:
        return None
    try:
        value = datetime.fromisoformat(published.replace("Z", "+00:00"))
    except ValueError:
        try:
            value = datetime.strptime(published[:7], "%Y-%m")
        except ValueError:
            return None
    return value.replace(tzinfo=None)


class FullTextIndex:
    """The on-disk whoosh index of articles; every field in it is derived and rebuildable."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._ix: Any = None
        self._parser: MultifieldParser | None = None
        self._names_parser: QueryParser | None = None
        self._searcher: Searcher | None = None

    # -- lifecycle ------------------------------------------------------------------------
    def exists(self) -> bool:
        # Only whether a table of contents is there: whether it is readable is open()'s job.
        return any(self.directory.glob(f"_{INDEX_NAME}_*.toc"))

    def open(self) -> None:
        """Open the index, raising whoosh's error if it is missing or corrupt."""
        self._ix = whoosh_index.open_dir(str(self.directory), indexname=INDEX_NAME)
        self._ix.doc_count()

    def create(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        self._ix = whoosh_index.create_in(str(self.directory), make_schema(), indexname=INDEX_NAME)

    @property
    def ix(self) -> Any:
        if self._ix is None:
            self.open()
        return self._ix

    def doc_count(self) -> int:
        return int(self.ix.doc_count())

    def writer(self) -> Any:
        # One process: the multiprocess writer was slower on this 2-core machine (measured).
        # Without mmap: a segment is one compound file, and over an mmap whoosh copies each part
        # a reader opens (terms, postings) into a BytesIO, so the writer's readers of the
        # existing segments held copies growing with the index (tracemalloc; with nlp.py's Vocab
        # recycling, 475 -> ~265 MB resident at 20k articles). Read from the file, nothing is
        # copied. Searches keep the mmapped index. limitmb=32 cost ~15% CPU (pool spills).
        storage = FileStorage(str(self.directory), supports_mmap=False)
        return storage.open_index(INDEX_NAME).writer(limitmb=128)

    @staticmethod
    def document(
        article: Article,
        entity_ids: Iterable[str] = (),
        event_ids: Iterable[str] = (),
        names: str = "",
    ) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "id": article.id,
            "path": article.path,
            "title": article.title,
            "text": article.text,
            "source": article.source or "",
            "published_iso": article.published,
            "entity": ",".join(entity_ids),
            "event": ",".join(event_ids),
            "names": names,
        }
        when = published_datetime(article.published)
        if when is not None:
            doc["published"] = when
        return doc

    def all_ids(self) -> set[str]:
        with self.ix.searcher() as searcher:
            return {fields["id"] for fields in searcher.all_stored_fields()}

    @staticmethod
    def remove_dir(directory: Path) -> None:
        shutil.rmtree(directory, ignore_errors=True)

    # -- search ---------------------------------------------------------------------------
    def parser(self) -> MultifieldParser:
        if self._parser is None:
            # Every word must match (as in web search engines), so more words narrow the
            # results and "beras NOT pedagang" means what it says; OR is there to widen.
            parser = MultifieldParser(["title", "text"], schema=self.ix.schema)
            parser.add_plugin(DateParserPlugin(free=False))
            self._parser = parser
        return self._parser

    def names_parser(self) -> QueryParser:
        if self._names_parser is None:
            parser = QueryParser("names", schema=self.ix.schema)
            parser.add_plugin(DateParserPlugin(free=False))
            self._names_parser = parser
        return self._names_parser

    def parse(self, query: str) -> Query:
        """The query over title and text, or else over the names of the article's entities.

        The names alternative is a whole second query, not a third field beside each word:
        an OR of three posting lists under every word of an AND cost 3-10x the search time.
        It is for plain words ("Menhan Rusia"); phrases, fields and operators ask for text.
        """
        text = _SPACE.sub(" ", query).strip()
        if not text:
            return Every()
        try:
            parsed: Query = self.parser().parse(text)
            if "names" in self.ix.schema.names() and _PLAIN.fullmatch(text):
                by_names: Query = self.names_parser().parse(text)
                if any(field == "names" for field, _ in by_names.iter_all_terms()):
                    parsed = Or([parsed, by_names])
        except Exception as exc:  # whoosh raises several kinds for malformed queries
            raise QueryError(f"cannot parse query {query!r}: {exc}") from exc
        return parsed

    def search(
        self, query: str, limit: int, texts: Any, *, snippet_chars: int = 240
    ) -> tuple[int, list[SearchHit]]:
        """(total, hits) for a query; `texts(ids)` gives the article texts for the snippets."""
        parsed = self.parse(query)
        searcher = self.searcher()
        if searcher:
            results = searcher.search(parsed, limit=limit)
            total = len(results)
            ids = [hit["id"] for hit in results]
            bodies: dict[str, str] = texts(ids) if ids else {}
            terms = {
                term.decode("utf-8") if isinstance(term, bytes) else str(term)
                for field, term in parsed.iter_all_terms()
                if field in ("text", "title")
            }
            hits = [
                self._hit(hit, bodies.get(hit["id"], ""), terms, snippet_chars) for hit in results
            ]
        return total, hits

    @staticmethod
    def _hit(hit: Any, body: str, terms: set[str], snippet_chars: int) -> SearchHit:
        snippet = make_snippet(body, terms, index_form, snippet_chars)
        return SearchHit(
            id=hit["id"],
            path=hit["path"],
            title=hit["title"],
            source=hit.get("source") or None,
            published=hit.get("published_iso"),
            score=round(float(hit.score or 0.0), 4),
            snippet=_SPACE.sub(" ", snippet).strip(),
        )

    def searcher(self) -> Searcher:
        """A searcher kept open between queries and refreshed when the index has changed.

        Opening one reads every segment's term dictionary (~30 ms on a large index).
        """
        if self._searcher is not None and not self._searcher.up_to_date():
            # Not Searcher.refresh(): whoosh3's reader reuse keeps segments that a merge has
            # replaced and deletions made since, so another process's updates and merges
            # would show as duplicate hits. A fresh searcher reads the current TOC only.
            self._searcher.close()
            self._searcher = None
        if self._searcher is None:
            self._searcher = self.ix.searcher()
        return self._searcher

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    def ids_matching(self, field: str, values: Sequence[str]) -> list[str]:
        from whoosh.query import Or, Term

        with self.ix.searcher() as searcher:
            results = searcher.search(Or([Term(field, v) for v in values]), limit=None)
            return [hit["id"] for hit in results]
