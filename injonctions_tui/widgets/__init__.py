"""Widgets the screens share, each carrying its own look (DEFAULT_CSS)."""
