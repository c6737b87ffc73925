"""The translator's workspace: one article, the approved source beside the
translation, field by field, in the translator's language only.

It hangs off ConditionAdmin's URLs (see ConditionAdmin.get_urls).
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django_prose_editor.fields import ProseEditorFormField

from .. import diff, languages, roles, translations, workflow
from ..fields import RICH_TEXT_EXTENSIONS, sanitize_html
from ..models import Condition, Publication
from ..versioning import fingerprint, latest_revision
from .editor import RichTextWidget

#: POST keys the workspace accepts besides the units of its language.
FORM_KEYS = {"csrfmiddlewaretoken", "action", "note", "base"}


def check_language(language):
    """Refuse (PermissionDenied) a language that is not translated here."""
    if language not in languages.targets():
        raise PermissionDenied


class WorkspaceForm(forms.Form):
    """One field per unit of the article in the translator's language."""

    base = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = units
        for unit in units:
            name = f"unit:{unit.key}"
            # The caps of the model's field (every language has the same).
            model_field = unit.model._meta.get_field(unit.field)
            if unit.rich:
                field = ProseEditorFormField(
                    extensions=RICH_TEXT_EXTENSIONS,
                    sanitize=sanitize_html,
                    required=False,
                    widget=RichTextWidget,
                    validators=model_field.validators,
                )
            elif unit.field in ("also_called", "summary", "caption", "alt_text"):
                field = forms.CharField(
                    required=False,
                    max_length=model_field.max_length,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
            else:
                field = forms.CharField(
                    required=False, max_length=model_field.max_length
                )
            field.label = unit.label
            field.initial = unit.target
            self.fields[name] = field

    def rows(self):
        """Yield (unit, bound field, source diff html) for the template."""
        for unit in self.units:
            source_diff = None
            if unit.status == translations.OUTDATED and unit.translated_from:
                compare = diff.diff_html if unit.rich else diff.diff_text
                source_diff = compare(unit.translated_from, unit.source)
            yield unit, self[f"unit:{unit.key}"], source_diff


def workspace_view(model_admin, request, pk, language):
    """Translate one article into the translator's language, field by field."""
    check_language(language)
    condition = get_object_or_404(Condition, pk=pk)
    roles.require_language(request.user, language, roles.TRANSLATORS)
    units = translations.units(condition, language)
    base = _base(condition, language)
    if request.method == "POST":
        keys = {u.key for u in units}
        unexpected = sorted(
            key
            for key in request.POST
            if key not in FORM_KEYS and _posted_unit(key) not in keys
        )
        if unexpected:
            # A crafted request (another language, the source): refuse it whole.
            raise PermissionDenied(
                _("This form cannot change these fields: %(keys)s")
                % {"keys": ", ".join(unexpected)}
            )
        form = WorkspaceForm(request.POST, units=units)
        if form.is_valid():
            if form.cleaned_data["base"] != base:
                form.add_error(
                    None,
                    _(
                        "Someone else changed this translation while you were "
                        "working. Your changes were not saved: reload the page."
                    ),
                )
            else:
                values = {
                    unit.key: form.cleaned_data[f"unit:{unit.key}"]
                    for unit in units
                    if unit.status != translations.OUTDATED
                    or _edited(unit, form.cleaned_data[f"unit:{unit.key}"])
                    or request.POST.get(f"confirm:{unit.key}")
                }
                try:
                    changed = translations.save_translation(
                        condition, language=language, values=values, user=request.user
                    )
                    if request.POST.get("action") == "submit":
                        workflow.submit_translation(
                            condition,
                            language=language,
                            user=request.user,
                            note=request.POST.get("note", ""),
                        )
                        model_admin.message_user(
                            request,
                            _("Submitted for translation review."),
                            messages.SUCCESS,
                        )
                    else:
                        model_admin.message_user(
                            request,
                            _("%(count)s field(s) saved.") % {"count": len(changed)},
                            messages.SUCCESS,
                        )
                    return HttpResponseRedirect(request.path)
                except (
                    translations.TranslationError,
                    workflow.TransitionError,
                    ValidationError,
                ) as error:
                    form.add_error(
                        None, " ".join(getattr(error, "messages", [str(error)]))
                    )
    else:
        form = WorkspaceForm(units=units, initial={"base": base})
    pending = condition.review_requests.pending().filter(language=language).first()
    counts = {
        status: sum(1 for u in units if u.status == status)
        for status in translations.STATUS_LABELS
    }
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "original": condition,
        "title": _("Translate “%(title)s” into %(language)s")
        % {"title": condition, "language": languages.name(language)},
        "language": language,
        "language_name": languages.name(language),
        "source_name": languages.name(settings.SOURCE_LANGUAGE),
        "form": form,
        "media": model_admin.media + form.media,
        "counts": [(translations.STATUS_LABELS[k], k, v) for k, v in counts.items()],
        "pending": pending,
        "has_source": Publication.objects.live(condition, settings.SOURCE_LANGUAGE)
        is not None,
    }
    return TemplateResponse(
        request, "admin/conditions/condition/translate.html", context
    )


def _posted_unit(key):
    """Return the unit key named by a POST key ("unit:…" or "confirm:…")."""
    for prefix in ("unit:", "confirm:"):
        if key.startswith(prefix):
            return key.removeprefix(prefix)
    return None


def _edited(unit, value):
    """Return True if the posted text differs from the saved translation.

    An outdated translation sent back unchanged stays outdated: saving it
    again would record it as translated from the new source. Only an edit,
    or the translator's explicit confirmation, does that.
    """
    text = (value or "").strip()
    if unit.rich:
        text = sanitize_html(text)
    return text != unit.target


def _base(condition, language):
    revision = latest_revision(condition)
    return fingerprint(revision, condition.pk, language) if revision else ""
