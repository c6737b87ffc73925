"""Render-ready snapshots: everything a public page shows, built once.

``build_snapshot()`` reads a revision's stored data (never the working copy)
and returns the page of one condition in one language as plain data.
"""

from collections import defaultdict

from django.utils import translation

from ..fields import sanitize_html
from ..models import (
    Category,
    Condition,
    ConditionContributor,
    ConditionReference,
    Contributor,
    Image,
    Reference,
    Section,
)
from . import renditions


def build_snapshot(content, condition_id, language, *, text=None):
    """Return the render-ready page of a condition in a language, or None.

    None means the revision has no title or slug in that language: the page
    cannot exist there. Text is taken from that language's columns only, so
    a missing translation is left out instead of showing another language.

    With `text` (the RevisionContent of a translation), the structure and
    the language-neutral parts come from `content` (the source publication
    it was translated from) and the words from `text`, matched by id.
    """

    def words(obj, field):
        source = text.objects[type(obj)].get(obj.pk) if text is not None else obj
        return (getattr(source, f"{field}_{language}") or "") if source else ""

    condition = content.condition(condition_id)
    title = words(condition, "title")
    slug = words(condition, "slug")
    if not (title and slug):
        return None
    with translation.override(language):
        images_by_kind = defaultdict(list)
        for image in content.children(Image, condition_id):
            images_by_kind[image.section_kind].append(
                _image(image, words(image, "alt_text"), words(image, "caption"))
            )
        sections = []
        for section in content.children(Section, condition_id):
            body = sanitize_html(words(section, "body"))
            heading = words(section, "heading") or (
                "" if section.kind == Section.Kind.OTHER else section.get_kind_display()
            )
            if not (body and heading):
                continue
            anchor = section.kind.replace("_", "-")
            if any(s["anchor"] == anchor for s in sections):
                anchor = f"{anchor}-{section.pk}"
            sections.append(
                {
                    "kind": section.kind,
                    "anchor": anchor,
                    "heading": heading,
                    "html": body,
                    "images": images_by_kind.pop(section.kind, []),
                }
            )
        if sections:
            # Images whose section is absent in this language still belong
            # to the article: show them after the first section.
            for leftover in images_by_kind.values():
                sections[0]["images"].extend(leftover)
        references = [
            _reference(content.objects[Reference][row.reference_id])
            for row in content.children(ConditionReference, condition_id)
        ]
        people = defaultdict(list)
        for row in content.children(ConditionContributor, condition_id):
            person = content.objects[Contributor][row.contributor_id]
            people[row.role].append(
                {"name": person.name, "credentials": person.credentials}
            )
        category_ids = content.m2m_ids(Condition, condition_id, "categories")
        categories = [
            {
                "id": c.pk,
                "kind": c.kind,
                "name": getattr(c, f"name_{language}") or "",
                # Its page's address in this language (library:category).
                "slug": getattr(c, f"slug_{language}") or "",
            }
            for c in Category.objects.filter(pk__in=category_ids)
        ]
        return {
            "title": title,
            "slug": slug,
            "also_called": [
                line.strip()
                for line in words(condition, "also_called").splitlines()
                if line.strip()
            ],
            "summary": words(condition, "summary"),
            "sections": sections,
            "references": references,
            "authors": people[ConditionContributor.Role.AUTHOR],
            "illustrators": people[ConditionContributor.Role.ILLUSTRATOR],
            "categories": [c for c in categories if c["name"]],
            "related_ids": content.m2m_ids(Condition, condition_id, "related"),
            "codes": {"mesh": condition.mesh_id, "icd10": condition.icd10},
        }


def _reference(reference):
    """Return a citation: its NLM text, and the identifiers a page links."""
    return {
        "text": reference.format_nlm(),
        "authors": reference.authors,
        "title": reference.title,
        "container": reference.container,
        "year": reference.year,
        "doi": reference.doi,
        "pmid": reference.pmid,
        "url": reference.url,
    }


def _image(image, alt, caption):
    """Return an image as the page shows it: its public renditions, its texts.

    The renditions are made now (renditions.py), from the original this
    revision refers to; the page never links the original, which stays
    private. ``url``, ``width`` and ``height`` are the fallback's (a bounded
    rendition, never the original's size); ``srcset`` lists the WebP
    renditions. An original that cannot be read leaves ``url`` empty: the
    page leaves the picture out.
    """
    public = renditions.publish(image.file) if image.file else None
    return {
        **(public or {"url": "", "width": None, "height": None, "srcset": []}),
        "alt": alt,
        "caption": caption,
        "credit": image.credit,
    }
