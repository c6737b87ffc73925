"""Editing happens here: the admin edits the working copy, never publications."""

import reversion
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import linebreaksbr
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationStackedInline
from reversion.admin import VersionAdmin
from reversion.models import Revision

from . import (
    admin_translations,
    admin_xliff,
    diff,
    publishing,
    translations,
    versioning,
    workflow,
)
from .fields import sanitize_html
from .models import (
    AuditEntry,
    Category,
    Condition,
    ConditionContributor,
    ConditionReference,
    Contributor,
    Disclaimer,
    Image,
    Publication,
    Reference,
    ReviewRequest,
    Section,
)

SOURCE = settings.SOURCE_LANGUAGE

# The admin is imported (by autodiscover) before this app's ready() runs, and
# VersionAdmin would register inline models without their follows.
versioning.register_models()


class ChangeNoteForm(forms.ModelForm):
    """A model form with a change note that becomes the revision's comment."""

    change_note = forms.CharField(
        label=_("Change note"),
        required=False,
        max_length=500,
        help_text=_("What you changed and why; it is kept in the history."),
        widget=forms.TextInput(attrs={"size": 80}),
    )


class ChangeNoteMixin:
    """Use the editor's change note as the reversion comment of every save."""

    form = ChangeNoteForm

    def save_model(self, request, obj, form, change):
        request._change_note = form.cleaned_data.get("change_note", "")
        super().save_model(request, obj, form, change)

    def _note(self, request, entry):
        note = getattr(request, "_change_note", "")
        if note and reversion.is_active():
            reversion.set_comment(note)
        return entry

    def log_addition(self, request, obj, message):
        return self._note(request, super().log_addition(request, obj, message))

    def log_change(self, request, obj, message):
        return self._note(request, super().log_change(request, obj, message))


class SectionInline(TranslationStackedInline):
    model = Section
    extra = 0
    fields = ["position", "kind", "heading", "body"]


class ConditionReferenceInline(admin.TabularInline):
    model = ConditionReference
    extra = 0
    autocomplete_fields = ["reference"]
    fields = ["position", "reference"]


class ImageInline(TranslationStackedInline):
    model = Image
    extra = 0
    fields = [
        "position",
        "file",
        "section_kind",
        "alt_text",
        "caption",
        "credit",
        ("licence", "licence_expires"),
    ]


class ConditionContributorInline(admin.TabularInline):
    model = ConditionContributor
    extra = 0
    autocomplete_fields = ["contributor"]
    fields = ["position", "contributor", "role"]


class ConditionForm(ChangeNoteForm):
    """The condition form, refusing a save based on an outdated revision."""

    base_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["base_revision"] = publishing.latest_revision_id(
                self.instance.pk
            )
        self.conflict = None

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            # Lock the row until this save commits: a concurrent save waits,
            # then sees the new revision and is refused.
            Condition.objects.select_for_update().filter(pk=self.instance.pk).first()
            latest = publishing.latest_revision_id(self.instance.pk)
            # Workflow state is not the editor's to change: keep what is in
            # the database now (locked), not what was read before the lock.
            locked = (
                Condition.objects.filter(pk=self.instance.pk)
                .values("status", "expire_at")
                .first()
            )
            if locked:
                self.instance.status = locked["status"]
                self.instance.expire_at = locked["expire_at"]
            base = cleaned.get("base_revision")
            if latest is not None and base != latest:
                self.conflict = (base, latest)
                raise forms.ValidationError(
                    _(
                        "Someone else saved this article while you were editing "
                        "it. Your changes were not saved. Below is what they "
                        "changed; reload the page to edit the newest version "
                        "and apply your changes again."
                    ),
                    code="stale",
                )
        return cleaned


class QueueFilter(admin.SimpleListFilter):
    """The dashboards: each a filtered list of conditions, with its count."""

    title = _("work queue")
    parameter_name = "queue"

    def _queues(self, request):
        # lookups() and queryset() both need them: compute them once.
        if not hasattr(self, "_cached_queues"):
            self._cached_queues = workflow.work_queues(request.user)
        return self._cached_queues

    def lookups(self, request, model_admin):
        return [
            (key, f"{label} ({queryset.count()})")
            for key, (label, queryset) in self._queues(request).items()
        ]

    def queryset(self, request, queryset):
        queues = self._queues(request)
        if self.value() in queues:
            return queryset.filter(pk__in=queues[self.value()][1].values("pk"))
        return queryset


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


