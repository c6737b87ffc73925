"""Work queues: the dashboards of the condition list and the admin home."""

from django.conf import settings
from django.utils.translation import gettext as _

from .. import roles
from ..models import Condition, Publication, ReviewRequest
from .rules import editors_of


def awaiting_review_by(user):
    """Return the pending requests the user may review (not their own)."""
    languages = roles.languages_for(user, roles.TRANSLATION_REVIEWERS)
    if user.has_perm("conditions.review_condition"):
        languages.append(settings.SOURCE_LANGUAGE)
    return (
        ReviewRequest.objects.pending()
        .filter(language__in=languages)
        .exclude(submitted_by=user)
    )


def work_queues(user):
    """Return the dashboards: {key: (label, queryset of conditions)}."""
    # Leave out what four-eyes forbids this user to approve (few rows).
    awaiting = [
        request.condition_id
        for request in awaiting_review_by(user).select_related("condition")
        if user.pk not in editors_of(request)
    ]
    return {
        "awaiting_my_review": (
            _("Awaiting my review"),
            Condition.objects.filter(pk__in=awaiting),
        ),
        "my_drafts": (_("My drafts"), Condition.objects.drafts_of(user)),
        "changes_requested": (
            _("Changes requested"),
            Condition.objects.with_changes_requested(),
        ),
        "recently_published": (
            _("Recently published"),
            Condition.objects.filter(
                pk__in=Publication.objects.current().recent().values("condition_id")
            ),
        ),
    }
