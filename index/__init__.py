"""Provides the headless core of Warta: readers, cleaning, NLP, events and the store."""

from .errors import LockBusy, NotFound, QueryError, WartaError
from .library import Library

__all__ = ["Library", "LockBusy", "NotFound", "QueryError", "WartaError"]
