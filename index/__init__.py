"""Provides the headless core of Warta: readers, cleaning, NLP, events and the store."""
