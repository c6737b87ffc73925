"""Sitemaps, feeds, robots.txt and the icons, as crawlers and readers get them.

The sitemap and the feeds are stored pages: each change of what readers
see is in them at the next request, and a conditional GET answers 304.
They list publications only, never the working copy.
"""

import math
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext

from conditions import versioning, workflow
from conditions.models import Condition
from library import store
from library.models import Page

from .factories import make_condition, make_user, publish_now

SITE = settings.SITE_URL
NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
    "atom": "http://www.w3.org/2005/Atom",
}


def get(client, url, content_type):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == content_type
    return response


def sitemap(client, url="/sitemap.xml"):
    """Return {address: {hreflang: address}} and the lastmods of a sitemap."""
    root = ET.fromstring(get(client, url, "application/xml; charset=utf-8").content)
    assert root.tag == f"{{{NS['s']}}}urlset"
    entries, lastmods = {}, {}
    for entry in root.findall("s:url", NS):
        location = entry.findtext("s:loc", namespaces=NS)
        assert location not in entries, f"{location} listed twice"
        entries[location] = {
            link.get("hreflang"): link.get("href")
            for link in entry.findall("xhtml:link", NS)
            if link.get("rel") == "alternate"
        }
        lastmods[location] = entry.findtext("s:lastmod", namespaces=NS)
    return entries, lastmods


def feed(client, language="en"):
    """Return the feed's root element and its entries as dicts."""
    response = get(client, f"/{language}/feed/", "application/atom+xml; charset=utf-8")
    root = ET.fromstring(response.content)
    entries = [
        {
            "title": entry.findtext("atom:title", namespaces=NS),
            "link": entry.find("atom:link[@rel='alternate']", NS).get("href"),
            "summary": entry.findtext("atom:summary", namespaces=NS),
            "updated": entry.findtext("atom:updated", namespaces=NS),
            "id": entry.findtext("atom:id", namespaces=NS),
        }
        for entry in root.findall("atom:entry", NS)
    ]
    return root, entries


def unpublish(condition):
    workflow.unpublish(condition, user=make_user(groups=["Editors"]), reason="Old")


@pytest.fixture
def bilingual(db):
    condition = make_condition(
        title_en="Focal Dystonia", slug_en="focal-dystonia", slug_es="distonia-focal"
    )
    publish_now(condition)
    return condition


@pytest.fixture
def english_only(db):
    condition = make_condition(
        title_en="Asthma", slug_en="asthma", title_es="", slug_es=""
    )
    publish_now(condition)
    return condition


# The sitemap ------------------------------------------------------------------


def test_the_sitemap_lists_each_language_with_reciprocal_alternates(
    client, bilingual, english_only
):
    entries, lastmods = sitemap(client)

    english = f"{SITE}/en/conditions/focal-dystonia/"
    spanish = f"{SITE}/es/conditions/distonia-focal/"
    both = {"en": english, "es": spanish, "x-default": english}
    assert entries[english] == both
    assert entries[spanish] == both
    asthma = f"{SITE}/en/conditions/asthma/"
    assert entries[asthma] == {"en": asthma}
    assert not any("asthma" in url for url in entries if "/es/" in url)
    live = bilingual.publications.get(language="es", is_current=True)
    assert lastmods[spanish].startswith(live.published_at.date().isoformat())
    # The home pages are there too, each with the other.
    assert entries[f"{SITE}/en/"]["es"] == f"{SITE}/es/"


def test_the_sitemap_lists_only_what_is_live(client, bilingual):
    draft = make_condition(title_en="Secret Draft", slug_en="secret-draft")
    versioning.save_revision(draft, user=make_user(), comment="Draft")
    entries, _ = sitemap(client)
    assert not any("secret-draft" in url for url in entries)

    publish_now(draft)
    entries, _ = sitemap(client)
    assert f"{SITE}/en/conditions/secret-draft/" in entries

    unpublish(draft)
    entries, _ = sitemap(client)
    assert not any("secret-draft" in url for url in entries)
    assert f"{SITE}/en/conditions/focal-dystonia/" in entries


def test_a_new_translation_joins_the_sitemap_with_its_alternates(client, english_only):
    from .factories import translate_now

    asthma = f"{SITE}/en/conditions/asthma/"
    assert sitemap(client)[0][asthma] == {"en": asthma}

    Condition.objects.filter(pk=english_only.pk).update(
        title_es="Asma", slug_es="asma", summary_es="Una enfermedad."
    )
    translate_now(Condition.objects.get(pk=english_only.pk))

    entries, _ = sitemap(client)
    asma = f"{SITE}/es/conditions/asma/"
    assert (
        entries[asthma]
        == entries[asma]
        == {"en": asthma, "es": asma, "x-default": asthma}
    )


