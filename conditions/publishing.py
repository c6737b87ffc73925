"""Publishing: turn one reversion revision into render-ready publications.

``publish()`` is the only way content reaches readers. The review workflow
calls it on approval; everything a public page shows is computed here, once,
from the revision's stored data (never from the working copy, which may have
moved on since).
"""

import hashlib
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
    # The revision is the working copy as stored, not a copy held in memory.
    condition.refresh_from_db()
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
            "disclaimer": getattr(disclaimer, f"text_{language}", "") or "",
        }


def _image(image, alt, caption):
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
        "alt": alt,
        "caption": caption,
        "credit": image.credit,
    }


def publish(condition, *, revision, user, review=None):
    """Publish the source language of a revision: what a medical review approves.

    `review` is the approved ReviewRequest; the page's "reviewed by" comes
    from it. Live translations whose source text changed are flagged
    outdated (not when the reviewer confirmed the change as minor). Runs in
    one transaction: on any error the previous publications stay live.
    """
    from . import translations

    language = settings.SOURCE_LANGUAGE
    content = RevisionContent(revision)
    if content.condition(condition.pk) is None:
        raise PublishError(_("This revision does not contain the article."))
    with transaction.atomic():
        # Lock the condition so two concurrent publishes queue up.
        Condition.objects.select_for_update().filter(pk=condition.pk).first()
        snapshot = build_snapshot(content, condition.pk, language)
        if snapshot is None:
            raise PublishError(
                _("The article needs a title and a slug before publishing.")
            )
        previous = _live(condition, language)
        byline = (
            {
                "reviewer_name": review.reviewer_name,
                "reviewer_credentials": review.reviewer_credentials,
                "reviewed_at": review.decided_at,
                "next_review_on": review.next_review_on,
            }
            if review
            else {}
        )
        publication = _replace(
            previous,
            condition=condition,
            language=language,
            revision=revision,
            snapshot=snapshot,
            user=user,
            review=review,
            source_hashes=translations.source_hashes(content, condition.pk),
            **byline,
        )
        translations.source_published(
            condition,
            publication,
            previous,
            content,
            minor=bool(review and review.minor_confirmed),
        )
    return [publication]


def publish_translation(condition, *, language, revision, user, review=None):
    """Publish a translation: its words from `revision`, the rest from the source.

    The language-neutral parts (structure, references, images, codes) and
    the medical reviewer's byline come from the live source publication the
    text was translated from.
    """
    from . import translations

    with transaction.atomic():
        Condition.objects.select_for_update().filter(pk=condition.pk).first()
        source = _live(condition, settings.SOURCE_LANGUAGE)
        if source is None:
            raise PublishError(_("Publish the source language first."))
        disclaimer = Disclaimer.objects.first()
        if disclaimer is not None and not getattr(disclaimer, f"text_{language}", ""):
            raise PublishError(
                _("Translate the disclaimer into this language first (Disclaimer).")
            )
        content = RevisionContent(source.revision)
        text = RevisionContent(revision)
        snapshot = build_snapshot(content, condition.pk, language, text=text)
        if snapshot is None:
            raise PublishError(
                _("The translation needs a title and a slug before publishing.")
            )
        basis = translations.translation_basis(condition, language, source, text)
        publication = _replace(
            _live(condition, language),
            condition=condition,
            language=language,
            revision=revision,
            snapshot=snapshot,
            user=user,
            review=review,
            # The medical byline is the source's: it reviewed the content.
            **{field: getattr(source, field) for field in BYLINE_FIELDS},
            source_publication=source,
            source_hashes=basis,
            outdated_since=(
                source.published_at if basis != source.source_hashes else None
            ),
        )
    return [publication]


BYLINE_FIELDS = (
    "reviewer_name",
    "reviewer_credentials",
    "reviewed_at",
    "next_review_on",
)


def _live(condition, language):
    """Return the live publication of a condition in a language, or None."""
    return (
        Publication.objects.current()
        .filter(condition=condition, language=language)
        .select_related("revision")
        .first()
    )


def _replace(previous, *, snapshot, user, **fields):
    """Make a new live publication, retiring the previous one."""
    stale_urls = []
    if previous is not None:
        stale_urls.append(previous.get_absolute_url())
        Publication.objects.filter(pk=previous.pk).update(is_current=False)
    publication = Publication.objects.create(
        title=snapshot["title"],
        slug=snapshot["slug"],
        summary=snapshot["summary"],
        snapshot=snapshot,
        published_at=timezone.now(),
        published_by=user,
        **fields,
    )
    _announce([*stale_urls, publication.get_absolute_url()], publication.language)
    return publication


def fingerprint(revision, condition_id, language):
    """Return a hash of what a review in `language` covers in a revision.

    The source language covers its own texts and everything
    language-neutral; another language covers only its own texts. Automatic
    timestamps are left out.
    """
    from modeltranslation.translator import NotRegistered, translator

    source = language == settings.SOURCE_LANGUAGE
    codes = language_codes()
    parts = []
    for version in revision.version_set.select_related("content_type").order_by(
        "content_type_id", "object_id"
    ):
        model = version.content_type.model_class()
        try:
            # The names of the translated fields (a tuple).
            translated = translator.get_options_for_model(model).fields
        except NotRegistered:  # not a translated model
            translated = ()
        own = {f"{name}_{language}" for name in translated}
        other = {f"{name}_{code}" for name in translated for code in codes} | set(
            translated
        )
        data = {
            key: value
            for key, value in version.field_dict.items()
            if key in own
            or (source and key not in other and key not in ("updated_at", "created_at"))
        }
        if not source:
            # Only the texts written in this language: a section or a
            # reference added to (or left untranslated in) the source does
            # not change what a translation review covers.
            data = {key: value for key, value in data.items() if value}
            if not data:
                continue
        parts.append((version.content_type_id, version.object_id, sorted(data.items())))
    return hashlib.sha256(repr(parts).encode()).hexdigest()


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