@admin.register(Condition)
class ConditionAdmin(ChangeNoteMixin, VersionAdmin, TabbedTranslationAdmin):
    form = ConditionForm
    change_form_template = "admin/conditions/condition/change_form.html"
    object_history_template = "admin/conditions/condition/object_history.html"
    list_display = ["__str__", "status", "live_languages", "updated_at"]
    search_fields = [f"title_{code}" for code, _name in settings.LANGUAGES]
    list_filter = [QueueFilter, "status", "categories"]
    ordering = [f"title_{SOURCE}"]
    filter_horizontal = ["categories", "related"]
    prepopulated_fields = {
        f"slug_{code}": (f"title_{code}",) for code, _name in settings.LANGUAGES
    }
    fieldsets = [
        (None, {"fields": ["title", "slug", "also_called", "summary"]}),
        (
            _("Classification"),
            {"fields": ["categories", "related", "mesh_id", "icd10"]},
        ),
        (_("Change note"), {"fields": ["change_note", "base_revision"]}),
    ]
    inlines = [
        SectionInline,
        ImageInline,
        ConditionReferenceInline,
        ConditionContributorInline,
    ]
    history_latest_first = True
    actions = admin_xliff.export_actions()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name.startswith(("also_called", "summary")):
            field.widget.attrs["rows"] = 3
        return field

    def get_queryset(self, request):
        live = Publication.objects.current().only("condition_id", "language")
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("publications", queryset=live, to_attr="live"))
        )

    def has_delete_permission(self, request, obj=None):
        # A published article leaves the site by "Unpublish", with a reason in
        # the audit log, not by deletion.
        if obj is not None and obj.publications.filter(is_current=True).exists():
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description=_("Live in"))
    def live_languages(self, obj):
        return ", ".join(sorted(p.language for p in getattr(obj, "live", []))) or "—"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        workflow.note_edit(obj)

    def get_urls(self):
        own = [
            ("xliff/import/", self.xliff_import_view, "xliff_import"),
            (
                "xliff/export/<str:language>/",
                self.xliff_batch_export_view,
                "xliff_batch_export",
            ),
            ("<int:pk>/xliff/<str:language>/", self.xliff_export_view, "xliff_export"),
            ("<int:pk>/workflow/<str:action>/", self.workflow_view, "workflow"),
            ("<int:pk>/translate/<str:language>/", self.translate_view, "translate"),
            (
                "translations/<str:language>/",
                self.translation_report_view,
                "translation_report",
            ),
            ("<int:pk>/compare/", self.compare_view, "compare"),
        ]
        return [
            *(
                path(
                    route,
                    self.admin_site.admin_view(view),
                    name=f"conditions_condition_{name}",
                )
                for route, view, name in own
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, **kw):
        obj = context.get("original")
        if obj is not None:
            context.update(self._workflow_context(request, obj))
            form = context["adminform"].form
            if getattr(form, "conflict", None):
                base, latest = form.conflict
                context["conflict_diff"] = diff.compare_revisions(
                    obj.pk,
                    Revision.objects.filter(pk=base).first(),
                    Revision.objects.get(pk=latest),
                )
        return super().render_change_form(request, context, add, change, **kw)

    def _workflow_context(self, request, obj):
        user = request.user
        latest_request = (
            obj.review_requests.medical()
            .select_related("submitted_by", "decided_by")
            .first()
        )
        return {
            "workflow": {
                "status": obj.get_status_display(),
                "live": Publication.objects.current()
                .filter(condition=obj)
                .order_by("language"),
                "request": latest_request,
                "comments": self._comments_since_live(obj),
                "can_submit": user.has_perm("conditions.submit_condition")
                and obj.status != Condition.Status.ARCHIVED,
                "can_withdraw": latest_request is not None
                and latest_request.state == ReviewRequest.State.PENDING
                and (
                    latest_request.submitted_by_id == user.pk
                    or user.has_perm("conditions.unpublish_condition")
                ),
                "can_unpublish": user.has_perm("conditions.unpublish_condition"),
                "can_schedule": user.has_perm("conditions.schedule_condition"),
                "submit_form": SubmitForm(),
                "reason_form": ReasonForm(),
                "expiry_form": ExpiryForm(initial={"expire_at": obj.expire_at}),
                "publications": obj.publications.select_related("published_by")[:20],
                "translate": [
                    (
                        code,
                        admin_translations.language_name(code),
                        reverse(
                            "admin:conditions_condition_translate", args=[obj.pk, code]
                        ),
                    )
                    for code in translations.languages_for(user, "Translators")
                ],
            }
        }

    def _comments_since_live(self, obj):
        """Return the review comments on every request since the live version."""
        from .models import ReviewComment

        comments = ReviewComment.objects.filter(request__condition=obj)
        live = workflow.live_revision_id(obj)
        if live:
            comments = comments.filter(request__revision_id__gt=live)
        return comments.select_related("author", "request")

    def workflow_view(self, request, pk, action):
        """Run one workflow transition on a condition (POST only)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        condition = get_object_or_404(Condition, pk=pk)
        if not self.has_view_permission(request, condition):
            raise PermissionDenied
        user = request.user
        try:
            if action == "submit":
                form = SubmitForm(request.POST)
                form.is_valid()
                review = workflow.submit(
                    condition,
                    user=user,
                    note=form.cleaned_data.get("note", ""),
                    minor=form.cleaned_data.get("minor", False),
                )
                message = _("Submitted for medical review.")
            elif action == "withdraw":
                review = condition.review_requests.pending().medical().first()
                if review is None:
                    raise workflow.TransitionError(_("Nothing is awaiting review."))
                workflow.withdraw(review, user=user)
                message = _("The review request was withdrawn.")
            elif action in ("unpublish", "archive"):
                reason = request.POST.get("reason", "")
                getattr(workflow, action)(condition, user=user, reason=reason)
                message = (
                    _("The article was unpublished.")
                    if action == "unpublish"
                    else _("The article was archived.")
                )
            elif action == "restore":
                workflow.restore(condition, user=user)
                message = _("The article was restored as a draft.")
            elif action == "expiry":
                form = ExpiryForm(request.POST)
                if not form.is_valid():
                    raise workflow.TransitionError(_("Enter a valid date and time."))
                workflow.set_expiry(
                    condition, user=user, expire_at=form.cleaned_data["expire_at"]
                )
                message = _("The expiry time was saved.")
            else:
                raise PermissionDenied
        except workflow.TransitionError as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(
            reverse("admin:conditions_condition_change", args=[pk])
        )

    def translate_view(self, request, pk, language):
        return admin_translations.workspace_view(self, request, pk, language)

    def translation_report_view(self, request, language):
        return admin_translations.report_view(self, request, language)

    def xliff_import_view(self, request):
        return admin_xliff.import_view(self, request)

    def xliff_batch_export_view(self, request, language):
        return admin_xliff.batch_export_view(self, request, language)

    def xliff_export_view(self, request, pk, language):
        return admin_xliff.export_view(self, request, pk, language)

    def compare_view(self, request, pk):
        """Show the field-by-field diff between any two revisions."""
        condition = get_object_or_404(Condition, pk=pk)
        if not self.has_view_permission(request, condition):
            raise PermissionDenied
        revisions = Revision.objects.filter(
            version__content_type__model="condition",
            version__content_type__app_label="conditions",
            version__object_id=str(pk),
        )
        old = get_object_or_404(revisions, pk=request.GET.get("old"))
        new = get_object_or_404(revisions, pk=request.GET.get("new"))
        if old.pk > new.pk:
            old, new = new, old
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": condition,
            "title": _("Compare revisions"),
            "old": old,
            "new": new,
            "diff": diff.compare_revisions(condition.pk, old, new),
        }
        return TemplateResponse(
            request, "admin/conditions/condition/compare.html", context
        )


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
class ReviewRequestAdmin(admin.ModelAdmin):
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

    @admin.display(description=_("Stale"), boolean=True)
    def stale(self, obj):
        return obj.state == ReviewRequest.State.PENDING and obj.is_stale

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

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
        allowed, reason = workflow.can_approve(review, request.user)
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
            "can_approve": allowed,
            "approve_refusal": reason,
            "can_review": workflow.may_review(review, request.user),
            "decision_form": DecisionForm(review=review),
            "comment_form": CommentForm(),
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
        except workflow.TransitionError as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(
            reverse("admin:conditions_reviewrequest_review", args=[review.pk])
        )


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit log: read-only, written by workflow transitions."""

    list_display = [
        "created_at",
        "condition_title",
        "action",
        "from_state",
        "to_state",
        "actor",
        "comment",
    ]
    list_filter = ["action"]
    search_fields = ["condition_title", "comment"]
    list_select_related = ["actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Reference)
class ReferenceAdmin(ChangeNoteMixin, VersionAdmin):
    list_display = ["__str__", "year"]
    search_fields = ["title", "authors", "container", "doi", "pmid", "url"]
    fieldsets = [
        (None, {"fields": ["authors", "title", "container"]}),
        (_("Journal"), {"fields": [("year", "volume", "issue", "pages")]}),
        (_("Identifiers"), {"fields": ["doi", "pmid", "url", "accessed"]}),
        (_("Change note"), {"fields": ["change_note"]}),
    ]


@admin.register(Contributor)
class ContributorAdmin(VersionAdmin):
    list_display = ["name", "credentials"]
    search_fields = ["name", "credentials"]


@admin.register(Category)
class CategoryAdmin(VersionAdmin, TabbedTranslationAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = [f"name_{code}" for code, _name in settings.LANGUAGES]
    prepopulated_fields = {
        f"slug_{code}": (f"name_{code}",) for code, _name in settings.LANGUAGES
    }


@admin.register(Disclaimer)
class DisclaimerAdmin(VersionAdmin, TabbedTranslationAdmin):
    def has_add_permission(self, request):
        return not Disclaimer.objects.exists() and super().has_add_permission(request)


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    """Publications are records: readable by editors, changed only by publishing."""

    list_display = ["title", "language", "published_at", "published_by", "is_current"]
    list_filter = ["language", "is_current"]
    search_fields = ["title", "slug"]
    list_select_related = ["published_by"]
    readonly_fields = [
        "condition",
        "language",
        "revision",
        "title",
        "slug",
        "summary",
        "published_at",
        "published_by",
        "is_current",
        "withdrawn_at",
    ]
    exclude = ["snapshot"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
