"""Provides the bundled YAML lexicons (package data)."""
