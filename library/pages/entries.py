"""The listings' index: one Entry per article and language, and its tags.

Listings (home, A to Z, categories) read ``Entry`` rows, never snapshots: a
letter page is one index range of (language, letter, sort key), a category
page one of (language, category, sort key), the newest articles one of
(language, published_at). ``index_entries`` keeps the rows in step with the
live publications, inside the publishing transaction (an *indexer* of
library/registry.py); ``listing_tags`` (a *tagger*) then names the listing
pages that showed the article before the change or show it after: the
letter and category pages it left and joined, the home page of the
language, and the A to Z index when its counts changed.
"""

from django.db.models.signals import post_delete, post_save
from django.db.transaction import on_commit

from conditions.models import Category, Publication

from .. import store
from ..models import Entry, EntryCategory
from .common import language_codes, letter_of, stored_sort_key

# ---------------------------------------------------------------- tags


def home_tag(language):
    """Return the tag of the home page of a language (newest, categories)."""
    return f"home:{language}"


def index_tag(language):
    """Return the tag of the A to Z index of a language (its counts)."""
    return f"az:{language}"


def letter_tag(language, letter):
    """Return the tag of the page of one letter."""
    return f"az:{language}:{letter}"


def letters_tag(language):
    """Return the tag of the pages that show which letters have articles."""
    return f"letters:{language}"


def category_tag(language, category_id):
    """Return the tag of every page of one category."""
    return f"category:{language}:{category_id}"


# ---------------------------------------------------------------- the indexer


def index_entries(condition_id, languages):
    """Bring the entries of an article in step with its live publications."""
    live = {
        row["language"]: row
        for row in Publication.objects.current()
        .filter(condition_id=condition_id, language__in=languages)
        .values(
            "language",
            "title",
            "slug",
            "summary",
            "published_at",
            "snapshot__categories",
        )
    }
    existing = {
        entry.language: entry
        for entry in Entry.objects.filter(
            condition_id=condition_id, language__in=languages
        )
    }
    for language in languages:
        entry = existing.get(language)
        publication = live.get(language)
        if entry is None and publication is None:
            continue
        if entry is None:
            entry = Entry(condition_id=condition_id, language=language)
        # Where it was listed until now (nowhere if it was not live).
        entry.previous_letter = entry.letter if entry.live and entry.pk else ""
        entry.previous_category_ids = (
            entry.category_ids if entry.live and entry.pk else []
        )
        if publication is None:
            entry.live = False
            entry.save()
            EntryCategory.objects.filter(entry=entry).delete()
            continue
        entry.live = True
        entry.title = publication["title"]
        entry.slug = publication["slug"]
        entry.summary = publication["summary"]
        entry.published_at = publication["published_at"]
        entry.letter = letter_of(entry.title, language)
        entry.sort_key = stored_sort_key(entry.title, language)
        entry.category_ids = _category_ids(publication["snapshot__categories"])
        entry.save()
        EntryCategory.objects.filter(entry=entry).delete()
        EntryCategory.objects.bulk_create(
            EntryCategory(
                entry=entry,
                category_id=category_id,
                language=language,
                sort_key=entry.sort_key,
            )
            for category_id in entry.category_ids
        )


def _category_ids(categories):
    """Return the ids of a snapshot's categories (older snapshots have none)."""
    ids = [category.get("id") for category in categories or []]
    return sorted({i for i in ids if i is not None})


# ---------------------------------------------------------------- the tagger


def listing_tags(condition_id, languages):
    """Return the tags of the listings that showed or show the article.

    Runs after index_entries: each entry holds where it is listed now and
    where it was before this change.
    """
    tags = set()
    for entry in Entry.objects.filter(
        condition_id=condition_id, language__in=languages
    ):
        language = entry.language
        letter = entry.letter if entry.live else ""
        categories = set(entry.category_ids) if entry.live else set()
        tags.add(home_tag(language))
        for listed in {letter, entry.previous_letter} - {""}:
            tags.add(letter_tag(language, listed))
        for category_id in categories | set(entry.previous_category_ids):
            tags.add(category_tag(language, category_id))
        if letter != entry.previous_letter:
            tags.add(index_tag(language))
            if _letters_changed(language, letter, entry.previous_letter):
                tags.add(letters_tag(language))
    return tags


def _letters_changed(language, joined, left):
    """Return True if a letter gained its first article or lost its last."""
    entries = Entry.objects.live().in_language(language)
    if joined and entries.filter(letter=joined).count() == 1:
        return True
    return bool(left) and not entries.filter(letter=left).exists()


# ---------------------------------------------------------------- categories


def on_category_changed(sender, instance, **kwargs):
    """Forget the pages that show a category's name or slug, when it changes."""
    tags = set()
    for language in language_codes():
        tags |= {category_tag(language, instance.pk), home_tag(language)}
    store.invalidate(tags)
    on_commit(lambda: store.invalidate(tags))


def connect():
    """Listen to category changes (names and slugs are read at render)."""
    for signal in (post_save, post_delete):
        signal.connect(
            on_category_changed, sender=Category, dispatch_uid="library.listings"
        )
