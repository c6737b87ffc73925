"""An article page describes itself to machines: JSON-LD and social cards.

The schema.org ``MedicalWebPage`` and the Open Graph and Twitter tags are
read from the stored page, as a search engine or a social network would,
and carry only what was approved, in the page's language.
"""

import json
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings

from conditions import versioning
from conditions.models import Condition, ConditionReference, Reference
from conditions.workflow import checks

from .factories import (
    make_condition,
    make_reference,
    make_reviewer,
    make_user,
    publish_now,
)

SITE = settings.SITE_URL


class _Head(HTMLParser):
    """The JSON-LD blocks and the meta/link tags of a page."""

    def __init__(self):
        super().__init__()
        self.json_ld, self.meta, self.links = [], [], []
        self._in_json = False

    def handle_starttag(self, name, attrs):
        attrs = dict(attrs)
        if name == "script" and attrs.get("type") == "application/ld+json":
            self._in_json = True
            self.json_ld.append("")
        elif name == "meta":
            self.meta.append(attrs)
        elif name == "link":
            self.links.append(attrs)

    def handle_endtag(self, name):
        if name == "script":
            self._in_json = False

    def handle_data(self, data):
        if self._in_json:
            self.json_ld[-1] += data


def head_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    parser = _Head()
    parser.feed(response.content.decode())
    return parser


def structured_data(client, url):
    head = head_of(client, url)
    assert len(head.json_ld) == 1
    return json.loads(head.json_ld[0])


def meta(head, key):
    """Return the contents of the meta tags named (property or name) key."""
    return [
        tag["content"]
        for tag in head.meta
        if tag.get("property") == key or tag.get("name") == key
    ]


@pytest.fixture
def article(db):
    condition = make_condition(
        slug_en="focal-dystonia",
        slug_es="distonia-focal",
        mesh_id="D020821",
        icd10="G24.1",
    )
    cited = make_reference(
        authors="Carrechio M, Mencacci NE, et al",
        title="Emerging monogenic complex hyperkinetic disorders",
        container="Curr Neurol Neurosci Rep",
        year=2017,
        doi="10.1007/s11910-017-0806-2",
        pmid="29086067",
    )
    website = make_reference(
        authors="National Institute of Neurological Disorders and Stroke",
        title="Dystonias fact sheet",
        container="NINDS website",
        year=None,
        url="https://www.ninds.nih.gov/dystonias-fact-sheet",
    )
    for position, reference in enumerate([cited, website], start=10):
        ConditionReference.objects.create(
            condition=condition, reference=reference, position=position
        )
    publish_now(
        condition,
        reviewer=make_reviewer(name="Grace N. Okafor", credentials="PharmD, MD"),
    )
    return condition


def test_the_article_page_is_a_medical_web_page(client, article):
    data = structured_data(client, "/en/conditions/focal-dystonia/")

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "MedicalWebPage"
    assert data["name"] == "Focal Dystonia"
    assert data["description"] == (
        "An uncontrolled movement problem in one part of the body."
    )
    assert data["inLanguage"] == "en"
    assert data["url"] == f"{SITE}/en/conditions/focal-dystonia/"
    live = article.publications.get(language="en", is_current=True)
    assert data["lastReviewed"] == live.reviewed_at.date().isoformat()
    assert data["dateModified"].startswith(live.published_at.date().isoformat())
    assert data["author"] == [
        {"@type": "Person", "name": "Cynthia M. Johnson", "honorificSuffix": "MA"}
    ]


def test_the_reviewer_is_named_with_credentials(client, article):
    data = structured_data(client, "/en/conditions/focal-dystonia/")

    assert data["reviewedBy"] == {
        "@type": "Person",
        "name": "Grace N. Okafor",
        "honorificSuffix": "PharmD, MD",
    }


