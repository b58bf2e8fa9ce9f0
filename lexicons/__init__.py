"""Provides the loading and validation of the YAML lexicons."""
