"""Mail sent by the workflow, after the transaction that caused it commits.

The transition has happened by then: a mail server that is down must not
turn it into an error page. A mail that cannot be sent is logged (with the
link it carried) for the operators instead.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import roles

logger = logging.getLogger(__name__)


def _send(subject, body, recipients, request):
    send_logged(subject, body, recipients, about=review_url(request))


def send_logged(subject, body, recipients, *, about):
    """Send a mail; if it fails, log it (with `about`, a link) and return False."""
    try:
        send_mail(subject, body, None, recipients)
    except Exception:  # whatever the mail backend raises (SMTP, network…)
        logger.exception(
            "A notification mail could not be sent (to %s, about %s)",
            ", ".join(recipients),
            about,
        )
        return False
    return True


def review_url(request):
    """Return the absolute address of a request's review screen."""
    path = reverse("admin:conditions_reviewrequest_review", args=[request.pk])
    return settings.SITE_URL.rstrip("/") + path


def notify_reviewers(request):
    """Tell the reviewers of the request's language that it awaits them."""
    if request.is_translation:
        who = {
            "groups__name": roles.group_name(
                roles.TRANSLATION_REVIEWERS, request.language
            )
        }
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
        _send(
            _("Review requested: %(title)s") % {"title": request.condition},
            body
            % {
                "user": request.submitted_by.get_full_name()
                or request.submitted_by.get_username(),
                "title": request.condition,
                "note": request.note or "—",
                "language": request.language,
                "url": review_url(request),
            },
            recipients,
            request,
        )


def notify_author(request):
    """Tell the submitter what the reviewer decided."""
    author = request.submitted_by
    if not author.email:
        return
    if request.state == request.State.CHANGES_REQUESTED:
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
        "url": review_url(request),
    }
    _send(subject % values, body % values, [author.email], request)
