"""Provides the reader's screens: reading, the events timeline and help."""
