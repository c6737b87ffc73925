"""The API's JSON documents, rendered from live publications into pages.

Shapes follow the NHS website content API (docs/api.md): an article is a
schema.org ``MedicalWebPage`` whose sections are ``mainEntityOfPage``
elements (a ``WebPageElement`` with a ``headline``, holding its text and
images in its own ``mainEntityOfPage``); a list is a page of
``significantLink`` results with ``relatedLink`` pagination.

Each ``render_*`` returns a ``store.Rendered`` (or None: 404) tagged with
what it shows: an article carries ``condition:<id>`` (and its related
articles' tags, whose titles it shows); lists carry ``api:list:<language>``,
which the API's tagger (hooks.py) returns when any article changes in that
language. The queries of a render are fixed, whatever the size of the
library: lists read the listing index (``Entry``), never snapshots.
"""

import json
import math
import re
from urllib.parse import quote

from django.conf import settings
from django.db.models import Count, Q
from django.utils import translation
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from conditions.models import HEALTH_ASPECTS, Category, Publication

from .. import store
from ..models import Entry, EntryCategory
from ..pages.article import live_article, tag
from ..pages.common import absolute, language_codes, url
from ..pages.entries import category_tag
from ..syndication.structured import first_image, public_url
from . import params
from .params import condition_path, iso

CONTENT_TYPE = "application/json; charset=utf-8"
CONTEXT = "https://schema.org"
#: An address in rich text that starts at the site's root.
_ROOT_RELATIVE = re.compile(r'(\s(?:href|src)=")/(?!/)')
#: An NLM personal name: a surname, then up to four initials ("Ben Abacha A").
_PERSON_NAME = re.compile(r"^\S.* [A-Z]{1,4}$")


def list_tag(language):
    """Return the tag of every list page of a language."""
    return f"api:list:{language}"


def page_size():
    return settings.API_PAGE_SIZE


def dump(document):
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def rendered(document, *, tags, language="", keep=True):
    return store.Rendered(
        body=dump(document),
        tags=set(tags),
        language=language,
        content_type=CONTENT_TYPE,
        keep=keep,
    )


def api_url(path):
    return absolute(path)


def with_full_links(html):
    """Return rich text whose root-relative links name the site in full."""
    return _ROOT_RELATIVE.sub(lambda m: m.group(1) + absolute("/"), html)


def review_moment(day):
    """Return a date (the next review) as a date-time, as the NHS API does."""
    return f"{day.isoformat()}T00:00:00+00:00" if day else None


def last_reviewed(reviewed_at, next_review_on):
    """Return ``lastReviewed``: [last review, next review due], or None."""
    if reviewed_at is None:
        return None
    return [iso(reviewed_at), review_moment(next_review_on)]


def person(entry):
    found = {"@type": "Person", "name": entry["name"]}
    if entry.get("credentials"):
        found["honorificSuffix"] = entry["credentials"]
    return found


# ---------------------------------------------------------------- an article


def _codes(codes):
    return [
        {"@type": "MedicalCode", "codeValue": codes[key], "codingSystem": system}
        for key, system in (("icd10", "ICD-10"), ("mesh", "MeSH"))
        if codes.get(key)
    ]


def _condition(page):
    condition = {
        "@type": "MedicalCondition",
        "name": page["title"],
        "alternateName": page.get("also_called", []),
        "code": _codes(page.get("codes") or {}),
    }
    categories = page.get("categories", [])
    anatomy = [c["name"] for c in categories if c["kind"] == "body_system"]
    specialties = [c["name"] for c in categories if c["kind"] == "specialty"]
    if anatomy:
        condition["associatedAnatomy"] = [
            {"@type": "AnatomicalSystem", "name": name} for name in anatomy
        ]
    if specialties:
        condition["relevantSpecialty"] = [
            {"@type": "MedicalSpecialty", "name": name} for name in specialties
        ]
    return condition


