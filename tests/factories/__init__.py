"""Fictional records the tests build on the real encrypted base."""
