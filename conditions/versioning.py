"""Revisions of articles: what one captures (django-reversion), and reading them.

Every save of the working copy is a revision. ``RevisionContent`` reads the
objects one revision stored without touching the working copy, so that what
is published or compared is exactly what was saved then.
"""

import hashlib
from collections import defaultdict

import reversion
from django.conf import settings
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
    Section,
)

#: Workflow state and account links are not content: a revert must not
#: change them.
EXCLUDE = {
    Condition: ("status", "expire_at"),
    Contributor: ("user",),
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


def fingerprint(revision, condition_id, language):
    """Return a hash of what a review in `language` covers in a revision.

    The source language covers its own texts and everything
    language-neutral; another language covers only its own texts. Automatic
    timestamps are left out.
    """
    from modeltranslation.translator import NotRegistered, translator

    source = language == settings.SOURCE_LANGUAGE
    codes = languages.codes()
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
