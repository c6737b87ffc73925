"""PostgreSQL: a small vector of the title, names and summary (to rank many
matches without reading each text's vector), and trigram indexes on names
and on words apart, so that each lookup reads only its own kind. The GIN
index on the document becomes one per language (library/search/schema.py,
made after every migrate)."""

import django.contrib.postgres.search
from django.db import migrations

FILL_HEAD = """
UPDATE library_search_entry SET head =
    setweight(to_tsvector(config::regconfig, coalesce(title, '')), 'A')
    || setweight(to_tsvector(config::regconfig, coalesce(also_called, '')), 'B')
    || setweight(to_tsvector(config::regconfig, coalesce(summary, '')), 'C')
"""
INDEXES = [
    "CREATE INDEX library_search_term_name_trgm ON library_search_term "
    "USING gin (key gin_trgm_ops) WHERE kind IN ('title', 'name')",
    "CREATE INDEX library_search_term_word_trgm ON library_search_term "
    "USING gin (key gin_trgm_ops) WHERE kind = 'word'",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FILL_HEAD)
    schema_editor.execute("DROP INDEX IF EXISTS library_search_term_key_trgm")
    schema_editor.execute("DROP INDEX IF EXISTS library_search_entry_document")
    for statement in INDEXES:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in ("name_trgm", "word_trgm"):
        schema_editor.execute(f"DROP INDEX IF EXISTS library_search_term_{name}")
    schema_editor.execute(
        "CREATE INDEX library_search_term_key_trgm ON library_search_term "
        "USING gin (key gin_trgm_ops)"
    )
    schema_editor.execute(
        "CREATE INDEX library_search_entry_document ON library_search_entry "
        "USING gin (document)"
    )


class Migration(migrations.Migration):
    dependencies = [("library_search", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="entry",
            name="head",
            field=django.contrib.postgres.search.SearchVectorField(
                editable=False, null=True
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