def _image(image, position=None):
    found = {"@type": "ImageObject", "url": public_url(image["url"])}
    if position is not None:
        found["position"] = position
    found["name"] = image.get("alt", "")
    for key, field in (("caption", "caption"), ("credit", "creditText")):
        if image.get(key):
            found[field] = image[key]
    if image.get("width") and image.get("height"):
        found["width"], found["height"] = image["width"], image["height"]
    return found


def _section(section, position):
    parts = [
        {
            "@type": "WebPageElement",
            "name": "markdown",
            "headline": "",
            "position": 0,
            "text": with_full_links(section["html"]),
        }
    ]
    parts += [
        _image(image, position)
        for position, image in enumerate(section.get("images", []), start=1)
    ]
    element = {
        "@type": "WebPageElement",
        "name": "section heading",
        "headline": section["heading"],
        "position": position,
        "identifier": section["anchor"],
    }
    aspect = HEALTH_ASPECTS.get(section.get("kind"))
    if aspect:
        element["hasHealthAspect"] = f"{CONTEXT}/{aspect}"
    element["mainEntityOfPage"] = parts
    return element


def _cited_authors(authors):
    """Return the schema.org authors of an NLM author list ("Smith J, Doe A")."""
    names = [name.strip() for name in (authors or "").split(",")]
    return [
        {
            "@type": "Person" if _PERSON_NAME.match(name) else "Organization",
            "name": name,
        }
        for name in names
        if name and name.rstrip(".").lower() != "et al"
    ]


def _citation(reference):
    doi, pmid = reference.get("doi") or "", reference.get("pmid") or ""
    work = {
        "@type": "ScholarlyArticle" if doi or pmid else "CreativeWork",
        "name": reference.get("title") or reference.get("text", ""),
        "text": reference.get("text", ""),
    }
    authors = _cited_authors(reference.get("authors"))
    if authors:
        work["author"] = authors
    if reference.get("container"):
        work["isPartOf"] = {"@type": "Periodical", "name": reference["container"]}
    if reference.get("year"):
        work["datePublished"] = str(reference["year"])
    identifiers = [
        {"@type": "PropertyValue", "propertyID": kind, "value": value}
        for kind, value in (("DOI", doi), ("PMID", pmid))
        if value
    ]
    if identifiers:
        work["identifier"] = identifiers
    address = reference.get("url") or (
        "https://doi.org/" + quote(doi, safe="/:;()")
        if doi
        else (f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid else "")
    )
    if address:
        work["url"] = address
    return work


def condition_document(publication, linked):
    """Return the MedicalWebPage of a publication.

    `linked` are the live publications (condition_id, language, slug, title)
    of the article in every language and of its related articles.
    """
    page = publication.snapshot
    language = publication.language
    own = {
        row["language"]: row
        for row in linked
        if row["condition_id"] == publication.condition_id
    }
    document = {
        "@context": CONTEXT,
        "@type": "MedicalWebPage",
        "identifier": str(publication.condition_id),
        "name": page["title"],
        "description": page.get("summary", ""),
        "inLanguage": language,
        "url": api_url(condition_path(language, publication.slug)),
        "webpage": absolute(publication.get_absolute_url()),
        "about": _condition(page),
        "author": [person(entry) for entry in page.get("authors", [])],
        "dateModified": iso(publication.published_at),
    }
    if page.get("illustrators"):
        document["contributor"] = [person(entry) for entry in page["illustrators"]]
    if publication.reviewer_name:
        document["reviewedBy"] = person(
            {
                "name": publication.reviewer_name,
                "credentials": publication.reviewer_credentials,
            }
        )
    reviewed = last_reviewed(publication.reviewed_at, publication.next_review_on)
    if reviewed:
        document["lastReviewed"] = reviewed
        document["reviewDue"] = reviewed[1]
    image = first_image(page)
    if image:
        document["primaryImageOfPage"] = _image(image)
    document["citation"] = [_citation(ref) for ref in page.get("references", [])]
    source = settings.SOURCE_LANGUAGE
    if language == source:
        document["workTranslation"] = [
            _version(own[code])
            for code in language_codes()
            if code in own and code != source
        ]
    else:
        if source in own:
            document["translationOfWork"] = _version(own[source])
        # The date of the source's update this translation does not have yet.
        document["translationOutdatedSince"] = (
            iso(publication.outdated_since) if publication.outdated_since else None
        )
    related_ids = page.get("related_ids", [])
    related = [
        row
        for row in linked
        if row["condition_id"] in related_ids and row["language"] == language
    ]
    related.sort(key=lambda row: related_ids.index(row["condition_id"]))
    document["relatedLink"] = [
        {
            "@type": "LinkRole",
            "linkRelationship": "Related",
            "name": row["title"],
            "url": api_url(condition_path(language, row["slug"])),
            "identifier": str(row["condition_id"]),
        }
        for row in related
    ]
    document["mainEntityOfPage"] = [
        _section(section, position)
        for position, section in enumerate(page.get("sections", []))
    ]
    return document


