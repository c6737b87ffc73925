"""The syndication API (/api/v1/), from a partner's side.

Articles are schema.org MedicalWebPages in the NHS content API's shape, in
the language asked for, from live publications only; lists are paginated
and filtered; every response is a stored page (ETag, 304) that a
publication invalidates; keys and rate limits refuse with JSON; and the
OpenAPI description matches what is served (schemathesis).
"""

import json
from datetime import timedelta

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from conditions import workflow
from conditions.models import (
    Category,
    Condition,
    ConditionContributor,
    ConditionReference,
    Contributor,
    Publication,
    Section,
)
from library import store
from library.api.models import ApiKey
from library.api.openapi import document
from library.models import Entry, Page

from .factories import make_condition, make_reference, make_user, publish_now

API = "/api/v1/"


def get(client, url, status=200, data=None, **headers):
    response = client.get(url, data, **headers)
    assert response.status_code == status, (url, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def sections_text(document):
    return " ".join(
        part.get("text", "")
        for section in document["mainEntityOfPage"]
        for part in section["mainEntityOfPage"]
    )


@pytest.fixture
def article(db):
    """Focal Dystonia, live in English and Spanish, with all its parts."""
    condition = make_condition(
        title_en="Focal Dystonia",
        slug_en="focal-dystonia",
        slug_es="distonia-focal",
        mesh_id="D000072660",
        icd10="G24.9",
        references=0,
    )
    Condition.objects.filter(pk=condition.pk).update(
        also_called_en="Focal dystonias\nWriter's cramp"
    )
    condition.refresh_from_db()
    ConditionReference.objects.create(
        condition=condition,
        reference=make_reference(doi="10.1007/s11910-017-0806-2", pmid="29086067"),
        position=0,
    )
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
        ),
        Category.objects.create(
            kind="specialty",
            name_en="Neurology",
            name_es="Neurología",
            slug_en="neurology",
            slug_es="neurologia",
        ),
    )
    related = make_condition(
        title_en="Tremor", title_es="Temblor", slug_en="tremor", slug_es="temblor"
    )
    condition.related.add(related)
    publish_now(related)
    publish_now(condition)
    return condition


# 1. What an article says --------------------------------------------------


