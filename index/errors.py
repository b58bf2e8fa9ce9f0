"""Provides the exceptions the core raises; the CLI and the reader turn them into messages."""

from __future__ import annotations


class WartaError(Exception):
    """Base of every error a user can be shown as one line."""


class NotFound(WartaError):
    """No article, entity or event has the given id or path."""


class QueryError(WartaError):
    """A search query could not be parsed."""


class LockBusy(WartaError):
    """Another process holds the write lock of the data directory."""


class InputError(WartaError):
    """An input file or record could not be read; the message says why."""
