"""The search index: one row per live publication, and its vocabulary.

Both are written only by ``indexer.py``, from publications (never from the
working copy), inside the publishing transaction.

Engine-specific parts live in the migration, not here:

- PostgreSQL: ``Entry.document`` is the weighted ``tsvector`` (A title, B
  also-called names, C summary, D text) in the row's accent-blind text
  search configuration (``config``), with a GIN index, and ``Entry.head``
  the same without the text (0002); ``Term.key`` has a trigram (``pg_trgm``)
  GIN index for suggestions, ``Word.key`` a GiST one per kind for "did you
  mean" (0004); per-language GIN indexes on the document (schema.py).
- SQLite: the FTS5 tables ``library_search_fts`` (over Entry) and
  ``library_search_word_fts`` (trigrams of ``Word.key``, 0003) are
  external-content tables kept in step by triggers on those tables. A migration that
  makes Django rebuild either table on SQLite (most ``AlterField``s do)
  drops those triggers: recreate them in the same migration (see 0001), then
  run ``rebuild_search_index``.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class Entry(models.Model):
    """What search knows of one live publication (a condition in a language)."""

    condition_id = models.BigIntegerField(_("condition"), db_index=True)
    publication_id = models.BigIntegerField(_("publication"))
    language = models.CharField(_("language"), max_length=10)
    #: The PostgreSQL text search configuration of the language.
    config = models.CharField(max_length=63)
    title = models.CharField(_("title"), max_length=200)
    #: The A–Z letter the title is filed under (for "browse A to Z" links).
    letter = models.CharField(max_length=2)
    url = models.CharField(_("address"), max_length=500)
    #: One name a line.
    also_called = models.TextField(_("also called"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    #: The sections' headings and text, without markup.
    body = models.TextField(_("text"), blank=True)
    published_at = models.DateTimeField(_("published"))
    #: PostgreSQL only (NULL elsewhere): the weighted tsvector of everything
    #: (matching, and ranking up to engines.FULL_RANK_LIMIT matches) and of
    #: the title, names and summary only (small: ranking of more matches).
    document = SearchVectorField(null=True, editable=False)
    head = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(
                fields=["condition_id", "language"],
                name="library_search_one_entry_per_language",
            )
        ]
        indexes = [models.Index(fields=["language", "letter"])]

    def __str__(self):
        return f"{self.title} [{self.language}]"


class Term(models.Model):
    """A title or also-called name of an entry: for suggestions, and to put
    the article whose name is exactly what was typed first."""

    class Kind(models.TextChoices):
        TITLE = "title", _("title")
        NAME = "name", _("also called")

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="terms")
    language = models.CharField(_("language"), max_length=10)
    kind = models.CharField(max_length=5, choices=Kind.choices)
    #: As written ("Diabetes tipo 2").
    text = models.CharField(max_length=300)
    #: Lower case, without accents or punctuation ("diabetes tipo 2").
    key = models.CharField(max_length=300)

    class Meta:
        indexes = [models.Index(fields=["language", "kind", "key"])]

    def __str__(self):
        return self.text


class Word(models.Model):
    """The vocabulary of a language, for "did you mean": each name (title or
    also called) and each word of the names and summaries of its live
    entries, once, with the number of entries that use it.

    The indexer adds and subtracts an entry's vocabulary as it replaces the
    entry, in one pass in key order (so that two publishing transactions
    never wait for each other in a cycle), and deletes what no entry uses
    any more: a withdrawn article's words leave with it.
    """

    class Kind(models.TextChoices):
        NAME = "name", _("name")
        WORD = "word", _("word")

    language = models.CharField(_("language"), max_length=10)
    kind = models.CharField(max_length=5, choices=Kind.choices)
    #: Lower case, without accents or punctuation.
    key = models.CharField(max_length=300)
    #: As first written (a name's capitals, a word's accents).
    text = models.CharField(max_length=300)
    uses = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["language", "kind", "key"], name="library_search_one_word"
            )
        ]

    def __str__(self):
        return self.text