def test_an_article_is_a_medical_web_page_with_all_it_shows(client, article):
    document = get(client, API + "conditions/focal-dystonia/")
    live = Publication.objects.live(article, "en")

    assert document["@type"] == "MedicalWebPage"
    assert document["name"] == "Focal Dystonia"
    assert document["description"] == live.summary
    assert document["inLanguage"] == "en"
    assert document["identifier"] == str(article.pk)
    assert document["url"] == "http://127.0.0.1:8000/api/v1/conditions/focal-dystonia/"
    assert document["webpage"].endswith("/en/conditions/focal-dystonia/")
    about = document["about"]
    assert about["@type"] == "MedicalCondition" and about["name"] == "Focal Dystonia"
    assert about["alternateName"] == ["Focal dystonias", "Writer's cramp"]
    assert {(c["codingSystem"], c["codeValue"]) for c in about["code"]} == {
        ("ICD-10", "G24.9"),
        ("MeSH", "D000072660"),
    }
    assert all(code["@type"] == "MedicalCode" for code in about["code"])
    assert about["associatedAnatomy"] == [
        {"@type": "AnatomicalSystem", "name": "Nervous system"}
    ]
    assert about["relevantSpecialty"] == [
        {"@type": "MedicalSpecialty", "name": "Neurology"}
    ]
    assert document["author"] == [
        {"@type": "Person", "name": "Cynthia M. Johnson", "honorificSuffix": "MA"}
    ]
    assert document["contributor"] == [{"@type": "Person", "name": "Ana Ilustra"}]
    assert document["reviewedBy"] == {
        "@type": "Person",
        "name": "Daniel A. Ostrovsky",
        "honorificSuffix": "MD",
    }
    reviewed, due = document["lastReviewed"]
    assert reviewed.startswith(live.reviewed_at.date().isoformat())
    assert due == f"{live.next_review_on.isoformat()}T00:00:00+00:00"
    assert document["dateModified"].startswith(live.published_at.date().isoformat())
    [citation] = document["citation"]
    assert citation["@type"] == "ScholarlyArticle"
    assert citation["text"] == live.snapshot["references"][0]["text"]
    assert {"@type": "PropertyValue", "propertyID": "PMID", "value": "29086067"} in (
        citation["identifier"]
    )
    image = document["primaryImageOfPage"]
    assert image["@type"] == "ImageObject"
    assert image["name"] == "A hand with cramped fingers holding a pen"
    assert image["caption"] == "Writer's cramp"
    assert image["creditText"] == "Copyright © Test Illustrators"
    assert image["url"].startswith("http://127.0.0.1:8000/")
    assert [link["name"] for link in document["relatedLink"]] == ["Tremor"]
    assert document["relatedLink"][0]["url"].endswith("/api/v1/conditions/tremor/")
    assert [version["inLanguage"] for version in document["workTranslation"]] == ["es"]

    # Sections as the NHS API nests them: a heading element holding its parts.
    sections = document["mainEntityOfPage"]
    assert [s["headline"] for s in sections] == [
        s["heading"] for s in live.snapshot["sections"]
    ]
    first = sections[0]
    assert first["@type"] == "WebPageElement" and first["name"] == "section heading"
    assert first["position"] == 0
    assert first["hasHealthAspect"] == "https://schema.org/OverviewHealthAspect"
    text = first["mainEntityOfPage"][0]
    assert text["@type"] == "WebPageElement" and text["name"] == "markdown"
    assert text["text"] == live.snapshot["sections"][0]["html"]
    symptoms = next(s for s in sections if s["identifier"] == "symptoms")
    assert [part["@type"] for part in symptoms["mainEntityOfPage"]] == [
        "WebPageElement",
        "ImageObject",
    ]


def test_the_spanish_article_is_in_spanish_only(client, article):
    document = get(client, API + "conditions/distonia-focal/?language=es")

    assert document["name"] == "Distonía focal" and document["inLanguage"] == "es"
    assert document["url"].endswith("/api/v1/conditions/distonia-focal/?language=es")
    assert document["about"]["associatedAnatomy"][0]["name"] == "Sistema nervioso"
    assert document["primaryImageOfPage"]["caption"] == "Calambre del escribiente"
    assert "Texto en español" in sections_text(document)
    assert "English text" not in json.dumps(document, ensure_ascii=False)
    assert document["translationOfWork"]["url"].endswith(
        "/api/v1/conditions/focal-dystonia/"
    )
    assert document["translationOutdatedSince"] is None
    assert document["relatedLink"][0]["name"] == "Temblor"
    # A slug is the slug of its language.
    get(client, API + "conditions/focal-dystonia/?language=es", status=404)
    get(client, API + "conditions/distonia-focal/", status=404)


def test_a_translation_says_when_its_source_moved_on(client, article):
    url = API + "conditions/distonia-focal/?language=es"
    assert get(client, url)["translationOutdatedSince"] is None

    Section.objects.filter(condition=article, position=0).update(
        body_en="<p>New English advice.</p>"
    )
    publish_now(Condition.objects.get(pk=article.pk), translate=False)

    document = get(client, url)
    english = Publication.objects.live(article, "en")
    assert document["translationOutdatedSince"].startswith(
        english.published_at.date().isoformat()
    )
    assert "New English advice" not in json.dumps(document)


def test_an_article_only_in_english_is_not_served_in_spanish(client, db):
    publish_now(make_condition(slug_en="asthma", title_es="", slug_es=""))
    assert get(client, API + "conditions/asthma/")["workTranslation"] == []
    listed = get(client, API + "conditions/?language=es")
    assert listed["numberOfItems"] == 0


