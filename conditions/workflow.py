"""The medical review workflow: every state change of an article goes through here.

Each transition checks the user's right and the current state, runs in one
transaction with the condition row locked, records an AuditEntry and queues
its notifications for after the commit. Admin views, commands and tests call
these functions; nothing else sets a status.

    draft ──submit──▶ in review ──approve──▶ published (or scheduled ──▶ published)
      ▲                 │  │
      └──withdraw───────┘  └──request changes──▶ changes requested ──submit──▶ …
    published ──unpublish (editor, reason)──▶ draft ──archive──▶ archived
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from reversion.models import Revision, Version

from . import publishing, translations
from .models import (
    AuditEntry,
    Condition,
    Contributor,
    Publication,
    ReviewComment,
    ReviewRequest,
)

Status = Condition.Status
State = ReviewRequest.State

#: How long an approved article may go before its next review, by default.
DEFAULT_REVIEW_INTERVAL = timedelta(days=getattr(settings, "REVIEW_INTERVAL_DAYS", 365))


class TransitionError(Exception):
    """The transition is not possible in the current state."""


def _require(user, permission):
    if not user.has_perm(f"conditions.{permission}"):
        raise PermissionDenied(_("You do not have permission to do this."))


def may_review(request, user):
    """Return True if the user reviews requests in this request's language."""
    if request.is_translation:
        return request.language in translations.languages_for(
            user, "Translation reviewers"
        )
    return user.has_perm("conditions.review_condition")


def _require_reviewer(request, user):
    if not may_review(request, user):
        raise PermissionDenied(_("You do not have permission to do this."))


def _lock(condition):
    """Return the condition re-read with its row locked until commit."""
    return Condition.objects.select_for_update().get(pk=condition.pk)


def _set_status(condition, status):
    # An UPDATE of one column: never overwrites a concurrent content edit.
    Condition.objects.filter(pk=condition.pk).update(status=status)
    condition.status = status


def _audit(condition, *, user, action, from_state, to_state, comment="", request=None):
    return AuditEntry.objects.create(
        condition=condition,
        condition_title=str(condition),
        request=request,
        actor=user,
        action=action,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
    )


def live_revision_id(condition):
    """Return the revision id of the live source-language publication, or None."""
    return (
        Publication.objects.current()
        .filter(condition=condition, language=settings.SOURCE_LANGUAGE)
        .values_list("revision_id", flat=True)
        .first()
    )


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


def can_approve(request, user):
    """Return (allowed, reason) for the user approving this request now."""
    if not may_review(request, user):
        if request.is_translation:
            return False, _(
                "Only translation reviewers of this language can approve it."
            )
        return False, _("Only medical reviewers can approve changes.")
    if request.state != State.PENDING:
        return False, _("This request is no longer awaiting review.")
    if request.is_stale:
        return False, _(
            "The article was edited after it was submitted: the author must "
            "submit it again before it can be approved."
        )
    if user.pk in editors_of(request) and not getattr(
        settings, "REVIEW_ALLOW_SELF_APPROVAL", False
    ):
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


def _supersede_pending(condition, language, *, user):
    """Replace the pending request in a language by a new submission."""
    for previous in condition.review_requests.pending().filter(language=language):
        previous.state = State.SUPERSEDED
        previous.save(update_fields=["state"])
        _audit(
            condition,
            user=user,
            action="superseded",
            from_state=State.PENDING,
            to_state=State.SUPERSEDED,
            request=previous,
        )


