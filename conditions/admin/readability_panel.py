"""The reading-grade panel: each section's grade per language, flagged above
the target (docs/readability.md).

On the change form it scores the saved working copy (what was last saved),
and ``score_view`` scores the texts being typed for static/js/readability.js
to update the panel; on the review screen, the revision under review.
A grade above the target is a flag for the author and the reviewer: nothing
in the workflow refuses it.
"""

import json

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import languages
from ..models import Section
from ..readability import articles, score, target_grade
from ..versioning import RevisionContent


def for_condition(condition, codes=None):
    """Return the panel's context for an article's saved working copy."""
    codes = codes or languages.codes()
    sections = list(condition.sections.all())
    return _panel(sections, articles.sections(sections, codes), codes)


def for_review(review):
    """Return the panel's context for the revision a review request covers.

    A review of the source text shows the source language; a translation's
    shows that language beside the source.
    """
    codes = [languages.source()]
    if review.is_translation:
        codes.append(review.language)
    content = RevisionContent.many([review.revision_id])[review.revision_id]
    sections = content.children(Section, review.condition_id)
    return _panel(sections, articles.sections(sections, codes), codes)


def _panel(sections, scored, codes):
    return {
        "languages": [(code, languages.name(code)) for code in codes],
        "sections": scored,
        "whole": [articles.whole(sections, code) for code in codes],
        "target": target_grade(),
        "above": sum(1 for s in scored if s.above_target),
    }


#: The most texts one request may score (an article's sections × languages).
MAX_TEXTS = 200


def score_view(model_admin, request):
    """Score posted texts: the change form's panel updated as the author types.

    POST ``{"texts": [{"key": …, "language": …, "html": …}]}``; answers
    ``{"scores": {key: {"html": the panel's cell, …}}}``. Only those who may
    change articles may ask; nothing is saved.
    """
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    try:
        texts = _texts(request)
    except ValueError as error:
        return JsonResponse({"error": str(error)}, status=400)
    scores = {}
    for key, language, html in texts:
        found = score(html, language)
        scores[key] = {
            "status": found.status,
            "grade": found.grade,
            "raw": found.raw,
            "above_target": found.above_target,
            "html": render_to_string(
                "admin/conditions/readability/grade.html", {"score": found}
            ),
        }
    # Keys are "section:language": count sections, as the panel does.
    above = len(
        {key.split(":")[0] for key, found in scores.items() if found["above_target"]}
    )
    summary = ngettext(
        "%(counter)s section above the target grade %(target)s",
        "%(counter)s sections above the target grade %(target)s",
        above,
    ) % {"counter": above, "target": target_grade()}
    return JsonResponse({"scores": scores, "summary": summary})


def _texts(request):
    """Return [(key, language, html)] from the request, or raise ValueError."""
    try:
        data = json.loads(request.body)
        texts = data["texts"]
        if not isinstance(texts, list):
            raise TypeError
        found = [
            (str(text["key"]), str(text["language"]), str(text["html"]))
            for text in texts
        ]
    except (ValueError, KeyError, TypeError):
        raise ValueError(
            _('Send JSON: {"texts": [{"key": …, "language": …, "html": …}]}.')
        ) from None
    if len(found) > MAX_TEXTS:
        raise ValueError(_("At most %(count)s texts at once.") % {"count": MAX_TEXTS})
    codes = languages.codes()
    for _key, language, html in found:
        if language not in codes:
            raise ValueError(
                _("Unknown language “%(language)s”.") % {"language": language}
            )
        if len(html) > settings.RICH_TEXT_MAX_CHARS:
            raise ValueError(
                _("A text is longer than %(count)s characters.")
                % {"count": settings.RICH_TEXT_MAX_CHARS}
            )
    return found
