"""The public "due for review" notice of an article long past its review date.

``settings.REVIEW_OVERDUE_NOTICE_DAYS`` (None: off) is how many days after
its next-review date an article's page says that it is due for review.
Pages are stored, and time alone changes nothing stored: the daily
``refresh_overdue_pages`` command renders again the pages that were
rendered before their notice was due (``stale_pages``).
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from conditions.models import Publication

from ..models import Page


def notice_from(next_review_on):
    """Return the first day a page due on `next_review_on` shows the notice."""
    days = settings.REVIEW_OVERDUE_NOTICE_DAYS
    if days is None or next_review_on is None:
        return None
    return next_review_on + timedelta(days=days + 1)


def is_overdue(next_review_on, today=None):
    """Return True if a page due on `next_review_on` shows the notice today."""
    start = notice_from(next_review_on)
    return start is not None and (today or timezone.localdate()) >= start


def stale_pages(today=None, chunk=1000):
    """Yield (condition_id, language, slug, path) of stored article pages that
    miss their notice.

    That is: a live publication past its notice day whose stored page was
    rendered before that day. A fixed number of queries per `chunk` rows.
    """
    days = settings.REVIEW_OVERDUE_NOTICE_DAYS
    if days is None:
        return
    today = today or timezone.localdate()
    overdue = (
        Publication.objects.current()
        .filter(next_review_on__lte=today - timedelta(days=days + 1))
        .order_by("pk")
        .values_list("condition_id", "language", "slug", "next_review_on")
    )
    batch = []
    for row in overdue.iterator(chunk_size=chunk):
        batch.append(row)
        if len(batch) == chunk:
            yield from _stale(batch)
            batch = []
    yield from _stale(batch)


def _stale(rows):
    by_path = {
        Publication(language=language, slug=slug).get_absolute_url(): (
            condition_id,
            language,
            slug,
            notice_from(next_review_on),
        )
        for condition_id, language, slug, next_review_on in rows
    }
    for path, rendered_at in Page.objects.filter(path__in=by_path).values_list(
        "path", "rendered_at"
    ):
        condition_id, language, slug, start = by_path[path]
        if timezone.localdate(rendered_at) < start:
            yield condition_id, language, slug, path
