"""Rules of review beyond the transition table: who may review, four eyes,
staleness."""

from django.conf import settings
from django.db.models import BooleanField, Case, F, OuterRef, Q, Subquery, When
from django.utils.translation import gettext as _
from reversion.models import Version

from .. import roles
from ..models import Contributor, ReviewRequest, RevisionFingerprint
from ..versioning import fingerprint, latest_revision


def may_review(request, user):
    """Return True if the user reviews requests in this request's language."""
    if request.is_translation:
        return request.language in roles.languages_for(
            user, roles.TRANSLATION_REVIEWERS
        )
    return user.has_perm("conditions.review_condition")


def editors_of(request):
    """Return the users who authored or edited the revisions under review."""
    versions = Version.objects.get_for_object(request.condition).filter(
        revision_id__lte=request.revision_id
    )
    if request.base_revision_id:
        versions = versions.filter(revision_id__gt=request.base_revision_id)
    users = set(versions.values_list("revision__user_id", flat=True))
    users.add(request.submitted_by_id)
    users.discard(None)
    return users


def is_stale(request):
    """Return True if what is under review changed after submission.

    Only this request's language counts (with the language-neutral content
    for the source): a translator saving Spanish does not make the English
    review stale.
    """
    latest = latest_revision(request.condition)
    if latest is None or latest.pk == request.revision_id:
        return False
    return fingerprint(latest, request.condition_id, request.language) != (
        fingerprint(request.revision, request.condition_id, request.language)
    )


def with_staleness(requests):
    """Annotate a queryset of requests with `stale`, in the same query.

    A pending request is stale when the fingerprint of its article's newest
    revision (in its language) differs from its own revision's.
    """
    fingerprints = RevisionFingerprint.objects.filter(
        condition_id=OuterRef("condition_id"), language=OuterRef("language")
    )
    return requests.annotate(
        latest_fingerprint=Subquery(
            fingerprints.order_by("-revision_id").values("value")[:1]
        ),
        own_fingerprint=Subquery(
            fingerprints.filter(revision_id=OuterRef("revision_id")).values("value")[:1]
        ),
        stale=Case(
            When(
                Q(state=ReviewRequest.State.PENDING)
                & ~Q(latest_fingerprint=F("own_fingerprint")),
                then=True,
            ),
            default=False,
            output_field=BooleanField(),
        ),
    )


def can_approve(request, user):
    """Return (allowed, reason) for the user approving this request now."""
    if not may_review(request, user):
        if request.is_translation:
            return False, _(
                "Only translation reviewers of this language can approve it."
            )
        return False, _("Only medical reviewers can approve changes.")
    if request.state != request.State.PENDING:
        return False, _("This request is no longer awaiting review.")
    if is_stale(request):
        return False, _(
            "The article was edited after it was submitted: the author must "
            "submit it again before it can be approved."
        )
    if user.pk in editors_of(request) and not settings.REVIEW_ALLOW_SELF_APPROVAL:
        return False, _("You cannot approve a change that you wrote or edited.")
    if request.is_translation:
        return True, ""
    contributor = Contributor.objects.filter(user=user).first()
    if contributor is None or not contributor.credentials:
        return False, _(
            "Your account has no contributor profile with credentials, which "
            "the public page shows: ask an editor to link one."
        )
    return True, ""


def may_comment(request, user):
    """Return True if the user may comment on a request."""
    if request.is_translation:
        writes = request.language in roles.languages_for(user, roles.TRANSLATORS)
    else:
        writes = user.has_perm("conditions.submit_condition")
    return may_review(request, user) or user.pk == request.submitted_by_id or writes
