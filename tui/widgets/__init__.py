"""Provides the reader's widgets: the article list, the article view and the side panel."""
