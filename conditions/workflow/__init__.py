"""The review workflow: medical review of the source, review of translations.

- transitions: the table of states and permissions, and the one helper that
  changes a state (with its audit entry)
- actions: submit, withdraw, comment, request changes, approve, unpublish…
- rules: who may review, four eyes, staleness
- scheduling: go-live and expiry times (cron)
- notifications: mail to reviewers and authors
- queues: the dashboards
- review_cycle: next-review dates, re-confirming an unchanged article
"""

from .actions import (
    approve,
    archive,
    available,
    comment,
    note_edit,
    pending_medical_request,
    request_changes,
    restore,
    set_expiry,
    submit,
    submit_translation,
    unpublish,
    withdraw,
)
from .queues import awaiting_review_by, work_queues
from .review_cycle import next_review_date, reconfirm, review_interval
from .rules import (
    can_approve,
    editors_of,
    is_stale,
    may_comment,
    may_review,
    with_staleness,
)
from .scheduling import publish_scheduled
from .transitions import (
    TRANSITIONS,
    State,
    Status,
    TransitionError,
    allowed,
    transition,
)

__all__ = [
    "TRANSITIONS",
    "State",
    "Status",
    "TransitionError",
    "allowed",
    "approve",
    "archive",
    "available",
    "awaiting_review_by",
    "can_approve",
    "comment",
    "editors_of",
    "is_stale",
    "may_comment",
    "may_review",
    "next_review_date",
    "note_edit",
    "pending_medical_request",
    "publish_scheduled",
    "reconfirm",
    "request_changes",
    "restore",
    "review_interval",
    "set_expiry",
    "submit",
    "submit_translation",
    "transition",
    "unpublish",
    "with_staleness",
    "withdraw",
    "work_queues",
]
