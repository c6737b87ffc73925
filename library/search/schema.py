"""What the index needs per configured language (PostgreSQL only).

A GIN index on ``Entry.document`` per language, partial (``WHERE language
= 'en'``): the planner then answers "this language's entries that have
these words" from the index alone, even for a word that most articles have,
instead of reading every entry's vector. Languages come from settings, so
the indexes are made after every ``migrate`` (as the role groups are): a
language added later gets its index then.

Every GIN index of the search tables is made without ``fastupdate``: with
it, new entries wait in a pending list that each search reads through until
a vacuum merges it (a freshly published library of 1,300 articles searched
in 30 ms instead of 0.1 ms, and the planner, seeing the list, preferred to
read every row). Publishing is rare and writes a few entries; searches are
many.
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
            "SELECT c.relname, c.reloptions FROM pg_index i"
            " JOIN pg_class c ON c.oid = i.indexrelid"
            " WHERE i.indrelid = 'library_search_entry'::regclass"
        )
        existing = {name: options or [] for name, options in cursor.fetchall()}
        for code, _name in settings.LANGUAGES:
            if not _CODE.match(code):
                continue
            name = index_name(code)
            quoted = connection.ops.quote_name(name)
            if name not in existing:
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS {quoted} ON library_search_entry"
                    f" USING gin (document) WITH (fastupdate = off)"
                    f" WHERE language = '{code}'"
                )
            elif "fastupdate=off" not in existing[name]:
                cursor.execute(f"ALTER INDEX {quoted} SET (fastupdate = off)")
                cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [name])
