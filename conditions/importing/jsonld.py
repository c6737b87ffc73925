"""schema.org ``MedicalWebPage`` JSON in the NHS content API's shape, both ways.

``document()`` writes the working copy of an article in one language as a
document; ``parse()`` reads a document (an export of ours, a MedQuAD page,
an NHS API page) into a plain ``Page`` that ``jsonld_apply`` writes to the
database. The shape (docs/importing.md):

- sections are ``mainEntityOfPage`` elements (a ``WebPageElement`` with a
  ``headline``) whose parts, in their own ``mainEntityOfPage`` list, are
  HTML text (a ``WebPageElement`` with ``text``) or pictures (an
  ``ImageObject`` with ``contentUrl``, ``name`` the alt text, ``caption``,
  ``creditText``, ``license``, ``expires``);
- a section's kind travels as its ``identifier`` (the page anchor the API
  uses: ``risk-factors``), its ``hasHealthAspect``, or its headline;
  anything else is a free section with its heading kept;
- ``identifier`` links the languages of one article; ``citation`` holds
  its references in full; ``relatedLink`` names related articles by
  identifier; ``lastReviewed`` is [last review, next review due].
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ..models import HEALTH_ASPECTS, Category, ConditionContributor, Section
from .base import ImportFailure

CONTEXT = "https://schema.org"
SOURCE = "jsonld"
#: Section kinds as schema.org health aspects (as the public API writes them).
ASPECTS = {str(kind): aspect for kind, aspect in HEALTH_ASPECTS.items()}
KIND_OF_ASPECT = {aspect: kind for kind, aspect in ASPECTS.items()}
#: Headings other publishers use for a kind, lower case, by language (each
#: kind's own label in the language is recognised too).
HEADINGS = {
    "en": {
        "overview": "definition",
        "what is it?": "definition",
        "signs and symptoms": "symptoms",
        "tests": "diagnosis",
        "tests and diagnosis": "diagnosis",
        "diagnosis and tests": "diagnosis",
        "treatments": "treatment",
        "when to get medical help": "when_to_see_doctor",
        "when to seek medical advice": "when_to_see_doctor",
        "when to see a gp": "when_to_see_doctor",
    },
    "es": {
        "resumen": "definition",
        "descripción general": "definition",
        "¿qué es?": "definition",
        "signos y síntomas": "symptoms",
        "pruebas": "diagnosis",
        "tratamientos": "treatment",
        "cuándo consultar al médico": "when_to_see_doctor",
        "cuándo buscar ayuda médica": "when_to_see_doctor",
    },
}
CODES = (("icd10", "ICD-10"), ("mesh_id", "MeSH"))
CATEGORY_KINDS = (
    (Category.Kind.BODY_SYSTEM, "associatedAnatomy", "AnatomicalSystem"),
    (Category.Kind.SPECIALTY, "relevantSpecialty", "MedicalSpecialty"),
)
_ANCHOR = re.compile(r"^([a-z-]+?)(?:-\d+)?$")
_OWN_PATH = re.compile(r"^/[a-z-]+/conditions/([-a-z0-9_]+)/?$")
_PART_TYPES = {"WebPageElement", "ImageObject"}


# ---------------------------------------------------------------- export


def kind_heading(kind, language):
    """Return the standard heading of a section kind in a language."""
    with translation.override(language):
        return str(Section.Kind(kind).label)


def _person(contributor):
    found = {"@type": "Person", "name": contributor.name}
    if contributor.credentials:
        found["honorificSuffix"] = contributor.credentials
    return found


def _text(obj, name, language):
    return getattr(obj, f"{name}_{language}") or ""


def image_part(image, language, content_url):
    """Return a picture as an ``ImageObject`` part."""
    found = {
        "@type": "ImageObject",
        "contentUrl": content_url,
        "name": _text(image, "alt_text", language),
        "caption": _text(image, "caption", language),
        "creditText": image.credit,
    }
    if image.licence:
        found["license"] = image.licence
    if image.licence_expires:
        found["expires"] = image.licence_expires.isoformat()
    return found


def citation(reference):
    """Return a reference as a ``CreativeWork`` holding every field."""
    work = {"@type": "CreativeWork", "name": reference.title}
    if reference.authors:
        work["author"] = [
            {"@type": "Person", "name": name.strip()}
            for name in reference.authors.split(",")
            if name.strip()
        ]
    if reference.container:
        work["isPartOf"] = {"@type": "Periodical", "name": reference.container}
    if reference.year:
        work["datePublished"] = str(reference.year)
    for attribute, key in (
        ("volume", "volumeNumber"),
        ("issue", "issueNumber"),
        ("pages", "pagination"),
    ):
        if getattr(reference, attribute):
            work[key] = getattr(reference, attribute)
    identifiers = [
        {"@type": "PropertyValue", "propertyID": kind, "value": value}
        for kind, value in (("DOI", reference.doi), ("PMID", reference.pmid))
        if value
    ]
    if identifiers:
        work["identifier"] = identifiers
    if reference.url:
        work["url"] = reference.url
    if reference.accessed:
        work["dateAccessed"] = reference.accessed.isoformat()
    return work


def document(condition, language, *, key, related_keys, publication, image_url):
    """Return the working copy of an article in a language as a document.

    The children must be prefetched (``jsonld_export.articles()``);
    `related_keys` maps a condition id to its identifier, `publication` is
    the live one in the language (or None), `image_url(image)` the
    picture's ``contentUrl``.
    """
    images = list(condition.images.all())
    placed = set()
    sections = []
    for position, section in enumerate(condition.sections.all()):
        parts = [
            {
                "@type": "WebPageElement",
                "name": "markdown",
                "headline": "",
                "position": 0,
                "text": _text(section, "body", language),
            }
        ]
        if section.kind not in placed:
            placed.add(section.kind)
            parts += [
                image_part(image, language, image_url(image))
                for image in images
                if image.section_kind == section.kind
            ]
        element = {
            "@type": "WebPageElement",
            "name": "section heading",
            "headline": _text(section, "heading", language)
            or kind_heading(section.kind, language),
            "position": position,
            "identifier": section.kind.replace("_", "-"),
            "mainEntityOfPage": parts,
        }
        if section.kind in ASPECTS:
            element["hasHealthAspect"] = f"{CONTEXT}/{ASPECTS[section.kind]}"
        sections.append(element)
    loose = [
        image_part(image, language, image_url(image))
        for image in images
        if image.section_kind not in placed
    ]
    categories = list(condition.categories.all())
    about = {
        "@type": "MedicalCondition",
        "name": _text(condition, "title", language),
        "alternateName": _lines(_text(condition, "also_called", language)),
        "code": [
            {"@type": "MedicalCode", "codeValue": value, "codingSystem": system}
            for attribute, system in CODES
            if (value := getattr(condition, attribute))
        ],
    }
    for kind, key_name, type_name in CATEGORY_KINDS:
        # As on the public page: a category unnamed in the language is left out.
        names = [
            _text(c, "name", language)
            for c in categories
            if c.kind == kind and _text(c, "name", language)
        ]
        if names:
            about[key_name] = [{"@type": type_name, "name": n} for n in sorted(names)]
    people = {role: [] for role in ConditionContributor.Role.values}
    for row in condition.condition_contributors.all():
        people[row.role].append(_person(row.contributor))
    slug = _text(condition, "slug", language)
    found = {
        "@context": CONTEXT,
        "@type": "MedicalWebPage",
        "identifier": key,
        "inLanguage": language,
        "name": _text(condition, "title", language),
        "description": _text(condition, "summary", language),
        "url": f"{settings.SITE_URL.rstrip('/')}/{language}/conditions/{slug}/",
        "creativeWorkStatus": condition.status,
        "about": about,
        "author": people[ConditionContributor.Role.AUTHOR],
        "citation": [
            citation(row.reference) for row in condition.condition_references.all()
        ],
        "relatedLink": [
            {
                "@type": "LinkRole",
                "linkRelationship": "Related",
                "identifier": related_keys[other.pk],
                "name": _text(other, "title", language),
            }
            for other in sorted(
                condition.related.all(), key=lambda other: related_keys[other.pk]
            )
        ],
        "mainEntityOfPage": sections,
    }
    if people[ConditionContributor.Role.ILLUSTRATOR]:
        found["contributor"] = people[ConditionContributor.Role.ILLUSTRATOR]
    if loose:
        found["image"] = loose
    if condition.review_interval_days:
        found["reviewInterval"] = condition.review_interval_days
    if publication is not None:
        found["dateModified"] = publication.published_at.isoformat()
        if publication.reviewed_at:
            found["lastReviewed"] = [
                publication.reviewed_at.isoformat(),
                publication.next_review_on.isoformat()
                if publication.next_review_on
                else None,
            ]
        if publication.reviewer_name:
            found["reviewedBy"] = {
                "@type": "Person",
                "name": publication.reviewer_name,
                **(
                    {"honorificSuffix": publication.reviewer_credentials}
                    if publication.reviewer_credentials
                    else {}
                ),
            }
    return found


def _lines(text):
    return [line.strip() for line in text.splitlines() if line.strip()]


# ---------------------------------------------------------------- import


@dataclass
class Picture:
    content_url: str
    alt: str
    caption: str
    credit: str
    licence: str = ""
    expires: date | None = None


@dataclass
class Part:
    kind: str
    heading: str
    body: str
    pictures: list = field(default_factory=list)


@dataclass
class Page:
    """One document, read and checked: what the importer writes."""

    key: str
    language: str
    title: str
    slug: str
    slug_given: bool = False  # from an address of this site, not the title
    summary: str = ""
    also_called: list = field(default_factory=list)
    codes: dict = field(default_factory=dict)
    categories: list = field(default_factory=list)  # (kind, name)
    sections: list = field(default_factory=list)  # Part
    pictures: list = field(default_factory=list)  # Picture (in no section)
    citations: list = field(default_factory=list)  # dicts of Reference fields
    authors: list = field(default_factory=list)  # (name, credentials)
    illustrators: list = field(default_factory=list)
    related: list = field(default_factory=list)  # identifiers
    reviewed_at: datetime | None = None
    next_review_on: date | None = None
    review_interval_days: int | None = None
    #: An export's marks of what was live: the article's status
    #: (``creativeWorkStatus``) and when this language was published
    #: (``dateModified``); other publishers' pages may have neither.
    status: str = ""
    modified_at: datetime | None = None
    raw: dict = field(default_factory=dict, repr=False)


class _Reader:
    """Checks on one document, each failure naming file, record and line."""

    def __init__(self, file, record, line):
        self.file, self.record, self.line = file, record, line

    def fail(self, message):
        raise ImportFailure(message, file=self.file, record=self.record, line=self.line)

    def obj(self, value, where):
        if not isinstance(value, dict):
            self.fail(_("%(where)s is not a JSON object.") % {"where": where})
        return value

    def items(self, data, name):
        value = data.get(name)
        if value is None:
            return []
        if isinstance(value, dict):
            return [value]
        if isinstance(value, str):
            return [value] if value.strip() else []
        if not isinstance(value, list):
            self.fail(_("“%(field)s” is not a list.") % {"field": name})
        return value

    def text(self, data, name, *, required=False, where=None):
        value = data.get(name)
        if value is None or value == "":
            if required:
                self.fail(
                    _("the required field “%(field)s” is missing%(where)s.")
                    % {"field": name, "where": f" ({where})" if where else ""}
                )
            return ""
        if not isinstance(value, str | int | float):
            self.fail(_("“%(field)s” is not text.") % {"field": name})
        return str(value).strip()

    def type_of(self, data, expected, where):
        kind = data.get("@type")
        if kind not in expected:
            self.fail(
                _("%(where)s has the unknown type “%(type)s” (expected %(expected)s).")
                % {
                    "where": where,
                    "type": kind if kind is not None else "",
                    "expected": ", ".join(sorted(expected)),
                }
            )
        return kind

    def name_of(self, value):
        if isinstance(value, dict):
            return self.text(value, "name")
        return str(value or "").strip()


def parse(data, *, file, record=None, line=None):
    """Return the Page of a decoded document, or raise ImportFailure."""
    r = _Reader(file, record, line)
    data = r.obj(data, _("The document"))
    r.type_of(data, {"MedicalWebPage", "WebPage"}, _("The document"))
    title = r.text(data, "name", required=True)
    r.record = record if record is not None else title
    language = r.text(data, "inLanguage") or settings.SOURCE_LANGUAGE
    if language not in dict(settings.LANGUAGES):
        r.fail(
            _("the language “%(language)s” is not one of this site's.")
            % {"language": language}
        )
    url = r.text(data, "url")
    key = r.text(data, "identifier") or url
    if not key:
        r.fail(_("the required field “identifier” or “url” is missing."))
    r.record = key
    # An address of this site's shape (/en/conditions/<slug>/) names the slug.
    own = _OWN_PATH.match(urlsplit(url).path)
    slug = own.group(1) if own else ""
    page = Page(
        key=key,
        language=language,
        title=title,
        slug=(slug or slugify(title))[:190],
        slug_given=bool(slug),
        summary=r.text(data, "description"),
        raw=data,
    )
    about = data.get("about") or {}
    if isinstance(about, list):  # several subjects: the condition's, or the first
        conditions = [a for a in about if isinstance(a, dict)]
        about = next(
            (a for a in conditions if a.get("@type") == "MedicalCondition"),
            conditions[0] if conditions else {},
        )
    about = r.obj(about, "“about”")
    names = [r.name_of(n) for n in r.items(data, "alternateName")]
    names += [r.name_of(n) for n in r.items(about, "alternateName")]
    page.also_called = list(dict.fromkeys(n for n in names if n))
    for code in r.items(about, "code"):
        code = r.obj(code, "“code”")
        system = r.text(code, "codingSystem")
        for attribute, name in CODES:
            if system.lower() == name.lower():
                page.codes[attribute] = r.text(code, "codeValue")
        # Other systems (UMLS…) have no field: they are left out.
    for kind, key_name, _type in CATEGORY_KINDS:
        for entry in r.items(about, key_name):
            if r.name_of(entry):
                page.categories.append((kind, r.name_of(entry)))
    page.authors = _people(r, data, "author")
    page.illustrators = _people(r, data, "contributor")
    for link in r.items(data, "relatedLink"):
        link = r.obj(link, "“relatedLink”")
        target = r.text(link, "identifier") or r.text(link, "url")
        if target:
            page.related.append(target)
    for work in r.items(data, "citation"):
        page.citations.append(_citation(r, r.obj(work, "“citation”")))
    source = r.name_of(data.get("copyrightHolder"))
    if url and source:
        # The page's own origin, so that an imported article carries its
        # evidence.
        modified = _moment(r, data.get("dateModified"), "dateModified")
        page.citations.append(
            {
                "title": title,
                "container": source,
                "url": url,
                "year": modified.year if modified else None,
            }
        )
    page.status = r.text(data, "creativeWorkStatus")
    page.modified_at = _aware(_moment(r, data.get("dateModified"), "dateModified"))
    reviewed = data.get("lastReviewed")
    if reviewed:
        if not isinstance(reviewed, list) or not reviewed:
            r.fail(_("“lastReviewed” is not a list [last review, next review]."))
        page.reviewed_at = _aware(_moment(r, reviewed[0], "lastReviewed"))
        if len(reviewed) > 1 and reviewed[1]:
            due = _moment(r, reviewed[1], "lastReviewed")
            page.next_review_on = due.date() if isinstance(due, datetime) else due
    interval = data.get("reviewInterval")
    if interval is not None:
        if not isinstance(interval, int) or interval <= 0:
            r.fail(_("“reviewInterval” is not a number of days."))
        page.review_interval_days = interval
    for position, element in enumerate(r.items(data, "mainEntityOfPage")):
        page.sections.append(_section(r, element, language, position))
    for picture in r.items(data, "image"):
        picture = r.obj(picture, "“image”")
        r.type_of(picture, {"ImageObject"}, _("An image"))
        page.pictures.append(_picture(r, picture))
    return page


def _people(r, data, name):
    found = []
    for entry in r.items(data, name):
        if isinstance(entry, str):
            found.append((entry.strip(), ""))
            continue
        entry = r.obj(entry, f"“{name}”")
        person = r.text(entry, "name", required=True, where=name)
        found.append((person, r.text(entry, "honorificSuffix")))
    return found


def _moment(r, value, name):
    if value in (None, ""):
        return None
    text = str(value)
    found = parse_datetime(text) or parse_date(text[:10])
    if found is None:
        r.fail(
            _("“%(field)s” is not a date: %(value)s") % {"field": name, "value": text}
        )
    return found


def _aware(moment):
    """Return a review moment as an aware date-time (a bare date: midnight UTC)."""
    if moment is None:
        return None
    if not isinstance(moment, datetime):
        moment = datetime(moment.year, moment.month, moment.day)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, UTC)
    return moment


def _citation(r, work):
    title = r.text(work, "name", required=True, where="citation")
    found = {"title": title}
    authors = [r.name_of(a) for a in r.items(work, "author")]
    found["authors"] = ", ".join(a for a in authors if a)
    found["container"] = r.name_of(work.get("isPartOf"))
    year = r.text(work, "datePublished")[:4]
    found["year"] = int(year) if year.isdigit() else None
    for attribute, key in (
        ("volume", "volumeNumber"),
        ("issue", "issueNumber"),
        ("pages", "pagination"),
    ):
        found[attribute] = r.text(work, key)
    for entry in r.items(work, "identifier"):
        if isinstance(entry, dict) and entry.get("propertyID") in ("DOI", "PMID"):
            found[entry["propertyID"].lower()] = r.text(entry, "value")
    found["url"] = r.text(work, "url")
    accessed = _moment(r, work.get("dateAccessed"), "dateAccessed")
    found["accessed"] = accessed.date() if isinstance(accessed, datetime) else accessed
    return found


def _kind(element, headline, language):
    anchor = _ANCHOR.match(str(element.get("identifier") or ""))
    if anchor and anchor.group(1).replace("-", "_") in Section.Kind.values:
        return anchor.group(1).replace("-", "_")
    aspect = str(element.get("hasHealthAspect") or "").rsplit("/", 1)[-1]
    if aspect in KIND_OF_ASPECT:
        return KIND_OF_ASPECT[aspect]
    wanted = headline.lower()
    for kind in Section.Kind.values:
        if (
            kind != Section.Kind.OTHER
            and kind_heading(kind, language).lower() == wanted
        ):
            return kind
    return HEADINGS.get(language, {}).get(wanted, Section.Kind.OTHER)


def _section(r, element, language, position):
    where = _("Section %(number)s") % {"number": position + 1}
    element = r.obj(element, where)
    r.type_of(element, {"WebPageElement"}, where)
    headline = r.text(element, "headline", required=True, where=where)
    kind = _kind(element, headline, language)
    standard = kind != Section.Kind.OTHER and headline == kind_heading(kind, language)
    part = Part(kind=kind, heading="" if standard else headline, body="")
    texts = []
    for number, item in enumerate(r.items(element, "mainEntityOfPage"), start=1):
        item_where = _("part %(part)s of section %(section)s") % {
            "part": number,
            "section": position + 1,
        }
        item = r.obj(item, item_where)
        kind_of_part = r.type_of(item, _PART_TYPES, item_where.capitalize())
        if kind_of_part == "ImageObject":
            part.pictures.append(_picture(r, item))
        else:
            if not isinstance(item.get("text"), str):
                r.fail(
                    _("%(where)s has no “text”: a part is HTML text or an image.")
                    % {"where": item_where.capitalize()}
                )
            texts.append(item["text"])
    part.body = "".join(texts)
    return part


def _picture(r, item):
    where = _("an image")
    address = r.text(item, "contentUrl") or r.text(item, "url")
    if not address:
        r.fail(_("the required field “contentUrl” is missing (an image)."))
    expires = _moment(r, item.get("expires"), "expires")
    return Picture(
        content_url=address,
        alt=r.text(item, "name", required=True, where=where),
        caption=r.text(item, "caption"),
        credit=r.text(item, "creditText")
        or r.name_of(item.get("copyrightHolder"))
        or r.fail(_("the required field “creditText” is missing (an image).")),
        licence=r.text(item, "license"),
        expires=expires.date() if isinstance(expires, datetime) else expires,
    )
