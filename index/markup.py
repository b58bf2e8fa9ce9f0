"""Provides the HTML page and RSS/Atom feed readers: markup in, RawDocuments with metadata out."""

from __future__ import annotations

import email.utils
import logging
import re
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import lxml.etree
import lxml.html

from .clean import parse_published
from .models import RawDocument

# trafilatura and htmldate log every page they find thin at WARNING/ERROR; a bad page is
# reported by us once, as a skip, so their chatter would only drown the progress line.
for _name in ("trafilatura", "htmldate", "courlan", "justext"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)

# Markup whose text is never article text: code, styling, forms, embedded documents.
_NEVER_TEXT = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg",
               "form", "button", "select", "textarea", "head")  # fmt: skip
_BLOCKS = frozenset(
    ("p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
     "tr", "table", "section", "article", "header", "footer", "aside", "figure", "figcaption",
     "dd", "dt", "dl", "hr", "main")
)  # fmt: skip


@dataclass(frozen=True)
class Entry:
    """One article drawn from a markup container (a page, or one feed entry)."""

    key: str  # what the path's "#..." suffix holds; "" for a whole page
    doc_text: str
    title: str | None
    url: str | None
    date: str | None
    author: str | None
    source: str | None


def fragment_text(markup: str) -> str:
    """Plain text of an HTML fragment: scripts and styles out, a line a block, entities decoded."""
    if "<" not in markup and "&" not in markup:
        return markup.strip()
    try:
        root = lxml.html.fragment_fromstring(scrub_markup(markup), create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return ""
    return _tree_text(root)


def _tree_text(root: Any, *, page: bool = False) -> str:
    """One line per block of the tree's text; `page` also drops a page's chrome (navigation,
    header, footer, asides, comment sections), for when trafilatura found no article."""
    drop = [el for el in root.iter(*_NEVER_TEXT) if el is not root]
    if page:
        drop += [el for el in root.iter("nav", "header", "footer", "aside") if el is not root]
    for bad in drop:
        if bad.getparent() is not None:
            bad.drop_tree()
    if page:
        _drop_chrome(root)
    parts: list[str] = []

    def walk(el: Any) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _BLOCKS:
            parts.append("\n")
        if tag and el.text:
            parts.append(el.text.replace("\n", " "))
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail.replace("\n", " "))
        if tag in _BLOCKS:
            parts.append("\n")

    walk(root)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _drop_chrome(root: Any) -> None:
    """Remove blocks a page marks as related links, sharing or comments by class or id."""
    marked = [
        el
        for el in root.iter()
        if isinstance(el.tag, str)
        and (el.get("class") or el.get("id"))
        and _CHROME.search(f"{el.get('id', '')} {el.get('class', '')}")
        and el.tag not in ("html", "body", "main", "article")
    ]
    for el in marked:
        if el.getparent() is not None:
            el.drop_tree()


_CHROME = re.compile(r"comment|komentar|related|terkait|baca-?juga", re.I)
# Control characters are not allowed in XML text: lxml and trafilatura drop a whole page that
# carries one (raw or as a character reference such as &#x1b;), so they go before parsing.
_RAW_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CHAR_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?")


def _control_ref(m: re.Match[str]) -> str:
    code = int(m[1], 16) if m[1] else int(m[2])
    if code in (9, 10, 13) or (32 <= code < 127) or (160 <= code <= 0x10FFFF):
        return m[0]
    return ""


def scrub_markup(markup: str) -> str:
    """Markup without the control characters (raw or as character references) that make
    XML parsers give up on the whole document."""
    if "&#" in markup:
        markup = _CHAR_REF.sub(_control_ref, markup)
    return _RAW_CONTROL.sub("", markup)


# ----------------------------------------------------------------------------- pages

_META_KEYS = {
    "title": ("og:title", "twitter:title", "dc.title"),
    "author": ("author", "article:author", "dc.creator", "content_author", "byl"),
    "date": (
        "article:published_time", "og:published_time", "datepublished", "publishdate",
        "pubdate", "dc.date", "dc.date.issued", "content_publishdate", "date",
    ),
    "site": ("og:site_name", "application-name"),
    "url": ("og:url",),
}  # fmt: skip


def _meta(tree: Any) -> dict[str, str]:
    """The first value of each wanted meta tag (by name, property or itemprop), lower-cased keys."""
    found: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        value = " ".join((el.get("content") or "").split())
        if key and value and key not in found:
            found[key] = value
    for el in tree.iter("time"):
        value = (el.get("datetime") or "").strip()
        if value:
            found.setdefault("time", value)
            break
    for el in tree.iter("link"):
        if (el.get("rel") or "").lower() == "canonical" and el.get("href"):
            found.setdefault("canonical", el.get("href").strip())
            break
    return found


