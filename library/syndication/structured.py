"""An article's description for machines: schema.org JSON-LD and social cards.

Built from the publication alone (its snapshot and byline), at render, so
it costs no query and shows only what was approved, in the page's language.

The medical reviewer's credentials go into ``honorificSuffix``: schema.org
defines it on Person as the letters after a name ("M.D./PhD/MSCSW" is its
own example), which is exactly what the byline prints ("Daniel A.
Ostrovsky, MD"), and validators (validator.schema.org, Google's Rich
Results Test) take it as plain text. ``hasCredential`` expects an
``EducationalOccupationalCredential`` with a category and an issuer that we
do not record: filling it from a free-text "MD, PhD" would state more than
we know.
"""

import json
import re
from urllib.parse import quote, urlsplit

from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, to_locale

from ..pages.common import absolute, language_codes, url

#: Open Graph wants language_TERRITORY; a bare language code gets its most
#: common territory (a code with its own territory, such as pt-br, keeps it).
OG_TERRITORIES = {
    "ar": "AR",
    "de": "DE",
    "en": "US",
    "es": "ES",
    "fr": "FR",
    "it": "IT",
    "ja": "JP",
    "ko": "KR",
    "nl": "NL",
    "pt": "BR",
    "ru": "RU",
    "vi": "VN",
    "zh": "CN",
}

MESH_RECORD = "https://meshb.nlm.nih.gov/record/ui?ui="

#: Characters a JSON text inside <script> must not carry as themselves: "<"
#: would let "</script>" or "<!--" end or change the element; "&" and ">"
#: are escaped too, as Django's json_script does.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}

#: An NLM personal name: a surname, then up to four initials ("Ben Abacha A").
_PERSON_NAME = re.compile(r"^\S.* [A-Z]{1,4}$")
_ET_AL = re.compile(r"^et\.? al\.?$", re.IGNORECASE)


def iso_datetime(value):
    """Return a datetime as ISO 8601 with its offset, to the second."""
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def public_url(address):
    """Return an address (a path, or already a full URL) as a full URL."""
    return address if urlsplit(address).scheme else absolute(address)


def og_locale(language):
    """Return the Open Graph locale (en_US) of a language code."""
    locale = to_locale(language)
    if "_" in locale:
        return locale
    return f"{locale}_{OG_TERRITORIES[locale]}" if locale in OG_TERRITORIES else locale


def script_data(data):
    """Return data as JSON safe to place inside a <script> data block."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return mark_safe(text.translate(_SCRIPT_ESCAPES))


def first_image(page):
    """Return the first image of the article's snapshot, or None."""
    for section in page.get("sections", []):
        for image in section.get("images", []):
            if image.get("url"):  # empty when the picture could not be read
                return image
    return None


def _person(name, credentials=""):
    person = {"@type": "Person", "name": name}
    if credentials:
        person["honorificSuffix"] = credentials
    return person


def _cited_authors(authors):
    """Return the schema.org authors of an NLM author list ("Smith J, Doe A")."""
    found = []
    for name in (part.strip() for part in authors.split(",")):
        if not name or _ET_AL.match(name):
            continue
        kind = "Person" if _PERSON_NAME.match(name) else "Organization"
        found.append({"@type": kind, "name": name})
    return found


def _identifier(kind, value):
    return {"@type": "PropertyValue", "propertyID": kind, "value": value}


