"""Work queues: the dashboards of the condition list and the admin home."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import router
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext as _
from reversion.models import Version

from .. import roles
from ..models import Condition, Publication, ReviewRequest


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
    """Return the dashboards: {key: (label, queryset of conditions)}.

    Each is one query, however many articles and requests there are.
    """
    condition_type = ContentType.objects.get_for_model(Condition)
    # Four eyes: leave out what the user wrote or edited since the live
    # version (revisions after the base, up to the submitted one).
    edited_by_user = Version.objects.filter(
        db=router.db_for_write(Condition),
        content_type=condition_type,
        object_id=Cast(OuterRef("condition_id"), CharField()),
        revision_id__lte=OuterRef("revision_id"),
        revision_id__gt=Coalesce(OuterRef("base_revision_id"), Value(0)),
        revision__user=user,
    )
    awaiting = awaiting_review_by(user).exclude(Exists(edited_by_user))
    return {
        "awaiting_my_review": (
            _("Awaiting my review"),
            Condition.objects.filter(pk__in=awaiting.values("condition_id")),
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
