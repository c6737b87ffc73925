"""The daily run of the publication checks, and the editors' summary mail.

Licence expiry and review dates fail with the date alone, and a link fails
when the article it points to is unpublished: ``run`` checks every article
that is live or waiting again and stores the results; ``notify_editors``
mails the editors what fails.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import roles
from ..models import Condition, PublicationCheckResult, ReviewRequest
from . import checks

logger = logging.getLogger(__name__)

#: Articles checked per batch (one read of their revisions each).
BATCH = 200


def articles_to_check():
    """Return the ids of articles with a live publication or a waiting request."""
    return (
        Condition.objects.filter(
            Q(publications__is_current=True)
            | Q(
                review_requests__state__in=[
                    ReviewRequest.State.PENDING,
                    ReviewRequest.State.APPROVED,
                ]
            )
        )
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def run(*, today=None, progress=None):
    """Check every live or waiting article again; return {id: [Reason…]} failing."""
    today = today or timezone.localdate()
    ids = list(articles_to_check())
    failing = {}
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        failing.update(checks.refresh(chunk, today=today))
        if progress is not None:
            progress(len(chunk))
    # Articles no longer live or waiting keep no stale result.
    PublicationCheckResult.objects.exclude(condition_id__in=ids).delete()
    return ids, failing


def editors():
    """Return the active editors with an email address."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=roles.EDITORS)
        .exclude(email="")
        .distinct()
    )


def summary_text(failing):
    """Return the mail's body: each failing article and its reasons."""
    titles = dict(
        Condition.objects.filter(pk__in=list(failing)).values_list(
            "pk", f"title_{settings.SOURCE_LANGUAGE}"
        )
    )
    url = settings.SITE_URL.rstrip("/") + reverse(
        "admin:conditions_publicationcheckresult_changelist"
    )
    lines = [
        ngettext(
            "%(count)s article fails the publication checks today.",
            "%(count)s articles fail the publication checks today.",
            len(failing),
        )
        % {"count": len(failing)},
        "",
    ]
    for pk, reasons in sorted(failing.items()):
        lines.append(titles.get(pk, f"#{pk}"))
        lines.extend(f"  - {reason}" for reason in reasons)
    lines += ["", _("See them all at %(url)s") % {"url": url}]
    return "\n".join(lines)


def notify_editors(failing):
    """Mail the editors the failing articles; return how many were mailed."""
    if not failing:
        return 0
    recipients = sorted({user.email for user in editors()})
    if not recipients:
        return 0
    subject = ngettext(
        "Publication checks: %(count)s article fails",
        "Publication checks: %(count)s articles fail",
        len(failing),
    ) % {"count": len(failing)}
    try:
        send_mail(subject, summary_text(failing), None, recipients)
    except Exception:  # whatever the mail backend raises (SMTP, network…)
        logger.exception("The publication checks summary could not be mailed")
        raise
    return len(recipients)
