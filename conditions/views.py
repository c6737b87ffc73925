"""Public pages: they read publications only, never the working copy."""

import unicodedata
from itertools import groupby

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language, get_language_info

from .models import Publication, condition_url


def _sort_key(title):
    return (
        unicodedata.normalize("NFKD", title)
        .encode("ascii", "ignore")
        .decode()
        .casefold()
    )


def _public(response):
    """Let browsers and a CDN keep a public page for a short while."""
    patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS)
    return response


def _language_links(available, current, url_for):
    """Return the language selector entries for the given language codes."""
    return [
        {
            "code": code,
            "name": get_language_info(code)["name_local"],
            "url": url_for(code),
            "current": code == current,
        }
        for code, _name in settings.LANGUAGES
        if code in available
    ]


def index(request):
    """List the conditions published in the active language, A to Z."""
    language = get_language()
    rows = sorted(
        Publication.objects.current()
        .in_language(language)
        .values("title", "slug", "summary", "language"),
        key=lambda row: _sort_key(row["title"]),
    )
    for row in rows:
        row["url"] = condition_url(language, row["slug"])
    letters = [
        {"letter": letter, "conditions": list(group)}
        for letter, group in groupby(
            rows, key=lambda r: _sort_key(r["title"])[:1].upper()
        )
    ]

    def index_url(code):
        with translation.override(code):
            return reverse("conditions:index")

    languages = _language_links(
        [code for code, _name in settings.LANGUAGES], language, index_url
    )
    return _public(
        render(
            request,
            "conditions/index.html",
            {"letters": letters, "count": len(rows), "languages": languages},
        )
    )


def detail(request, slug):
    """Show the live publication of a condition in the active language."""
    language = get_language()
    publication = (
        Publication.objects.current()
        .in_language(language)
        .filter(slug=slug)
        .only(
            "condition_id",
            "language",
            "slug",
            "snapshot",
            "published_at",
            "reviewer_name",
            "reviewer_credentials",
            "reviewed_at",
            "outdated_since",
        )
        .first()
    )
    if publication is None:
        raise Http404
    page = publication.snapshot
    related_ids = page.get("related_ids", [])
    linked = list(
        Publication.objects.current()
        .filter(condition_id__in=[publication.condition_id, *related_ids])
        .values("condition_id", "language", "slug", "title")
    )
    own = {
        row["language"]: row["slug"]
        for row in linked
        if row["condition_id"] == publication.condition_id
    }
    related = sorted(
        (
            {"title": row["title"], "url": condition_url(language, row["slug"])}
            for row in linked
            if row["condition_id"] in related_ids and row["language"] == language
        ),
        key=lambda row: _sort_key(row["title"]),
    )
    languages = _language_links(
        own, language, lambda code: condition_url(code, own[code])
    )
    source = settings.SOURCE_LANGUAGE
    source_url = (
        condition_url(source, own[source])
        if publication.outdated_since and source in own
        else None
    )
    alternates = [
        {"code": link["code"], "url": request.build_absolute_uri(link["url"])}
        for link in languages
    ]
    return _public(
        render(
            request,
            "conditions/detail.html",
            {
                "publication": publication,
                "page": page,
                "related": related,
                "languages": languages,
                "alternates": alternates,
                "canonical": request.build_absolute_uri(publication.get_absolute_url()),
                "source_url": source_url,
                "source_language": get_language_info(source)["name_local"],
                "source_code": source,
            },
        )
    )
