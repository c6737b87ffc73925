"""Listings of articles: the home page, A to Z, and categories."""

from functools import partial
from itertools import groupby

from conditions.models import Publication

from .article import tag
from .common import language_codes, language_links, letter_of, render, sort_key, url


def az_tag(language, letter):
    """Return the tag of the A–Z page of a letter (articles joining it)."""
    return f"az:{language}:{letter}"


def render_az(language):
    """Return the A–Z page of a language."""
    rows = list(
        Publication.objects.current()
        .in_language(language)
        .values("condition_id", "title", "slug", "summary")
    )
    rows.sort(key=lambda row: sort_key(row["title"], language))
    for row in rows:
        row["url"] = url("article", language, slug=row["slug"])
    letters = [
        {"letter": letter, "conditions": list(group)}
        for letter, group in groupby(
            rows, key=lambda row: letter_of(row["title"], language)
        )
    ]
    return render(
        "library/az.html",
        {
            "letters": letters,
            "count": len(rows),
            "languages": language_links(
                language_codes(), language, lambda code: url("home", code)
            ),
        },
        language=language,
        tags={f"az:{language}", *(tag(row["condition_id"]) for row in rows)},
    )


def listing_pages():
    """Yield (path, render) of every listing page in every language."""
    for language in language_codes():
        yield url("home", language), partial(render_az, language)
