"""Provides `Library`, the one door into the core for the reader and the command line."""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import analysis, paths
from .clean import clean
from .derived import DerivedStore, summarize
from .entity_rules import rules_text
from .entity_tables import EntityTables, load_tables, search_names, tables_key
from .errors import LockBusy, NotFound
from .event_store import EVENTS_VERSION, EventStore
from .events import EventExtractor
from .fingerprint import spans_fingerprint, tables_fingerprint
from .fulltext import SCHEMA_VERSION, FullTextIndex
from .models import (
    AddReport,
    Article,
    ArticleSummary,
    EntityInfo,
    EntitySpan,
    EntitySummary,
    Event,
    RawDocument,
    RelatedArticle,
    RoleInfo,
    SearchResults,
    Skipped,
)
from .prestem import StemAhead
from .readers import Item, iter_inputs
from .sources import SourceStore
from .triggers import load_triggers
from .userstate import UserStore

if TYPE_CHECKING:
    from .nlp import EntityExtractor

BATCH = 2000
"""Articles per commit: a kill loses at most the batch being written; fewer, larger
segments keep searches fast (each segment costs every query a term lookup)."""

LOCK_WAIT_SECONDS = float(os.environ.get("WARTA_LOCK_WAIT", "30"))

STEM_AHEAD_CHUNK = 250
"""Inputs read ahead: while one chunk is indexed, a helper process stems the next."""

Progress = Callable[[int], None]

MIXED_LEXICONS = "mixed"
"""The lexicon stamp of stores holding spans found with different lexicons: stale until a
reindex, whatever the lexicon files become."""

FRESH_SPANS_KEPT = 64
"""Articles whose spans, found again because the stored ones are stale, are kept in memory."""

_SHARED_EXTRACTORS: dict[str, EntityExtractor] = {}
"""The entity pipeline of the installed and user lexicons, by the fingerprint of the files it
was built from: one per process, another only if the files change while it runs."""


def _cancel(writer: Any) -> None:
    """Abandon an index writer; its uncommitted segment files may already be gone."""
    with contextlib.suppress(Exception):
        writer.cancel()


