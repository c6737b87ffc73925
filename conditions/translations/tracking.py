"""Translation tracking at publication: which source text each one matches.

Every publication stores the hashes of the source texts it matches. A new
source publication compares them with each live translation's and flags the
translation outdated when they differ.
"""

from django.conf import settings

from ..models import FieldTranslation, Publication
from .units import UNIT_FIELDS, source_units, unit_key


def translation_basis(condition, language, source, text):
    """Return {unit key: source hash} a translation being published matches.

    For a unit translated from the current source text, or not translated at
    all (a partial translation, published as such), that is the source's
    hash; for an outdated unit, the hash of the older text it came from.
    """
    records = {
        r.key: r.source_hash
        for r in FieldTranslation.objects.filter(condition=condition, language=language)
    }
    basis = {}
    for key, current in source.source_hashes.items():
        model_name, pk, field = key.split(".")
        model = {m._meta.model_name: m for m in UNIT_FIELDS}[model_name]
        obj = text.objects[model].get(int(pk))
        translated = obj is not None and getattr(obj, f"{field}_{language}", "")
        basis[key] = records.get(key, current) if translated else current
    return basis


def source_published(condition, publication, previous, content, *, minor):
    """Flag live translations outdated by a new source publication.

    A change the medical reviewer confirmed as minor moves every up-to-date
    translation onto the new source text instead.
    """
    new = publication.source_hashes
    if minor and previous is not None:
        texts = {
            unit_key(model, obj.pk, field): text
            for model, obj, field, text in source_units(content, condition.pk)
        }
        for key, old_hash in previous.source_hashes.items():
            if key in new and new[key] != old_hash:
                FieldTranslation.objects.filter(
                    condition=condition, key=key, source_hash=old_hash
                ).update(source_hash=new[key], source_text=texts[key])
    for live in (
        Publication.objects.current()
        .filter(condition=condition)
        .exclude(language=settings.SOURCE_LANGUAGE)
    ):
        basis = dict(live.source_hashes)
        if minor and previous is not None:
            for key, old_hash in previous.source_hashes.items():
                if basis.get(key) == old_hash and key in new:
                    basis[key] = new[key]
        outdated = basis != new
        live.source_hashes = basis
        if outdated and live.outdated_since is None:
            live.outdated_since = publication.published_at
        elif not outdated:
            live.outdated_since = None
        live.save(update_fields=["source_hashes", "outdated_since"])
