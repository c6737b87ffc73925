"""The articles: their list (with the work queues) and their change page.

Editing changes the working copy, never publications. The change page's
review panel, the translation screens, XLIFF and the history comparison
are screens of their own (one module each); this module routes to them.
"""

from functools import partial

from django import forms
from django.conf import settings
from django.contrib import admin
from django.db.models import Prefetch
from django.urls import path
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationStackedInline
from reversion.admin import VersionAdmin
from reversion.models import Revision

from .. import diff, workflow
from ..models import (
    Condition,
    ConditionContributor,
    ConditionReference,
    Image,
    Publication,
    Section,
)
from ..versioning import latest_revision_id
from . import (
    due_for_review,
    editor,
    history,
    media,
    readability_panel,
    translation_report,
    translation_workspace,
    workflow_panel,
)
from . import xliff as xliff_screens
from .base import ChangeNoteForm, ChangeNoteMixin, RichTextReadOnlyMixin

SOURCE = settings.SOURCE_LANGUAGE


class SectionInline(RichTextReadOnlyMixin, TranslationStackedInline):
    model = Section
    extra = 0
    formfield_overrides = editor.FORMFIELD_OVERRIDES
    fields = ["position", "kind", "heading", "body"]


class ConditionReferenceInline(admin.TabularInline):
    model = ConditionReference
    extra = 0
    autocomplete_fields = ["reference"]
    fields = ["position", "reference"]


class ImageInline(RichTextReadOnlyMixin, TranslationStackedInline):
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
            self.initial["base_revision"] = latest_revision_id(self.instance.pk)
        self.conflict = None

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            # Lock the row until this save commits: a concurrent save waits,
            # then sees the new revision and is refused.
            Condition.objects.select_for_update().filter(pk=self.instance.pk).first()
            latest = latest_revision_id(self.instance.pk)
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


@admin.register(Condition)
class ConditionAdmin(
    RichTextReadOnlyMixin, ChangeNoteMixin, VersionAdmin, TabbedTranslationAdmin
):
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
        (_("Review cycle"), {"fields": ["review_interval_days"]}),
        (_("Change note"), {"fields": ["change_note", "base_revision"]}),
    ]
    inlines = [
        SectionInline,
        ImageInline,
        ConditionReferenceInline,
        ConditionContributorInline,
    ]
    history_latest_first = True
    actions = xliff_screens.export_actions()

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
        if change:
            workflow.note_edit(
                obj,
                user=request.user,
                comment=form.cleaned_data.get("change_note") or "",
            )

    def get_urls(self):
        own = [
            ("xliff/import/", xliff_screens.import_view, "xliff_import"),
            (
                "xliff/export/<str:language>/",
                xliff_screens.batch_export_view,
                "xliff_batch_export",
            ),
            (
                "<int:pk>/xliff/<str:language>/",
                xliff_screens.export_view,
                "xliff_export",
            ),
            (
                "<int:pk>/workflow/<str:action>/",
                workflow_panel.workflow_view,
                "workflow",
            ),
            (
                "<int:pk>/translate/<str:language>/",
                translation_workspace.workspace_view,
                "translate",
            ),
            (
                "translations/<str:language>/",
                translation_report.report_view,
                "translation_report",
            ),
            ("<int:pk>/compare/", history.compare_view, "compare"),
            ("due/", due_for_review.due_view, "due_for_review"),
            ("readability/", readability_panel.score_view, "readability"),
            ("originals/<path:name>", media.original_view, "original"),
        ]
        return [
            *(
                path(
                    route,
                    self.admin_site.admin_view(partial(view, self)),
                    name=f"conditions_condition_{name}",
                )
                for route, view, name in own
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, **kw):
        obj = context.get("original")
        if obj is not None:
            context.update(workflow_panel.panel(request, obj))
            form = context["adminform"].form
            if getattr(form, "conflict", None):
                base, latest = form.conflict
                context["conflict_diff"] = diff.compare_revisions(
                    obj.pk,
                    Revision.objects.filter(pk=base).first(),
                    Revision.objects.get(pk=latest),
                )
        return super().render_change_form(request, context, add, change, **kw)