def test_relative_links_in_the_text_name_the_site_in_full(client, db):
    # A link to an article is approved only once that article is live.
    publish_now(make_condition(slug_en="tremor", sections=1, images=0))
    condition = make_condition(slug_en="linked", sections=1)
    Section.objects.filter(condition=condition).update(
        body_en='<p>See <a href="/en/conditions/tremor/">tremor</a>.</p>'
    )
    publish_now(condition)
    document = get(client, API + "conditions/linked/")
    assert 'href="http://127.0.0.1:8000/en/conditions/tremor/"' in sections_text(
        document
    )


# 2. Live publications only, and at once -------------------------------------


def test_a_draft_edit_is_not_visible_until_it_is_published(client, article):
    url = API + "conditions/focal-dystonia/"
    assert "Revised advice" not in sections_text(get(client, url))
    Section.objects.filter(condition=article, position=0).update(
        body_en="<p>Revised advice.</p>"
    )
    assert "Revised advice" not in sections_text(get(client, url))
    assert "Revised advice" not in json.dumps(get(client, API + "conditions/"))

    publish_now(Condition.objects.get(pk=article.pk))

    assert "Revised advice" in sections_text(get(client, url))


def test_an_unpublished_article_answers_404_and_leaves_the_lists(client, article):
    urls = [API + "conditions/focal-dystonia/", API + "conditions/?language=es"]
    for url in urls:
        get(client, url)  # stored and cached
    assert get(client, API + "conditions/")["numberOfItems"] == 2

    workflow.unpublish(article, user=make_user(groups=["Editors"]), reason="Outdated")

    error = get(client, API + "conditions/focal-dystonia/", status=404)["error"]
    assert error["status"] == 404 and error["code"] == "not_found"
    get(client, API + "conditions/distonia-focal/?language=es", status=404)
    english = get(client, API + "conditions/")
    assert [item["name"] for item in english["significantLink"]] == ["Tremor"]
    assert english["numberOfItems"] == 1
    assert [item["name"] for item in get(client, urls[1])["significantLink"]] == [
        "Temblor"
    ]
    # The related article no longer links it.
    assert get(client, API + "conditions/tremor/")["relatedLink"] == []


def test_a_new_article_is_listed_at_the_next_request(client, article):
    assert get(client, API + "conditions/")["numberOfItems"] == 2
    get(client, API + "conditions/")  # from the cache now

    publish_now(
        make_condition(
            title_en="Asthma", title_es="Asma", slug_en="asthma", slug_es="asma"
        )
    )

    listed = get(client, API + "conditions/")
    assert [item["name"] for item in listed["significantLink"]] == [
        "Asthma",
        "Focal Dystonia",
        "Tremor",
    ]
    spanish = get(client, API + "conditions/?language=es")
    assert [item["name"] for item in spanish["significantLink"]] == [
        "Asma",
        "Distonía focal",
        "Temblor",
    ]


def test_a_list_item_says_what_changed_and_when_it_was_reviewed(client, article):
    [item] = [
        item
        for item in get(client, API + "conditions/")["significantLink"]
        if item["name"] == "Focal Dystonia"
    ]
    live = Publication.objects.live(article, "en")
    assert item["@type"] == "LinkRole" and item["linkRelationship"] == "Result"
    assert item["identifier"] == str(article.pk)
    assert item["description"] == live.summary
    assert item["url"].endswith("/api/v1/conditions/focal-dystonia/")
    assert item["webpage"].endswith("/en/conditions/focal-dystonia/")
    entity = item["mainEntityOfPage"]
    assert entity["dateModified"].startswith(live.published_at.date().isoformat())
    assert entity["lastReviewed"][1] == entity["reviewDue"]


# 3. Lists: pages, filters ---------------------------------------------------


@pytest.fixture
def five(db):
    """Five articles, live in English and Spanish."""
    titles = ["Acne", "Bronchitis", "Cough", "Dizziness", "Eczema"]
    conditions = [
        make_condition(
            title_en=title,
            title_es=f"{title} (es)",
            slug_en=title.lower(),
            slug_es=f"{title.lower()}-es",
            sections=1,
            references=1,
            images=0,
        )
        for title in titles
    ]
    for condition in conditions:
        publish_now(condition)
    return conditions