def submit(condition, *, user, note="", minor=False):
    """Submit the current revision of the working copy for medical review."""
    _require(user, "submit_condition")
    with transaction.atomic():
        condition = _lock(condition)
        if condition.status == Status.ARCHIVED:
            raise TransitionError(_("An archived article cannot be submitted."))
        revision_id = publishing.latest_revision_id(condition.pk)
        if revision_id is None:
            raise TransitionError(_("Save the article before submitting it."))
        live = live_revision_id(condition)
        if live is not None and publishing.fingerprint(
            Revision.objects.get(pk=revision_id), condition.pk, settings.SOURCE_LANGUAGE
        ) == publishing.fingerprint(
            Revision.objects.get(pk=live), condition.pk, settings.SOURCE_LANGUAGE
        ):
            # Only translations (or nothing) changed since the live version.
            raise TransitionError(_("Nothing to review: this is the live version."))
        _supersede_pending(condition, settings.SOURCE_LANGUAGE, user=user)
        request = ReviewRequest.objects.create(
            condition=condition,
            revision_id=revision_id,
            base_revision_id=live,
            note=note,
            minor=minor,
            submitted_by=user,
        )
        from_status = condition.status
        _set_status(condition, Status.IN_REVIEW)
        _audit(
            condition,
            user=user,
            action="submitted",
            from_state=from_status,
            to_state=Status.IN_REVIEW,
            comment=note,
            request=request,
        )
        transaction.on_commit(lambda: _notify_reviewers(request))
    return request


def withdraw(request, *, user, comment=""):
    """Take a pending request back (its submitter or an editor)."""
    if user.pk != request.submitted_by_id:
        _require(user, "unpublish_condition")
    with transaction.atomic():
        condition = _lock(request.condition)
        request = ReviewRequest.objects.select_for_update().get(pk=request.pk)
        if request.state != State.PENDING:
            raise TransitionError(_("Only a pending request can be withdrawn."))
        request.state = State.WITHDRAWN
        request.save(update_fields=["state"])
        if request.is_translation:
            from_state, to_state = State.PENDING, State.WITHDRAWN
        else:
            from_state, to_state = Status.IN_REVIEW, Status.DRAFT
            _set_status(condition, Status.DRAFT)
        _audit(
            condition,
            user=user,
            action="withdrawn",
            from_state=from_state,
            to_state=to_state,
            comment=comment,
            request=request,
        )
    return request


def comment(request, *, user, text, field_key="", field_label=""):
    """Add a comment to a request: overall, or on one field of the diff."""
    if request.is_translation:
        writes = request.language in translations.languages_for(user, "Translators")
    else:
        writes = user.has_perm("conditions.submit_condition")
    if not (may_review(request, user) or user.pk == request.submitted_by_id or writes):
        raise PermissionDenied(_("You do not have permission to do this."))
    text = text.strip()
    if not text:
        raise TransitionError(_("A comment cannot be empty."))
    return ReviewComment.objects.create(
        request=request,
        author=user,
        text=text,
        field_key=field_key,
        field_label=field_label,
    )


def request_changes(request, *, user, comment_text):
    """Return a pending request to its author with the reviewer's comment."""
    _require_reviewer(request, user)
    if not comment_text.strip():
        raise TransitionError(_("Say what needs to change."))
    with transaction.atomic():
        condition = _lock(request.condition)
        request = ReviewRequest.objects.select_for_update().get(pk=request.pk)
        if request.state != State.PENDING:
            raise TransitionError(_("This request is no longer awaiting review."))
        ReviewComment.objects.create(request=request, author=user, text=comment_text)
        request.state = State.CHANGES_REQUESTED
        request.decided_by = user
        request.decided_at = timezone.now()
        request.save(update_fields=["state", "decided_by", "decided_at"])
        if request.is_translation:
            from_state, to_state = State.PENDING, State.CHANGES_REQUESTED
        else:
            from_state, to_state = Status.IN_REVIEW, Status.CHANGES_REQUESTED
            _set_status(condition, Status.CHANGES_REQUESTED)
        _audit(
            condition,
            user=user,
            action="changes_requested",
            from_state=from_state,
            to_state=to_state,
            comment=comment_text,
            request=request,
        )
        transaction.on_commit(lambda: _notify_author(request))
    return request


