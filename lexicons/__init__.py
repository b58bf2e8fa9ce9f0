"""Provides the loading and validation of the YAML lexicons."""

from .loader import check_lexicons, default_user_dir, load_lexicon
from .model import Entry, Lexicon, LexiconIssue, RoleSpell

__all__ = [
    "Entry",
    "Lexicon",
    "LexiconIssue",
    "RoleSpell",
    "check_lexicons",
    "default_user_dir",
    "load_lexicon",
]
