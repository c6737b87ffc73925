"""The two engines behind one interface: PostgreSQL and SQLite FTS5.

Each answers, in one SQL query each:

- ``search(language, query, any_word, offset, limit)``: a page of hits in
  rank order and the total, with the title, the also-called names and a
  snippet marked between text.START and text.STOP;
- ``names(language, key)``: titles and also-called names close to a key
  (trigrams), for "did you mean": (text, key) rows;
- ``words(language, keys)``: words of the vocabulary close to each of the
  keys: (key asked, key, text, uses) rows.

Ranking: an article one of whose names (title or also-called) is exactly
what was typed (case, accents and punctuation aside) comes first; then
matches in the title rank above those in the also-called names, the summary
and the text: PostgreSQL weighs the document's A/B/C/D parts (``ts_rank``),
FTS5 its four columns (``bm25``).
"""

from dataclasses import dataclass

from django.db import connections, router

from . import text
from .indexer import configuration
from .models import Entry, Term, Word

#: ts_rank weights of D (text), C (summary), B (also called), A (title).
POSTGRESQL_WEIGHTS = [0.05, 0.2, 0.8, 1.0]
#: ts_rank normalization: 1 divides the rank by 1 + log(document length),
#: so a long text that repeats a word does not outrank a title.
POSTGRESQL_NORMALIZATION = 1
#: Up to this many matches, ts_rank reads each one's whole vector (the text
#: counts, with weight D); beyond, only its title, names and summary
#: (Entry.head, small), so that a query matching much of a large library
#: ranks in milliseconds. Matches in the text alone then rank alike.
FULL_RANK_LIMIT = 1000
#: bm25 weights of the columns title, also_called, summary, body.
FTS5_WEIGHTS = (10.0, 8.0, 2.0, 1.0)
#: Words of text around the matches in a snippet.
SNIPPET_WORDS = 28
#: Candidates fetched before they are scored in Python.
NAME_CANDIDATES = 40
WORD_CANDIDATES = 8


@dataclass
class Hit:
    entry_id: int
    condition_id: int
    title: str  # marked
    url: str
    also_called: str  # marked, one name a line
    snippet: str  # marked
    score: float


def engine():
    """Return the engine of the database that search reads from."""
    alias = router.db_for_read(Entry) or "default"
    connection = connections[alias]
    if connection.vendor == "postgresql":
        return PostgreSQL(connection)
    return SQLite(connection)


def _query_text(query):
    # Hyphens and slashes separate words (a reader types "Aarskog Scott" as
    # often as "Aarskog-Scott"); other signs are left to the parser.
    return " ".join(query.replace("-", " ").replace("/", " ").split())


