"""PostgreSQL: the vocabulary's trigram indexes become GiST, so that "did you
mean" asks for the nearest names and words (``ORDER BY key <-> …
LIMIT n``, a walk of the index) instead of computing the similarity of
every candidate; and the suggestions' GIN index loses its pending list
(see library/search/schema.py: searches are many, publications few)."""

from django.db import migrations

GIST = {
    "library_search_word_name_trgm": "name",
    "library_search_word_word_trgm": "word",
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index, kind in GIST.items():
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")
        schema_editor.execute(
            f"CREATE INDEX {index} ON library_search_word "
            f"USING gist (key gist_trgm_ops) WHERE kind = '{kind}'"
        )
    schema_editor.execute(
        "ALTER INDEX library_search_term_name_trgm SET (fastupdate = off)"
    )
    schema_editor.execute(
        "SELECT gin_clean_pending_list('library_search_term_name_trgm'::regclass)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index, kind in GIST.items():
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")
        schema_editor.execute(
            f"CREATE INDEX {index} ON library_search_word "
            f"USING gin (key gin_trgm_ops) WHERE kind = '{kind}'"
        )
    schema_editor.execute("ALTER INDEX library_search_term_name_trgm RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [("library_search", "0003_word")]

    operations = [migrations.RunPython(forwards, backwards)]
