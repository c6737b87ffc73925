"""Admin screens of the translation workflow: the workspace and the report.

They hang off ConditionAdmin's URLs (see ConditionAdmin.get_urls).
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.widgets import AdminTextareaWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from django_prose_editor.fields import ProseEditorFormField

from . import diff, publishing, translations, workflow
from .fields import RICH_TEXT_EXTENSIONS, sanitize_html
from .models import Condition, ReviewRequest

#: POST keys the workspace accepts besides the units of its language.
FORM_KEYS = {"csrfmiddlewaretoken", "action", "note", "base"}


def language_name(code):
    """Return the language's name in the interface language (e.g. Spanish)."""
    return get_language_info(code)["name_translated"]


def _check_language(language):
    if language not in translations.target_languages():
        raise PermissionDenied


def can_see_report(user, language):
    return (
        language in translations.languages_for(user, "Translators")
        or language in translations.languages_for(user, "Translation reviewers")
        or user.has_perm("conditions.unpublish_condition")
    )


class WorkspaceForm(forms.Form):
    """One field per unit of the article in the translator's language."""

    base = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = units
        for unit in units:
            name = f"unit:{unit.key}"
            if unit.rich:
                field = ProseEditorFormField(
                    extensions=RICH_TEXT_EXTENSIONS,
                    sanitize=True,
                    required=False,
                    widget=AdminTextareaWidget,
                )
            elif unit.field in ("also_called", "summary", "caption", "alt_text"):
                field = forms.CharField(
                    required=False, widget=forms.Textarea(attrs={"rows": 3})
                )
            else:
                field = forms.CharField(required=False, max_length=200)
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
    _check_language(language)
    condition = get_object_or_404(Condition, pk=pk)
    translations.require_language(request.user, language, "Translators")
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
        % {"title": condition, "language": language_name(language)},
        "language": language,
        "language_name": language_name(language),
        "source_name": language_name(settings.SOURCE_LANGUAGE),
        "form": form,
        "media": model_admin.media + form.media,
        "counts": [(translations.STATUS_LABELS[k], k, v) for k, v in counts.items()],
        "pending": pending,
        "has_source": translations.live_source(condition) is not None,
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
    revision = publishing.latest_revision(condition)
    return publishing.fingerprint(revision, condition.pk, language) if revision else ""


def report_view(model_admin, request, language):
    """Per language: articles and fields complete, outdated and missing."""
    _check_language(language)
    if not can_see_report(request.user, language):
        raise PermissionDenied
    only_clinical = request.GET.get("outdated_clinical") == "1"
    rows = []
    totals = dict.fromkeys(translations.STATUS_LABELS, 0)
    for condition in Condition.objects.exclude(status=Condition.Status.ARCHIVED):
        units = translations.units(condition, language)
        if not units:
            continue
        clinical = [
            u.label for u in units if u.clinical and u.status == translations.OUTDATED
        ]
        if only_clinical and not clinical:
            continue
        counts = dict.fromkeys(translations.STATUS_LABELS, 0)
        for unit in units:
            counts[unit.status] += 1
            totals[unit.status] += 1
        rows.append(
            {
                "condition": condition,
                "counts": counts,
                "total": len(units),
                "complete": counts[translations.UP_TO_DATE]
                + counts[translations.IN_REVIEW]
                == len(units),
                "outdated_clinical": clinical,
                "pending": ReviewRequest.objects.pending()
                .filter(condition=condition, language=language)
                .exists(),
                "url": reverse(
                    "admin:conditions_condition_translate",
                    args=[condition.pk, language],
                ),
            }
        )
    # Outdated clinical advice first: a stale translation there is a risk.
    rows.sort(
        key=lambda r: (
            -len(r["outdated_clinical"]),
            -r["counts"][translations.OUTDATED],
            -r["counts"][translations.MISSING],
            str(r["condition"]),
        )
    )
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": _("Translation report: %(language)s")
        % {"language": language_name(language)},
        "language": language,
        "rows": rows,
        "totals": [(translations.STATUS_LABELS[k], k, v) for k, v in totals.items()],
        "articles_complete": sum(1 for r in rows if r["complete"]),
        "only_clinical": only_clinical,
        "can_translate": language
        in translations.languages_for(request.user, "Translators"),
        "languages": [
            (code, language_name(code)) for code in translations.target_languages()
        ],
    }
    return TemplateResponse(
        request, "admin/conditions/condition/translation_report.html", context
    )