def _first(meta: dict[str, str], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        if meta.get(key):
            return meta[key]
    return None


def iso_date(value: str | None) -> str | None:
    """An ISO 8601 stamp from a date as pages and feeds write it, or None if it is not one.

    Indonesian publish lines ("Sabtu, 30 Jul 2022 11:28 WIB") and ISO go through the cleaner's
    parser; RFC 822 ("Sat, 30 Jul 2022 04:28:00 +0000") through the mail parser, offset kept.
    """
    if not value:
        return None
    value = " ".join(value.split())[:120]
    found = parse_published(value)
    if found is None and "T" in value:
        found = parse_published(value.split("T", 1)[0])
    if found is not None:
        return found
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None or not 1900 <= when.year <= 2200:
        return None
    if when.tzinfo is None:
        return (
            when.date().isoformat()
            if (when.hour, when.minute) == (0, 0)
            else (when.isoformat(timespec="minutes"))
        )
    return when.isoformat(timespec="minutes")


def _host(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


def _http_url(value: str | None) -> str | None:
    if value and value.lower().startswith(("http://", "https://")) and len(value) < 2000:
        return value
    return None


def read_page(markup: str) -> Entry | None:
    """The article of one saved web page, or None if it holds no article text."""
    import trafilatura

    try:
        tree = lxml.html.document_fromstring(scrub_markup(markup))
    except (lxml.etree.ParserError, ValueError):
        return None
    meta = _meta(tree)
    _drop_chrome(tree)
    try:
        # fast=True skips trafilatura's second-opinion extractors, halving the time per page.
        found = trafilatura.bare_extraction(
            tree,
            fast=True,
            include_comments=False,
            include_tables=False,
            with_metadata=True,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception:  # trafilatura raises assorted errors on odd trees; fall back to ours
        found = None
    text = getattr(found, "text", None) or ""
    if not text.strip():
        # Too thin for trafilatura's heuristics (a short page): take the body's text ourselves.
        body = tree.find("body")
        text = _tree_text(body, page=True) if body is not None else ""
    if not text.strip():
        return None

    title = getattr(found, "title", None) or _first(meta, _META_KEYS["title"])
    if not title:
        el = tree.find(".//title")
        title = " ".join(el.text_content().split()) if el is not None else None
    author = getattr(found, "author", None) or _first(meta, _META_KEYS["author"])
    url = _http_url(meta.get("canonical")) or _http_url(_first(meta, _META_KEYS["url"]))
    url = url or _http_url(getattr(found, "url", None))
    # The meta tag keeps the time and offset that trafilatura's date-only value drops.
    declared = iso_date(_first(meta, _META_KEYS["date"]) or meta.get("time"))
    extracted = iso_date(getattr(found, "date", None))
    date = declared if declared and (not extracted or declared[:10] == extracted) else extracted
    source = _host(url) or getattr(found, "sitename", None) or _first(meta, _META_KEYS["site"])
    return Entry("", text, title, url, date, author, source)


# ----------------------------------------------------------------------------- feeds

_FEED_ROOT = re.compile(r"<(?:rss|feed|rdf:rdf)[\s>]", re.IGNORECASE)


@dataclass(frozen=True)
class BadEntry:
    """A feed entry that cannot be an article, and why."""

    key: str
    reason: str


class FeedError(ValueError):
    """A file that claimed to be a feed but could not be read as one."""


def _entry_date(entry: Any) -> str | None:
    for key in ("published", "updated", "created", "dc_date"):
        found = iso_date(entry.get(key))
        if found:
            return found
    for key in ("published_parsed", "updated_parsed"):
        parsed = entry.get(key)
        if parsed:
            return time.strftime("%Y-%m-%dT%H:%M+00:00", parsed)
    return None


def _entry_text(entry: Any) -> str:
    # Full content when the feed carries it (content:encoded, Atom content), else the summary.
    bodies = [c.get("value") or "" for c in entry.get("content") or [] if isinstance(c, dict)]
    best = max(bodies, key=len, default="")
    summary = entry.get("summary") or ""
    return fragment_text(best if len(best) >= len(summary) else summary)


def read_feed(data: bytes) -> Iterator[Entry | BadEntry]:
    """The entries of an RSS or Atom feed, each an Entry or the reason it cannot be one."""
    import feedparser

    # Bytes, never a str: feedparser treats a str as a URL or a file name to open.
    parsed = feedparser.parse(data)
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        raise FeedError(f"not a readable RSS or Atom feed ({problem or 'no entries'})")
    feed_link = _http_url(parsed.feed.get("link"))
    found: list[Entry | BadEntry] = []
    with warnings.catch_warnings():
        # feedparser warns of its own updated/published key mapping on every lookup.
        warnings.simplefilter("ignore", DeprecationWarning)
        for n, entry in enumerate(parsed.entries, start=1):
            url = _http_url(entry.get("link"))
            key = str(entry.get("id") or url or n)
            text = _entry_text(entry)
            if not text.strip():
                found.append(BadEntry(key, "feed entry has no text"))
                continue
            found.append(
                Entry(
                    key=key,
                    doc_text=text,
                    title=fragment_text(entry.get("title") or "") or None,
                    url=url,
                    date=_entry_date(entry),
                    author=(entry.get("author") or "").strip() or None,
                    source=_host(url) or _host(feed_link),
                )
            )
    yield from found


def feed_root_at(head: str) -> int | None:
    """Where an RSS, Atom or RSS 1.0 root element opens in the start of a file, if it does."""
    found = _FEED_ROOT.search(head)
    return found.start() if found else None


def to_raw(entry: Entry, path: str, fmt: str) -> RawDocument:
    return RawDocument(
        path=path,
        text=entry.doc_text,
        title=entry.title,
        source=entry.source,
        url=entry.url,
        date=entry.date,
        author=entry.author,
        format=fmt,
    )
