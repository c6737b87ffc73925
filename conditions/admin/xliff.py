"""Admin screens for XLIFF: download an export, upload a translated file.

They hang off ConditionAdmin's URLs (see ConditionAdmin.get_urls) and its
changelist actions; the work is done in conditions/xliff/.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import languages, roles, xliff
from ..models import Condition

CONTENT_TYPE = "application/x-xliff+xml"


def _check_export(user, language):
    if language not in languages.targets():
        raise PermissionDenied
    if not roles.can_see_translation_report(user, language):
        raise PermissionDenied


def _download(data, filename):
    response = HttpResponse(data, content_type=f"{CONTENT_TYPE}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _nothing(model_admin, request, language, redirect_to):
    model_admin.message_user(
        request,
        _("Nothing to translate into %(language)s: every field is up to date.")
        % {"language": languages.name(language)},
        messages.WARNING,
    )
    return HttpResponseRedirect(redirect_to)


def export_view(model_admin, request, pk, language):
    """Download one article's XLIFF (?all=1: every unit, not only the needs)."""
    _check_export(request.user, language)
    condition = get_object_or_404(Condition, pk=pk)
    include = "all" if request.GET.get("all") == "1" else "needs"
    try:
        data = xliff.export([condition], language, include=include)
    except xliff.NothingToExport:
        return _nothing(
            model_admin,
            request,
            language,
            reverse("admin:conditions_condition_translate", args=[pk, language]),
        )
    return _download(data, xliff.export_filename(language, condition))


def batch_export_view(model_admin, request, language):
    """Stream the XLIFF of every article with missing or outdated fields."""
    _check_export(request.user, language)
    conditions = xliff.conditions_needing(language)
    if not conditions.exists():
        return _nothing(
            model_admin,
            request,
            language,
            reverse("admin:conditions_condition_translation_report", args=[language]),
        )
    response = StreamingHttpResponse(
        xliff.stream(conditions, language),
        content_type=f"{CONTENT_TYPE}; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{xliff.export_filename(language)}"'
    )
    return response


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("XLIFF 1.2 file"),
        help_text=gettext_lazy(
            "The file exported from here, with the translations filled in by "
            "your translation tool."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlf,.xliff,.xml"}),
    )

    def clean_file(self):
        # Its size is known without reading it: XLIFF_MAX_BYTES, as for the
        # import_xliff command (the request as a whole is capped before).
        upload = self.cleaned_data["file"]
        error = xliff.size_error(upload.size)
        if error:
            raise forms.ValidationError(error, code="too_large")
        return upload


def import_view(model_admin, request):
    """Upload a translated XLIFF file: all of it is applied, or none of it."""
    translated = roles.languages_for(request.user, roles.TRANSLATORS)
    if not translated:
        raise PermissionDenied
    report = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            report = xliff.import_file(upload, user=request.user, filename=upload.name)
            if report.applied and report.changed:
                model_admin.message_user(
                    request,
                    _("The translations were imported and submitted for review."),
                    messages.SUCCESS,
                )
            elif report.applied:
                model_admin.message_user(
                    request,
                    _("No changes: the file matches the current translations."),
                    messages.INFO,
                )
    else:
        form = ImportForm()
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": _("Import translations (XLIFF)"),
        "form": form,
        "report": report,
        "languages": [
            (
                code,
                languages.name(code),
                reverse("admin:conditions_condition_translation_report", args=[code]),
                reverse("admin:conditions_condition_xliff_batch_export", args=[code]),
            )
            for code in translated
        ],
    }
    return TemplateResponse(
        request, "admin/conditions/condition/xliff_import.html", context
    )


def export_action(language):
    """Return a changelist action exporting the selected articles' XLIFF."""

    def action(model_admin, request, queryset):
        if not roles.can_see_translation_report(request.user, language):
            model_admin.message_user(
                request,
                _("You cannot export translations into %(language)s.")
                % {"language": languages.name(language)},
                messages.ERROR,
            )
            return None
        try:
            data = xliff.export(queryset.order_by("pk"), language)
        except xliff.NothingToExport:
            model_admin.message_user(
                request,
                _(
                    "Nothing to translate into %(language)s in the selected "
                    "articles: every field is up to date."
                )
                % {"language": languages.name(language)},
                messages.WARNING,
            )
            return None
        return _download(data, xliff.export_filename(language))

    action.__name__ = f"export_xliff_{language.replace('-', '_')}"
    return admin.action(
        description=format_lazy(
            "{} ({})", gettext_lazy("Export XLIFF for translation"), language
        )
    )(action)


def export_actions():
    """Return one export action per target language."""
    return [export_action(code) for code in languages.targets()]