def _chunked(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    chunk: list[Item] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _installed_extractor() -> EntityExtractor:
    """The pipeline of the lexicon files as they are now: nlp's process-wide default, unless
    they changed since it was built (a long session, tests writing user lexicons)."""
    from .nlp import EntityExtractor, default_extractor

    extractor = default_extractor()
    if extractor.tables.key != tables_key(None, None, rules_text()):
        extractor = EntityExtractor()
    return extractor


def bundled_seeds() -> list[Path]:
    """The seed articles shipped inside the package."""
    root = resources.files("warta.seeds")
    return sorted(Path(str(p)) for p in root.iterdir() if p.name.endswith(".txt"))


class Library:
    """Articles in, cleaned, indexed, searchable; user state beside it.

    Layout of the data directory:
      sources.sqlite  raw documents as imported and the articles cleaned from them
      index/          the whoosh index, derived, rebuilt by `reindex`
      derived.sqlite  entity spans of every article, derived, rebuilt by `reindex`
      user.sqlite     read marks, bookmarks, positions; never touched by a reindex
      write.lock      held by the one process that writes
    """

    def __init__(
        self,
        data_dir: str | os.PathLike[str] | None = None,
        *,
        seed: bool = True,
        batch_size: int = BATCH,
        extractor: EntityExtractor | None = None,
        rebuild_progress: Callable[[int, int], None] | None = None,
    ) -> None:
        """`rebuild_progress(done, total)` is called while an index that must be rebuilt on
        open (missing, damaged, from an older version) is rebuilt, once per article."""
        self.data_dir = paths.data_dir(data_dir)
        # The entity pipeline (spaCy) is built on the first article to analyse; reading needs
        # only the stored spans and the lexicon tables.
        self._extractor = extractor
        self._tables: EntityTables | None = extractor.tables if extractor is not None else None
        # The fingerprint (see fingerprint.py) of the files the extractor was built from.
        self._extractor_fingerprint: str | None = (
            tables_fingerprint(extractor.tables.key) if extractor is not None else None
        )
        self._lexicons_changed: bool | None = None  # asked of the stores when first needed
        self._own_extractor = extractor is None
        self._fresh_spans: dict[str, list[EntitySpan]] = {}
        self.batch_size = batch_size
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.sources = SourceStore(self.data_dir / "sources.sqlite")
        self.user = UserStore(self.data_dir / "user.sqlite")
        self.derived = DerivedStore(self.data_dir / "derived.sqlite")
        self.event_store = EventStore(self.data_dir / "events.sqlite")
        self._event_extractor: EventExtractor | None = None
        self._stale_events: set[str] = set()  # written before a later article moved their events
        self.fulltext = FullTextIndex(self.data_dir / "index")
        self.notices: list[str] = []
        analysis.load_stem_cache(self._stem_cache_path())
        self._open_index(rebuild_progress)
        if seed and self.sources.count() == 0 and self.sources.get_meta("seeded") is None:
            self.add_seeds()

    def close(self) -> None:
        self.fulltext.close()
        self.derived.close()
        self.event_store.close()
        self.sources.close()
        self.user.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- opening and recovery ---------------------------------------------------------------
    def _stem_cache_path(self) -> Path:
        return self.data_dir / "stems.cache"

    def _save_stem_cache(self, before: int) -> None:
        if analysis.stem_cache_size() > before:
            analysis.save_stem_cache(self._stem_cache_path())

    def _dirty_marker(self) -> Path:
        return self.data_dir / "index.dirty"

    def _open_index(self, progress: Callable[[int, int], None] | None = None) -> None:
        """Open the index; rebuild it from the sources if it is missing, corrupt or stale."""
        problem = None
        if not self.fulltext.exists():
            problem = "missing" if self.sources.count() else None
            if problem is None:
                with self.write_lock():
                    if not self.fulltext.exists():
                        self.fulltext.create()
                        self.sources.set_meta("schema", SCHEMA_VERSION)
                return
        else:
            try:
                self.fulltext.open()
            except Exception as exc:  # whoosh raises many kinds for a damaged index
                problem = f"unreadable ({type(exc).__name__})"
            if problem is None and self.sources.get_meta("schema") not in (None, SCHEMA_VERSION):
                problem = "from an older version"
            if (
                problem is None
                and self.sources.count()
                and self.derived.get_meta("lexicon") is None
            ):
                problem = "without entities"
            if (
                problem is None
                and self.sources.count()
                and self.event_store.get_meta("version") != EVENTS_VERSION
            ):
                problem = "without events"
        if problem:
            self.notices.append(f"index {problem}: rebuilt from the stored sources")
            total = self.sources.count()
            self.reindex(None if progress is None else lambda done: progress(done, total))
        elif self._dirty_marker().exists():
            # A writer still at work (`warta add` in another terminal) owns the marker and
            # clears it itself; only a marker nobody holds the lock for is left by a crash.
            with contextlib.suppress(LockBusy), self.write_lock(wait=False):
                self._reconcile()

    def _reconcile(self) -> None:
        """After an interrupted write: make the index hold exactly the stored articles."""
        stored = self.sources.all_ids()
        indexed = self.fulltext.all_ids()
        extra = indexed - stored
        missing = stored - indexed
        if extra or missing:
            writer = self.fulltext.writer()
            for article_id in extra:
                writer.delete_by_term("id", article_id)
                self.derived.delete(article_id)
                self._stale_events |= self.event_store.delete(article_id)
            for article_id in missing:
                article = self.sources.article(article_id)
                if article is not None:
                    writer.update_document(**self._document(article))
            writer.commit()
            self._fix_event_fields(self.fulltext)
            self._stamp_lexicon()
            self.derived.commit()
            self.event_store.commit()
        self._dirty_marker().unlink(missing_ok=True)

    @contextlib.contextmanager
    def write_lock(self, *, wait: bool = True) -> Iterator[None]:
        """Hold the data directory's write lock, waiting for another writer a while."""
        lock_path = self.data_dir / "write.lock"
        with lock_path.open("a+") as fh:
            deadline = time.monotonic() + (LOCK_WAIT_SECONDS if wait else 0.0)
            told = False
            while True:
                try:
                    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise LockBusy(
                            f"another warta process is writing to {self.data_dir}; "
                            "try again when it has finished"
                        ) from None
                    if not told and wait:
                        print(
                            f"warta: waiting for another process writing to {self.data_dir}",
                            file=sys.stderr,
                        )
                        told = True
                    time.sleep(0.2)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    # -- importing ------------------------------------------------------------------------
    def add_seeds(self, progress: Progress | None = None) -> AddReport:
        """Import the bundled seed articles; `progress` is called with the count done."""
        report = self.add(bundled_seeds(), progress, seed_paths=True)
        self.sources.set_meta("seeded", "1")
        return report

    def add(
        self,
        inputs: Iterable[str | os.PathLike[str]],
        progress: Progress | None = None,
        *,
        seed_paths: bool = False,
    ) -> AddReport:
        """Import files and directories; bad inputs are skipped and reported, never fatal."""
        report = AddReport()
        stems_before = analysis.stem_cache_size()
        with self.write_lock():
            self._dirty_marker().touch()
            writer = None
            pending = 0
            done = 0
            ahead = StemAhead()
            chunks = _chunked(iter_inputs(inputs), STEM_AHEAD_CHUNK)
            try:
                current = next(chunks, None)
                while current is not None:
                    following = next(chunks, None)
                    ahead.collect()
                    if following is not None:
                        ahead.submit([i.doc.text for i in following if i.doc is not None])
                    for item in current:
                        if item.note is not None:
                            report.notes.append(item.note)
                        if item.skipped is not None:
                            report.skipped.append(item.skipped)
                            continue
                        if item.doc is None:
                            continue
                        if writer is None:
                            writer = self.fulltext.writer()
                            self.sources.begin()
                        pending += self._add_one(item, writer, report, seed_paths)
                        done += 1
                        if progress is not None:
                            progress(done)
                        if pending >= self.batch_size:
                            self._commit(writer)
                            writer, pending = None, 0
                    current = following
                if writer is not None:
                    self._commit(writer)
                    writer = None
            except BaseException:
                if writer is not None:
                    _cancel(writer)
                self.derived.rollback()
                self.event_store.rollback()
                self._stale_events.clear()
                self.sources.rollback()
                raise
            finally:
                ahead.close()
            self._dirty_marker().unlink(missing_ok=True)
            self._save_stem_cache(stems_before)
        return report

    def _commit(self, writer: Any) -> None:
        # The index first, then the sources: a kill in between leaves index documents the
        # sources lack, which the dirty marker makes the next open remove.
        writer.commit()
        self._fix_event_fields(self.fulltext)
        self._stamp_lexicon()
        self.derived.commit()
        self.event_store.commit()
        self.sources.commit()

    def _stamp_lexicon(self, *, rebuilt: bool = False) -> None:
        """Record which lexicons the stored spans were found with; none at all means "analyse
        everything". Articles analysed with other lexicons than the stored ones' make the
        stores mixed: stale until a reindex, even if the lexicon files are changed back."""
        if rebuilt:
            self.extractor()
        if self._extractor is None:
            return
        current = self._extractor_fingerprint
        assert current is not None
        stored = self.derived.get_meta("lexicon")
        if rebuilt or stored is None:
            value = current
        elif stored == current:
            return
        else:
            value = MIXED_LEXICONS
        self.derived.set_meta("lexicon", value)
        self.event_store.set_meta("lexicon", value)
        self._lexicons_changed = None
        self._fresh_spans.clear()

    def _add_one(self, item: Item, writer: Any, report: AddReport, seed_paths: bool) -> int:
        raw = item.doc
        assert raw is not None
        if seed_paths:
            raw = RawDocument(**{**raw.__dict__, "path": f"seeds/{Path(raw.path).name}"})
        known = self.sources.source(raw.path)
        if known is not None and known[0] == item.raw_key:
            report.unchanged += 1
            return 0
        try:
            article = clean(raw)
        except Exception as exc:  # a cleaning bug must cost one input, not the import
            report.skipped.append(Skipped(raw.path, f"could not clean: {exc}"))
            return 0
        twin = self.sources.id_for_hash(article.content_hash)
        if known is None:
            if twin is not None:
                # The same story by another path: stored once, the path remembered.
                self.sources.link(raw.path, item.raw_key, twin)
                report.unchanged += 1
                return 0
            article = self._unique_id(article)
            self.sources.insert(article, raw, item.raw_key)
            writer.update_document(**self._document(article))
            report.added += 1
            report.article_ids.append(article.id)
            return 1
        old_id = known[1]
        if twin is not None:
            self.sources.link(raw.path, item.raw_key, twin)
            if twin == old_id:
                report.unchanged += 1
                return 0
            if self.sources.drop_if_orphan(old_id):
                writer.delete_by_term("id", old_id)
                self.derived.delete(old_id)
                self._stale_events |= self.event_store.delete(old_id)
            report.updated += 1
            return 1
        shared = len(self.sources.paths_of(old_id)) > 1
        if shared:
            article = self._unique_id(article)
            self.sources.insert(article, raw, item.raw_key)
        else:
            article = Article(**{**article.__dict__, "id": old_id})
            self.sources.replace(article, raw, item.raw_key)
        writer.update_document(**self._document(article))
        report.updated += 1
        report.article_ids.append(article.id)
        return 1

    def _unique_id(self, article: Article) -> Article:
        if not self.sources.has_id(article.id):
            return article
        # A record id reused for different content: keep both, tell them apart by content.
        new_id = f"{article.id}~{article.content_hash[:6]}"
        return Article(**{**article.__dict__, "id": new_id})

    def _document(self, article: Article) -> dict[str, Any]:
        """The index document of an article; its entity spans are stored on the way."""
        spans = self.extractor().extract(article.text, article.published, source=article.source)
        self.derived.put(article.id, spans)
        ids = list(dict.fromkeys(span.entity_id for span in spans))
        events = self._index_events(article, spans)
        return self.fulltext.document(
            article, entity_ids=ids, event_ids=events, names=self._names_text(ids)
        )

    def _index_events(self, article: Article, spans: list[EntitySpan]) -> list[str]:
        """Store an article's event mentions, re-merge the events they touch; its event ids."""
        if self._event_extractor is None:
            self._event_extractor = EventExtractor(self.tables().lexicon, load_triggers())
        found = self._event_extractor.extract(article.text, article.published, spans)
        entity_ids = [span.entity_id for span in spans]
        changed = self.event_store.put(article.id, article.text, found, entity_ids)
        self._stale_events |= changed - {article.id}
        self._stale_events.discard(article.id)
        return self.event_store.event_ids(article.id)

    def _fix_event_fields(self, index: FullTextIndex) -> None:
        """Rewrite the documents of articles whose events a later article re-merged.

        Run after the batch is committed: whoosh cannot update a document it has not yet
        written, and the ids change rarely (a report that fixes an event's date)."""
        self.event_store.set_meta("version", EVENTS_VERSION)
        if not self._stale_events:
            return
        writer = index.writer()
        try:
            for article_id in sorted(self._stale_events):
                article = self.sources.article(article_id)
                if article is None:
                    continue
                ids = list(dict.fromkeys(s.entity_id for s in self.derived.spans(article_id)))
                events = self.event_store.event_ids(article_id)
                writer.update_document(
                    **index.document(
                        article, entity_ids=ids, event_ids=events, names=self._names_text(ids)
                    )
                )
            writer.commit()
        except BaseException:
            _cancel(writer)
            raise
        self._stale_events.clear()

    def extractor(self) -> EntityExtractor:
        if self._extractor is None:
            fingerprint = spans_fingerprint()
            extractor = _SHARED_EXTRACTORS.get(fingerprint)
            if extractor is None:
                extractor = _installed_extractor()
                _SHARED_EXTRACTORS.clear()
                _SHARED_EXTRACTORS[fingerprint] = extractor
            self._extractor = extractor
            self._extractor_fingerprint = fingerprint
            self._tables = extractor.tables
        return self._extractor

    def _use_current_lexicons(self) -> None:
        """Let go of pipelines built from lexicon files changed since (a long-lived Library):
        a reindex is how an edit of them reaches the stores."""
        built = self._own_extractor and self._extractor is not None
        if built and self._extractor_fingerprint != spans_fingerprint():
            self._extractor = None
            self._tables = None
            self._event_extractor = None
            self._lexicons_changed = None
            self._fresh_spans.clear()

    def lexicons_changed(self) -> bool:
        """Whether the stored spans were found with other lexicons, entity rules or extractor
        than the installed ones (a user lexicon edited, a new Warta version): entity search,
        the entity lists and the events are then out of date until `reindex`. `spans` finds
        an article's spans again meanwhile. Costs a hash of the lexicon files, once."""
        if self._lexicons_changed is None:
            stored = self.derived.get_meta("lexicon")
            if stored is None:
                # Nothing analysed yet; an index with articles but no stamp is rebuilt at open.
                self._lexicons_changed = False
            else:
                current = self._extractor_fingerprint or spans_fingerprint()
                events = self.event_store.get_meta("lexicon")
                self._lexicons_changed = stored != current or events not in (None, current)
        return self._lexicons_changed

    def tables(self) -> EntityTables:
        """The lexicon the spans were found with (loaded without spaCy when not yet built)."""
        if self._tables is None:
            self._tables = load_tables()
        return self._tables

    def _names_text(self, entity_ids: list[str]) -> str:
        lexicon = self.tables().lexicon
        names: list[str] = []
        for entity_id in entity_ids:
            entry = self._lexicon_entry(entity_id)
            if entry is not None:
                names.extend(search_names(lexicon, entry))
        return "\n".join(names)

    def _lexicon_entry(self, entity_id: str) -> Any:
        lexicon = self.tables().lexicon
        for kind in ("official", "person", "institution", "place"):
            entry = lexicon.get(kind, entity_id)
            if entry is not None:
                return entry
        return None

    def reindex(self, progress: Progress | None = None) -> int:
        """Rebuild the index (and every derived field) from the stored raw documents."""
        self._use_current_lexicons()
        stems_before = analysis.stem_cache_size()
        with self.write_lock():
            staging = self.data_dir / "index.new"
            FullTextIndex.remove_dir(staging)
            fresh = FullTextIndex(staging)
            fresh.create()
            writer = fresh.writer()
            count = 0
            self.sources.begin()
            self.derived.clear()
            self.event_store.clear()
            self._stale_events.clear()
            try:
                for article_id, raw in self.sources.iter_raw():
                    article = Article(**{**clean(raw).__dict__, "id": article_id})
                    self.sources.update_cleaned(article)
                    writer.add_document(**self._document(article))
                    count += 1
                    if progress is not None:
                        progress(count)
                writer.commit()
                self._fix_event_fields(fresh)
                self._stamp_lexicon(rebuilt=True)
                self.derived.commit()
                self.event_store.commit()
                self.sources.set_meta("schema", SCHEMA_VERSION)
                self.sources.commit()
            except BaseException:
                _cancel(writer)
                self.derived.rollback()
                self.event_store.rollback()
                self._stale_events.clear()
                self.sources.rollback()
                FullTextIndex.remove_dir(staging)
                raise
            # Swap directories so a kill leaves either the old or the new index whole.
            old = self.data_dir / "index.old"
            FullTextIndex.remove_dir(old)
            if self.fulltext.directory.exists():
                self.fulltext.directory.rename(old)
            staging.rename(self.fulltext.directory)
            FullTextIndex.remove_dir(old)
            self.fulltext = FullTextIndex(self.data_dir / "index")
            self.fulltext.open()
            self._dirty_marker().unlink(missing_ok=True)
            self._save_stem_cache(stems_before)
        return count

    # -- reading --------------------------------------------------------------------------
    def search(self, query: str, limit: int = 20) -> SearchResults:
        total, hits = self.fulltext.search(query, limit, self.sources.texts)
        return SearchResults(query=query, total=total, hits=tuple(hits))

    def article(self, key: str) -> Article:
        """An article by id, by the path it came from, or by a seed's file name."""
        found = self.sources.article(key) or self.sources.article_by_path(key)
        if found is None and os.path.exists(key):
            found = self.sources.article_by_path(str(Path(key).resolve()))
        if found is None:
            found = self.sources.article_by_path(f"seeds/{key}")
        if found is None:
            raise NotFound(f"no article with id or path {key!r}")
        return found

    def articles(self, order: str = "date", limit: int | None = None) -> list[ArticleSummary]:
        return self.sources.summaries(order, limit)

    def count(self) -> int:
        return self.sources.count()

    def sources_of(self, article_id: str) -> list[str]:
        """Every path or URL an article arrived by: a story copied by several outlets, or
        imported twice, is stored once and remembers each of them."""
        return self.sources.paths_of(article_id)

    def article_extras(self, article_id: str) -> dict[str, list[Any]]:
        """`warta show --json`'s entities and events of an article."""
        return {
            "entities": [asdict(span) for span in self.spans(article_id)],
            "events": [event.event_id for event in self.events(article_id)],
        }

    # -- entities and events (filled by the NLP stages; empty until they have run) --------
    def spans(self, article_id: str) -> list[EntitySpan]:
        """The highlighted mentions of an article, in text order, never overlapping.

        Stored at import; found again with the current lexicons when those changed since
        (`lexicons_changed`), so what the reader shows is current before a reindex."""
        if self.lexicons_changed():
            return self._current_spans(article_id)
        return self.derived.spans(article_id)

    def _current_spans(self, article_id: str) -> list[EntitySpan]:
        found = self._fresh_spans.get(article_id)
        if found is None:
            article = self.sources.article(article_id)
            if article is None:
                return []
            found = self.extractor().extract(article.text, article.published, source=article.source)
            if len(self._fresh_spans) >= FRESH_SPANS_KEPT:
                del self._fresh_spans[next(iter(self._fresh_spans))]
            self._fresh_spans[article_id] = found
        return list(found)

    def entities(self, article_id: str | None = None) -> list[EntitySummary]:
        """Entities of one article (those `spans` gives), or of the whole corpus (as stored),
        most mentioned first."""
        if article_id is not None and self.lexicons_changed():
            spans = self._current_spans(article_id)
            return summarize((s.entity_id, s.name, s.kind, article_id) for s in spans)
        return self.derived.summaries(article_id)

    def entity(self, entity_id: str) -> EntityInfo:
        """The card of one entity; NotFound if no lexicon or article knows it."""
        entry = self._lexicon_entry(entity_id)
        if entry is not None:
            lexicon = self.tables().lexicon
            roles = []
            for spell in entry.roles:
                role = lexicon.get("role", spell.role)
                roles.append(
                    RoleInfo(
                        role=role.name if role is not None else spell.role,
                        of=self._of_name(spell.of),
                        start=spell.start,
                        end=spell.end,
                    )
                )
            return EntityInfo(
                entity_id=entry.id,
                name=entry.name,
                kind=entry.kind,
                country=entry.country,
                aliases=tuple(entry.aliases),
                roles=tuple(roles),
                listed=True,
            )
        label = self.derived.label(entity_id)
        if label is None:
            raise NotFound(f"no entity {entity_id!r}")
        return EntityInfo(entity_id, label[0], label[1], None, listed=False)

    def _of_name(self, of: str | None) -> str | None:
        if of is None:
            return None
        lexicon = self.tables().lexicon
        for place in lexicon.places:
            if place.type == "country" and place.country == of:
                return str(place.name)
        found = lexicon.get("institution", of) or lexicon.get("place", of)
        return found.name if found is not None else of

    def articles_naming(self, entity_id: str) -> list[ArticleSummary]:
        """Every article that names an entity, newest first."""
        found = []
        for article_id in self.derived.articles_naming(entity_id):
            a = self.sources.article(article_id)
            if a is not None:
                found.append(ArticleSummary(a.id, a.title, a.source, a.published, a.path))
        found.sort(key=lambda s: s.published or "", reverse=True)
        return found

    def events(self, article_id: str | None = None) -> list[Event]:
        """Events reported by one article, or all events in the corpus, by date."""
        return self.event_store.events(article_id)

    def related(self, article_id: str) -> list[RelatedArticle]:
        """Other articles linked to one: same event, then same participants, then entities."""
        return self.event_store.related(article_id, self._titles)

    def _titles(self, ids: list[str]) -> dict[str, str]:
        found = (self.sources.article(article_id) for article_id in ids)
        return {a.id: a.title for a in found if a is not None}

    # -- user state -----------------------------------------------------------------------
    def set_read(self, article_id: str, read: bool = True) -> None:
        self.user.set_read(article_id, read)

    def read_ids(self) -> set[str]:
        return self.user.read_ids()

    def set_bookmark(self, article_id: str, on: bool = True) -> None:
        self.user.set_bookmark(article_id, on)

    def bookmarks(self) -> list[str]:
        return self.user.bookmarks()

    def get_state(self, key: str) -> str | None:
        return self.user.get(key)

    def put_state(self, key: str, value: str) -> None:
        self.user.put(key, value)