class PostgreSQL:
    """Full-text search with each language's accent-blind configuration."""

    HEADLINE = f"StartSel={text.START}, StopSel={text.STOP}, HighlightAll=true"
    SNIPPET = (
        f"StartSel={text.START}, StopSel={text.STOP}, MaxFragments=2, "
        f"MaxWords={SNIPPET_WORDS}, MinWords={SNIPPET_WORDS // 2}, "
        f'FragmentDelimiter=" {text.ELLIPSIS} "'
    )

    def __init__(self, connection):
        self.connection = connection

    def search(self, language, query, *, any_word, offset, limit):
        # The tsquery is written out where it is used (not read from a CTE),
        # so that the planner sees it and uses the GIN index.
        tsquery = "plainto_tsquery(%(config)s::regconfig, %(query)s)"
        if any_word:
            tsquery = f"replace({tsquery}::text, ' & ', ' | ')::tsquery"
        sql = f"""
            WITH named AS (
                SELECT entry_id FROM library_search_term
                WHERE language = %(language)s AND kind IN (%(title)s, %(name)s)
                  AND key = %(key)s
            ), matches AS NOT MATERIALIZED (
                -- The articles with the words (the language's partial GIN
                -- index answers both conditions), and those with the typed
                -- name that lack them: its words may all be stop words
                -- ("AS", "ALL") or parse otherwise ("SD/THE").
                SELECT e.id, e.head, e.document FROM library_search_entry e
                WHERE numnode({tsquery}) > 0 AND e.language = %(language)s
                  AND e.document @@ {tsquery}
                UNION ALL
                SELECT e.id, e.head, e.document FROM library_search_entry e
                WHERE e.language = %(language)s
                  AND e.id IN (SELECT entry_id FROM named)
                  AND NOT (numnode({tsquery}) > 0 AND e.document @@ {tsquery})
            ), counted AS (
                SELECT count(*) AS total FROM matches
            ), hits AS (
                SELECT m.id, counted.total,
                       m.id IN (SELECT entry_id FROM named) AS named,
                       ts_rank(
                           %(weights)s::float4[],
                           CASE WHEN counted.total > %(full_rank_limit)s
                                THEN m.head ELSE m.document END,
                           {tsquery},
                           %(normalization)s
                       ) AS score
                FROM matches m CROSS JOIN counted
                ORDER BY named DESC, score DESC, m.id
                LIMIT %(limit)s OFFSET %(offset)s
            ), in_text AS (
                -- Any of the words, in the text (weight D).
                SELECT string_agg(quote_literal(lexeme) || ':D', ' | ')::tsquery
                       AS query
                FROM unnest(tsvector_to_array(
                    to_tsvector(%(config)s::regconfig, %(query)s))) AS lexeme
                WHERE strpos(lexeme, chr(92)) = 0  -- no backslash
            )
            SELECT e.id, e.condition_id, e.url, hits.score, hits.total,
                   ts_headline(e.config::regconfig, e.title, {tsquery},
                               %(headline)s),
                   ts_headline(e.config::regconfig, e.also_called, {tsquery},
                               %(headline)s),
                   -- The summary, or the text around the words when only
                   -- the text has them (the text is long: only then).
                   CASE WHEN strpos(summary.headline, %(start)s) = 0
                             AND (e.document @@ in_text.query OR e.summary = '')
                        THEN ts_headline(e.config::regconfig, e.body, {tsquery},
                                         %(snippet)s)
                        ELSE summary.headline END
            FROM hits
            JOIN library_search_entry e ON e.id = hits.id
            CROSS JOIN in_text
            CROSS JOIN LATERAL (
                SELECT ts_headline(e.config::regconfig, e.summary, {tsquery},
                                   %(headline)s) AS headline
            ) summary
            ORDER BY hits.named DESC, hits.score DESC, e.id
        """
        params = {
            "config": configuration(language),
            "query": _query_text(query),
            "language": language,
            "title": Term.Kind.TITLE,
            "name": Term.Kind.NAME,
            "key": text.key(query),
            "headline": self.HEADLINE,
            "snippet": self.SNIPPET,
            "start": text.START,
            "weights": POSTGRESQL_WEIGHTS,
            "normalization": POSTGRESQL_NORMALIZATION,
            "full_rank_limit": FULL_RANK_LIMIT,
            "limit": limit,
            "offset": offset,
        }
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        total = rows[0][4] if rows else 0
        return total, [
            Hit(
                entry_id=row[0],
                condition_id=row[1],
                url=row[2],
                score=row[3],
                title=row[5],
                also_called=row[6],
                snippet=row[7],
            )
            for row in rows
        ]

    def names(self, language, key):
        # The nearest names by trigram distance: a walk of the GiST index
        # (no other sort key, or the planner would sort every name).
        sql = """
            SELECT text, key FROM library_search_word
            WHERE language = %s AND kind = %s
            ORDER BY key <-> %s
            LIMIT %s
        """
        params = [language, Word.Kind.NAME, key, NAME_CANDIDATES]
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def words(self, language, keys):
        sql = """
            SELECT q.word, w.key, w.text, w.uses
            FROM unnest(%s::text[]) AS q(word)
            CROSS JOIN LATERAL (
                SELECT key, text, uses FROM library_search_word
                WHERE language = %s AND kind = %s
                ORDER BY key <-> q.word
                LIMIT %s
            ) w
        """
        params = [list(keys), language, Word.Kind.WORD, WORD_CANDIDATES]
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()