def test_the_sitemap_is_stored_with_its_tag(client, bilingual):
    sitemap(client)
    page = Page.objects.get(path="/sitemap.xml")
    assert page.content_type == "application/xml; charset=utf-8"
    assert {tag.tag for tag in page.tags.all()} == {"sitemap"}


def test_above_the_threshold_the_sitemap_is_an_index_of_sections(client, db):
    for n in range(3):
        publish_now(make_condition(title_en=f"Condition {n}", slug_en=f"c-{n}"))
    everything, _ = sitemap(client)
    articles = [url for url in everything if "/conditions/" in url]
    listings = len(everything) - len(articles)
    assert len(articles) == 3 * 2 and listings >= 2  # the home pages at least
    store.invalidate({"sitemap"})

    with override_settings(SITEMAP_MAX_URLS=3):
        response = get(client, "/sitemap.xml", "application/xml; charset=utf-8")
        index = ET.fromstring(response.content)
        assert index.tag == f"{{{NS['s']}}}sitemapindex"
        locations = [
            entry.findtext("s:loc", namespaces=NS)
            for entry in index.findall("s:sitemap", NS)
        ]
        count = math.ceil(listings / 3) + 2  # listings, then articles
        assert locations == [f"{SITE}/sitemap-{n}.xml" for n in range(1, count + 1)]
        assert all(
            entry.findtext("s:lastmod", namespaces=NS)
            for entry in index.findall("s:sitemap", NS)
        )
        sections = {}
        for location in locations:
            entries, _ = sitemap(client, location.removeprefix(SITE))
            assert 1 <= len(entries) <= 3
            sections.update(entries)
        assert client.get(f"/sitemap-{count + 1}.xml").status_code == 404

    # The same addresses, with the same alternates, as one sitemap.
    assert sections == everything
    store.invalidate({"sitemap"})
    assert client.get("/sitemap-1.xml").status_code == 404


