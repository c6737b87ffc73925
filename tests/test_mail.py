"""Notification mail goes out over real SMTP, configured as production is.

An aiosmtpd server runs in this process on a free local port; Django's SMTP
backend is configured from an EMAIL_URL by the helper that production
settings use, and the real workflow sends the mail.
"""

import socket
from email import message_from_bytes, policy

import pytest
import reversion
from aiosmtpd.controller import Controller
from django.conf import settings
from django.core import mail
from django.test import override_settings

from conditions import workflow
from healthinfo.settings.mail import email_settings

from .factories import make_author, make_condition, make_reviewer, make_user

SITE_URL = "https://health.example.org"


class Recorder:
    """An aiosmtpd handler that keeps every envelope it accepts."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield recorder, f"smtp://127.0.0.1:{controller.port}"
    finally:
        controller.stop()


def with_email(user):
    user.email = f"{user.username}@example.org"
    user.save()
    return user


def test_submission_mails_each_reviewer_a_review_link_over_smtp(
    db, django_capture_on_commit_callbacks, smtp_server
):
    recorder, email_url = smtp_server
    condition = make_condition(title_en="Asthma", sections=2, references=1, images=0)
    reviewers = [with_email(make_reviewer()), with_email(make_reviewer())]
    make_reviewer()  # no email address: nothing to send to
    author = with_email(make_author())
    with_email(make_user(groups=["Editors"]))
    with reversion.create_revision():  # the working copy, saved as in the admin
        reversion.add_to_revision(condition)
        reversion.set_user(author)
        reversion.set_comment("First draft")

    with override_settings(SITE_URL=SITE_URL, **email_settings(email_url)):
        assert type(mail.get_connection()).__module__ == (
            "django.core.mail.backends.smtp"
        )
        with django_capture_on_commit_callbacks(execute=True):
            request = workflow.submit(condition, user=author, note="Added causes")

    link = f"{SITE_URL}/admin/conditions/reviewrequest/{request.pk}/review/"
    assert recorder.envelopes, "the SMTP server received no mail"
    for reviewer in reviewers:
        received = [e for e in recorder.envelopes if reviewer.email in e.rcpt_tos]
        assert len(received) == 1, reviewer.email
        envelope = received[0]
        assert envelope.mail_from == settings.DEFAULT_FROM_EMAIL
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        assert "Asthma" in message["Subject"]
        body = message.get_body(("plain",)).get_content()
        assert link in body
        assert "Added causes" in body
    recipients = {r for e in recorder.envelopes for r in e.rcpt_tos}
    assert recipients == {r.email for r in reviewers}  # not the author or editor


def test_a_mail_server_that_is_down_does_not_undo_or_break_the_submission(
    db, django_capture_on_commit_callbacks, caplog
):
    condition = make_condition(title_en="Asthma", sections=1, references=0, images=0)
    with_email(make_reviewer())
    author = with_email(make_author())
    with reversion.create_revision():
        reversion.add_to_revision(condition)
        reversion.set_user(author)
    closed = free_port()  # nothing listens there

    with override_settings(
        SITE_URL=SITE_URL, **email_settings(f"smtp://127.0.0.1:{closed}?timeout=2")
    ):
        with django_capture_on_commit_callbacks(execute=True):
            request = workflow.submit(condition, user=author, note="Added causes")

    request.refresh_from_db()
    assert request.state == "pending"  # the submission stands
    assert "could not be sent" in caplog.text
    assert f"/admin/conditions/reviewrequest/{request.pk}/review/" in caplog.text
