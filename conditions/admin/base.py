"""What every editing screen shares: the change note kept in the history, and
rich text shown formatted (and sanitised) to those who can only view it."""

import reversion
from django import forms
from django.contrib import admin
from django.contrib.admin.options import InlineModelAdmin
from django.utils.translation import gettext_lazy as _

from ..fields import RichTextField
from ..templatetags.rich_text import render_rich_text


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


class RichTextReadOnlyMixin:
    """Show rich text as formatted, sanitised text to those who can only view it.

    For a user without the change permission, Django's admin shows every field
    through ``AdminReadonlyField.contents()``, which escapes a text field: a
    medical reviewer would read HTML source. For such a user, each
    ``RichTextField`` of the model (each language's column of a translated
    one, e.g. ``body_en``, ``body_es``) is replaced, in the fieldsets and the
    read-only fields, by the display callable ``rendered_<column>``, labelled
    as the column is ("Body [en]"). Editors keep the editor widget.

    Works for model admins and inlines, with or without modeltranslation.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._rich_text = {
            field.name: RENDERED_PREFIX + field.name
            for field in self.model._meta.concrete_fields
            if isinstance(field, RichTextField)
            and field.name not in _translated_originals(self)
        }
        for column, name in self._rich_text.items():
            setattr(self, name, _display(self.model._meta.get_field(column), self))

    def _shows_rich_text_read_only(self, request, obj):
        """Return True if the user can only view what this admin shows."""
        if isinstance(self, InlineModelAdmin):
            # As ModelAdmin.get_inline_formsets: an inline is editable only
            # where its parent is.
            parent = self.admin_site._registry.get(self.parent_model)
            if parent is not None and not (
                parent.has_change_permission(request, obj)
                if obj is not None
                else parent.has_add_permission(request)
            ):
                return True
            # With the add permission, new rows need the field itself.
            return not (
                self.has_change_permission(request, obj)
                or self.has_add_permission(request, obj)
            )
        if obj is None:
            return not self.has_add_permission(request)
        return not self.has_change_permission(request, obj)

    def _replace_rich_text(self, fields):
        replaced, seen = [], set()
        for name in fields:
            if isinstance(name, list | tuple):
                name = tuple(self._replace_rich_text(name))
            else:
                name = self._rich_text.get(name, name)
                if name in seen:
                    continue  # already listed among the read-only fields
                seen.add(name)
            replaced.append(name)
        return replaced

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not (self._rich_text and self._shows_rich_text_read_only(request, obj)):
            return fieldsets
        # A new structure: modeltranslation patches its declared ones in place.
        return [
            (title, {**options, "fields": self._replace_rich_text(options["fields"])})
            for title, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if not (self._rich_text and self._shows_rich_text_read_only(request, obj)):
            return readonly
        return [*readonly, *self._rich_text.values()]


RENDERED_PREFIX = "rendered_"


def _translated_originals(model_admin):
    """Fields modeltranslation replaces by their per-language columns."""
    options = getattr(model_admin, "trans_opts", None)
    return set(options.all_fields) if options is not None else set()


def _display(field, model_admin):
    """The admin display callable of one rich-text column."""
    language = getattr(field, "language", None)

    def display(obj):
        value = getattr(obj, field.attname, "") or ""
        if not value.strip():
            return model_admin.get_empty_value_display()
        return render_rich_text(value, language)

    # The column's own label ("Body [en]" for a translated one), so that the
    # read-only page reads as the editable one does.
    display.short_description = field.verbose_name
    return display


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that only the workflow writes: listed and shown, never edited."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