def test_the_sitemap_answers_a_conditional_get_with_304(client, bilingual):
    response = client.get("/sitemap.xml")
    etag = response["ETag"]
    for _source in ("stored", "cached"):
        again = client.get("/sitemap.xml", HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304
        assert again.content == b""
    publish_now(make_condition(title_en="Tremor", slug_en="tremor"))
    changed = client.get("/sitemap.xml", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert b"/en/conditions/tremor/" in changed.content


def test_the_sitemap_costs_the_same_queries_whatever_its_size(client, db):
    def queries_for_sitemap():
        store.invalidate({"sitemap"})
        with CaptureQueriesContext(connection) as queries:
            entries, _ = sitemap(client)
        return len(queries), len([url for url in entries if "/conditions/" in url])

    publish_now(make_condition(title_en="Condition", slug_en="c"))
    few = queries_for_sitemap()
    for n in range(10):
        publish_now(make_condition(title_en=f"Condition {n}", slug_en=f"c-{n}"))
    many = queries_for_sitemap()

    assert (few[1], many[1]) == (2, 22)
    assert few[0] == many[0]


# The feeds ---------------------------------------------------------------------


def test_the_feed_lists_a_new_article_at_the_next_request(client, bilingual):
    root, entries = feed(client)
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert [entry["title"] for entry in entries] == ["Focal Dystonia"]

    publish_now(make_condition(title_en="Tremor", slug_en="tremor"))

    _, entries = feed(client)
    assert [entry["title"] for entry in entries] == ["Tremor", "Focal Dystonia"]
    tremor = entries[0]
    assert tremor["link"] == f"{SITE}/en/conditions/tremor/"
    assert tremor["summary"] == (
        "An uncontrolled movement problem in one part of the body."
    )
    live = Condition.objects.get(slug_en="tremor").publications.get(
        language="en", is_current=True
    )
    assert tremor["updated"].startswith(live.published_at.strftime("%Y-%m-%dT%H:%M:%S"))
    assert tremor["id"].startswith("tag:")


def test_the_feed_drops_an_unpublished_article(client, bilingual):
    other = make_condition(title_en="Tremor", slug_en="tremor", slug_es="temblor")
    publish_now(other)
    assert len(feed(client)[1]) == 2
    assert len(feed(client, "es")[1]) == 2

    unpublish(other)

    assert [entry["title"] for entry in feed(client)[1]] == ["Focal Dystonia"]
    assert [entry["title"] for entry in feed(client, "es")[1]] == ["Distonía focal"]


def test_each_language_has_its_own_feed(client, bilingual, english_only):
    root, entries = feed(client, "es")

    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "es"
    with translation.override("es"):
        title = gettext("Health Library: recently updated articles")
    assert root.findtext("atom:title", namespaces=NS) == title
    assert [entry["title"] for entry in entries] == ["Distonía focal"]
    assert entries[0]["link"] == f"{SITE}/es/conditions/distonia-focal/"
    assert entries[0]["summary"] == (
        "Un problema de movimiento en una parte del cuerpo."
    )
    english = {entry["id"] for entry in feed(client, "en")[1]}
    assert entries[0]["id"] not in english


def test_an_entry_keeps_its_id_when_the_article_is_updated(client, bilingual):
    [before] = feed(client)[1]
    Condition.objects.filter(pk=bilingual.pk).update(title_en="Focal Dystonia, new")
    publish_now(Condition.objects.get(pk=bilingual.pk))
    [after] = feed(client)[1]

    assert after["title"] == "Focal Dystonia, new"
    assert after["id"] == before["id"]
    assert after["updated"] > before["updated"]


def test_the_feed_answers_a_conditional_get_with_304(client, bilingual):
    response = client.get("/en/feed/")
    assert response["Content-Language"] == "en"
    etag = response["ETag"]
    for _source in ("stored", "cached"):
        again = client.get("/en/feed/", HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304
    publish_now(make_condition(title_en="Tremor", slug_en="tremor"))
    assert client.get("/en/feed/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_the_feed_lists_at_most_its_size_newest_first(client, db):
    from library.syndication.feeds import FEED_ENTRIES

    for n in range(3):
        publish_now(make_condition(title_en=f"Condition {n}", slug_en=f"c-{n}"))
    _, entries = feed(client)
    assert [entry["title"] for entry in entries] == [
        "Condition 2",
        "Condition 1",
        "Condition 0",
    ]
    assert FEED_ENTRIES == 50


def test_every_page_links_the_feed_of_its_language(client, bilingual):
    english = client.get("/en/conditions/focal-dystonia/").content.decode()
    spanish = client.get("/es/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml" href="/en/feed/"' in (
        english
    )
    assert '<link rel="alternate" type="application/atom+xml" href="/es/feed/"' in (
        spanish
    )


# No draft text anywhere ----------------------------------------------------------


def test_a_working_copy_edit_is_in_neither_sitemap_nor_feed_until_approved(
    client, bilingual
):
    sitemap(client)
    feed(client)
    Condition.objects.filter(pk=bilingual.pk).update(
        title_en="Draft title", summary_en="Draft summary.", slug_en="draft-slug"
    )
    condition = Condition.objects.get(pk=bilingual.pk)
    versioning.save_revision(condition, user=make_user(), comment="Draft")
    call_command("render_pages", verbosity=0)

    for url in ("/sitemap.xml", "/en/feed/", "/es/feed/"):
        assert b"Draft" not in client.get(url).content
        assert b"draft-slug" not in client.get(url).content

    publish_now(condition)

    assert f"{SITE}/en/conditions/draft-slug/" in sitemap(client)[0]
    [entry] = feed(client)[1]
    assert entry["title"] == "Draft title"
    assert entry["summary"] == "Draft summary."


def test_render_pages_renders_the_sitemap_and_the_feeds(bilingual):
    call_command("render_pages", verbosity=0)
    paths = set(Page.objects.values_list("path", flat=True))
    assert {"/sitemap.xml", "/en/feed/", "/es/feed/"} <= paths


# robots.txt and the icons ----------------------------------------------------------


def test_robots_txt_allows_the_public_pages_and_points_to_the_sitemap(client, db):
    response = get(client, "/robots.txt", "text/plain; charset=utf-8")
    lines = response.content.decode().splitlines()

    assert lines[0] == "User-agent: *"
    assert "Allow: /" in lines
    assert "Disallow: /admin/" in lines
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    assert not any(line == "Disallow: /" for line in lines)
    # Search results, once the site has a search page.
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            try:
                search = reverse("library:search")
            except NoReverseMatch:
                continue
        assert f"Disallow: {search}" in lines


def test_the_favicon_is_served_at_the_root_and_linked_from_every_page(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert "public" in response["Cache-Control"]
    assert (
        client.get("/favicon.ico", HTTP_IF_NONE_MATCH=response["ETag"]).status_code
        == 304
    )

    html = client.get("/en/").content.decode()
    for icon in ("favicon.ico", "favicon.svg", "apple-touch-icon.png"):
        assert f'href="/static/{icon}"' in html
        assert client.get(f"/static/{icon}").status_code == 200
    assert 'type="image/svg+xml"' in html
