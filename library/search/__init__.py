"""Search in the reader's language (the app ``library_search``).

One interface (``service.py``) over two engines (``engines.py``):
PostgreSQL full-text search with each language's text search configuration
made accent-blind with ``unaccent`` and ``pg_trgm`` for misspellings, and
SQLite FTS5 (``remove_diacritics``) with a trigram table on the embedded
default. The index (``models.Entry``, ``models.Term``) holds one row per
live publication; ``indexer.py`` keeps it in step inside the publishing
transaction, so nothing a reader cannot read is ever found.
"""