def test_each_reference_is_a_citation_with_its_identifiers(client, article):
    data = structured_data(client, "/en/conditions/focal-dystonia/")
    citations = {c["name"]: c for c in data["citation"]}

    assert len(data["citation"]) == article.condition_references.count() == 4
    paper = citations["Emerging monogenic complex hyperkinetic disorders"]
    assert paper["@type"] == "ScholarlyArticle"
    assert paper["author"] == [
        {"@type": "Person", "name": "Carrechio M"},
        {"@type": "Person", "name": "Mencacci NE"},
    ]
    assert paper["isPartOf"] == {
        "@type": "Periodical",
        "name": "Curr Neurol Neurosci Rep",
    }
    assert paper["datePublished"] == "2017"
    assert {
        "@type": "PropertyValue",
        "propertyID": "DOI",
        "value": "10.1007/s11910-017-0806-2",
    } in paper["identifier"]  # noqa: E501
    assert {
        "@type": "PropertyValue",
        "propertyID": "PMID",
        "value": "29086067",
    } in paper["identifier"]  # noqa: E501
    assert paper["sameAs"] == [
        "https://doi.org/10.1007/s11910-017-0806-2",
        "https://pubmed.ncbi.nlm.nih.gov/29086067/",
    ]
    site = citations["Dystonias fact sheet"]
    assert site["@type"] == "CreativeWork"
    assert site["author"] == [
        {
            "@type": "Organization",
            "name": "National Institute of Neurological Disorders and Stroke",
        }
    ]
    assert site["publisher"] == {"@type": "Organization", "name": "NINDS website"}
    assert site["url"] == "https://www.ninds.nih.gov/dystonias-fact-sheet"
    assert "identifier" not in site and "datePublished" not in site
    # A journal's text cited by its web address alone is a web page.
    [other] = [c for c in data["citation"] if c["name"].startswith("A study")][:1]
    assert other["@type"] == "CreativeWork"
    assert other["url"].startswith("https://example.org/")
    assert "identifier" not in other and "sameAs" not in other


def test_a_paper_without_identifiers_is_still_a_paper(client, db, settings):
    # Only a site that switched the identifier check off publishes one.
    settings.PUBLICATION_CHECKS = [
        name for name in checks.CHECKS if name != "reference_identifiers"
    ]
    condition = make_condition(slug_en="unidentified", references=1, images=0)
    ConditionReference.objects.filter(condition=condition).update(
        reference=make_reference()  # a year, no DOI, PMID or web address
    )
    publish_now(condition)

    data = structured_data(client, "/en/conditions/unidentified/")

    [paper] = data["citation"]
    assert paper["@type"] == "ScholarlyArticle"
    assert paper["isPartOf"] == {"@type": "Periodical", "name": "J Test Med"}
    assert "identifier" not in paper and "sameAs" not in paper


def test_the_condition_carries_its_other_names_and_codes(client, article):
    about = structured_data(client, "/en/conditions/focal-dystonia/")["about"]

    assert about["@type"] == "MedicalCondition"
    assert about["name"] == "Focal Dystonia"
    assert about["alternateName"] == ["FD", "Focal dystonias"]
    assert about["code"] == [
        {"@type": "MedicalCode", "codeValue": "G24.1", "codingSystem": "ICD-10"},
        {"@type": "MedicalCode", "codeValue": "D020821", "codingSystem": "MeSH"},
    ]


def test_the_image_is_the_primary_image_of_the_page(client, article):
    image = structured_data(client, "/en/conditions/focal-dystonia/")[
        "primaryImageOfPage"
    ]

    assert image["@type"] == "ImageObject"
    assert image["url"].startswith(f"{SITE}/media/")
    assert image["caption"] == "Writer's cramp"
    assert image["creditText"] == "Copyright © Test Illustrators"
    assert image["description"] == "A hand with cramped fingers holding a pen"


def test_in_spanish_it_is_spanish(client, article):
    data = structured_data(client, "/es/conditions/distonia-focal/")

    assert data["inLanguage"] == "es"
    assert data["name"] == "Distonía focal"
    assert data["url"] == f"{SITE}/es/conditions/distonia-focal/"
    assert data["description"] == "Un problema de movimiento en una parte del cuerpo."
    assert data["about"]["name"] == "Distonía focal"
    assert data["about"]["alternateName"] == ["DF", "Distonías focales"]
    assert data["isPartOf"]["name"] == "Biblioteca de Salud"
    image = data["primaryImageOfPage"]
    assert image["caption"] == "Calambre del escribiente"
    assert image["description"] == (
        "Una mano con los dedos contraídos que sostiene un bolígrafo"
    )
    # Language-neutral: the reviewer, the codes, the citations.
    assert data["reviewedBy"]["honorificSuffix"] == "PharmD, MD"
    assert len(data["about"]["code"]) == 2
    assert len(data["citation"]) == 4


def test_a_page_without_image_or_codes_leaves_them_out(client, db, settings):
    # Only a site that switched the references check off publishes an
    # article without references.
    settings.PUBLICATION_CHECKS = [
        name for name in checks.CHECKS if name != "references"
    ]
    condition = make_condition(slug_en="plain", images=0, references=0)
    publish_now(condition)

    data = structured_data(client, "/en/conditions/plain/")
    head = head_of(client, "/en/conditions/plain/")

    assert "primaryImageOfPage" not in data and "citation" not in data
    assert "code" not in data["about"]
    assert meta(head, "og:image") == []
    assert meta(head, "twitter:card") == ["summary"]


