"""The translation report: per language, each article's fields complete,
outdated and missing, with outdated clinical advice first."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from .. import languages, roles, translations
from ..models import Condition, TranslationProgress
from ..readability.articles import stored as stored_readability
from ..translations.progress import COUNTED
from .translation_workspace import check_language

#: ?show=… filters: key -> (label, condition on TranslationProgress rows)
FILTERS = {
    "": (_lazy("All articles"), Q()),
    "outdated_clinical": (
        _lazy("Only articles with outdated clinical sections"),
        Q(outdated_clinical_count__gt=0),
    ),
    "needs_work": (
        _lazy("Missing or outdated fields"),
        Q(missing__gt=0) | Q(outdated__gt=0),
    ),
    "pending": (_lazy("Awaiting review"), Q(pending=True)),
    "complete": (_lazy("Complete"), Q(missing=0, outdated=0)),
}
PER_PAGE = 50


def report_view(model_admin, request, language):
    """Per language: articles and fields complete, outdated and missing.

    Reads one TranslationProgress row per article (paginated): the same
    number of queries whatever the size of the library.
    """
    check_language(language)
    if not roles.can_see_translation_report(request.user, language):
        raise PermissionDenied
    show = request.GET.get("show", "")
    if request.GET.get("outdated_clinical") == "1":
        show = "outdated_clinical"
    if show not in FILTERS:
        show = ""
    query = request.GET.get("q", "").strip()
    rows = (
        TranslationProgress.objects.in_language(language)
        .exclude(condition__status=Condition.Status.ARCHIVED)
        .filter(FILTERS[show][1])
    )
    if query:
        rows = rows.filter(
            **{f"condition__title_{languages.source()}__icontains": query}
        )
    totals = rows.aggregate(
        articles=Count("pk"),
        complete=Count("pk", filter=Q(missing=0, outdated=0)),
        **{key: Coalesce(Sum(field), 0) for key, field in COUNTED.items()},
    )
    page = Paginator(rows.worst_first().select_related("condition"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    can_translate = language in roles.languages_for(request.user, roles.TRANSLATORS)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": _("Translation report: %(language)s")
        % {"language": languages.name(language)},
        "language": language,
        "rows": [_row(progress, language) for progress in page],
        "page": page,
        "totals": [
            (translations.STATUS_LABELS[key], key, totals[key]) for key in COUNTED
        ],
        "articles": totals["articles"],
        "articles_complete": totals["complete"],
        "show": show,
        "filters": [(key, label) for key, (label, _q) in FILTERS.items()],
        "query": query,
        "only_clinical": show == "outdated_clinical",
        "can_translate": can_translate,
        "languages": [(code, languages.name(code)) for code in languages.targets()],
        "source_name": languages.name(languages.source()),
        "language_name": languages.name(language),
    }
    return TemplateResponse(
        request, "admin/conditions/condition/translation_report.html", context
    )


def _row(progress, language):
    counts = {key: getattr(progress, field) for key, field in COUNTED.items()}
    # Reading grades stored with the row when it was refreshed: no text is
    # scored here (docs/readability.md).
    grade, above, scored = stored_readability(
        progress.readability.get(language), language
    )
    source_grade, _above, _scored = stored_readability(
        progress.readability.get(languages.source()), languages.source()
    )
    return {
        "readability": grade,
        "sections_above": above,
        "sections_scored": scored,
        "source_readability": source_grade,
        "condition": progress.condition,
        "counts": counts,
        "total": progress.total,
        "complete": progress.complete,
        "outdated_clinical": [
            translations.section_label(kind, heading, field)
            for kind, heading, field in progress.outdated_clinical
        ],
        "pending": progress.pending,
        "url": reverse(
            "admin:conditions_condition_translate",
            args=[progress.condition_id, language],
        ),
    }
