"""The review workflow's operations: what authors, reviewers and editors do.

Each operation runs in one transaction with the condition row locked; its
state changes go through ``transitions.transition()`` (which checks the
table and records an AuditEntry), and its notifications are sent after the
commit. Admin views, commands and tests call these functions.

    draft ──submit──▶ in review ──approve──▶ published (or scheduled ──▶ published)
      ▲                 │  │
      └──withdraw───────┘  └──request changes──▶ changes requested ──submit──▶ …
    published ──edit──▶ draft;  unpublish (editor, reason) ──▶ draft
    any ──archive──▶ archived ──restore──▶ draft
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from reversion.models import Revision

from .. import publishing
from ..fields import check_length
from ..models import Contributor, Publication, ReviewComment, ReviewRequest
from ..translations import progress
from ..versioning import fingerprint, latest_revision_id
from . import checks
from .notifications import notify_author, notify_reviewers
from .review_cycle import may_reconfirm, next_review_date
from .rules import can_approve, may_comment, may_review
from .transitions import (
    TRANSITIONS,
    State,
    Status,
    TransitionError,
    allowed,
    check,
    lock,
    lock_request,
    transition,
)


def _check_text(model, field, text):
    """Refuse (TransitionError) a note, comment or reason above its field's cap."""
    try:
        check_length(model._meta.get_field(field), text)
    except ValidationError as error:
        raise TransitionError(" ".join(error.messages)) from None


def submit(condition, *, user, note="", minor=False):
    """Submit the current revision of the working copy for medical review."""
    _check_text(ReviewRequest, "note", note)
    source = settings.SOURCE_LANGUAGE
    with transaction.atomic(), progress.batch():
        condition = lock(condition)
        request = ReviewRequest(
            condition=condition,
            note=note,
            minor=minor,
            submitted_by_id=user.pk,
            language=source,
        )
        check("submit", condition=condition, user=user, request=request)
        request.revision_id, request.base_revision_id = submission_revisions(condition)
        _supersede_pending(condition, source, user=user)
        transition(
            "submit", condition=condition, request=request, user=user, comment=note
        )
        transaction.on_commit(lambda: notify_reviewers(request))
    return request


def submission_revisions(condition):
    """Return (latest, live) revision ids a submission binds, or refuse it."""
    revision_id = latest_revision_id(condition.pk)
    if revision_id is None:
        raise TransitionError(_("Save the article before submitting it."))
    live = Publication.objects.live(condition, settings.SOURCE_LANGUAGE)
    live = live.revision_id if live else None
    if live is not None:
        revisions = Revision.objects.in_bulk([revision_id, live])
        language = settings.SOURCE_LANGUAGE
        if fingerprint(revisions[revision_id], condition.pk, language) == fingerprint(
            revisions[live], condition.pk, language
        ):
            # Only translations (or nothing) changed since the live version.
            raise TransitionError(_("Nothing to review: this is the live version."))
    return revision_id, live


def _supersede_pending(condition, language, *, user):
    """Replace the pending request in a language by a new submission."""
    for previous in condition.review_requests.pending().filter(language=language):
        transition("supersede", condition=condition, request=previous, user=user)


def pending_medical_request(condition):
    """Return the pending medical review request of a condition, or None."""
    return condition.review_requests.pending().medical().first()


def available(condition, *, user):
    """Return the names of the article's transitions the user may run now.

    The admin's panel offers a button for each, and only for these: the same
    checks as the operations themselves, so no button is ever refused.
    """
    names = []
    new_request = ReviewRequest(condition=condition, submitted_by_id=user.pk)
    if allowed("submit", condition=condition, user=user, request=new_request):
        try:
            submission_revisions(condition)
        except TransitionError:
            pass
        else:
            names.append("submit")
    pending = pending_medical_request(condition)
    if pending is not None and allowed(
        "withdraw", condition=condition, user=user, request=pending
    ):
        names.append("withdraw")
    if allowed("unpublish", condition=condition, user=user) and (
        Publication.objects.current().filter(condition=condition).exists()
    ):
        names.append("unpublish")
    if may_reconfirm(condition, user=user):
        names.append("reconfirm")
    names.extend(
        name
        for name in ("archive", "restore", "set_expiry")
        if allowed(name, condition=condition, user=user)
    )
    return names


def withdraw(request, *, user, comment=""):
    """Take a pending request back (its submitter or an editor)."""
    name = "withdraw_translation" if request.is_translation else "withdraw"
    # Refuse a stranger before anything is read under lock.
    if not TRANSITIONS[name].permission.allows(user, request):
        raise PermissionDenied(_("You do not have permission to do this."))
    with transaction.atomic(), progress.batch():
        condition = lock(request.condition)
        request = lock_request(request)
        if request.state != State.PENDING:
            raise TransitionError(_("Only a pending request can be withdrawn."))
        transition(
            name, condition=condition, request=request, user=user, comment=comment
        )
    return request


