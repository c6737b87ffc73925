"""What every editing screen shares: the change note kept in the history."""

import reversion
from django import forms
from django.utils.translation import gettext_lazy as _


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
