"""The translation report: per language, each article's fields complete,
outdated and missing, with outdated clinical advice first."""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import languages, roles, translations
from ..models import Condition, ReviewRequest
from .translation_workspace import check_language


def report_view(model_admin, request, language):
    """Per language: articles and fields complete, outdated and missing."""
    check_language(language)
    if not roles.can_see_translation_report(request.user, language):
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
        % {"language": languages.name(language)},
        "language": language,
        "rows": rows,
        "totals": [(translations.STATUS_LABELS[k], k, v) for k, v in totals.items()],
        "articles_complete": sum(1 for r in rows if r["complete"]),
        "only_clinical": only_clinical,
        "can_translate": language
        in roles.languages_for(request.user, roles.TRANSLATORS),
        "languages": [(code, languages.name(code)) for code in languages.targets()],
    }
    return TemplateResponse(
        request, "admin/conditions/condition/translation_report.html", context
    )
