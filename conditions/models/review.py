"""Review: submissions bound to a revision, comments and the audit log.

State changes are made only by `conditions.workflow.transitions`, never by
hand.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..fields import COMMENT_MAX_CHARS, NOTE_MAX_CHARS, text_field_options
from .content import Condition


class ReviewRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(state=ReviewRequest.State.PENDING)

    def due_to_go_live(self, now):
        """Return approved requests whose go-live time has come."""
        return self.filter(state=ReviewRequest.State.APPROVED, go_live_at__lte=now)

    def translations(self):
        return self.exclude(language=settings.SOURCE_LANGUAGE)

    def medical(self):
        return self.filter(language=settings.SOURCE_LANGUAGE)


class ReviewRequest(models.Model):
    """A request to publish one exact revision of a condition."""

    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        SUPERSEDED = "superseded", _("Superseded by a new submission")
        APPROVED = "approved", _("Approved, scheduled")
        PUBLISHED = "published", _("Approved and published")

    condition = models.ForeignKey(
        Condition,
        on_delete=models.CASCADE,
        related_name="review_requests",
        verbose_name=_("condition"),
    )
    revision = models.ForeignKey(
        "reversion.Revision",
        on_delete=models.PROTECT,
        related_name="review_requests",
        verbose_name=_("submitted revision"),
    )
    base_revision = models.ForeignKey(
        "reversion.Revision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("live revision at submission"),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.PENDING
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        default=settings.SOURCE_LANGUAGE,
        help_text=_(
            "The source language: a medical review of the article. Another "
            "language: a review of its translation."
        ),
    )
    note = models.TextField(
        _("change note"), blank=True, **text_field_options(NOTE_MAX_CHARS)
    )
    minor = models.BooleanField(
        _("minor change"),
        default=False,
        help_text=_("The change does not alter the meaning (e.g. a typo)."),
    )
    minor_confirmed = models.BooleanField(
        _("minor change confirmed"),
        default=False,
        help_text=_("Confirmed by the reviewer: translations stay up to date."),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reviewer_name = models.CharField(_("reviewer"), max_length=200, blank=True)
    reviewer_credentials = models.CharField(
        _("reviewer's credentials"), max_length=100, blank=True
    )
    go_live_at = models.DateTimeField(_("go live at"), null=True, blank=True)
    next_review_on = models.DateField(_("next review due"), null=True, blank=True)

    objects = ReviewRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("review request")
        verbose_name_plural = _("review requests")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["condition", "language"],
                condition=models.Q(state="pending"),
                name="one_pending_review_per_language",
            )
        ]

    def __str__(self):
        return f"{self.condition} — {self.get_state_display()}"

    def get_absolute_url(self):
        return reverse("admin:conditions_reviewrequest_review", args=[self.pk])

    @property
    def is_translation(self):
        return self.language != settings.SOURCE_LANGUAGE


class RevisionFingerprint(models.Model):
    """The hash of what a review in one language covers in one revision.

    Written when the revision is saved (see conditions.versioning), so that
    whether a request is stale (what it covers changed since) is a lookup,
    not a comparison of two revisions' contents.
    """

    revision = models.ForeignKey(
        "reversion.Revision", on_delete=models.CASCADE, related_name="+"
    )
    condition = models.ForeignKey(Condition, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=10)
    value = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["condition", "language", "revision"],
                name="one_fingerprint_per_revision",
            )
        ]

    def __str__(self):
        return f"{self.condition_id} [{self.language}] r{self.revision_id}"


class ReviewComment(models.Model):
    """A reviewer's (or author's) comment on a request, overall or on a field."""

    request = models.ForeignKey(
        ReviewRequest, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    field_key = models.CharField(_("field"), max_length=200, blank=True)
    field_label = models.CharField(_("field label"), max_length=300, blank=True)
    text = models.TextField(_("comment"), **text_field_options(COMMENT_MAX_CHARS))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.text[:60]


class AuditEntry(models.Model):
    """One workflow transition: who, when, from which state to which, why."""

    condition = models.ForeignKey(
        Condition,
        on_delete=models.SET_NULL,
        null=True,
        related_name="audit_entries",
        verbose_name=_("condition"),
    )
    condition_title = models.CharField(_("condition title"), max_length=200)
    request = models.ForeignKey(
        ReviewRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    action = models.CharField(_("action"), max_length=40)
    from_state = models.CharField(_("from"), max_length=20, blank=True)
    to_state = models.CharField(_("to"), max_length=20, blank=True)
    comment = models.TextField(
        _("comment"), blank=True, **text_field_options(COMMENT_MAX_CHARS)
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.condition_title}: {self.action}"