def _version(row):
    return {
        "@type": "MedicalWebPage",
        "inLanguage": row["language"],
        "name": row["title"],
        "url": api_url(condition_path(row["language"], row["slug"])),
    }


def render_condition(language, slug):
    """Return the article at a slug in a language, or None (404)."""
    found = live_article(language, slug)
    if found is None:
        return None
    publication, linked = found
    related_ids = publication.snapshot.get("related_ids", [])
    return rendered(
        condition_document(publication, linked),
        tags={tag(publication.condition_id), *map(tag, related_ids)},
        language=language,
    )


# ---------------------------------------------------------------- lists


def _category(language, slug):
    """Return the id of the category with a slug in the language (or source).

    None if there is none: the list is not found (404).
    """
    own, source = f"slug_{language}", f"slug_{settings.SOURCE_LANGUAGE}"
    found = sorted(
        Category.objects.filter(Q(**{own: slug}) | Q(**{source: slug})).values_list(
            own, "pk"
        ),
        # The language's own slug first.
        key=lambda row: (row[0] != slug, row[1]),
    )
    return found[0][1] if found else None


def _link(name, description, path, relationship="Pagination"):
    return {
        "@type": "LinkRole",
        "url": api_url(path),
        "name": name,
        "description": description,
        "linkRelationship": relationship,
    }


def _pagination(query, pages):
    links = [
        _link(_("First page"), _("Link to the first page"), query.path(1)),
        _link(_("Last page"), _("Link to the last page"), query.path(pages)),
        _link(_("This page"), _("Link to this page"), query.path(), "Self"),
    ]
    if query.page > 1:
        links.append(
            _link(
                _("Previous page"),
                _("Link to the previous page"),
                query.path(query.page - 1),
            )
        )
    if query.page < pages:
        links.append(
            _link(
                _("Next page"), _("Link to the next page"), query.path(query.page + 1)
            )
        )
    return links


def _result(row, byline):
    language = row["language"]
    entity = {"@type": "MedicalWebPage", "dateModified": iso(row["published_at"])}
    reviewed = last_reviewed(byline.get("reviewed_at"), byline.get("next_review_on"))
    if reviewed:
        entity["lastReviewed"] = reviewed
        entity["reviewDue"] = reviewed[1]
    return {
        "@type": "LinkRole",
        "linkRelationship": "Result",
        "identifier": str(row["condition_id"]),
        "name": row["title"],
        "description": row["summary"],
        "inLanguage": language,
        "url": api_url(condition_path(language, row["slug"])),
        "webpage": absolute(url("article", language, slug=row["slug"])),
        "mainEntityOfPage": entity,
    }