def approve(
    request,
    *,
    user,
    comment_text="",
    go_live_at=None,
    next_review_on=None,
    confirm_minor=False,
):
    """Approve the exact submitted revision; publish it now or at go_live_at.

    For a change its author marked minor, `confirm_minor` is the medical
    reviewer's verdict: confirmed, translations stay up to date.
    """
    _require_reviewer(request, user)
    if request.is_translation:
        return _approve_translation(request, user=user, comment_text=comment_text)
    with transaction.atomic():
        condition = _lock(request.condition)
        request = ReviewRequest.objects.select_for_update().get(pk=request.pk)
        allowed, reason = can_approve(request, user)
        if not allowed:
            raise TransitionError(reason)
        now = timezone.now()
        contributor = Contributor.objects.get(user=user)
        if comment_text.strip():
            ReviewComment.objects.create(
                request=request, author=user, text=comment_text
            )
        request.decided_by = user
        request.decided_at = now
        request.reviewer_name = contributor.name
        request.reviewer_credentials = contributor.credentials
        request.minor_confirmed = request.minor and bool(confirm_minor)
        request.go_live_at = go_live_at
        request.next_review_on = (
            next_review_on or (now + DEFAULT_REVIEW_INTERVAL).date()
        )
        scheduled = go_live_at is not None and go_live_at > now
        request.state = State.APPROVED if scheduled else State.PUBLISHED
        request.save()
        from_status = condition.status
        if scheduled:
            _set_status(condition, Status.SCHEDULED)
            action = "approved_scheduled"
        else:
            _publish(request, condition, user=user)
            action = "approved_published"
        _audit(
            condition,
            user=user,
            action=action,
            from_state=from_status,
            to_state=condition.status,
            comment=comment_text,
            request=request,
        )
        transaction.on_commit(lambda: _notify_author(request))
    return request


def _approve_translation(request, *, user, comment_text=""):
    with transaction.atomic():
        condition = _lock(request.condition)
        request = ReviewRequest.objects.select_for_update().get(pk=request.pk)
        allowed, reason = can_approve(request, user)
        if not allowed:
            raise TransitionError(reason)
        if comment_text.strip():
            ReviewComment.objects.create(
                request=request, author=user, text=comment_text
            )
        request.decided_by = user
        request.decided_at = timezone.now()
        request.state = State.PUBLISHED
        request.save(update_fields=["decided_by", "decided_at", "state"])
        publishing.publish_translation(
            condition,
            language=request.language,
            revision=request.revision,
            user=user,
            review=request,
        )
        _audit(
            condition,
            user=user,
            action="translation_published",
            from_state=State.PENDING,
            to_state=State.PUBLISHED,
            comment=comment_text,
            request=request,
        )
        transaction.on_commit(lambda: _notify_author(request))
    return request


def submit_translation(condition, *, language, user, note=""):
    """Submit the working copy's translation into `language` for review."""
    translations.require_language(user, language, "Translators")
    with transaction.atomic():
        condition = _lock(condition)
        if not translations.live_source(condition):
            raise TransitionError(
                _("The article must be published in its source language first.")
            )
        revision_id = publishing.latest_revision_id(condition.pk)
        live = (
            Publication.objects.current()
            .filter(condition=condition, language=language)
            .values_list("revision_id", flat=True)
            .first()
        )
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
        _supersede_pending(condition, language, user=user)
        request = ReviewRequest.objects.create(
            condition=condition,
            language=language,
            revision_id=revision_id,
            base_revision_id=live,
            note=note,
            submitted_by=user,
        )
        _audit(
            condition,
            user=user,
            action="translation_submitted",
            from_state="",
            to_state=State.PENDING,
            comment=note,
            request=request,
        )
        transaction.on_commit(lambda: _notify_reviewers(request))
    return request


def _publish(request, condition, *, user):
    publishing.publish(condition, revision=request.revision, user=user, review=request)
    _supersede_older_approvals(request, condition, user=user)
    _set_status(condition, Status.PUBLISHED)


def _supersede_older_approvals(request, condition, *, user):
    """Cancel scheduled approvals of revisions no newer than the one now live.

    Without this, an approval scheduled earlier would later replace the newer
    revision just published with older text.
    """
    older = ReviewRequest.objects.filter(
        condition=condition, state=State.APPROVED, revision_id__lte=request.revision_id
    ).exclude(pk=request.pk)
    for previous in older:
        previous.state = State.SUPERSEDED
        previous.save(update_fields=["state"])
        _audit(
            condition,
            user=user,
            action="superseded",
            from_state=State.APPROVED,
            to_state=State.SUPERSEDED,
            request=previous,
        )


