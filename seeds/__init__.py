"""Provides the five founding articles, shipped as the default corpus."""
