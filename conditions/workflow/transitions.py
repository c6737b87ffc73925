"""The review workflow's state machine: one table of transitions, one helper.

``TRANSITIONS`` gives, for each transition, the states it may start from,
the state each leads to and the permission it needs: of the article
(``Condition.status``) and of the review request (``ReviewRequest.state``)
it changes. ``transition()`` is the only code that writes either: it checks
the table, locks the rows, writes the change and records an ``AuditEntry``,
in one transaction. The operations in ``actions`` (submit, approve, …) do
their other work around it, and the admin offers a button only for what
``available()`` says the server would accept.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import languages, roles, translations
from ..models import AuditEntry, Condition, ReviewRequest

Status = Condition.Status
State = ReviewRequest.State

#: The "state" of a review request that does not exist yet.
NEW = ""

ARTICLE_STATES = list(Status)
LIVE_STATES = (Status.PUBLISHED, Status.SCHEDULED)


class TransitionError(Exception):
    """The transition is not possible in the current state."""


@dataclass(frozen=True)
class Permission:
    """Who may run a transition: a model permission, a role, the submitter."""

    codename: str = ""
    #: A per-language role, checked in the request's language.
    role: str = ""
    #: The request's submitter may run it too.
    submitter: bool = False
    #: Run by the system (cron) or as part of another transition only.
    internal: bool = False

    def allows(self, user, request=None):
        if self.internal:
            return True
        if user is None:
            return False
        if self.submitter and request is not None:
            if request.submitted_by_id == user.pk:
                return True
        if self.role:
            return request is not None and request.language in roles.languages_for(
                user, self.role
            )
        return bool(self.codename) and user.has_perm(f"conditions.{self.codename}")

    def __str__(self):
        if self.internal:
            return "system, or within another transition"
        parts = []
        if self.codename:
            parts.append(f"`{self.codename}`")
        if self.role:
            parts.append(f"{self.role} of the request's language")
        if self.submitter:
            parts.append("the submitter")
        return " or ".join(parts)


def _stay(*states):
    return {state: state for state in states}


def _to(target, *states):
    return dict.fromkeys(states, target)


@dataclass(frozen=True)
class Transition:
    """One row of the table."""

    name: str
    #: {state of the article before: after}; None leaves the article alone.
    article: dict | None
    #: {state of the request before: after}; None: the transition has none.
    request: dict | None
    permission: Permission
    #: The admin button that runs it (empty: no button of its own).
    label: str = ""
    #: Why the current state refuses it.
    refusal: str = ""
    #: The words of the audit log for it.
    description: str = field(default="", compare=False)

    @property
    def subject(self):
        """Return whose state the audit entry records: article or request."""
        return "article" if self.article is not None else "request"

    def starts_from(self, condition, request=None):
        if self.article is not None and condition.status not in self.article:
            return False
        if self.request is not None:
            state = NEW if request is None or request.pk is None else request.state
            if state not in self.request:
                return False
        return True


_EVERY_STATE_BUT_ARCHIVED = [s for s in ARTICLE_STATES if s != Status.ARCHIVED]
_NO_LONGER_PENDING = gettext_lazy("This request is no longer awaiting review.")

TRANSITIONS = {
    t.name: t
    for t in [
        Transition(
            "submit",
            article=_to(Status.IN_REVIEW, *_EVERY_STATE_BUT_ARCHIVED),
            request={NEW: State.PENDING},
            permission=Permission("submit_condition"),
            label=gettext_lazy("Submit the saved version for medical review"),
            refusal=gettext_lazy("An archived article cannot be submitted."),
            description=gettext_lazy("submitted for medical review"),
        ),
        Transition(
            "withdraw",
            article={Status.IN_REVIEW: Status.DRAFT},
            request={State.PENDING: State.WITHDRAWN},
            permission=Permission("unpublish_condition", submitter=True),
            label=gettext_lazy("Withdraw the review request"),
            refusal=gettext_lazy("Only a pending request can be withdrawn."),
            description=gettext_lazy("review request withdrawn"),
        ),
        Transition(
            "request_changes",
            article={Status.IN_REVIEW: Status.CHANGES_REQUESTED},
            request={State.PENDING: State.CHANGES_REQUESTED},
            permission=Permission("review_condition"),
            label=gettext_lazy("Request changes"),
            refusal=_NO_LONGER_PENDING,
            description=gettext_lazy("changes requested"),
        ),
        Transition(
            "approve",
            article={Status.IN_REVIEW: Status.PUBLISHED},
            request={State.PENDING: State.PUBLISHED},
            permission=Permission("review_condition"),
            label=gettext_lazy("Approve and publish (now, or at the go-live time)"),
            refusal=_NO_LONGER_PENDING,
            description=gettext_lazy("approved and published"),
        ),
        Transition(
            "schedule",
            article={Status.IN_REVIEW: Status.SCHEDULED},
            request={State.PENDING: State.APPROVED},
            permission=Permission("review_condition"),
            refusal=_NO_LONGER_PENDING,
            description=gettext_lazy("approved, scheduled to go live"),
        ),
        Transition(
            "reconfirm",
            # "Reviewed, no changes": the dates renew, the text stays.
            article=_stay(Status.PUBLISHED),
            request={NEW: State.PUBLISHED},
            permission=Permission("review_condition"),
            label=gettext_lazy("Reviewed, no changes: renew the review dates"),
            refusal=gettext_lazy("Only a published article can be re-confirmed."),
            description=gettext_lazy("reviewed, no changes: review dates renewed"),
        ),
        Transition(
            "go_live",
            # An edit or a new submission made after the approval stays.
            article={
                Status.SCHEDULED: Status.PUBLISHED,
                **_stay(
                    Status.DRAFT,
                    Status.IN_REVIEW,
                    Status.CHANGES_REQUESTED,
                    Status.PUBLISHED,
                ),
            },
            request={State.APPROVED: State.PUBLISHED},
            permission=Permission(internal=True),
            refusal=gettext_lazy("This approval is no longer scheduled."),
            description=gettext_lazy("went live as scheduled"),
        ),
        Transition(
            "edit",
            # The live publication stays until a new approval.
            article=_to(Status.DRAFT, *LIVE_STATES),
            request=None,
            permission=Permission("change_condition"),
            refusal=gettext_lazy("Only a published or scheduled article is reopened."),
            description=gettext_lazy("edited after approval: a draft again"),
        ),
        Transition(
            "unpublish",
            # A review in progress (or returned to its author) stays.
            article={
                **_to(Status.DRAFT, *LIVE_STATES),
                **_stay(Status.DRAFT, Status.IN_REVIEW, Status.CHANGES_REQUESTED),
            },
            request=None,
            permission=Permission("unpublish_condition"),
            label=gettext_lazy("Unpublish"),
            refusal=gettext_lazy("This article is not published."),
            description=gettext_lazy("unpublished"),
        ),
        Transition(
            "archive",
            article=_to(Status.ARCHIVED, *_EVERY_STATE_BUT_ARCHIVED),
            request=None,
            permission=Permission("unpublish_condition"),
            label=gettext_lazy("Archive"),
            refusal=gettext_lazy("This article is already archived."),
            description=gettext_lazy("archived"),
        ),
        Transition(
            "restore",
            article={Status.ARCHIVED: Status.DRAFT},
            request=None,
            permission=Permission("unpublish_condition"),
            label=gettext_lazy("Restore as a draft"),
            refusal=gettext_lazy("Only an archived article can be restored."),
            description=gettext_lazy("restored as a draft"),
        ),
        Transition(
            "set_expiry",
            article=_stay(*ARTICLE_STATES),
            request=None,
            permission=Permission("schedule_condition"),
            label=gettext_lazy("Save expiry"),
            description=gettext_lazy("expiry time set"),
        ),
        Transition(
            "expire",
            article={
                Status.PUBLISHED: Status.DRAFT,
                # A review in progress (or a later scheduled approval) stays.
                **_stay(
                    Status.DRAFT,
                    Status.IN_REVIEW,
                    Status.CHANGES_REQUESTED,
                    Status.SCHEDULED,
                ),
            },
            request=None,
            permission=Permission(internal=True),
            refusal=gettext_lazy("This article is not published."),
            description=gettext_lazy("expired: taken off the site"),
        ),
        Transition(
            "submit_translation",
            article=None,
            request={NEW: State.PENDING},
            permission=Permission(role=roles.TRANSLATORS),
            label=gettext_lazy("Save and submit for review"),
            description=gettext_lazy("translation submitted for review"),
        ),
        Transition(
            "withdraw_translation",
            article=None,
            request={State.PENDING: State.WITHDRAWN},
            permission=Permission("unpublish_condition", submitter=True),
            label=gettext_lazy("Withdraw the review request"),
            refusal=gettext_lazy("Only a pending request can be withdrawn."),
            description=gettext_lazy("translation review request withdrawn"),
        ),
        Transition(
            "request_translation_changes",
            article=None,
            request={State.PENDING: State.CHANGES_REQUESTED},
            permission=Permission(role=roles.TRANSLATION_REVIEWERS),
            label=gettext_lazy("Request changes"),
            refusal=_NO_LONGER_PENDING,
            description=gettext_lazy("changes to the translation requested"),
        ),
        Transition(
            "publish_translation",
            article=None,
            request={State.PENDING: State.PUBLISHED},
            permission=Permission(role=roles.TRANSLATION_REVIEWERS),
            label=gettext_lazy("Approve and publish this translation"),
            refusal=_NO_LONGER_PENDING,
            description=gettext_lazy("translation approved and published"),
        ),
        Transition(
            "supersede",
            # A new submission replaces the pending one; a newer approval
            # cancels older scheduled ones.
            article=None,
            request=_to(State.SUPERSEDED, State.PENDING, State.APPROVED),
            permission=Permission(internal=True),
            description=gettext_lazy("superseded by a newer submission or approval"),
        ),
        Transition(
            "withdraw_request",
            # Unpublishing withdraws scheduled approvals; archiving, pending
            # requests too.
            article=None,
            request=_to(State.WITHDRAWN, State.PENDING, State.APPROVED),
            permission=Permission(internal=True),
            description=gettext_lazy("request withdrawn with the article"),
        ),
    ]
}

#: The action recorded in the audit log for each transition (kept as the
#: log has always named them).
AUDIT_ACTIONS = {
    "submit": "submitted",
    "withdraw": "withdrawn",
    "request_changes": "changes_requested",
    "approve": "approved_published",
    "schedule": "approved_scheduled",
    "reconfirm": "reconfirmed",
    "go_live": "went_live",
    "edit": "edited",
    "unpublish": "unpublished",
    "archive": "archived",
    "restore": "restored",
    "set_expiry": "expiry_set",
    "expire": "expired",
    "submit_translation": "translation_submitted",
    "withdraw_translation": "translation_withdrawn",
    "request_translation_changes": "translation_changes_requested",
    "publish_translation": "translation_published",
    "supersede": "superseded",
    "withdraw_request": "request_withdrawn",
}


def lock(condition):
    """Return the condition re-read with its row locked until commit."""
    return Condition.objects.select_for_update().get(pk=condition.pk)


def lock_request(request):
    """Return the request re-read with its row locked until commit."""
    # of=self: PostgreSQL refuses FOR UPDATE on the nullable side of an
    # outer join (decided_by).
    return ReviewRequest.objects.select_for_update(of=("self",)).get(pk=request.pk)


def check(name, *, condition, user, request=None):
    """Raise PermissionDenied or TransitionError if the table refuses it now."""
    rule = TRANSITIONS[name]
    if not rule.permission.allows(user, request):
        raise PermissionDenied(_("You do not have permission to do this."))
    if not rule.starts_from(condition, request):
        raise TransitionError(str(rule.refusal) or _("Not possible in this state."))


def transition(
    name,
    *,
    condition,
    user,
    request=None,
    comment="",
    condition_fields=None,
    request_fields=None,
):
    """Run one transition of the table and return its AuditEntry.

    Checks the permission and the starting states under a row lock, writes
    the new states (an UPDATE of the workflow columns only, so a concurrent
    edit of the content is never overwritten; a request that does not exist
    yet is created) together with `condition_fields` / `request_fields`, and
    records who did it, from which state to which, and why.
    """
    rule = TRANSITIONS[name]
    with transaction.atomic():
        locked = lock(condition)
        if request is not None and request.pk is not None:
            # Check the state as committed, but keep the caller's object:
            # it gets the new values too.
            request.state = lock_request(request).state
        check(name, condition=locked, user=user, request=request)
        article_from = article_to = locked.status
        fields = dict(condition_fields or {})
        if rule.article is not None:
            article_to = fields["status"] = rule.article[article_from]
        _set_state(Condition, locked.pk, fields)
        for attribute, value in fields.items():
            setattr(condition, attribute, value)
        request_from = request_to = ""
        if request is not None:
            request_from = NEW if request.pk is None else request.state
            values = dict(request_fields or {})
            if rule.request is not None:
                request_to = values["state"] = rule.request[request_from]
            for attribute, value in values.items():
                setattr(request, attribute, value)
            if request.pk is None:
                request.save()
            else:
                _set_state(ReviewRequest, request.pk, values)
        if request is not None and request.language != languages.source():
            # The translation report counts what is awaiting review.
            translations.progress.refresh(locked, [request.language])
        if rule.subject == "article":
            from_state, to_state = article_from, article_to
        else:
            from_state, to_state = request_from, request_to
        return _audit(
            locked,
            request=request,
            user=user,
            action=AUDIT_ACTIONS[name],
            from_state=from_state,
            to_state=to_state,
            comment=comment,
        )


def _set_state(model, pk, values):
    # An UPDATE of these columns only: never overwrites a concurrent edit.
    if values:
        model.objects.filter(pk=pk).update(**values)


def _audit(condition, *, request, user, action, from_state, to_state, comment):
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


def allowed(name, *, condition, user, request=None):
    """Return True if the table lets the user run the transition now."""
    try:
        check(name, condition=condition, user=user, request=request)
    except (PermissionDenied, TransitionError):
        return False
    return True


def as_markdown():
    """Return the table as Markdown (docs/architecture.md shows it)."""

    def moves(mapping):
        if mapping is None:
            return "—"
        groups, kept = {}, []
        for before, after in mapping.items():
            if before == after:
                kept.append(before)
            else:
                groups.setdefault(after, []).append(before or "(new)")
        parts = [
            f"{', '.join(sorted(befores))} → {after}"
            for after, befores in sorted(groups.items())
        ]
        if len(kept) == len(ARTICLE_STATES):
            parts.append("any state: unchanged")
        elif kept:
            parts.append(f"{', '.join(sorted(kept))}: unchanged")
        return "; ".join(parts)

    lines = [
        "| transition | article: from → to | request: from → to | permission |",
        "|---|---|---|---|",
    ]
    for rule in TRANSITIONS.values():
        lines.append(
            f"| `{rule.name}` | {moves(rule.article)} | {moves(rule.request)} "
            f"| {rule.permission} |"
        )
    return "\n".join(lines)