def render_conditions(query):
    """Return a page of the live articles of a language, A to Z, or None."""
    language = query.language
    tags = {list_tag(language)}
    entries = Entry.objects.live().in_language(language)
    if query.category:
        category_id = _category(language, query.category)
        if category_id is None:
            return None
        entries = entries.filter(places__category_id=category_id)
        # Its slug is in the address: renaming it forgets the page.
        tags.add(category_tag(language, category_id))
    if query.modified_since is not None:
        entries = entries.filter(published_at__gte=query.modified_since)
    total = entries.count()
    pages = max(1, math.ceil(total / page_size()))
    if query.page > pages:
        return None
    start = (query.page - 1) * page_size()
    rows = list(
        entries.order_by("sort_key", "condition_id")[
            start : start + page_size()
        ].values("condition_id", "language", "title", "slug", "summary", "published_at")
    )
    bylines = {
        row["condition_id"]: row
        for row in Publication.objects.current()
        .in_language(language)
        .filter(condition_id__in=[row["condition_id"] for row in rows])
        .values("condition_id", "reviewed_at", "next_review_on")
    }
    with translation.override(language):
        document = {
            "@context": CONTEXT,
            "@type": "CollectionPage",
            "name": _("Health conditions A to Z"),
            "inLanguage": language,
            "url": api_url(query.path()),
            "numberOfItems": total,
            "page": query.page,
            "pageSize": page_size(),
            "previous": api_url(query.path(query.page - 1)) if query.page > 1 else None,
            "next": api_url(query.path(query.page + 1)) if query.page < pages else None,
            "significantLink": [
                _result(row, bylines.get(row["condition_id"], {})) for row in rows
            ],
            "relatedLink": _pagination(query, pages),
        }
    return rendered(document, tags=tags, language=language, keep=query.keep)


def render_categories(language):
    """Return the categories that have live articles in a language."""
    counts = dict(
        EntryCategory.objects.filter(language=language, entry__live=True)
        .values_list("category_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    categories = Category.objects.filter(pk__in=counts).values(
        "pk",
        "kind",
        f"name_{language}",
        f"slug_{language}",
        f"slug_{settings.SOURCE_LANGUAGE}",
    )
    items = []
    for category in categories:
        slug = (
            category[f"slug_{language}"] or category[f"slug_{settings.SOURCE_LANGUAGE}"]
        )
        name = category[f"name_{language}"]
        if not (slug and name):
            continue
        items.append(
            {
                "@type": "DefinedTerm",
                "identifier": slug,
                "name": name,
                "additionalType": category["kind"],
                "numberOfItems": counts[category["pk"]],
                "url": api_url(
                    params.ListQuery(language=language, category=slug).path()
                ),
            }
        )
    items.sort(key=lambda item: (item["additionalType"], item["name"].casefold()))
    with translation.override(language):
        document = {
            "@context": CONTEXT,
            "@type": "DefinedTermSet",
            "name": _("Categories of health conditions"),
            "inLanguage": language,
            "url": api_url(params.categories_path(language)),
            "hasDefinedTerm": items,
        }
    return rendered(
        document,
        tags={list_tag(language), *(category_tag(language, pk) for pk in counts)},
        language=language,
    )


# ---------------------------------------------------------------- the root


def render_root():
    """Return the API's front door: what it serves, in which languages."""
    links = []
    for code in language_codes():
        with translation.override(code):
            links += [
                {
                    "@type": "LinkRole",
                    "linkRelationship": "Conditions",
                    "inLanguage": code,
                    "name": _("Health conditions A to Z"),
                    "url": api_url(params.ListQuery(language=code).path()),
                },
                {
                    "@type": "LinkRole",
                    "linkRelationship": "Categories",
                    "inLanguage": code,
                    "name": _("Categories of health conditions"),
                    "url": api_url(params.categories_path(code)),
                },
            ]
    with translation.override(settings.SOURCE_LANGUAGE):
        document = {
            "@context": CONTEXT,
            "@type": "WebAPI",
            "name": _("Health Library content API"),
            "description": _(
                "Medically reviewed articles on health conditions, as "
                "schema.org JSON, in every language they are published in."
            ),
            "url": api_url(params.reverse("library_api:root")),
            "documentation": api_url(params.reverse("library_api:openapi")),
            "availableLanguage": [
                {
                    "@type": "Language",
                    "name": get_language_info(code)["name_local"],
                    "alternateName": code,
                }
                for code in language_codes()
            ],
            "significantLink": links,
        }
    return rendered(document, tags={"api"})