def note_edit(condition):
    """Record that the working copy changed: it is a draft again.

    A pending request is not changed: it becomes stale (its revision is no
    longer the latest) and cannot be approved until resubmitted.
    """
    if condition.status in (Status.PUBLISHED, Status.SCHEDULED):
        # A scheduled approval still goes live as approved; the new edit is
        # a new draft on top of it.
        _set_status(condition, Status.DRAFT)


def unpublish(condition, *, user, reason):
    """Take an article off the public site (editors), with a reason."""
    _require(user, "unpublish_condition")
    if not reason.strip():
        raise TransitionError(_("Give a reason for unpublishing."))
    with transaction.atomic():
        condition = _lock(condition)
        if not Publication.objects.current().filter(condition=condition).exists():
            raise TransitionError(_("This article is not published."))
        from_status = condition.status
        publishing.unpublish(condition, reason=reason)
        ReviewRequest.objects.filter(condition=condition, state=State.APPROVED).update(
            state=State.WITHDRAWN
        )
        # A review in progress (or returned to its author) stays as it is.
        if from_status in (Status.PUBLISHED, Status.SCHEDULED):
            _set_status(condition, Status.DRAFT)
        _audit(
            condition,
            user=user,
            action="unpublished",
            from_state=from_status,
            to_state=condition.status,
            comment=reason,
        )
    return condition


def archive(condition, *, user, reason):
    """Archive an article (editors): unpublished first, and closed to review."""
    _require(user, "unpublish_condition")
    if not reason.strip():
        raise TransitionError(_("Give a reason for archiving."))
    with transaction.atomic():
        condition = _lock(condition)
        if condition.status == Status.ARCHIVED:
            raise TransitionError(_("This article is already archived."))
        from_status = condition.status
        if Publication.objects.current().filter(condition=condition).exists():
            publishing.unpublish(condition, reason=reason)
        ReviewRequest.objects.filter(
            condition=condition, state__in=[State.PENDING, State.APPROVED]
        ).update(state=State.WITHDRAWN)
        _set_status(condition, Status.ARCHIVED)
        _audit(
            condition,
            user=user,
            action="archived",
            from_state=from_status,
            to_state=Status.ARCHIVED,
            comment=reason,
        )
    return condition


def restore(condition, *, user):
    """Bring an archived article back as a draft (editors)."""
    _require(user, "unpublish_condition")
    with transaction.atomic():
        condition = _lock(condition)
        if condition.status != Status.ARCHIVED:
            raise TransitionError(_("Only an archived article can be restored."))
        _set_status(condition, Status.DRAFT)
        _audit(
            condition,
            user=user,
            action="restored",
            from_state=Status.ARCHIVED,
            to_state=Status.DRAFT,
        )
    return condition


def set_expiry(condition, *, user, expire_at):
    """Set (or clear, with None) when the article leaves the public site."""
    _require(user, "schedule_condition")
    with transaction.atomic():
        condition = _lock(condition)
        Condition.objects.filter(pk=condition.pk).update(expire_at=expire_at)
        condition.expire_at = expire_at
        _audit(
            condition,
            user=user,
            action="expiry_set",
            from_state=condition.status,
            to_state=condition.status,
            comment=expire_at.isoformat() if expire_at else "",
        )
    return condition


