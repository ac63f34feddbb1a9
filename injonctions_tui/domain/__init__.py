"""The domain layer: models, legal rules, storage, documents, import/export.

It never imports Textual (an import-linter contract in the tests enforces it), so
every rule can be tested, scripted and benchmarked without a terminal.
"""
