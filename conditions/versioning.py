"""Revisions of articles: what one captures (django-reversion), and reading them.

Every save of the working copy is a revision. ``RevisionContent`` reads the
objects one revision stored without touching the working copy, so that what
is published or compared is exactly what was saved then.
"""

import hashlib
from collections import defaultdict

import reversion
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import pre_save
from reversion.models import Version

from . import languages
from .models import (
    Category,
    Condition,
    ConditionContributor,
    ConditionReference,
    Contributor,
    Disclaimer,
    Image,
    Reference,
    RevisionFingerprint,
    Section,
)

#: Workflow state and account links are not content: a revert must not
#: change them.
EXCLUDE = {
    Condition: ("status", "expire_at"),
    Contributor: ("user",),
    Reference: ("link_status", "link_checked_at", "link_final_url", "link_error"),
}

#: A condition's revision holds its parts and the references and people they
#: point to, so that a revision alone can be rendered and reverted.
FOLLOW = {
    Condition: ("sections", "condition_references", "images", "condition_contributors"),
    ConditionReference: ("reference",),
    ConditionContributor: ("contributor",),
}


def register_models():
    """Register every content model with django-reversion (idempotent)."""
    for model in (
        Condition,
        Section,
        ConditionReference,
        Reference,
        Image,
        ConditionContributor,
        Contributor,
        Category,
        Disclaimer,
    ):
        if not reversion.is_registered(model):
            reversion.register(
                model, follow=FOLLOW.get(model, ()), exclude=EXCLUDE.get(model, ())
            )


def _keep_unversioned_fields(sender, instance, raw, **kwargs):
    """On a revert or recovery, keep the fields that revisions do not hold.

    reversion saves the restored object raw, with defaults for excluded
    fields; copy their current values back so that a revert never changes
    workflow state or account links.
    """
    fields = EXCLUDE.get(sender)
    if not (raw and fields and instance.pk):
        return
    columns = [sender._meta.get_field(name).attname for name in fields]
    current = sender.objects.filter(pk=instance.pk).values(*columns).first()
    if current is not None:
        for column, value in current.items():
            setattr(instance, column, value)


for _model in EXCLUDE:
    pre_save.connect(_keep_unversioned_fields, sender=_model)


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

    def __init__(self, revision, versions=None):
        self.objects = defaultdict(dict)
        self.m2m = {}
        if versions is None:
            versions = revision.version_set.all()
        for version in versions:
            deserialised = version._object_version
            obj = deserialised.object
            self.objects[version._model][obj.pk] = obj
            self.m2m[version._model, obj.pk] = deserialised.m2m_data or {}

    @classmethod
    def many(cls, revision_ids):
        """Return {revision id: RevisionContent} read in one query."""
        versions = defaultdict(list)
        for version in Version.objects.filter(revision_id__in=revision_ids):
            versions[version.revision_id].append(version)
        return {pk: cls(None, versions[pk]) for pk in revision_ids}

    def condition(self, condition_id):
        return self.objects[Condition].get(condition_id)

    def children(self, model, condition_id):
        rows = [
            o for o in self.objects[model].values() if o.condition_id == condition_id
        ]
        return sorted(rows, key=lambda o: (o.position, o.pk))

    def m2m_ids(self, model, pk, field):
        return [int(v) for v in self.m2m.get((model, pk), {}).get(field, [])]


def fingerprint(revision, condition_id, language):
    """Return a hash of what a review in `language` covers in a revision.

    The source language covers its own texts and everything
    language-neutral; another language covers only its own texts. Automatic
    timestamps are left out. Read from the hashes stored when the revision
    was saved; computed (and stored) for a revision saved before they were.
    """
    stored = (
        RevisionFingerprint.objects.filter(
            revision_id=revision.pk, condition_id=condition_id, language=language
        )
        .values_list("value", flat=True)
        .first()
    )
    if stored is None:
        record_fingerprints(revision, list(revision.version_set.all()))
        stored = RevisionFingerprint.objects.get(
            revision_id=revision.pk, condition_id=condition_id, language=language
        ).value
    return stored


def record_fingerprints(revision, versions):
    """Store the fingerprints of every article in a revision, per language."""
    condition_type = ContentType.objects.get_for_model(Condition)
    rows = [
        RevisionFingerprint(
            revision=revision,
            condition_id=int(version.object_id),
            language=language,
            value=compute_fingerprint(versions, language),
        )
        for version in versions
        if version.content_type_id == condition_type.pk
        for language in languages.codes()
    ]
    RevisionFingerprint.objects.bulk_create(rows, ignore_conflicts=True)


def compute_fingerprint(versions, language):
    """Return the hash of what a review in `language` covers in these versions."""
    from modeltranslation.translator import NotRegistered, translator

    source = language == settings.SOURCE_LANGUAGE
    codes = languages.codes()
    parts = []
    for version in sorted(versions, key=lambda v: (v.content_type_id, v.object_id)):
        model = version._model
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


def latest_fingerprints(condition_id, language):
    """Return a queryset of an article's stored fingerprints, newest first."""
    return RevisionFingerprint.objects.filter(
        condition_id=condition_id, language=language
    ).order_by("-revision_id")


def backfill_fingerprints():
    """Store the fingerprints of revisions saved before they were recorded."""
    from reversion.models import Revision

    condition_type = ContentType.objects.get_for_model(Condition)
    missing = (
        Revision.objects.filter(version__content_type=condition_type)
        .exclude(pk__in=RevisionFingerprint.objects.values("revision_id").distinct())
        .distinct()
    )
    for revision in missing.iterator():
        record_fingerprints(revision, list(revision.version_set.all()))
