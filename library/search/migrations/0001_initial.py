"""The search index: its tables, and what each engine adds to them.

PostgreSQL: the unaccent and pg_trgm extensions; an accent-blind copy of
each of PostgreSQL's own text search configurations (library_search_<name>:
unaccent, then the language's stemmer, for words with non-ASCII letters), so
that "cancer" finds "cáncer" and highlights show the text as written; a GIN
index on the document vector and trigram indexes on the vocabulary.

SQLite: FTS5 tables over both tables (external content, kept in step by
triggers): words with diacritics removed and Porter stems, and trigrams of
the vocabulary. The other vendor's part does nothing.
"""

import django.contrib.postgres.search
from django.contrib.postgres.operations import CreateExtension
import django.db.models.deletion
from django.db import migrations, models


class Extension(CreateExtension):
    """Create a PostgreSQL extension (nothing on another vendor).

    Unapplying keeps it: another app may use it too.
    """

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass


POSTGRESQL_CONFIGURATIONS = """
DO $$
DECLARE
    cfg record;
    mapping record;
BEGIN
    FOR cfg IN
        SELECT cfgname FROM pg_ts_config
        WHERE cfgnamespace = 'pg_catalog'::regnamespace
    LOOP
        EXECUTE format(
            'CREATE TEXT SEARCH CONFIGURATION %I (COPY = pg_catalog.%I)',
            'library_search_' || cfg.cfgname, cfg.cfgname
        );
        FOR mapping IN
            SELECT t.alias,
                   string_agg(m.mapdict::regdictionary::text, ', '
                              ORDER BY m.mapseqno) AS dictionaries
            FROM pg_ts_config_map m
            JOIN ts_token_type('default') t ON t.tokid = m.maptokentype
            WHERE m.mapcfg = ('pg_catalog.' || quote_ident(cfg.cfgname))::regconfig
              AND t.alias IN ('word', 'hword', 'hword_part')
            GROUP BY t.alias
        LOOP
            EXECUTE format(
                'ALTER TEXT SEARCH CONFIGURATION %I ALTER MAPPING FOR %s '
                'WITH unaccent, %s',
                'library_search_' || cfg.cfgname, mapping.alias, mapping.dictionaries
            );
        END LOOP;
    END LOOP;
END $$;
"""

POSTGRESQL_DROP_CONFIGURATIONS = """
DO $$
DECLARE
    cfg record;
BEGIN
    FOR cfg IN
        SELECT cfgname FROM pg_ts_config WHERE cfgname LIKE 'library\\_search\\_%'
    LOOP
        EXECUTE format('DROP TEXT SEARCH CONFIGURATION %I', cfg.cfgname);
    END LOOP;
END $$;
"""

POSTGRESQL_INDEXES = [
    "CREATE INDEX library_search_entry_document ON library_search_entry "
    "USING gin (document)",
    "CREATE INDEX library_search_term_key_trgm ON library_search_term "
    "USING gin (key gin_trgm_ops)",
    "CREATE INDEX library_search_term_key_prefix ON library_search_term "
    "(language, kind, key varchar_pattern_ops)",
]


def postgresql_forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(POSTGRESQL_CONFIGURATIONS, params=None)
    for statement in POSTGRESQL_INDEXES:
        schema_editor.execute(statement)


def postgresql_backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in ("entry_document", "term_key_trgm", "term_key_prefix"):
        schema_editor.execute(f"DROP INDEX IF EXISTS library_search_{name}")
    schema_editor.execute(POSTGRESQL_DROP_CONFIGURATIONS, params=None)


#: table -> (FTS5 table, its columns, tokenizer)
SQLITE_FTS = {
    "library_search_entry": (
        "library_search_fts",
        ["title", "also_called", "summary", "body"],
        "porter unicode61 remove_diacritics 2",
    ),
    "library_search_term": ("library_search_term_fts", ["key"], "trigram"),
}


def sqlite_statements(table, fts, columns, tokenizer):
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
        f"CREATE TRIGGER {table}_au AFTER UPDATE ON {table} BEGIN "
        f"{delete} {insert} END",
    ]


def sqlite_forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for table, (fts, columns, tokenizer) in SQLITE_FTS.items():
        for statement in sqlite_statements(table, fts, columns, tokenizer):
            schema_editor.execute(statement)


def sqlite_backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for table, (fts, _columns, _tokenizer) in SQLITE_FTS.items():
        for suffix in ("ai", "ad", "au"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_{suffix}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {fts}")


class Migration(migrations.Migration):

    initial = True

    dependencies = []

    operations = [
        Extension("unaccent"),
        Extension("pg_trgm"),
        migrations.CreateModel(
            name='Entry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('condition_id', models.BigIntegerField(db_index=True, verbose_name='condition')),
                ('publication_id', models.BigIntegerField(verbose_name='publication')),
                ('language', models.CharField(max_length=10, verbose_name='language')),
                ('config', models.CharField(max_length=63)),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('letter', models.CharField(max_length=2)),
                ('url', models.CharField(max_length=500, verbose_name='address')),
                ('also_called', models.TextField(blank=True, verbose_name='also called')),
                ('summary', models.TextField(blank=True, verbose_name='summary')),
                ('body', models.TextField(blank=True, verbose_name='text')),
                ('published_at', models.DateTimeField(verbose_name='published')),
                ('document', django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
            ],
            options={
                'verbose_name': 'search entry',
                'verbose_name_plural': 'search entries',
                'indexes': [models.Index(fields=['language', 'letter'], name='library_sea_languag_b5bcf6_idx')],
                'constraints': [models.UniqueConstraint(fields=('condition_id', 'language'), name='library_search_one_entry_per_language')],
            },
        ),
        migrations.CreateModel(
            name='Term',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language', models.CharField(max_length=10, verbose_name='language')),
                ('kind', models.CharField(choices=[('title', 'title'), ('name', 'also called'), ('word', 'word')], max_length=5)),
                ('text', models.CharField(max_length=300)),
                ('key', models.CharField(max_length=300)),
                ('entry', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='terms', to='library_search.entry')),
            ],
            options={
                'indexes': [models.Index(fields=['language', 'kind', 'key'], name='library_sea_languag_eaa6e5_idx')],
            },
        ),
        migrations.RunPython(postgresql_forwards, postgresql_backwards),
        migrations.RunPython(sqlite_forwards, sqlite_backwards),
    ]
