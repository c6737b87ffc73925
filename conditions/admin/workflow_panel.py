"""The "Review and publication" panel of an article's change page.

Its buttons come from the workflow's transition table (``workflow.available``),
so a button is offered only for what the server accepts; each posts to
``workflow_view``, which runs the same operation.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .. import languages, roles, workflow
from ..models import Condition, Publication, ReviewComment


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000)


class SubmitForm(forms.Form):
    note = forms.CharField(
        label=_("Change note for the reviewer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    minor = forms.BooleanField(
        label=_("Minor change (does not change the meaning)"), required=False
    )


class ExpiryForm(forms.Form):
    expire_at = forms.DateTimeField(
        label=_("Expires at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


class ReconfirmForm(forms.Form):
    comment = forms.CharField(
        label=_("What you checked (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


#: transition name -> (the URL's verb, the form it posts, done message)
ACTIONS = {
    "submit": ("submit", SubmitForm, _("Submitted for medical review.")),
    "withdraw": ("withdraw", None, _("The review request was withdrawn.")),
    "unpublish": ("unpublish", ReasonForm, _("The article was unpublished.")),
    "archive": ("archive", ReasonForm, _("The article was archived.")),
    "restore": ("restore", None, _("The article was restored as a draft.")),
    "set_expiry": ("expiry", ExpiryForm, _("The expiry time was saved.")),
    "reconfirm": (
        "reconfirm",
        ReconfirmForm,
        _("Reviewed with no changes: the review dates were renewed."),
    ),
}
BY_VERB = {verb: name for name, (verb, _form, _done) in ACTIONS.items()}


def panel(request, condition):
    """Return the panel's context: status, live languages, request, buttons."""
    user = request.user
    latest_request = (
        condition.review_requests.medical()
        .select_related("submitted_by", "decided_by")
        .first()
    )
    buttons = []
    for name in workflow.available(condition, user=user):
        verb, form_class, _done = ACTIONS[name]
        form = None
        if form_class is not None:
            initial = {"expire_at": condition.expire_at} if name == "set_expiry" else {}
            # Two reason forms share the page: give theirs distinct ids.
            auto_id = (
                f"id_{verb}_%s"
                if form_class in (ReasonForm, ReconfirmForm)
                else "id_%s"
            )
            form = form_class(initial=initial, auto_id=auto_id)
        buttons.append(
            {
                "verb": verb,
                "label": workflow.TRANSITIONS[name].label,
                "form": form,
                "default": name == "submit",
            }
        )
    live = list(
        Publication.objects.current().filter(condition=condition).order_by("language")
    )
    return {
        "workflow": {
            "status": condition.get_status_display(),
            "live": live,
            "reviewed": next(
                (p for p in live if p.language == languages.source()), None
            ),
            "request": latest_request,
            "stale": latest_request is not None
            and latest_request.state == latest_request.State.PENDING
            and workflow.is_stale(latest_request),
            "comments": _comments_since_live(condition),
            "actions": buttons,
            "publications": condition.publications.select_related("published_by")[:20],
            "translate": [
                (
                    code,
                    languages.name(code),
                    reverse(
                        "admin:conditions_condition_translate",
                        args=[condition.pk, code],
                    ),
                )
                for code in roles.languages_for(user, roles.TRANSLATORS)
            ],
        }
    }


def _comments_since_live(condition):
    """Return the review comments on every request since the live version."""
    comments = ReviewComment.objects.filter(request__condition=condition)
    live = Publication.objects.live(condition, languages.source())
    if live:
        comments = comments.filter(request__revision_id__gt=live.revision_id)
    return comments.select_related("author", "request")


def workflow_view(model_admin, request, pk, action):
    """Run one workflow transition on a condition (POST only)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    condition = get_object_or_404(Condition, pk=pk)
    if not model_admin.has_view_permission(request, condition):
        raise PermissionDenied
    name = BY_VERB.get(action)
    if name is None:
        raise PermissionDenied
    _verb, form_class, done = ACTIONS[name]
    form = form_class(request.POST) if form_class else None
    user = request.user
    try:
        if name == "submit":
            form.is_valid()
            workflow.submit(
                condition,
                user=user,
                note=form.cleaned_data.get("note", ""),
                minor=form.cleaned_data.get("minor", False),
            )
        elif name == "withdraw":
            pending = workflow.pending_medical_request(condition)
            if pending is None:
                raise workflow.TransitionError(_("Nothing is awaiting review."))
            workflow.withdraw(pending, user=user)
        elif name in ("unpublish", "archive"):
            reason = request.POST.get("reason", "")
            getattr(workflow, name)(condition, user=user, reason=reason)
        elif name == "restore":
            workflow.restore(condition, user=user)
        elif name == "reconfirm":
            form.is_valid()
            workflow.reconfirm(
                condition, user=user, comment=form.cleaned_data.get("comment", "")
            )
        elif name == "set_expiry":
            if not form.is_valid():
                raise workflow.TransitionError(_("Enter a valid date and time."))
            workflow.set_expiry(
                condition, user=user, expire_at=form.cleaned_data["expire_at"]
            )
    except workflow.TransitionError as error:
        model_admin.message_user(request, str(error), messages.ERROR)
    else:
        model_admin.message_user(request, done, messages.SUCCESS)
    return HttpResponseRedirect(reverse("admin:conditions_condition_change", args=[pk]))