def publish_scheduled(now=None):
    """Apply due go-live and expiry times; safe to run concurrently and often.

    Returns (published requests, expired conditions).
    """
    now = now or timezone.now()
    published, expired = [], []
    # Newest revision first: it supersedes older approvals due in the same run.
    due = ReviewRequest.objects.due_to_go_live(now).order_by("-revision_id")
    for pk, condition_id in due.values_list("pk", "condition_id"):
        with transaction.atomic():
            # The condition first, then the request, as every transition
            # locks them: concurrent runs and transitions queue up in that
            # order instead of deadlocking.
            condition = (
                Condition.objects.select_for_update().filter(pk=condition_id).first()
            )
            request = (
                # of=self: PostgreSQL refuses FOR UPDATE on the nullable side
                # of the outer join to decided_by.
                ReviewRequest.objects.select_for_update(of=("self",))
                .filter(pk=pk, state=State.APPROVED)
                .select_related("decided_by")
                .first()
            )
            if condition is None or request is None:  # another run took it
                continue
            from_status = condition.status
            request.state = State.PUBLISHED
            request.save(update_fields=["state"])
            publishing.publish(
                condition,
                revision=request.revision,
                user=request.decided_by,
                review=request,
            )
            _supersede_older_approvals(request, condition, user=None)
            if from_status == Status.SCHEDULED:
                _set_status(condition, Status.PUBLISHED)
            _audit(
                condition,
                user=None,
                action="went_live",
                from_state=from_status,
                to_state=condition.status,
                request=request,
            )
            published.append(request)
    due = Condition.objects.filter(expire_at__lte=now, publications__is_current=True)
    for pk in due.values_list("pk", flat=True).distinct():
        with transaction.atomic():
            condition = (
                Condition.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, expire_at__lte=now)
                .first()
            )
            if (
                condition is None
                or not condition.publications.filter(is_current=True).exists()
            ):
                continue
            from_status = condition.status
            publishing.unpublish(condition, reason=_("Expired"))
            Condition.objects.filter(pk=pk).update(expire_at=None)
            # A review in progress (or a later scheduled approval) stays.
            if from_status == Status.PUBLISHED:
                _set_status(condition, Status.DRAFT)
            _audit(
                condition,
                user=None,
                action="expired",
                from_state=from_status,
                to_state=condition.status,
            )
            expired.append(condition)
    return published, expired


def work_queues(user):
    """Return the dashboards: {key: (label, queryset of conditions)}."""
    # Leave out what four-eyes forbids this user to approve (few rows).
    awaiting = [
        request.condition_id
        for request in ReviewRequest.objects.awaiting_review_by(user).select_related(
            "condition"
        )
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


def _review_url(request):
    path = reverse("admin:conditions_reviewrequest_review", args=[request.pk])
    return settings.SITE_URL.rstrip("/") + path


def _notify_reviewers(request):
    if request.is_translation:
        who = {"groups__name": f"Translation reviewers ({request.language})"}
    else:
        who = {"groups__permissions__codename": "review_condition"}
    reviewers = (
        get_user_model()
        .objects.filter(is_active=True, **who)
        .exclude(pk=request.submitted_by_id)
    )
    recipients = sorted({u.email for u in reviewers if u.email})
    if request.is_translation:
        body = _(
            "%(user)s submitted a translation of “%(title)s” (%(language)s) "
            "for review.\n\nNote: %(note)s\n\nReview it at %(url)s"
        )
    else:
        body = _(
            "%(user)s submitted a change to “%(title)s” for medical review.\n\n"
            "Change note: %(note)s\n\nReview it at %(url)s"
        )
    if recipients:
        send_mail(
            _("Review requested: %(title)s") % {"title": request.condition},
            body
            % {
                "user": request.submitted_by.get_full_name()
                or request.submitted_by.get_username(),
                "title": request.condition,
                "note": request.note or "—",
                "language": request.language,
                "url": _review_url(request),
            },
            None,
            recipients,
        )


def _notify_author(request):
    author = request.submitted_by
    if not author.email:
        return
    if request.state == State.CHANGES_REQUESTED:
        subject = _("Changes requested: %(title)s")
        body = _(
            "%(reviewer)s asked for changes to “%(title)s”. "
            "Read the comments at %(url)s"
        )
    else:
        subject = _("Approved: %(title)s")
        body = _("%(reviewer)s approved your change to “%(title)s”. See %(url)s")
    values = {
        "title": request.condition,
        "reviewer": request.decided_by.get_full_name()
        or request.decided_by.get_username(),
        "url": _review_url(request),
    }
    send_mail(subject % values, body % values, None, [author.email])
