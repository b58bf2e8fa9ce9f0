"""Provides the cleaning rules and word lists of the core (package data)."""
