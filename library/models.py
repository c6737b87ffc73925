"""What the public side keeps: pages rendered from publications.

A ``Page`` is the response of one public address, rendered once (at
publication, or at the first request after it was invalidated) and served
as stored bytes. Its tags name what it shows (``condition:12``,
``az:es:a``…): a change to any of them deletes the page, and an
``Invalidation`` row records when, so that a page rendered from data that
changed meanwhile is never kept (see library/store.py).
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
