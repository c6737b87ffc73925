"""A condition's page in one language, rendered from its live publication."""

from django.conf import settings
from django.utils.translation import get_language_info

from conditions.models import Disclaimer, Publication

from ..syndication.structured import article_json_ld, social_card
from .common import absolute, language_links, render, sort_key, url
from .overdue import is_overdue


def tag(condition_id):
    """Return the tag of every page that shows a condition."""
    return f"condition:{condition_id}"


def live_article(language, slug):
    """Return the live publication at a slug and the rows of what it links.

    Two queries: the publication, then the live publications of the
    article itself (its language selector) and of its related articles,
    as dicts of condition_id, language, slug and title. None if nothing is
    live at that slug. The article page and the API document share it.
    """
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
            "next_review_on",
            "outdated_since",
        )
        .first()
    )
    if publication is None:
        return None
    related_ids = publication.snapshot.get("related_ids", [])
    linked = list(
        Publication.objects.current()
        .filter(condition_id__in=[publication.condition_id, *related_ids])
        .values("condition_id", "language", "slug", "title")
    )
    return publication, linked


def render_article(language, slug):
    """Return the Rendered page of the live publication at a slug, or None."""
    found = live_article(language, slug)
    if found is None:
        return None
    publication, linked = found
    page = publication.snapshot
    related_ids = page.get("related_ids", [])
    own = {
        row["language"]: row["slug"]
        for row in linked
        if row["condition_id"] == publication.condition_id
    }
    related = sorted(
        (
            {"title": row["title"], "url": url("article", language, slug=row["slug"])}
            for row in linked
            if row["condition_id"] in related_ids and row["language"] == language
        ),
        key=lambda row: sort_key(row["title"], language),
    )
    languages = language_links(
        own, language, lambda code: url("article", code, slug=own[code])
    )
    source = settings.SOURCE_LANGUAGE
    source_url = (
        url("article", source, slug=own[source])
        if publication.outdated_since and source in own
        else None
    )
    disclaimer = Disclaimer.objects.first()
    return render(
        "library/article.html",
        {
            "publication": publication,
            "page": page,
            "related": related,
            "languages": languages,
            "alternates": [
                {"code": link["code"], "url": absolute(link["url"])}
                for link in languages
            ],
            "canonical": absolute(publication.get_absolute_url()),
            "source_url": source_url,
            "source_language": get_language_info(source)["name_local"],
            "source_code": source,
            "review_overdue": is_overdue(publication.next_review_on),
            "disclaimer": getattr(disclaimer, f"text_{language}", "") or "",
            # For machines: schema.org JSON-LD, Open Graph and Twitter cards.
            "structured_data": article_json_ld(publication),
            "social": social_card(publication, own),
        },
        language=language,
        # What it shows: the article (in every language, for the selector),
        # the related articles' titles, the disclaimer.
        tags={tag(publication.condition_id), *map(tag, related_ids), "disclaimer"},
        # A re-confirmation changes the page (its review dates) too.
        last_modified=max(
            filter(None, [publication.published_at, publication.reviewed_at])
        ),
    )
