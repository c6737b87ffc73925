"""Publishing: turn one reversion revision into render-ready publications.

``publish()`` is the only way content reaches readers. The review workflow
calls it on approval; everything a public page shows is computed here, once,
from the revision's stored data (never from the working copy, which may have
moved on since).
"""

from collections import defaultdict

import reversion
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reversion.models import Version

from .fields import sanitize_html
from .models import (
    Category,
    Condition,
    ConditionContributor,
    ConditionReference,
    Contributor,
    Disclaimer,
    Image,
    Publication,
    Reference,
    Section,
)

#: Sent after commit with the public URLs whose content changed, so that a
#: CDN or any other cache in front of the site can purge them.
publications_changed = Signal()


class PublishError(Exception):
    """The revision cannot be published (e.g. the source text is incomplete)."""


def language_codes():
    return [code for code, _name in settings.LANGUAGES]


def latest_revision(condition):
    """Return the newest reversion revision of a condition, or None."""
    version = Version.objects.get_for_object(condition).select_related("revision")
    version = version.first()
    return version.revision if version else None


def latest_revision_id(condition_id):
    """Return the id of the newest revision of a condition, or None."""
    return (
        Version.objects.get_for_model(Condition)
        .filter(object_id=str(condition_id))
        .order_by("-revision_id")
        .values_list("revision_id", flat=True)
        .first()
    )


def save_revision(condition, *, user, comment):
    """Record the working copy of a condition as a new revision and return it."""
    with reversion.create_revision(atomic=True):
        reversion.add_to_revision(condition)
        reversion.set_user(user)
        reversion.set_comment(comment)
    return latest_revision(condition)


class RevisionContent:
    """The objects stored in one revision, deserialised but never saved."""

    def __init__(self, revision):
        self.objects = defaultdict(dict)
        self.m2m = {}
        for version in revision.version_set.select_related("content_type"):
            model = version.content_type.model_class()
            deserialised = version._object_version
            obj = deserialised.object
            self.objects[model][obj.pk] = obj
            self.m2m[model, obj.pk] = deserialised.m2m_data or {}

    def condition(self, condition_id):
        return self.objects[Condition].get(condition_id)

    def children(self, model, condition_id):
        rows = [
            o for o in self.objects[model].values() if o.condition_id == condition_id
        ]
        return sorted(rows, key=lambda o: (o.position, o.pk))

    def m2m_ids(self, model, pk, field):
        return [int(v) for v in self.m2m.get((model, pk), {}).get(field, [])]


def build_snapshot(content, condition_id, language):
    """Return the render-ready page of a condition in a language, or None.

    None means the revision has no title or slug in that language: the page
    cannot exist there. Text is taken from that language's columns only, so
    a missing translation is left out instead of showing another language.
    """
    condition = content.condition(condition_id)
    title = getattr(condition, f"title_{language}")
    slug = getattr(condition, f"slug_{language}")
    if not (title and slug):
        return None
    with translation.override(language):
        images_by_kind = defaultdict(list)
        for image in content.children(Image, condition_id):
            images_by_kind[image.section_kind].append(_image(image, language))
        sections = []
        for section in content.children(Section, condition_id):
            body = sanitize_html(getattr(section, f"body_{language}") or "")
            heading = getattr(section, f"heading_{language}") or (
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
            content.objects[Reference][row.reference_id].format_nlm()
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
            {"kind": c.kind, "name": getattr(c, f"name_{language}") or ""}
            for c in Category.objects.filter(pk__in=category_ids)
        ]
        disclaimer = Disclaimer.objects.first()
        return {
            "title": title,
            "slug": slug,
            "also_called": condition.also_called_list(language),
            "summary": getattr(condition, f"summary_{language}") or "",
            "sections": sections,
            "references": references,
            "authors": people[ConditionContributor.Role.AUTHOR],
            "illustrators": people[ConditionContributor.Role.ILLUSTRATOR],
            "categories": [c for c in categories if c["name"]],
            "related_ids": content.m2m_ids(Condition, condition_id, "related"),
            "codes": {"mesh": condition.mesh_id, "icd10": condition.icd10},
            "disclaimer": getattr(disclaimer, f"text_{language}", "") or "",
        }


def _image(image, language):
    name = image.file.name
    width = height = None
    try:
        from PIL import Image as PILImage

        with default_storage.open(name) as fh, PILImage.open(fh) as picture:
            width, height = picture.size
    except (OSError, ValueError):
        pass
    return {
        "url": default_storage.url(name),
        "width": width,
        "height": height,
        "alt": getattr(image, f"alt_text_{language}") or "",
        "caption": getattr(image, f"caption_{language}") or "",
        "credit": image.credit,
    }


def publish(condition, *, revision, user, review=None, languages=None):
    """Publish a revision of a condition in the given languages (default: all).

    Called by the review workflow on approval (`review` is the approved
    ReviewRequest; the page's "reviewed by" comes from it). Returns the new
    Publication rows. The source language must be publishable; another
    language is skipped when the revision has no title and slug in it. Runs
    in one transaction: on any error the previous publications stay live.
    """
    languages = languages or language_codes()
    content = RevisionContent(revision)
    if content.condition(condition.pk) is None:
        raise PublishError(_("This revision does not contain the article."))
    now = timezone.now()
    created = []
    with transaction.atomic():
        # Lock the condition so two concurrent publishes queue up.
        Condition.objects.select_for_update().filter(pk=condition.pk).first()
        for language in languages:
            snapshot = build_snapshot(content, condition.pk, language)
            if snapshot is None:
                if language == settings.SOURCE_LANGUAGE:
                    raise PublishError(
                        _("The article needs a title and a slug before publishing.")
                    )
                continue
            previous = Publication.objects.current().filter(
                condition=condition, language=language
            )
            stale_urls = [p.get_absolute_url() for p in previous]
            previous.update(is_current=False)
            publication = Publication.objects.create(
                condition=condition,
                language=language,
                revision=revision,
                title=snapshot["title"],
                slug=snapshot["slug"],
                summary=snapshot["summary"],
                snapshot=snapshot,
                published_at=now,
                published_by=user,
                review=review,
                reviewer_name=review.reviewer_name if review else "",
                reviewer_credentials=review.reviewer_credentials if review else "",
                reviewed_at=review.decided_at if review else None,
                next_review_on=review.next_review_on if review else None,
            )
            created.append(publication)
            _announce(stale_urls + [publication.get_absolute_url()], language)
    return created


def unpublish(condition, *, reason=""):
    """Take a condition off the public site in every language."""
    with transaction.atomic():
        live = Publication.objects.current().filter(condition=condition)
        urls = [(p.get_absolute_url(), p.language) for p in live]
        live.update(
            is_current=False, withdrawn_at=timezone.now(), withdrawn_reason=reason
        )
        for url, language in urls:
            _announce([url], language)


def _announce(urls, language):
    from django.urls import reverse

    with translation.override(language):
        index = reverse("conditions:index")
    transaction.on_commit(
        lambda: publications_changed.send(sender=Publication, urls=[*urls, index])
    )