@override_settings(API_PAGE_SIZE=2)
def test_a_list_has_pages_with_next_and_previous_links_and_a_total(client, five):
    first = get(client, API + "conditions/")
    assert first["numberOfItems"] == 5 and first["pageSize"] == 2
    assert first["page"] == 1 and first["previous"] is None
    assert [item["name"] for item in first["significantLink"]] == ["Acne", "Bronchitis"]
    assert first["next"] == "http://127.0.0.1:8000/api/v1/conditions/?page=2"

    second = get(client, first["next"].removeprefix("http://127.0.0.1:8000"))
    assert [item["name"] for item in second["significantLink"]] == [
        "Cough",
        "Dizziness",
    ]
    assert second["previous"] == "http://127.0.0.1:8000/api/v1/conditions/"
    links = {link["name"]: link["url"] for link in second["relatedLink"]}
    assert links == {
        "First page": "http://127.0.0.1:8000/api/v1/conditions/",
        "Last page": "http://127.0.0.1:8000/api/v1/conditions/?page=3",
        "This page": "http://127.0.0.1:8000/api/v1/conditions/?page=2",
        "Previous page": "http://127.0.0.1:8000/api/v1/conditions/",
        "Next page": "http://127.0.0.1:8000/api/v1/conditions/?page=3",
    }
    last = get(client, API + "conditions/?page=3")
    assert [item["name"] for item in last["significantLink"]] == ["Eczema"]
    assert last["next"] is None

    spanish = get(client, API + "conditions/?language=es&page=2")
    assert spanish["next"].endswith("/api/v1/conditions/?language=es&page=3")
    assert spanish["significantLink"][0]["name"] == "Cough (es)"

    assert get(client, API + "conditions/?page=4", status=404)["error"]["code"] == (
        "not_found"
    )
    for wrong in ("0", "-1", "two", "1.5"):
        error = get(client, API + f"conditions/?page={wrong}", status=400)["error"]
        assert error["code"] == "invalid_parameter" and error["parameter"] == "page"


def test_the_list_filters_by_category_in_either_slug(client, five):
    skin = Category.objects.create(
        kind="body_system",
        name_en="Skin",
        name_es="Piel",
        slug_en="skin",
        slug_es="piel",
    )
    for condition in (five[0], five[4]):
        condition.categories.add(skin)
        publish_now(Condition.objects.get(pk=condition.pk))

    for url in (
        "conditions/?category=skin",
        "conditions/?category=piel&language=es",
        "conditions/?category=skin&language=es",
    ):
        listed = get(client, API + url)
        assert listed["numberOfItems"] == 2, url
    assert [
        item["name"]
        for item in get(client, API + "conditions/?category=piel&language=es")[
            "significantLink"
        ]
    ] == ["Acne (es)", "Eczema (es)"]

    categories = get(client, API + "categories/?language=es")
    [term] = categories["hasDefinedTerm"]
    assert term["name"] == "Piel" and term["identifier"] == "piel"
    assert term["numberOfItems"] == 2
    assert term["url"].endswith("/api/v1/conditions/?language=es&category=piel")

    error = get(client, API + "conditions/?category=nowhere", status=404)["error"]
    assert error["code"] == "not_found"
    error = get(client, API + "conditions/?category=no%20slug", status=400)["error"]
    assert error["parameter"] == "category"


def test_a_renamed_category_is_renamed_in_the_api_at_the_next_request(client, five):
    skin = Category.objects.create(
        kind="body_system", name_en="Skin", slug_en="skin", name_es="Piel"
    )
    five[0].categories.add(skin)
    publish_now(Condition.objects.get(pk=five[0].pk))
    assert get(client, API + "categories/")["hasDefinedTerm"][0]["name"] == "Skin"
    assert get(client, API + "conditions/?category=skin")["numberOfItems"] == 1

    skin.name_en, skin.slug_en = "Skin and hair", "skin-and-hair"
    skin.save()

    assert get(client, API + "categories/")["hasDefinedTerm"][0]["name"] == (
        "Skin and hair"
    )
    get(client, API + "conditions/?category=skin", status=404)
    assert get(client, API + "conditions/?category=skin-and-hair")["numberOfItems"] == 1


