"""The sitemap: every live publication, with the article's other languages.

``/sitemap.xml`` lists the listing pages and every live publication, each
with an ``xhtml:link rel="alternate" hreflang`` for every language the
article is published in and ``x-default`` for the source language. Once
there are more than ``SITEMAP_MAX_URLS`` addresses (50,000, the protocol's
limit), ``/sitemap.xml`` becomes a sitemap index of ``/sitemap-<n>.xml``
sections of at most that many.

Django's sitemaps framework (``django.contrib.sitemaps.Sitemap``) pages the
addresses (its paginator slices the query in SQL) and builds each entry.
Its views are not used: they answer one request from its own host and
scheme, while ours are rendered once, stored (library/store.py) under the
tag ``sitemap`` that `sitemap_tags` returns for every publication change,
and address the public site (SITE_URL). Nor is its i18n mode: it asks for
``lastmod`` without the language (each language is published on its own
date here), and its ``x-default`` drops the language prefix, an address
this site redirects.
"""

from functools import cached_property, partial
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse

from conditions.models import Publication

from .. import store
from ..pages.common import language_codes, url
from ..pages.listings import listing_pages
from .structured import iso_datetime

#: The stored pages of the sitemap and its sections carry this tag.
TAG = "sitemap"
CONTENT_TYPE = "application/xml; charset=utf-8"
#: Listing pages that are the same page in every language (URL names of the
#: library namespace, without arguments), when the site has them.
LISTING_NAMES = ("home", "az")
#: A slug that no article has, to learn the shape of article addresses.
SLUG = "slug-placeholder"


def sitemap_tags(condition_id, languages):
    """Tagger (registry.TAGGERS): any publication change changes the sitemap."""
    return {TAG}


def max_urls():
    """Return the most addresses one sitemap file may list (a setting)."""
    return settings.SITEMAP_MAX_URLS


class _Site:
    """What Sitemap.get_urls needs of a site: its domain (SITE_URL's)."""

    def __init__(self):
        parts = urlsplit(settings.SITE_URL)
        self.protocol = parts.scheme or "https"
        self.domain = parts.netloc + parts.path.rstrip("/")


def _alternates(site, locations):
    """Return the hreflang alternates of an address from {language: path}.

    Every language the page exists in, and x-default (the source language)
    when there is more than one.
    """
    alternates = [
        {"lang_code": code, "location": f"{site.protocol}://{site.domain}{path}"}
        for code, path in sorted(
            locations.items(), key=lambda item: language_codes().index(item[0])
        )
    ]
    source = settings.SOURCE_LANGUAGE
    if len(locations) > 1 and source in locations:
        alternates.append(
            {
                "lang_code": "x-default",
                "location": f"{site.protocol}://{site.domain}{locations[source]}",
            }
        )
    return alternates


class _PagedSitemap(Sitemap):
    def __init__(self, limit):
        self.limit = limit

    @cached_property
    def paginator(self):
        # Counted once (the base class makes a new paginator at each use).
        return super().paginator

    def location(self, item):
        return item["path"]

    def lastmod(self, item):
        return item["lastmod"]


class ListingSitemap(_PagedSitemap):
    """Every listing page (home, A to Z, categories…) of every language.

    The pages are those `render_pages` renders (pages.listings); the ones
    that are the same page in every language (LISTING_NAMES) list each
    other as alternates. A listing's lastmod is the newest change of its
    language's publications: a listing changes only when one does.
    """

    def items(self):
        newest = {
            row["language"]: max(filter(None, (row["published"], row["withdrawn"])))
            for row in Publication.objects.values("language")
            .annotate(published=Max("published_at"), withdrawn=Max("withdrawn_at"))
            .order_by()
        }
        homes = {code: url("home", code) for code in language_codes()}
        everywhere = {}
        for name in LISTING_NAMES:
            try:
                paths = {code: url(name, code) for code in language_codes()}
            except NoReverseMatch:
                continue
            everywhere.update((path, paths) for path in paths.values())
        items = []
        for path, _render in listing_pages():
            language = next(
                (code for code, home in homes.items() if path.startswith(home)), None
            )
            items.append(
                {
                    "path": path,
                    "lastmod": newest.get(language),
                    "locations": everywhere.get(path, {}),
                }
            )
        return items

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page, site, protocol)
        for entry in urls:
            entry["alternates"] = _alternates(site, entry["item"]["locations"])
        return urls


