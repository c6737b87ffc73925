"""What the index needs per configured language (PostgreSQL only).

A GIN index on ``Entry.document`` per language, partial (``WHERE language
= 'en'``): the planner then answers "this language's entries that have
these words" from the index alone, even for a word that most articles have,
instead of reading every entry's vector. Languages come from settings, so
the indexes are made after every ``migrate`` (as the role groups are): a
language added later gets its index then.
"""

import re

from django.conf import settings
from django.db import connections

_CODE = re.compile(r"^[A-Za-z0-9_-]+$")


def index_name(language):
    return "library_search_entry_document_" + re.sub(r"\W", "_", language.lower())


def ensure_language_indexes(using="default", **kwargs):
    """Create the missing per-language indexes (nothing on other vendors)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if "library_search_entry" not in connection.introspection.table_names(cursor):
            return  # unapplied
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = %s",
            ["library_search_entry"],
        )
        existing = {row[0] for row in cursor.fetchall()}
        for code, _name in settings.LANGUAGES:
            if not _CODE.match(code) or index_name(code) in existing:
                continue
            name = connection.ops.quote_name(index_name(code))
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON library_search_entry"
                f" USING gin (document) WHERE language = '{code}'"
            )
