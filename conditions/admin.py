"""Editing happens here: the admin edits the working copy, never publications."""

import reversion
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import (
    TabbedTranslationAdmin,
    TranslationStackedInline,
)
from reversion.admin import VersionAdmin

from . import publishing, versioning
from .models import (
    Category,
    Condition,
    ConditionContributor,
    ConditionReference,
    Contributor,
    Disclaimer,
    Image,
    Publication,
    Reference,
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


@admin.register(Condition)
class ConditionAdmin(ChangeNoteMixin, VersionAdmin, TabbedTranslationAdmin):
    list_display = ["__str__", "live_languages", "updated_at"]
    search_fields = [f"title_{code}" for code, _name in settings.LANGUAGES]
    list_filter = ["categories"]
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
        (_("Change note"), {"fields": ["change_note"]}),
    ]
    inlines = [
        SectionInline,
        ImageInline,
        ConditionReferenceInline,
        ConditionContributorInline,
    ]
    actions = ["publish_latest_revision"]
    history_latest_first = True

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name.startswith(("also_called", "summary")):
            field.widget.attrs["rows"] = 3
        return field

    def changelist_view(self, request, extra_context=None):
        # VersionAdmin wraps the list in a revision block for list_editable,
        # which this list does not use; the publish action records its own
        # revision and must not be merged into an outer one.
        context = {"has_change_permission": self.has_change_permission(request)}
        return admin.ModelAdmin.changelist_view(
            self, request, {**context, **(extra_context or {})}
        )

    def get_queryset(self, request):
        live = Publication.objects.current().only("condition_id", "language")
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("publications", queryset=live, to_attr="live"))
        )

    @admin.display(description=_("Live in"))
    def live_languages(self, obj):
        return ", ".join(sorted(p.language for p in getattr(obj, "live", []))) or "—"

    def has_publish_permission(self, request):
        # Until the review workflow gates publication, only superusers may.
        return request.user.is_superuser

    @admin.action(
        description=_("Publish the latest saved revision"), permissions=["publish"]
    )
    def publish_latest_revision(self, request, queryset):
        published = 0
        for condition in queryset:
            revision = publishing.latest_revision(
                condition
            ) or publishing.save_revision(
                condition, user=request.user, comment=str(_("Saved for publication."))
            )
            try:
                publishing.publish(condition, revision=revision, user=request.user)
            except publishing.PublishError as error:
                self.message_user(request, f"{condition}: {error}", messages.ERROR)
                continue
            published += 1
        if published:
            self.message_user(
                request,
                ngettext(
                    "%(count)d condition was published.",
                    "%(count)d conditions were published.",
                    published,
                )
                % {"count": published},
                messages.SUCCESS,
            )


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