class ArticleSitemap(_PagedSitemap):
    """Every live publication, ordered by article then language."""

    def items(self):
        return (
            Publication.objects.current()
            .order_by("condition_id", "language")
            .values("condition_id", "language", "slug", "published_at")
        )

    @cached_property
    def _prefixes(self):
        # reverse() once per language, not once per address.
        return {
            code: url("article", code, slug=SLUG).split(SLUG)
            for code in language_codes()
        }

    def _path(self, language, slug):
        before, after = self._prefixes[language]
        return before + slug + after

    def location(self, item):
        return self._path(item["language"], item["slug"])

    def lastmod(self, item):
        return item["published_at"]

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page, site, protocol)
        if not urls:
            return urls
        # The other languages of this section's articles: one query over the
        # range of article ids the section covers (they are in id order).
        ids = [entry["item"]["condition_id"] for entry in urls]
        locations = {}
        for condition_id, language, slug in (
            Publication.objects.current()
            .filter(condition_id__gte=ids[0], condition_id__lte=ids[-1])
            .values_list("condition_id", "language", "slug")
        ):
            locations.setdefault(condition_id, {})[language] = self._path(
                language, slug
            )
        for entry in urls:
            entry["alternates"] = _alternates(
                site, locations[entry["item"]["condition_id"]]
            )
        return urls

    def latest_lastmod_of(self, page):
        """Return the newest publication date of a section (one query)."""
        start = (page - 1) * self.limit
        return (
            self.items()[start : start + self.limit]
            .aggregate(newest=Max("published_at"))
            .get("newest")
        )


def sitemaps():
    limit = max_urls()
    return [ListingSitemap(limit), ArticleSitemap(limit)]


def sections(maps):
    """Return the (sitemap, page) of each section, in the index's order."""
    return [
        (sitemap, page)
        for sitemap in maps
        if sitemap.paginator.count
        for page in sitemap.paginator.page_range
    ]


def is_index(maps):
    """Return True when there are too many addresses for one sitemap file."""
    return sum(sitemap.paginator.count for sitemap in maps) > max_urls()


def _urlset(entries):
    for entry in entries:
        entry["lastmod_text"] = (
            iso_datetime(entry["lastmod"]) if entry["lastmod"] else ""
        )
    body = render_to_string("library/sitemaps/urlset.xml", {"urlset": entries})
    return store.Rendered(body=body.encode(), tags={TAG}, content_type=CONTENT_TYPE)


def render_sitemap():
    """Return /sitemap.xml: every address, or an index of the sections."""
    site = _Site()
    maps = sitemaps()
    if not is_index(maps):
        return _urlset(
            [
                entry
                for sitemap in maps
                for entry in sitemap.get_urls(1, site, site.protocol)
            ]
        )
    index = []
    for number, (sitemap, page) in enumerate(sections(maps), start=1):
        if isinstance(sitemap, ArticleSitemap):
            newest = sitemap.latest_lastmod_of(page)
        else:
            newest = sitemap.get_latest_lastmod()
        index.append(
            {
                "location": f"{site.protocol}://{site.domain}"
                + reverse("sitemap-section", kwargs={"number": number}),
                "lastmod_text": iso_datetime(newest) if newest else "",
            }
        )
    body = render_to_string("library/sitemaps/index.xml", {"sitemaps": index})
    return store.Rendered(body=body.encode(), tags={TAG}, content_type=CONTENT_TYPE)


def render_section(number):
    """Return /sitemap-<number>.xml, or None if there is no such section."""
    maps = sitemaps()
    if not is_index(maps):
        return None  # /sitemap.xml lists everything itself
    found = sections(maps)
    if not 1 <= number <= len(found):
        return None
    sitemap, page = found[number - 1]
    site = _Site()
    return _urlset(sitemap.get_urls(page, site, site.protocol))


def _serve(request, render):
    response = store.serve(request, request.path, render)
    if response is None:
        raise Http404
    return response


def sitemap(request):
    return _serve(request, render_sitemap)


def section(request, number):
    return _serve(request, partial(render_section, number))


def sitemap_pages():
    """Yield (path, render) of the sitemap and its sections (for render_pages)."""
    yield reverse("sitemap"), render_sitemap
    maps = sitemaps()
    for number in range(1, len(sections(maps)) + 1 if is_index(maps) else 1):
        yield (
            reverse("sitemap-section", kwargs={"number": number}),
            partial(render_section, number),
        )
