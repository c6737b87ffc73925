"""The review requests: their list, and the reviewer's screen for each.

The screen shows the change note, the diff of what is under review (per
language, field by field), the comments, and the decisions the workflow
allows this reviewer now.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import linebreaksbr
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .. import diff, translations, workflow
from ..fields import sanitize_html
from ..models import ReviewRequest
from ..workflow import checks
from . import readability_panel
from .base import ReadOnlyAdmin


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    go_live_at = forms.DateTimeField(
        label=_("Go live at (leave empty to publish now)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    next_review_on = forms.DateField(
        label=_("Next review due"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    confirm_minor = forms.BooleanField(
        label=_(
            "Confirm that this change is minor: it does not change the meaning, "
            "so translations stay up to date"
        ),
        required=False,
    )

    def __init__(self, *args, review=None, **kwargs):
        super().__init__(*args, **kwargs)
        if review is not None and review.is_translation:
            for name in ("go_live_at", "next_review_on", "confirm_minor"):
                del self.fields[name]
        elif review is not None and not review.minor:
            del self.fields["confirm_minor"]


class CommentForm(forms.Form):
    field_key = forms.CharField(required=False, widget=forms.HiddenInput)
    field_label = forms.CharField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}))


@admin.register(ReviewRequest)
class ReviewRequestAdmin(ReadOnlyAdmin):
    """Review requests: the list, and the reviewer's screen for each."""

    list_display = [
        "condition",
        "language",
        "state",
        "submitted_by",
        "submitted_at",
        "stale",
    ]
    list_filter = ["state", "language"]
    list_select_related = ["condition", "submitted_by"]
    search_fields = [f"condition__title_{code}" for code, _n in settings.LANGUAGES]

    def get_queryset(self, request):
        return workflow.with_staleness(super().get_queryset(request))

    @admin.display(description=_("Stale"), boolean=True, ordering="stale")
    def stale(self, obj):
        return obj.stale

    def get_urls(self):
        return [
            path(
                "<int:pk>/review/",
                self.admin_site.admin_view(self.review_view),
                name="conditions_reviewrequest_review",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return HttpResponseRedirect(
            reverse("admin:conditions_reviewrequest_review", args=[object_id])
        )

    def review_view(self, request, pk):
        """The reviewer's screen: the diff, the comments and the decision."""
        review = get_object_or_404(
            ReviewRequest.objects.select_related("condition", "submitted_by"), pk=pk
        )
        if not self.has_view_permission(request, review):
            raise PermissionDenied
        if request.method == "POST":
            return self._decide(request, review)
        user = request.user
        allowed, reason = workflow.can_approve(review, user)
        failures = []
        if allowed:
            failures = [str(r) for r in checks.reasons_for(review, reviewer=user)]
        changes = diff.compare_revisions(
            review.condition_id,
            review.base_revision,
            review.revision,
            languages=[review.language] if review.is_translation else None,
        )
        if review.is_translation:
            self._attach_sources(review, changes)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Review: %(title)s") % {"title": review.condition},
            "review": review,
            "diff": changes,
            "comments": review.comments.select_related("author"),
            "stale": review.state == ReviewRequest.State.PENDING
            and workflow.is_stale(review),
            "can_approve": allowed,
            "approve_refusal": reason,
            "check_failures": failures,
            "can_review": workflow.may_review(review, user),
            "decision_form": DecisionForm(review=review),
            "comment_form": CommentForm(),
            "readability": readability_panel.for_review(review),
        }
        return TemplateResponse(request, "admin/conditions/review.html", context)

    def _attach_sources(self, review, changes):
        """Give each changed translated field the approved source text beside it."""
        language = review.language
        sources = {}
        for unit in translations.units(review.condition, language):
            model = unit.model._meta.model_name
            key = (
                f"condition.{unit.field}.{language}"
                if model == "condition"
                else f"{model}.{unit.pk}.{unit.field}.{language}"
            )
            sources[key] = (unit.source, unit.rich)
        for language_diff in changes.languages:
            for change in language_diff.fields:
                if change.key in sources:
                    text, rich = sources[change.key]
                    change.source_html = (
                        mark_safe(sanitize_html(text)) if rich else linebreaksbr(text)
                    )

    def _decide(self, request, review):
        user = request.user
        action = request.POST.get("action")
        try:
            if action == "comment":
                form = CommentForm(request.POST)
                if not form.is_valid():
                    raise workflow.TransitionError(_("A comment cannot be empty."))
                workflow.comment(review, user=user, **form.cleaned_data)
                message = _("Comment added.")
            elif action in ("approve", "request_changes"):
                form = DecisionForm(request.POST, review=review)
                if not form.is_valid():
                    raise workflow.TransitionError(_("Check the dates you entered."))
                data = {
                    "go_live_at": None,
                    "next_review_on": None,
                    "confirm_minor": False,
                    **form.cleaned_data,
                }
                if action == "approve":
                    workflow.approve(
                        review,
                        user=user,
                        comment_text=data["comment"],
                        go_live_at=data["go_live_at"],
                        next_review_on=data["next_review_on"],
                        confirm_minor=data["confirm_minor"],
                    )
                    message = _("Approved.")
                else:
                    workflow.request_changes(
                        review, user=user, comment_text=data["comment"]
                    )
                    message = _("Returned to the author with your comments.")
            elif action == "withdraw":
                workflow.withdraw(review, user=user)
                message = _("The review request was withdrawn.")
            else:
                raise PermissionDenied
        except checks.PublicationCheckError as error:
            # One reason per line: the message is the heading and a list.
            self.message_user(request, error.as_html(), messages.ERROR)
        except workflow.TransitionError as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(
            reverse("admin:conditions_reviewrequest_review", args=[review.pk])
        )
