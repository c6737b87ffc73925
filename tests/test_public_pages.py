"""Readers see publications only, in their language, never the working copy."""

import re

import pytest
from django.conf import settings

from conditions import workflow
from conditions.models import Section

from .factories import make_condition, make_user, publish_now


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_published_page_carries_the_whole_article(client, db):
    condition = make_condition(slug_en="focal-dystonia", slug_es="distonia-focal")
    publish_now(condition)

    html = page(client, "/en/conditions/focal-dystonia/")

    assert "<h1>Focal Dystonia</h1>" in html
    assert "FD, Focal dystonias" in html
    for kind in ["definition", "causes", "symptoms", "treatment", "prevention"]:
        assert f"English text of {kind}" in html
    assert "Risk factors" in html
    assert 'alt="A hand with cramped fingers holding a pen"' in html
    assert "Copyright © Test Illustrators" in html
    assert "J Test Med. 2020;4(2):" in html
    assert "Written by Cynthia M. Johnson, MA" in html
    assert "Medically reviewed by Daniel A. Ostrovsky, MD" in html
    assert "Last updated:" in html
    assert 'hreflang="es"' in html
    assert 'href="/es/conditions/distonia-focal/"' in html


def test_working_copy_edit_is_invisible_until_published(client, db):
    condition = make_condition(slug_en="focal-dystonia")
    publish_now(condition)
    section = condition.sections.get(position=0)
    section.body_en = "<p>Unreviewed draft sentence.</p>"
    section.save()
    condition.title_en = "Draft Title"
    condition.save()

    html = page(client, "/en/conditions/focal-dystonia/")
    assert "Unreviewed draft sentence" not in html
    assert "Draft Title" not in html
    assert "Draft Title" not in page(client, "/en/")

    publish_now(condition)
    html = page(client, "/en/conditions/focal-dystonia/")
    assert "Unreviewed draft sentence" in html
    assert "Draft Title" in html


@pytest.mark.parametrize("url", ["/en/conditions/{en}/", "/es/conditions/{es}/"])
def test_unpublished_condition_is_404_in_every_language(client, db, url):
    condition = make_condition()
    url = url.format(en=condition.slug_en, es=condition.slug_es)
    assert client.get(url).status_code == 404
    assert condition.title_en not in page(client, "/en/")

    publish_now(condition)
    assert client.get(url).status_code == 200
    editor = make_user(groups=["Editors"])
    workflow.unpublish(condition, user=editor, reason="Outdated advice")
    assert client.get(url).status_code == 404


def test_translated_slugs_route_to_the_same_article(client, db):
    condition = make_condition(slug_en="focal-dystonia", slug_es="distonia-focal")
    publish_now(condition)

    english = page(client, "/en/conditions/focal-dystonia/")
    spanish = page(client, "/es/conditions/distonia-focal/")

    assert '<html lang="es">' in spanish
    assert "<h1>Distonía focal</h1>" in spanish
    # Each page's selector links to the other language's own slug.
    assert 'href="/es/conditions/distonia-focal/" hreflang="es"' in english
    assert 'href="/en/conditions/focal-dystonia/" hreflang="en"' in spanish
    # Absolute addresses are the public site's (SITE_URL): the page is
    # rendered once, whatever host a request came in by.
    site = settings.SITE_URL
    assert (
        f'rel="alternate" hreflang="en" href="{site}/en/conditions/focal-dystonia/"'
        in spanish
    )
    # A slug of the other language does not resolve.
    assert client.get("/es/conditions/focal-dystonia/").status_code == 404
    assert client.get("/en/conditions/distonia-focal/").status_code == 404


def test_spanish_page_shows_spanish_text_and_never_english(client, db):
    condition = make_condition(slug_es="distonia-focal")
    # One section has no Spanish translation yet.
    Section.objects.filter(condition=condition, kind="treatment").update(body_es="")
    publish_now(condition)

    html = page(client, "/es/conditions/distonia-focal/")

    assert "Texto en español de definition" in html
    assert "English text" not in html
    assert "Focal Dystonia" not in html
    assert "A hand with cramped fingers" not in html
    assert "Una mano con los dedos contraídos" in html
    assert "Texto en español de treatment" not in html
    assert "Revisado médicamente por Daniel A. Ostrovsky, MD" in html
    assert "Última actualización:" in html