class SQLite:
    """FTS5: Porter stems of words without diacritics; trigrams for names."""

    def __init__(self, connection):
        self.connection = connection

    @staticmethod
    def match(query, any_word):
        """Return an FTS5 query: each typed chunk a phrase, AND (or OR) between.

        "Aarskog-Scott syndrome" → '"Aarskog-Scott" "syndrome"': the phrase
        matches "Aarskog Scott" too. Nothing the reader types is syntax.
        """
        phrases = [
            '"' + chunk.replace('"', '""') + '"'
            for chunk in query.split()
            if text.words(chunk)
        ]
        return (" OR " if any_word else " ").join(phrases)

    def search(self, language, query, *, any_word, offset, limit):
        match = self.match(query, any_word)
        if not match:
            return 0, []
        weights = ", ".join(str(w) for w in FTS5_WEIGHTS)
        marks = f"'{text.START}', '{text.STOP}'"
        sql = f"""
            WITH hits AS MATERIALIZED (
                SELECT rowid AS id, bm25(library_search_fts, {weights}) AS score
                FROM library_search_fts WHERE library_search_fts MATCH %s
            ), named AS (
                SELECT entry_id FROM library_search_term
                WHERE language = %s AND kind IN (%s, %s) AND key = %s
            ), page AS MATERIALIZED (
                SELECT hits.id, hits.score, count(*) OVER () AS total,
                       hits.id IN (SELECT entry_id FROM named) AS named
                FROM hits JOIN library_search_entry e ON e.id = hits.id
                WHERE e.language = %s
                ORDER BY named DESC, hits.score, hits.id
                LIMIT %s OFFSET %s
            )
            SELECT e.id, e.condition_id, e.url, page.score, page.total,
                   highlight(library_search_fts, 0, {marks}),
                   highlight(library_search_fts, 1, {marks}),
                   snippet(library_search_fts, 2, {marks}, '{text.ELLIPSIS}',
                           {SNIPPET_WORDS}),
                   snippet(library_search_fts, 3, {marks}, '{text.ELLIPSIS}',
                           {SNIPPET_WORDS})
            FROM page
            JOIN library_search_fts ON library_search_fts.rowid = page.id
            JOIN library_search_entry e ON e.id = page.id
            WHERE library_search_fts MATCH %s
            ORDER BY page.named DESC, page.score, page.id
        """
        params = [
            match,
            language,
            Term.Kind.TITLE,
            Term.Kind.NAME,
            text.key(query),
            language,
            limit,
            offset,
            match,
        ]
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        total = rows[0][4] if rows else 0
        hits = []
        for row in rows:
            summary, body = row[7], row[8]
            # The summary when it holds a match (or nothing else does), else
            # the text around the match.
            if text.has_match(summary) or not text.has_match(body):
                snippet = summary if summary else body
            else:
                snippet = body
            hits.append(
                Hit(
                    entry_id=row[0],
                    condition_id=row[1],
                    url=row[2],
                    score=-row[3],
                    title=row[5],
                    also_called=row[6],
                    snippet=snippet,
                )
            )
        return total, hits

    @staticmethod
    def trigrams(keys):
        """Return an FTS5 query matching any trigram of the keys."""
        grams = sorted(
            {k[i : i + 3] for k in keys for i in range(len(k) - 2)} - {"   "}
        )
        return " OR ".join('"' + g.replace('"', '""') + '"' for g in grams)

    def names(self, language, key):
        match = self.trigrams([key])
        if not match:
            return []
        sql = """
            WITH close AS MATERIALIZED (
                SELECT rowid AS id, rank FROM library_search_word_fts
                WHERE library_search_word_fts MATCH %s
            )
            SELECT w.text, w.key
            FROM close JOIN library_search_word w ON w.id = close.id
            WHERE w.language = %s AND w.kind = %s
            ORDER BY close.rank, length(w.key), w.key
            LIMIT %s
        """
        params = [match, language, Word.Kind.NAME, NAME_CANDIDATES]
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def words(self, language, keys):
        match = self.trigrams(keys)
        if not match:
            return []
        sql = """
            WITH close AS MATERIALIZED (
                SELECT rowid AS id, rank FROM library_search_word_fts
                WHERE library_search_word_fts MATCH %s
            )
            SELECT w.key, w.text, w.uses
            FROM close JOIN library_search_word w ON w.id = close.id
            WHERE w.language = %s AND w.kind = %s
            ORDER BY close.rank
            LIMIT %s
        """
        limit = WORD_CANDIDATES * 10 * len(keys)
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [match, language, Word.Kind.WORD, limit])
            rows = cursor.fetchall()
        # As PostgreSQL's: (query word, key, text, uses); the caller scores.
        return [(word, k, t, uses) for word in keys for (k, t, uses) in rows]