def test_the_list_filters_by_modification_date(client, five):
    # Four were published a month ago, the last one now.
    month_ago = timezone.now() - timedelta(days=30)
    old = [condition.pk for condition in five[:4]]
    Publication.objects.filter(condition__in=old).update(published_at=month_ago)
    Entry.objects.filter(condition__in=old).update(published_at=month_ago)
    since = (timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")

    recent = get(client, API + f"conditions/?modified_since={since}")

    assert [item["name"] for item in recent["significantLink"]] == ["Eczema"]
    assert recent["url"].endswith(f"/api/v1/conditions/?modified_since={since}")
    spanish = get(client, API + f"conditions/?modified_since={since}&language=es")
    assert [item["name"] for item in spanish["significantLink"]] == ["Eczema (es)"]
    everything = get(client, API + "conditions/?modified_since=2000-01-01")
    assert everything["numberOfItems"] == 5
    future = (timezone.now() + timedelta(days=1)).isoformat()
    assert (
        get(client, API + "conditions/", data={"modified_since": future})[
            "numberOfItems"
        ]
        == 0
    )
    # Each moment is its own address: such pages are not stored.
    assert not Page.objects.filter(path__contains="modified_since").exists()
    for wrong in ("yesterday", "2026-13-01", "2026-01-01T25:00:00"):
        error = get(client, API + f"conditions/?modified_since={wrong}", status=400)
        assert error["error"]["parameter"] == "modified_since"


def test_an_unknown_language_is_refused_with_the_languages_there_are(client, five):
    for url in ("conditions/?language=fr", "conditions/acne/?language=fr"):
        error = get(client, API + url, status=400)["error"]
        assert error["parameter"] == "language" and "en, es" in error["message"]


def test_the_root_lists_the_endpoints_in_every_language(client, db):
    root = get(client, API)
    assert root["@type"] == "WebAPI"
    assert root["documentation"].endswith("/api/v1/openapi.json")
    assert {
        (link["linkRelationship"], link["url"]) for link in root["significantLink"]
    } >= {
        ("Conditions", "http://127.0.0.1:8000/api/v1/conditions/"),
        ("Conditions", "http://127.0.0.1:8000/api/v1/conditions/?language=es"),
        ("Categories", "http://127.0.0.1:8000/api/v1/categories/?language=es"),
    }
    assert get(client, API + "nothing/here/", status=404)["error"]["code"] == (
        "not_found"
    )
    assert client.get(API + "conditions").status_code == 301
    assert client.post(API + "conditions/").status_code == 405


# 4. Stored pages, caches, query counts --------------------------------------


def test_responses_are_stored_pages_with_etag_and_304(client, article):
    url = API + "conditions/focal-dystonia/"
    response = client.get(url)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "public" in response["Cache-Control"]
    assert response["Content-Language"] == "en"
    assert "Vary" not in response
    etag, modified = response["ETag"], response["Last-Modified"]
    for headers in ({"HTTP_IF_NONE_MATCH": etag}, {"HTTP_IF_MODIFIED_SINCE": modified}):
        for _cached in (False, True):
            again = client.get(url, **headers)
            assert again.status_code == 304 and again.content == b""

    stored = Page.objects.get(path=url)
    assert bytes(stored.body) == response.content
    assert f"condition:{article.pk}" in {t.tag for t in stored.tags.all()}
    client.get(API + "conditions/?language=es")
    listed = Page.objects.get(path=API + "conditions/?language=es")
    assert "api:list:es" in {t.tag for t in listed.tags.all()}


def test_render_pages_renders_the_api_listings(db):
    call_command("render_pages", verbosity=0)
    paths = set(Page.objects.values_list("path", flat=True))
    assert {
        API,
        API + "openapi.json",
        API + "conditions/",
        API + "conditions/?language=es",
        API + "categories/",
        API + "categories/?language=es",
    } <= paths


@pytest.mark.parametrize("size", [2, 6])
def test_query_counts_do_not_grow_with_the_library(
    client, db, django_assert_num_queries, size
):
    skin = Category.objects.create(
        kind="body_system", name_en="Skin", slug_en="skin", name_es="Piel"
    )
    first = None
    for number in range(size):
        condition = make_condition(
            title_en=f"Condition {number}",
            slug_en=f"condition-{number}",
            slug_es=f"afeccion-{number}",
            sections=2,
            references=1,
            images=0,
        )
        condition.categories.add(skin)
        if first is not None:
            condition.related.add(first)
        publish_now(condition)
        first = first or condition
    Page.objects.all().delete()
    cache.clear()
    # Rendered and stored at the first request: fixed numbers of queries.
    pinned = {
        API + "conditions/?page=1": 11,
        API + "conditions/?language=es&category=skin": 12,
        API + "conditions/condition-1/": 10,
        API + "categories/?language=es": 10,
    }
    with override_settings(API_PAGE_SIZE=2):
        for url, queries in pinned.items():
            with django_assert_num_queries(queries):
                get(client, url)
        # Then one indexed query for the stored bytes…
        cache.clear()
        with django_assert_num_queries(1):
            get(client, API + "conditions/condition-1/")
        # …and none (Redis) or one (local memory) from the cache.
        with django_assert_num_queries(0 if store.shared_cache() else 1):
            get(client, API + "conditions/condition-1/")


# 5. Keys and limits, from the refused side ----------------------------------


@pytest.fixture
def partner(db):
    """An API key with its own limit of 2 requests a minute; returns the key."""
    api_key = ApiKey(name="Partner", rate_limit=2)
    key = api_key.new_key()
    api_key.save()
    return key


def assert_refused(response, limit):
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    assert response["Cache-Control"] == "no-store"
    wait = int(response["Retry-After"])
    assert 1 <= wait <= 60
    error = json.loads(response.content)["error"]
    assert error["code"] == "rate_limited" and error["status"] == 429
    assert error["limit"] == limit and error["retryAfter"] == wait
    assert str(limit) in error["message"]


@override_settings(API_ANONYMOUS_RATE_LIMIT=2)
def test_an_address_over_the_anonymous_limit_is_refused(client, article, partner):
    url = API + "conditions/focal-dystonia/"
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200  # from the cache: counted too

    assert_refused(client.get(url), 2)
    # Refused before anything is rendered or stored.
    refused = client.get(API + "conditions/tremor/")
    assert_refused(refused, 2)
    assert not Page.objects.filter(path=API + "conditions/tremor/").exists()
    # Nobody else is refused: another address, and a partner's key.
    assert client.get(url, REMOTE_ADDR="10.0.0.9").status_code == 200
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {partner}").status_code == 200


@override_settings(API_ANONYMOUS_RATE_LIMIT=1, API_TRUSTED_PROXIES=1)
def test_behind_a_proxy_the_client_address_is_counted(client, article):
    url = API + "conditions/focal-dystonia/"
    one = {"HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    two = {"HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    assert client.get(url, **one).status_code == 200
    assert_refused(client.get(url, **one), 1)
    assert client.get(url, **two).status_code == 200


def test_a_key_has_its_own_limit(client, article, partner):
    url = API + "conditions/focal-dystonia/"
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {partner}").status_code == 200
    assert client.get(url, HTTP_X_API_KEY=partner).status_code == 200  # same key

    assert_refused(client.get(url, HTTP_X_API_KEY=partner), 2)
    # Another key, and requests without one, are still answered.
    other = ApiKey(name="Other", rate_limit=5)
    other_key = other.new_key()
    other.save()
    assert client.get(url, HTTP_X_API_KEY=other_key).status_code == 200
    assert client.get(url).status_code == 200


def test_an_unknown_or_inactive_key_is_refused(client, article, partner):
    url = API + "conditions/focal-dystonia/"
    for headers in (
        {"HTTP_AUTHORIZATION": "Bearer hl_not-a-key"},
        {"HTTP_X_API_KEY": "hl_not-a-key"},
    ):
        response = client.get(url, **headers)
        assert response.status_code == 401
        assert response["Cache-Control"] == "no-store"
        assert "Bearer" in response["WWW-Authenticate"]
        assert json.loads(response.content)["error"]["code"] == "invalid_key"
    assert client.get(url, HTTP_X_API_KEY=partner).status_code == 200

    api_key = ApiKey.objects.get(name="Partner")
    api_key.is_active = False
    api_key.save()

    assert client.get(url, HTTP_X_API_KEY=partner).status_code == 401


@override_settings(API_ANONYMOUS_RATE_LIMIT=0)
def test_a_key_can_be_required(client, article, partner):
    url = API + "conditions/focal-dystonia/"
    response = client.get(url)
    assert response.status_code == 401
    assert json.loads(response.content)["error"]["code"] == "key_required"
    assert client.get(url, HTTP_X_API_KEY=partner).status_code == 200


def shown_key(response):
    """Return the key shown in the admin's confirmation message."""
    [key] = [
        word.rstrip(".")
        for message in response.context["messages"]
        for word in str(message).split()
        if word.startswith("hl_")
    ]
    return key


def test_editors_make_keys_in_the_admin_and_see_them_once(client, article):
    client.force_login(make_user(groups=["Authors"]))
    changelist = reverse("admin:library_api_apikey_changelist")
    assert client.get(changelist).status_code == 403
    editor = make_user(groups=["Editors"])
    client.force_login(editor)
    response = client.post(
        reverse("admin:library_api_apikey_add"),
        {"name": "Clinic portal", "rate_limit": "3", "is_active": "on"},
        follow=True,
    )
    assert response.status_code == 200
    key = shown_key(response)
    api_key = ApiKey.objects.get(name="Clinic portal")
    assert key.startswith("hl_") and key.startswith(api_key.prefix)
    assert key not in api_key.digest and api_key.digest == ApiKey.digest_of(key)
    client.logout()

    url = API + "conditions/focal-dystonia/"
    for _request in range(3):
        assert client.get(url, HTTP_X_API_KEY=key).status_code == 200
    assert_refused(client.get(url, HTTP_X_API_KEY=key), 3)

    # A leaked key is replaced: the old one stops working at once.
    client.force_login(editor)
    response = client.post(
        changelist,
        {"action": "replace_keys", "_selected_action": [api_key.pk]},
        follow=True,
    )
    new_key = shown_key(response)
    client.logout()
    assert client.get(url, HTTP_X_API_KEY=key).status_code == 401
    # The new key is the same partner's: its minute goes on.
    assert_refused(client.get(url, HTTP_X_API_KEY=new_key), 3)


# 6. The OpenAPI description matches what is served ---------------------------


def test_the_description_served_is_the_one_tested(client, db):
    assert get(client, API + "openapi.json") == json.loads(json.dumps(document()))


#: The description, checked against the API served by the WSGI application.
schema = schemathesis.openapi.from_dict(document())
schema.app = get_wsgi_application()


@pytest.fixture
def test_transaction_kept():
    """Keep the test's connection (and transaction) open across requests.

    The WSGI handler closes database connections at the end of each request
    (a connection inside a transaction counts as unusable); Django's test
    client turns that off the same way.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@hypothesis.settings(
    max_examples=15,
    deadline=None,
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)
def test_the_api_serves_what_its_description_says(
    case, article, settings, test_transaction_kept
):
    """Every documented parameter: no server error, documented statuses and
    headers, and bodies that match their schemas."""
    settings.API_ANONYMOUS_RATE_LIMIT = None
    case.call_and_validate()


@pytest.mark.parametrize(
    "address", ["conditions/%09%0A/", "conditions/a%0Ab/", "nothing%0A"]
)
def test_an_address_with_a_line_break_is_a_json_404(client, db, address):
    """Found by schemathesis: a slug holding a newline missed every pattern
    and got Django's HTML 404 instead of the API's JSON error."""
    error = get(client, API + address, status=404)["error"]
    assert error["code"] == "not_found"
