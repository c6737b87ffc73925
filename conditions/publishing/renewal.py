"""Renew the review dates of what readers see, without publishing new text.

A medical reviewer who re-confirms an unchanged article ("reviewed, no
changes") renews the byline of its live publications in every language:
who reviewed it, when, and when the next review is due. The text stays the
one approved before; the public side is told, as for a publication, so the
article's pages show the new dates at their next request.
"""

from django.db import transaction

from ..models import Condition, Publication, publication_changed


def renew_review(
    condition, *, reviewer_name, reviewer_credentials, reviewed_at, next_review_on
):
    """Set the review byline of every live publication of a condition.

    Returns the languages renewed. The only edit of a publication row
    besides ``is_current``: the approved text and its history stay as
    they were.
    """
    with transaction.atomic():
        Condition.objects.select_for_update().filter(pk=condition.pk).first()
        live = Publication.objects.current().filter(condition=condition)
        languages = sorted(live.values_list("language", flat=True))
        live.update(
            reviewer_name=reviewer_name,
            reviewer_credentials=reviewer_credentials,
            reviewed_at=reviewed_at,
            next_review_on=next_review_on,
        )
        if languages:
            publication_changed.send(
                sender=Publication, condition_id=condition.pk, languages=languages
            )
    return languages
