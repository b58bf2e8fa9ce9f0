"""Provides the terminal front door of Warta: the Textual reader and the command line."""
