"""Keep the search index in step with publications.

``update`` is the indexer of library/registry.INDEXERS: it runs inside the
publishing transaction (``publication_changed``) and replaces the rows of
the condition from its live publications, so an article published,
replaced, withdrawn or unpublished is found, or no longer found, as of the
same commit. It reads publications only: a draft is never indexed.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import connections, transaction
from django.db.models import F

from conditions.models import Publication

from ..pages.common import letter_of, url
from . import text
from .models import Entry, Term, Word

#: PostgreSQL: what each weight holds (ts_rank weighs A highest).
WEIGHTS = (("title", "A"), ("also_called", "B"), ("summary", "C"), ("body", "D"))
#: Words shorter than this are not offered as corrections.
MIN_WORD = 3


def configuration(language):
    """Return the accent-blind PostgreSQL text search configuration of a language.

    settings.SEARCH_CONFIGURATIONS maps a language to one of PostgreSQL's
    own configurations ("english", "spanish"; "simple" if it has none); the
    migration made an accent-blind copy of each, named library_search_<name>.
    """
    name = getattr(settings, "SEARCH_CONFIGURATIONS", {}).get(language, "simple")
    return f"library_search_{name}"


def update(condition_id, languages):
    """The indexer: replace the condition's rows from its live publications."""
    index([condition_id])


def index(condition_ids):
    """Replace the rows of these conditions from their live publications.

    A few queries whatever the number of conditions (callers batch them).
    """
    condition_ids = list(condition_ids)
    with transaction.atomic():
        old = Entry.objects.filter(condition_id__in=condition_ids)
        before = vocabulary(old.values("language", "title", "also_called", "summary"))
        old.delete()
        publications = (
            Publication.objects.current()
            .filter(condition_id__in=condition_ids)
            .only("id", "condition_id", "language", "slug", "snapshot", "published_at")
            .order_by("condition_id", "language")
        )
        entries = [_entry(publication) for publication in publications]
        if entries:
            Entry.objects.bulk_create(entries)
            Term.objects.bulk_create(
                term for entry in entries for term in _terms(entry)
            )
            if connections[Entry.objects.db].vendor == "postgresql":
                Entry.objects.filter(pk__in=[entry.pk for entry in entries]).update(
                    document=_vector(WEIGHTS), head=_vector(WEIGHTS[:3])
                )
        after = vocabulary(
            {
                "language": e.language,
                "title": e.title,
                "also_called": e.also_called,
                "summary": e.summary,
            }
            for e in entries
        )
        _count_words(before, after)
    return len(entries)


def rebuild(progress=None, batch_size=200):
    """Rebuild the whole index from the live publications, in one transaction.

    `progress(n)` is called after each batch of n conditions. Returns the
    number of entries written.
    """
    written = 0
    with transaction.atomic():
        Term.objects.all().delete()
        Entry.objects.all().delete()
        Word.objects.all().delete()
        ids = sorted(
            set(Publication.objects.current().values_list("condition_id", flat=True))
        )
        for start in range(0, len(ids), batch_size):
            batch = ids[start : start + batch_size]
            written += index(batch)
            if progress is not None:
                progress(len(batch))
        if connections[Entry.objects.db].vendor == "sqlite":
            # Resynchronise the FTS5 tables with their content tables too.
            with connections[Entry.objects.db].cursor() as cursor:
                for table in ("library_search_fts", "library_search_word_fts"):
                    cursor.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")
    return written


def conditions_to_index():
    """Return how many conditions have a live publication."""
    return Publication.objects.current().values("condition_id").distinct().count()


def _entry(publication):
    page = publication.snapshot
    language = publication.language
    body = " ".join(
        part
        for section in page.get("sections", [])
        for part in (text.clean(section.get("heading")), text.plain(section["html"]))
        if part
    )
    title = text.clean(page.get("title") or "")
    return Entry(
        condition_id=publication.condition_id,
        publication_id=publication.pk,
        language=language,
        config=configuration(language),
        title=title,
        letter=letter_of(title, language),
        url=url("article", language, slug=publication.slug),
        also_called="\n".join(
            text.clean(name) for name in page.get("also_called", []) if text.clean(name)
        ),
        summary=text.clean(page.get("summary") or ""),
        body=body,
        published_at=publication.published_at,
    )


def _terms(entry):
    """Return the entry's title and also-called names as Terms."""
    terms, seen = [], set()
    for kind, name in [
        (Term.Kind.TITLE, entry.title),
        *((Term.Kind.NAME, name) for name in entry.also_called.splitlines()),
    ]:
        name = name[:300]
        key = text.key(name)
        if key and (kind, key) not in seen:
            seen.add((kind, key))
            terms.append(
                Term(
                    entry=entry, language=entry.language, kind=kind, text=name, key=key
                )
            )
    return terms


def vocabulary(rows):
    """Return {(language, kind, key): [uses, text]} of entries (dicts).

    Each entry counts once for each of its names (title, also called) and
    each word of its names and summary.
    """
    found = {}
    for row in rows:
        own = {}
        names = [row["title"], *row["also_called"].splitlines()]
        for name in names:
            key = text.key(name[:300])
            if key:
                own.setdefault((Word.Kind.NAME, key), name[:300])
        for source in (*names, row["summary"]):
            for word in text.words(source):
                if len(word) >= MIN_WORD and not word.isdigit():
                    key = text.key(word)[:300]
                    own.setdefault((Word.Kind.WORD, key), word.casefold()[:300])
        for (kind, key), shown in own.items():
            counted = found.setdefault((row["language"], kind, key), [0, shown])
            counted[0] += 1
    return found


#: Add (or subtract) uses, one key at a time in key order.
COUNT = """
    INSERT INTO library_search_word (language, kind, key, text, uses)
    VALUES (%s, %s, %s, %s, %s)
    ON CONFLICT (language, kind, key)
    DO UPDATE SET uses = library_search_word.uses + excluded.uses
"""
FORGET = """
    DELETE FROM library_search_word
    WHERE language = %s AND kind = %s AND key = %s AND uses <= 0
"""


def _count_words(before, after):
    """Apply the difference of two vocabularies to the Word table."""
    changes = []
    for word in sorted(before.keys() | after.keys()):
        delta = after.get(word, [0])[0] - before.get(word, [0])[0]
        if delta:
            shown = (after.get(word) or before[word])[1]
            changes.append((*word, shown, delta))
    if not changes:
        return
    with connections[Word.objects.db].cursor() as cursor:
        cursor.executemany(COUNT, changes)
        gone = [change[:3] for change in changes if change[4] < 0]
        if gone:
            cursor.executemany(FORGET, gone)


def _vector(weights):
    vector = None
    for field, weight in weights:
        part = SearchVector(field, config=F("config"), weight=weight)
        vector = part if vector is None else vector + part
    return vector