def comment(request, *, user, text, field_key="", field_label=""):
    """Add a comment to a request: overall, or on one field of the diff."""
    if not may_comment(request, user):
        raise PermissionDenied(_("You do not have permission to do this."))
    text = text.strip()
    if not text:
        raise TransitionError(_("A comment cannot be empty."))
    _check_text(ReviewComment, "text", text)
    return ReviewComment.objects.create(
        request=request,
        author=user,
        text=text,
        field_key=field_key,
        field_label=field_label,
    )


def request_changes(request, *, user, comment_text):
    """Return a pending request to its author with the reviewer's comment."""
    if not may_review(request, user):
        raise PermissionDenied(_("You do not have permission to do this."))
    if not comment_text.strip():
        raise TransitionError(_("Say what needs to change."))
    _check_text(ReviewComment, "text", comment_text)
    name = (
        "request_translation_changes" if request.is_translation else "request_changes"
    )
    with transaction.atomic(), progress.batch():
        condition = lock(request.condition)
        request = lock_request(request)
        if request.state != State.PENDING:
            raise TransitionError(_("This request is no longer awaiting review."))
        ReviewComment.objects.create(request=request, author=user, text=comment_text)
        transition(
            name,
            condition=condition,
            request=request,
            user=user,
            comment=comment_text,
            request_fields={"decided_by": user, "decided_at": timezone.now()},
        )
        transaction.on_commit(lambda: notify_author(request))
    return request


def approve(
    request,
    *,
    user,
    comment_text="",
    go_live_at=None,
    next_review_on=None,
    confirm_minor=False,
    reviewed_at=None,
    published_at=None,
):
    """Approve the exact submitted revision; publish it now or at go_live_at.

    For a change its author marked minor, `confirm_minor` is the medical
    reviewer's verdict: confirmed, translations stay up to date.
    `reviewed_at` is the date of a review made elsewhere (an import of
    reviewed content keeps it); by default, now. `published_at` is the date
    a publication restored from a backup first went live; by default, now.
    """
    if not may_review(request, user):
        raise PermissionDenied(_("You do not have permission to do this."))
    _check_text(ReviewComment, "text", comment_text)
    if request.is_translation:
        return _approve_translation(
            request, user=user, comment_text=comment_text, published_at=published_at
        )
    with transaction.atomic(), progress.batch():
        condition = lock(request.condition)
        request = lock_request(request)
        allowed, reason = can_approve(request, user)
        if not allowed:
            raise TransitionError(reason)
        now = timezone.now()
        contributor = Contributor.objects.get(user=user)
        if comment_text.strip():
            ReviewComment.objects.create(
                request=request, author=user, text=comment_text
            )
        decision = {
            "decided_by": user,
            "decided_at": reviewed_at or now,
            "reviewer_name": contributor.name,
            "reviewer_credentials": contributor.credentials,
            "minor_confirmed": request.minor and bool(confirm_minor),
            "go_live_at": go_live_at,
            "next_review_on": next_review_on
            or next_review_date(condition, reviewed_at or now),
        }
        checks.enforce(
            request, reviewer=user, next_review_on=decision["next_review_on"]
        )
        if go_live_at is not None and go_live_at > now:
            transition(
                "schedule",
                condition=condition,
                request=request,
                user=user,
                comment=comment_text,
                request_fields=decision,
            )
        else:
            for attribute, value in decision.items():
                setattr(request, attribute, value)
            publishing.publish(
                condition,
                revision=request.revision,
                user=user,
                review=request,
                published_at=published_at,
            )
            _supersede_older_approvals(request, condition, user=user)
            transition(
                "approve",
                condition=condition,
                request=request,
                user=user,
                comment=comment_text,
                request_fields=decision,
            )
        transaction.on_commit(lambda: notify_author(request))
    return request


def _approve_translation(request, *, user, comment_text="", published_at=None):
    with transaction.atomic(), progress.batch():
        condition = lock(request.condition)
        request = lock_request(request)
        allowed, reason = can_approve(request, user)
        if not allowed:
            raise TransitionError(reason)
        if comment_text.strip():
            ReviewComment.objects.create(
                request=request, author=user, text=comment_text
            )
        checks.enforce(request, reviewer=user)
        request.decided_by = user
        request.decided_at = timezone.now()
        publishing.publish_translation(
            condition,
            language=request.language,
            revision=request.revision,
            user=user,
            review=request,
            published_at=published_at,
        )
        transition(
            "publish_translation",
            condition=condition,
            request=request,
            user=user,
            comment=comment_text,
            request_fields={
                "decided_by": request.decided_by,
                "decided_at": request.decided_at,
            },
        )
        transaction.on_commit(lambda: notify_author(request))
    return request


