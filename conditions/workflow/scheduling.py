"""Go-live and expiry times, applied by `manage.py publish_scheduled` (cron)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import publishing
from ..models import Condition, ReviewRequest
from ..translations import progress
from .actions import _supersede_older_approvals
from .transitions import State, transition


def publish_scheduled(now=None):
    """Apply due go-live and expiry times; safe to run concurrently and often.

    Returns (published requests, expired conditions).
    """
    now = now or timezone.now()
    published, expired = [], []
    # Newest revision first: it supersedes older approvals due in the same run.
    due = ReviewRequest.objects.due_to_go_live(now).order_by("-revision_id")
    for pk, condition_id in due.values_list("pk", "condition_id"):
        with transaction.atomic(), progress.batch():
            # The condition first, then the request, as every transition
            # locks them: concurrent runs and transitions queue up in that
            # order instead of deadlocking.
            condition = (
                Condition.objects.select_for_update().filter(pk=condition_id).first()
            )
            request = (
                ReviewRequest.objects.select_for_update(of=("self",))
                .filter(pk=pk, state=State.APPROVED)
                .select_related("decided_by")
                .first()
            )
            if condition is None or request is None:  # another run took it
                continue
            publishing.publish(
                condition,
                revision=request.revision,
                user=request.decided_by,
                review=request,
            )
            _supersede_older_approvals(request, condition, user=None)
            transition("go_live", condition=condition, request=request, user=None)
            published.append(request)
    due = Condition.objects.filter(expire_at__lte=now, publications__is_current=True)
    for pk in due.values_list("pk", flat=True).distinct():
        with transaction.atomic(), progress.batch():
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
            publishing.unpublish(condition, reason=_("Expired"))
            transition(
                "expire",
                condition=condition,
                user=None,
                condition_fields={"expire_at": None},
            )
            expired.append(condition)
    return published, expired
