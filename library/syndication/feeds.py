"""The Atom feed of each language: its newest publications (``/en/feed/``).

Stored like every public page (library/store.py) under ``feed:<language>``,
the tag `feed_tags` returns whenever an article of that language is
published, updated or withdrawn: a new article is in the feed at the next
request, a withdrawn one is gone. Entries read the publication rows only
(title, summary, slug, date), never the working copy.
"""

from functools import partial
from urllib.parse import urlsplit

from django.http import Http404
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import get_language, gettext

from conditions.models import Publication

from .. import store
from ..pages.common import absolute, language_codes, url

#: How many of the newest publications a feed lists.
FEED_ENTRIES = 50
#: The date in the tag URIs of feeds and entries (RFC 4151): a day on which
#: the site's domain was ours. Never change it: readers would see every
#: entry as new.
TAG_DATE = "2025"


def feed_tag(language):
    """Return the tag of the feed of a language."""
    return f"feed:{language}"


def feed_tags(condition_id, languages):
    """Tagger (registry.TAGGERS): the feeds of the languages that changed."""
    return {feed_tag(language) for language in languages}


def tag_uri(*parts):
    """Return a stable identifier (RFC 4151) on the site's domain."""
    domain = urlsplit(absolute("/")).hostname or "localhost"
    return f"tag:{domain},{TAG_DATE}:" + "/".join(map(str, parts))


def render_feed(language):
    """Return the Rendered Atom feed of a language's newest publications."""
    rows = (
        Publication.objects.current()
        .in_language(language)
        .order_by("-published_at", "-id")
        .values("condition_id", "title", "slug", "summary", "published_at")[
            :FEED_ENTRIES
        ]
    )
    with translation.override(language):
        feed = Atom1Feed(
            title=gettext("Health Library: recently updated articles"),
            link=absolute(url("home", language)),
            description=None,
            subtitle=gettext(
                "Health articles published or updated after medical review, "
                "newest first."
            ),
            language=language,
            feed_url=absolute(url("feed", language)),
            feed_guid=tag_uri("feed", language),
            author_name=gettext("Health Library"),
        )
        for row in rows:
            feed.add_item(
                title=row["title"],
                link=absolute(url("article", language, slug=row["slug"])),
                # Atom's summary is HTML; ours is plain text.
                description=escape(row["summary"]) if row["summary"] else None,
                unique_id=tag_uri("condition", row["condition_id"], language),
                updateddate=row["published_at"],
            )
        body = feed.writeString("utf-8")
    return store.Rendered(
        body=body.encode(),
        tags={feed_tag(language)},
        language=language,
        content_type="application/atom+xml; charset=utf-8",
    )


def feed(request):
    """The feed of the active language (under /en/, /es/…)."""
    language = get_language()
    response = store.serve(request, request.path, partial(render_feed, language))
    if response is None:
        raise Http404
    return response


def feed_pages():
    """Yield (path, render) of every feed (a listing for render_pages)."""
    for language in language_codes():
        yield url("feed", language), partial(render_feed, language)