def _citation(reference):
    doi, pmid = reference.get("doi") or "", reference.get("pmid") or ""
    # A paper (it has a DOI or a PMID, or a year and no web address) is part
    # of its journal; a web page is published by the site's owner.
    scholarly = bool(
        doi or pmid or (reference.get("year") and not reference.get("url"))
    )
    work = {
        "@type": "ScholarlyArticle" if scholarly else "CreativeWork",
        "name": reference.get("title") or reference.get("text", ""),
    }
    authors = _cited_authors(reference.get("authors") or "")
    if authors:
        work["author"] = authors
    container = reference.get("container")
    if container:
        if scholarly:
            work["isPartOf"] = {"@type": "Periodical", "name": container}
        else:
            work["publisher"] = {"@type": "Organization", "name": container}
    if reference.get("year"):
        work["datePublished"] = str(reference["year"])
    identifiers, same_as = [], []
    if doi:
        identifiers.append(_identifier("DOI", doi))
        same_as.append("https://doi.org/" + quote(doi, safe="/:;()"))
    if pmid:
        identifiers.append(_identifier("PMID", pmid))
        same_as.append(f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/")
    if identifiers:
        work["identifier"] = identifiers
        work["sameAs"] = same_as
    if reference.get("url"):
        work["url"] = reference["url"]
    elif same_as:
        work["url"] = same_as[0]
    return work


def _condition(page):
    condition = {"@type": "MedicalCondition", "name": page["title"]}
    if page.get("also_called"):
        condition["alternateName"] = page["also_called"]
    codes = page.get("codes") or {}
    coded = [
        {"@type": "MedicalCode", "codeValue": codes[key], "codingSystem": system}
        for key, system in (("icd10", "ICD-10"), ("mesh", "MeSH"))
        if codes.get(key)
    ]
    if codes.get("mesh"):
        # The MeSH descriptor's own record: what the condition is.
        condition["sameAs"] = MESH_RECORD + quote(codes["mesh"])
    if coded:
        condition["code"] = coded
    return condition


def _image_object(image):
    found = {
        "@type": "ImageObject",
        "url": public_url(image["url"]),
        "contentUrl": public_url(image["url"]),
    }
    for key, field in (("caption", "caption"), ("credit", "creditText")):
        if image.get(key):
            found[field] = image[key]
    if image.get("alt"):
        found["description"] = image["alt"]
    return found


def article_json_ld(publication):
    """Return the schema.org MedicalWebPage of a publication, ready for a page.

    The result is JSON escaped for a ``<script type="application/ld+json">``
    block: a data block, which browsers never run (so the public CSP,
    ``script-src 'self'``, has nothing to allow).
    """
    page = publication.snapshot
    language = publication.language
    address = absolute(publication.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "@id": address,
        "url": address,
        "name": page["title"],
        "inLanguage": language,
        "isPartOf": {"@type": "WebSite", "url": absolute(url("home", language))},
        "about": _condition(page),
        "dateModified": iso_datetime(publication.published_at),
    }
    with translation.override(language):
        data["isPartOf"]["name"] = gettext("Health Library")
    if page.get("summary"):
        data["description"] = page["summary"]
    if publication.reviewed_at:
        data["lastReviewed"] = timezone.localdate(publication.reviewed_at).isoformat()
    if publication.reviewer_name:
        data["reviewedBy"] = _person(
            publication.reviewer_name, publication.reviewer_credentials
        )
    if page.get("authors"):
        data["author"] = [
            _person(person["name"], person.get("credentials", ""))
            for person in page["authors"]
        ]
    image = first_image(page)
    if image:
        data["primaryImageOfPage"] = _image_object(image)
    if page.get("references"):
        data["citation"] = [_citation(reference) for reference in page["references"]]
    return script_data(data)


def social_card(publication, languages):
    """Return what the Open Graph and Twitter card tags of a page say.

    `languages` are the codes the article is published in (for
    ``og:locale:alternate``).
    """
    page = publication.snapshot
    image = first_image(page)
    card = {
        "locale": og_locale(publication.language),
        "alternate_locales": [
            og_locale(code)
            for code in language_codes()
            if code in languages and code != publication.language
        ],
        "modified": iso_datetime(publication.published_at),
        "card": "summary_large_image" if image else "summary",
        "image": None,
    }
    if image:
        card["image"] = {
            "url": public_url(image["url"]),
            "alt": image.get("alt", ""),
            "width": image.get("width"),
            "height": image.get("height"),
        }
    return card