def submit_translation(condition, *, language, user, note=""):
    """Submit the working copy's translation into `language` for review."""
    _check_text(ReviewRequest, "note", note)
    with transaction.atomic(), progress.batch():
        condition = lock(condition)
        request = ReviewRequest(
            condition=condition,
            language=language,
            note=note,
            submitted_by_id=user.pk,
        )
        check("submit_translation", condition=condition, user=user, request=request)
        if not Publication.objects.live(condition, settings.SOURCE_LANGUAGE):
            raise TransitionError(
                _("The article must be published in its source language first.")
            )
        revision_id = latest_revision_id(condition.pk)
        live = Publication.objects.live(condition, language)
        live = live.revision_id if live else None
        if revision_id is None or revision_id == live:
            raise TransitionError(_("Nothing to review: this is the live version."))
        if not (
            getattr(condition, f"title_{language}")
            and getattr(condition, f"slug_{language}")
        ):
            # It could not be published: refuse it now, not at approval.
            raise TransitionError(
                _("The translation needs a title and a slug before publishing.")
            )
        request.revision_id, request.base_revision_id = revision_id, live
        _supersede_pending(condition, language, user=user)
        transition(
            "submit_translation",
            condition=condition,
            request=request,
            user=user,
            comment=note,
        )
        transaction.on_commit(lambda: notify_reviewers(request))
    return request


def _supersede_older_approvals(request, condition, *, user):
    """Cancel scheduled approvals of revisions no newer than the one now live.

    Without this, an approval scheduled earlier would later replace the newer
    revision just published with older text.
    """
    older = ReviewRequest.objects.filter(
        condition=condition, state=State.APPROVED, revision_id__lte=request.revision_id
    ).exclude(pk=request.pk)
    for previous in older:
        transition("supersede", condition=condition, request=previous, user=user)


def note_edit(condition, *, user, comment=""):
    """Record that the working copy changed: a live article is a draft again.

    A pending request is not changed: it becomes stale (its revision is no
    longer the latest) and cannot be approved until resubmitted. A scheduled
    approval still goes live as approved; the edit is a new draft on top.
    """
    with transaction.atomic(), progress.batch():
        locked = lock(condition)
        if locked.status in TRANSITIONS["edit"].article:
            transition("edit", condition=condition, user=user, comment=comment)


def unpublish(condition, *, user, reason):
    """Take an article off the public site (editors), with a reason."""
    check("unpublish", condition=condition, user=user)
    if not reason.strip():
        raise TransitionError(_("Give a reason for unpublishing."))
    _check_text(Publication, "withdrawn_reason", reason)
    with transaction.atomic(), progress.batch():
        condition = lock(condition)
        if not Publication.objects.current().filter(condition=condition).exists():
            raise TransitionError(_("This article is not published."))
        publishing.unpublish(condition, reason=reason)
        _withdraw_requests(condition, [State.APPROVED], user=user, comment=reason)
        transition("unpublish", condition=condition, user=user, comment=reason)
    return condition


def _withdraw_requests(condition, states, *, user, comment):
    for request in condition.review_requests.filter(state__in=states):
        transition(
            "withdraw_request",
            condition=condition,
            request=request,
            user=user,
            comment=comment,
        )


def archive(condition, *, user, reason):
    """Archive an article (editors): unpublished first, and closed to review."""
    check("archive", condition=condition, user=user)
    if not reason.strip():
        raise TransitionError(_("Give a reason for archiving."))
    _check_text(Publication, "withdrawn_reason", reason)
    with transaction.atomic(), progress.batch():
        condition = lock(condition)
        check("archive", condition=condition, user=user)
        if Publication.objects.current().filter(condition=condition).exists():
            publishing.unpublish(condition, reason=reason)
        _withdraw_requests(
            condition, [State.PENDING, State.APPROVED], user=user, comment=reason
        )
        transition("archive", condition=condition, user=user, comment=reason)
    return condition


def restore(condition, *, user):
    """Bring an archived article back as a draft (editors)."""
    transition("restore", condition=condition, user=user)
    return condition


def set_expiry(condition, *, user, expire_at):
    """Set (or clear, with None) when the article leaves the public site."""
    transition(
        "set_expiry",
        condition=condition,
        user=user,
        comment=expire_at.isoformat() if expire_at else "",
        condition_fields={"expire_at": expire_at},
    )
    return condition


__all__ = [
    "Status",
    "State",
    "approve",
    "available",
    "archive",
    "comment",
    "note_edit",
    "pending_medical_request",
    "request_changes",
    "restore",
    "set_expiry",
    "submit",
    "submit_translation",
    "unpublish",
    "withdraw",
]
