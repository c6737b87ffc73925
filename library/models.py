"""What the public side keeps: pages rendered from publications.

A ``Page`` is the response of one public address, rendered once (at
publication, or at the first request after it was invalidated) and served
as stored bytes. Its tags name what it shows (``condition:12``,
``az:es:a``…): a change to any of them deletes the page, and an
``Invalidation`` row records when, so that a page rendered from data that
changed meanwhile is never kept (see library/store.py).

An ``Entry`` is what listings show of a live article in one language (title,
summary, letter, categories), kept in step with publications so that every
listing page reads a few indexed rows (see library/pages/entries.py).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Page(models.Model):
    """The stored response of one public address."""

    path = models.CharField(_("address"), max_length=500, unique=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    content_type = models.CharField(max_length=100)
    body = models.BinaryField()
    etag = models.CharField(max_length=70)
    last_modified = models.DateTimeField()
    rendered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("rendered page")
        verbose_name_plural = _("rendered pages")

    def __str__(self):
        return self.path


class PageTag(models.Model):
    """One thing a page shows; invalidating the tag deletes the page."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="tags")
    tag = models.CharField(max_length=200, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page", "tag"], name="one_tag_per_page")
        ]

    def __str__(self):
        return self.tag


class Invalidation(models.Model):
    """A tag invalidated at a point in the sequence (id) of invalidations."""

    tag = models.CharField(max_length=200, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return f"{self.tag} #{self.pk}"


class EntryQuerySet(models.QuerySet):
    def live(self):
        """Return the entries of the articles readers can see now."""
        return self.filter(live=True)

    def in_language(self, language):
        return self.filter(language=language)


class Entry(models.Model):
    """One article in one language as listings show it (A to Z, categories).

    Kept in step with the live publication by the indexer
    (library/pages/entries.py), inside the publishing transaction, so that a
    listing is one indexed query whatever the size of the library. A row
    stays when its article leaves the site (``live`` false) and remembers
    where it was listed before its last change (``previous_letter``,
    ``previous_category_ids``): the listings it left are forgotten as
    precisely as the ones it joins.
    """

    condition = models.ForeignKey(
        "conditions.Condition",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("condition"),
    )
    language = models.CharField(_("language"), max_length=10)
    live = models.BooleanField(_("live"), default=True)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    #: The A–Z letter it is filed under ("#" for digits and signs).
    letter = models.CharField(_("letter"), max_length=4)
    #: Sorts as readers of the language expect, in any database collation.
    sort_key = models.CharField(max_length=1000)
    published_at = models.DateTimeField(_("published"))
    category_ids = models.JSONField(_("categories"), default=list)
    #: Where it was listed before its last change ("" and [] if nowhere).
    previous_letter = models.CharField(max_length=4, blank=True)
    previous_category_ids = models.JSONField(default=list)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("listing entry")
        verbose_name_plural = _("listing entries")
        constraints = [
            models.UniqueConstraint(
                fields=["condition", "language"], name="one_entry_per_language"
            )
        ]
        indexes = [
            models.Index(
                fields=["language", "letter", "sort_key"],
                condition=models.Q(live=True),
                name="entry_by_letter",
            ),
            models.Index(
                fields=["language", "-published_at"],
                condition=models.Q(live=True),
                name="entry_newest",
            ),
        ]

    def __str__(self):
        return f"{self.title} [{self.language}]"


class EntryCategory(models.Model):
    """A live entry's place in one of its categories (the category pages)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="places")
    category = models.ForeignKey(
        "conditions.Category", on_delete=models.CASCADE, related_name="+"
    )
    # Copied from the entry so that a category page is one index range.
    language = models.CharField(max_length=10)
    sort_key = models.CharField(max_length=1000)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "category"], name="one_place_per_category"
            )
        ]
        indexes = [
            models.Index(
                fields=["language", "category", "sort_key"],
                name="entry_by_category",
            )
        ]

    def __str__(self):
        return f"{self.entry} in {self.category_id}"