def test_language_without_translation_is_not_offered_nor_served(client, db):
    condition = make_condition(title_es="", slug_es="", slug_en="only-english")
    publish_now(condition)

    english = page(client, "/en/conditions/only-english/")
    assert 'hreflang="es"' not in english
    assert "Focal Dystonia" not in page(client, "/es/")
    assert not condition.publications.filter(language="es").exists()


def test_a_to_z_lists_only_published_conditions_in_each_language(client, db):
    published = make_condition(title_en="Zoster", title_es="Zóster", slug_es="zoster")
    also = make_condition(title_en="Asthma", title_es="Asma", slug_es="asma")
    make_condition(title_en="Secret Draft", title_es="Borrador secreto")
    publish_now(published)
    publish_now(also)

    english = page(client, "/en/")
    spanish = page(client, "/es/")

    assert english.index("Asthma") < english.index("Zoster")
    assert "Secret Draft" not in english
    assert "Asma" in spanish and "Zóster" in spanish
    assert "Borrador secreto" not in spanish
    assert 'href="/es/conditions/zoster/"' in spanish


def test_public_page_forbids_inline_script_and_other_hosts(client, db):
    condition = make_condition(slug_en="focal-dystonia")
    publish_now(condition)
    response = client.get("/en/conditions/focal-dystonia/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "default-src 'self'" in policy
    html = response.content.decode()
    # No script at all, but the structured data: JSON-LD is data, which
    # browsers never run.
    assert not re.search(r'<script(?![^>]*type="application/ld\+json")', html)
    assert not re.search(r"<script[^>]*\bsrc=", html)
    assert not re.search(
        r'(src|href)="(https?:)?//(?!testserver)', html.split("</head>")[1]
    )
    assert "public" in response["Cache-Control"]


@pytest.mark.parametrize("references", [1, 40])
def test_public_page_query_count_does_not_grow_with_content(
    client, db, django_assert_num_queries, references
):
    from django.core.cache import cache

    condition = make_condition(slug_en="focal-dystonia", references=references)
    related = make_condition(title_en="Tremor", slug_en="tremor")
    condition.related.add(related)
    publish_now(related)
    publish_now(condition)
    url = "/en/conditions/focal-dystonia/"
    # Rendered and stored at the first request (or at publication, after
    # the commit): a number of queries that does not depend on the content.
    with django_assert_num_queries(11):
        html = page(client, url)
    assert html.count("J Test Med.") == references
    assert 'href="/en/conditions/tremor/"' in html
    # Then it is one indexed query for the stored bytes…
    cache.clear()
    with django_assert_num_queries(1):
        assert page(client, url) == html
    # …and, from the cache, none with a shared cache (Redis), or one with
    # local memory, to check that nothing changed since.
    from library import store

    with django_assert_num_queries(0 if store.shared_cache() else 1):
        assert page(client, url) == html


def test_the_page_shows_the_illustrator_and_the_categories_in_its_language(client, db):
    from conditions.models import Category, ConditionContributor, Contributor

    condition = make_condition(slug_en="illustrated", slug_es="ilustrada")
    ConditionContributor.objects.create(
        condition=condition,
        contributor=Contributor.objects.create(name="Ana Ilustra", credentials=""),
        role="illustrator",
        position=5,
    )
    condition.categories.add(
        Category.objects.create(
            kind="body_system",
            name_en="Nervous system",
            name_es="Sistema nervioso",
            slug_en="nervous-system",
            slug_es="sistema-nervioso",
        )
    )
    publish_now(condition)

    english = page(client, "/en/conditions/illustrated/")
    spanish = page(client, "/es/conditions/ilustrada/")

    assert "Illustrated by Ana Ilustra" in english
    assert "Nervous system" in english and "Sistema nervioso" not in english
    assert "Sistema nervioso" in spanish


def test_every_part_of_the_snapshot_is_shown_by_the_page(db):
    """Nothing is stored at publication that no page reads."""
    from pathlib import Path

    from conditions.models import Publication

    publish_now(make_condition(slug_en="whole"))
    snapshot = Publication.objects.get(language="en").snapshot
    root = Path(__file__).resolve().parent.parent
    template = "".join(
        path.read_text() for path in (root / "templates" / "library").rglob("*.html")
    )
    views = (root / "library" / "pages" / "article.py").read_text()
    unread = [
        key
        for key in snapshot
        if f"page.{key}" not in template and f'"{key}"' not in views
    ]
    assert unread == []
