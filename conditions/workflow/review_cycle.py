"""The review cycle: when an article is next due for medical review, and
re-confirming an unchanged article ("reviewed, no changes").

NHS England's standard asks for a clinical review at least every three
years: the site's default is ``settings.REVIEW_INTERVAL_DAYS``, an article
may set its own (``Condition.review_interval_days``).
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..fields import check_length
from ..models import Contributor, Publication, ReviewRequest
from ..publishing.renewal import renew_review
from ..translations import progress
from ..versioning import fingerprint, latest_revision
from . import checks
from .transitions import TransitionError, check, lock, transition


def review_interval(condition):
    """Return the time from one medical review of an article to the next."""
    days = condition.review_interval_days or settings.REVIEW_INTERVAL_DAYS
    return timedelta(days=days)


def next_review_date(condition, reviewed_at):
    """Return the date the next review is due after one made at `reviewed_at`."""
    return timezone.localdate(reviewed_at) + review_interval(condition)


def unchanged_live(condition):
    """Return the live source publication if the working copy still equals it.

    Raises TransitionError when nothing is live or when the source text (or
    anything language-neutral) changed since: that is a change to submit.
    """
    source = settings.SOURCE_LANGUAGE
    live = Publication.objects.live(condition, source)
    if live is None:
        raise TransitionError(_("Only a published article can be re-confirmed."))
    latest = latest_revision(condition)
    if latest is not None and latest.pk != live.revision_id:
        if fingerprint(latest, condition.pk, source) != fingerprint(
            live.revision, condition.pk, source
        ):
            raise TransitionError(
                _(
                    "The article was changed after its last approval: submit "
                    "the change for review instead."
                )
            )
    return live


def may_reconfirm(condition, *, user):
    """Return True if the user may re-confirm the article now."""
    try:
        _reconfirmation(condition, user=user, now=timezone.now())
    except (PermissionDenied, TransitionError):
        return False
    return True


def _reconfirmation(condition, *, user, now, comment=""):
    """Return the request recording a re-confirmation and the new byline.

    Raises PermissionDenied or TransitionError (with the publication checks'
    reasons) when the user may not re-confirm the article now.
    """
    request = ReviewRequest(
        condition=condition,
        language=settings.SOURCE_LANGUAGE,
        note=comment,
        submitted_by_id=user.pk,
    )
    check("reconfirm", condition=condition, user=user, request=request)
    live = unchanged_live(condition)
    contributor = _signature(user)
    byline = {
        "reviewer_name": contributor.name,
        "reviewer_credentials": contributor.credentials,
        "next_review_on": next_review_date(condition, now),
    }
    request.revision_id = request.base_revision_id = live.revision_id
    # What an approval must pass, a re-confirmation must pass too (an image
    # licence that ends before the new next review, say).
    checks.enforce(request, reviewer=user, next_review_on=byline["next_review_on"])
    return request, byline


def _signature(user):
    """Return the reviewer's contributor profile, which the page shows."""
    contributor = Contributor.objects.filter(user=user).first()
    if contributor is None or not contributor.credentials:
        raise TransitionError(
            _(
                "Your account has no contributor profile with credentials, "
                "which the public page shows: ask an editor to link one."
            )
        )
    return contributor


def reconfirm(condition, *, user, comment=""):
    """Record a medical review that found nothing to change; renew the dates.

    Recorded like an approval (a review request of the live revision,
    decided by the reviewer, with its audit entry); the live publications
    in every language then show the reviewer, today as "Last reviewed" and
    a new "Next review due". Four eyes does not apply: no text changes, and
    the text was approved by someone other than its writers before.
    """
    comment = comment.strip()
    try:
        check_length(ReviewRequest._meta.get_field("note"), comment)
    except ValidationError as error:
        raise TransitionError(" ".join(error.messages)) from None
    with transaction.atomic(), progress.batch():
        condition = lock(condition)
        now = timezone.now()
        request, byline = _reconfirmation(
            condition, user=user, now=now, comment=comment
        )
        # The dates first: the transition's audit entry stores the article's
        # publication checks again, which read them.
        renew_review(condition, reviewed_at=now, **byline)
        transition(
            "reconfirm",
            condition=condition,
            request=request,
            user=user,
            comment=comment,
            request_fields={"decided_by": user, "decided_at": now, **byline},
        )
    return request
