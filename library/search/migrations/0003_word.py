"""The vocabulary for "did you mean" in a table of its own, each name and
word once with the number of entries that use it (it was a row per entry
and word: a large library repeats a word thousands of times). Filled here
from the terms; the terms keep titles and names only (suggestions).

PostgreSQL: trigram indexes on the vocabulary, one per kind. SQLite: its
FTS5 trigram table moves from the terms to the vocabulary.
"""

from django.db import migrations, models

FILL = [
    "INSERT INTO library_search_word (language, kind, key, text, uses) "
    "SELECT language, 'name', key, min(text), count(DISTINCT entry_id) "
    "FROM library_search_term WHERE kind IN ('title', 'name') "
    "GROUP BY language, key",
    "INSERT INTO library_search_word (language, kind, key, text, uses) "
    "SELECT language, 'word', key, min(text), count(DISTINCT entry_id) "
    "FROM library_search_term WHERE kind = 'word' GROUP BY language, key",
    "DELETE FROM library_search_term WHERE kind = 'word'",
]

POSTGRESQL_INDEXES = [
    "CREATE INDEX library_search_word_name_trgm ON library_search_word "
    "USING gin (key gin_trgm_ops) WHERE kind = 'name'",
    "CREATE INDEX library_search_word_word_trgm ON library_search_word "
    "USING gin (key gin_trgm_ops) WHERE kind = 'word'",
]


def fts5(table, fts, columns, tokenizer):
    """Return the DDL of an external-content FTS5 table and its triggers."""
    names = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    insert = f"INSERT INTO {fts}(rowid, {names}) VALUES (new.id, {new});"
    delete = (
        f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.id, {old});"
    )
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5({names}, content='{table}', "
        f"content_rowid='id', tokenize='{tokenizer}')",
        f"CREATE TRIGGER {table}_ai AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER {table}_ad AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER {table}_au AFTER UPDATE OF {names} ON {table} BEGIN "
        f"{delete} {insert} END",
    ]


def drop_fts5(schema_editor, table, fts):
    for suffix in ("ai", "ad", "au"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_{suffix}")
    schema_editor.execute(f"DROP TABLE IF EXISTS {fts}")


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        drop_fts5(schema_editor, "library_search_term", "library_search_term_fts")
        for statement in fts5(
            "library_search_word", "library_search_word_fts", ["key"], "trigram"
        ):
            schema_editor.execute(statement)
    for statement in FILL:
        schema_editor.execute(statement)
    if vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS library_search_term_word_trgm")
        for statement in POSTGRESQL_INDEXES:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    # The vocabulary goes; the terms' words come back with
    # `rebuild_search_index` (with the code of 0002).
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        drop_fts5(schema_editor, "library_search_word", "library_search_word_fts")
        for statement in fts5(
            "library_search_term", "library_search_term_fts", ["key"], "trigram"
        ):
            schema_editor.execute(statement)
        schema_editor.execute(
            "INSERT INTO library_search_term_fts(library_search_term_fts) "
            "VALUES ('rebuild')"
        )
    if vendor == "postgresql":
        for kind in ("name", "word"):
            schema_editor.execute(f"DROP INDEX IF EXISTS library_search_word_{kind}_trgm")
        schema_editor.execute(
            "CREATE INDEX library_search_term_word_trgm ON library_search_term "
            "USING gin (key gin_trgm_ops) WHERE kind = 'word'"
        )


class Migration(migrations.Migration):
    dependencies = [("library_search", "0002_head_and_trigram_indexes")]

    operations = [
        migrations.CreateModel(
            name="Word",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("language", models.CharField(max_length=10, verbose_name="language")),
                (
                    "kind",
                    models.CharField(
                        choices=[("name", "name"), ("word", "word")], max_length=5
                    ),
                ),
                ("key", models.CharField(max_length=300)),
                ("text", models.CharField(max_length=300)),
                ("uses", models.IntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("language", "kind", "key"),
                        name="library_search_one_word",
                    )
                ],
            },
        ),
        migrations.AlterField(
            model_name="term",
            name="kind",
            field=models.CharField(
                choices=[("title", "title"), ("name", "also called")], max_length=5
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