def test_text_cannot_break_out_of_the_json_block(client, db):
    condition = make_condition(
        slug_en="tricky",
        title_en="Tricky </script><script>alert(1)</script> & <!-- condition",
    )
    Condition.objects.filter(pk=condition.pk).update(
        summary_en="Less < more > & \u2028 done"
    )
    publish_now(Condition.objects.get(pk=condition.pk))
    html = client.get("/en/conditions/tricky/").content.decode()

    block = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', html, re.S
    ).group(1)
    assert "<" not in block and ">" not in block and "&" not in block
    data = json.loads(block)
    assert data["name"] == (
        "Tricky </script><script>alert(1)</script> & <!-- condition"
    )
    assert data["description"] == "Less < more > & \u2028 done"
    assert html.count("<script") == 1


def test_open_graph_and_twitter_cards(client, article):
    english = head_of(client, "/en/conditions/focal-dystonia/")
    spanish = head_of(client, "/es/conditions/distonia-focal/")

    assert meta(english, "og:type") == ["article"]
    assert meta(english, "og:title") == ["Focal Dystonia"]
    assert meta(english, "og:description") == [
        "An uncontrolled movement problem in one part of the body."
    ]
    assert meta(english, "og:url") == [f"{SITE}/en/conditions/focal-dystonia/"]
    assert meta(english, "og:locale") == ["en_US"]
    assert meta(english, "og:locale:alternate") == ["es_ES"]
    assert meta(english, "og:site_name") == ["Health Library"]
    [image] = meta(english, "og:image")
    assert image.startswith(f"{SITE}/media/")
    assert meta(english, "og:image:alt") == [
        "A hand with cramped fingers holding a pen"
    ]
    assert meta(english, "twitter:card") == ["summary_large_image"]

    assert meta(spanish, "og:title") == ["Distonía focal"]
    assert meta(spanish, "og:locale") == ["es_ES"]
    assert meta(spanish, "og:locale:alternate") == ["en_US"]
    assert meta(spanish, "og:url") == [f"{SITE}/es/conditions/distonia-focal/"]
    assert meta(spanish, "og:site_name") == ["Biblioteca de Salud"]


def test_language_alternates_name_the_source_as_x_default(client, article, db):
    spanish = head_of(client, "/es/conditions/distonia-focal/")
    alternates = {
        link["hreflang"]: link["href"]
        for link in spanish.links
        if link.get("rel") == "alternate" and link.get("hreflang")
    }
    assert alternates == {
        "en": f"{SITE}/en/conditions/focal-dystonia/",
        "es": f"{SITE}/es/conditions/distonia-focal/",
        "x-default": f"{SITE}/en/conditions/focal-dystonia/",
    }
    only = make_condition(slug_en="only-english", title_es="", slug_es="")
    publish_now(only)
    english = head_of(client, "/en/conditions/only-english/")
    assert meta(english, "og:locale:alternate") == []
    assert [link["hreflang"] for link in english.links if link.get("hreflang")] == [
        "en"
    ]


def test_a_working_copy_edit_is_not_described_until_approved(client, article):
    url = "/en/conditions/focal-dystonia/"
    Condition.objects.filter(pk=article.pk).update(
        title_en="Draft title", summary_en="Draft summary.", icd10="Z99.9"
    )
    Reference.objects.filter(pmid="29086067").update(title="Draft citation")
    condition = Condition.objects.get(pk=article.pk)
    versioning.save_revision(condition, user=make_user(), comment="Draft")

    text = client.get(url).content.decode()
    data = structured_data(client, url)
    assert "Draft" not in text
    assert data["name"] == "Focal Dystonia"
    assert "Z99.9" not in json.dumps(data)

    publish_now(condition)

    data = structured_data(client, url)
    assert data["name"] == "Draft title"
    assert data["description"] == "Draft summary."
    assert "Draft citation" in [c["name"] for c in data["citation"]]
    assert {"@type": "MedicalCode", "codeValue": "Z99.9", "codingSystem": "ICD-10"} in (
        data["about"]["code"]
    )
    assert meta(head_of(client, url), "og:title") == ["Draft title"]


@pytest.mark.browser
def test_the_article_page_with_its_new_head_is_valid_html(client, article):
    from .browser import format_vnu, is_vnu_error, vnu_messages

    documents = {
        url: client.get(url).content.decode()
        for url in ("/en/conditions/focal-dystonia/", "/es/conditions/distonia-focal/")
    }
    messages = vnu_messages(documents)

    errors = [message for message in messages if is_vnu_error(message)]
    assert not errors, format_vnu(errors)
