"""Exporting the whole library as schema.org MedicalWebPage JSON (a backup).

``export(directory)`` writes the working copy of every article, in every
state, into a new directory: ``<slug>.json`` holds the article's documents
(a JSON array: the source language first, then each configured language it
has a title in), and ``images/`` its pictures, which the documents name by
a path relative to the file (``contentUrl``). The output is deterministic
(sorted keys, stable order, no export time), so that an export imported
into an empty database and exported again is identical. Articles are read
in chunks with their parts prefetched: memory stays flat as the library
grows.
"""

import hashlib
import json
import posixpath
from pathlib import Path

from django.conf import settings
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from .. import languages
from ..models import Condition, ImportedRecord, Publication
from .jsonld import SOURCE, document

CHUNK = 200
IMAGES = "images"


class ExportError(Exception):
    """The export cannot be written where asked."""


def key_of(condition_id, imported):
    """Return the identifier linking an article's documents."""
    return imported.get(condition_id) or f"condition-{condition_id}"


def articles(ids):
    """Return the articles with these ids, their parts prefetched."""
    return (
        Condition.objects.filter(pk__in=ids)
        .order_by("pk")
        .prefetch_related(
            "sections",
            "images",
            "categories",
            Prefetch("related", queryset=Condition.objects.order_by("pk")),
            "condition_references__reference",
            "condition_contributors__contributor",
        )
    )


def export(directory, *, progress=None):
    """Write every article to a new (or empty) directory; return the counts."""
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise ExportError(
            _("%(directory)s is not empty: export into a new or empty folder.")
            % {"directory": directory}
        )
    (directory / IMAGES).mkdir(parents=True, exist_ok=True)
    counts = {"articles": 0, "documents": 0, "images": 0, "missing_images": []}
    ids = list(Condition.objects.order_by("pk").values_list("pk", flat=True))
    used = set()
    for start in range(0, len(ids), CHUNK):
        _chunk(directory, ids[start : start + CHUNK], used, counts)
        if progress is not None:
            progress(len(ids[start : start + CHUNK]))
    return counts


def _chunk(directory, ids, used, counts):
    rows = list(articles(ids))
    linked = {c.pk for c in rows} | {r.pk for c in rows for r in c.related.all()}
    imported = dict(
        ImportedRecord.objects.filter(
            source=SOURCE, condition_id__in=linked
        ).values_list("condition_id", "key")
    )
    keys = {pk: key_of(pk, imported) for pk in linked}
    publications = {
        (p.condition_id, p.language): p
        for p in Publication.objects.current().filter(condition_id__in=ids)
    }
    codes = [settings.SOURCE_LANGUAGE] + languages.targets()
    for condition in rows:
        key = keys[condition.pk]
        names = {}
        for position, image in enumerate(condition.images.all(), start=1):
            extension = posixpath.splitext(image.file.name)[1].lower()
            digest = hashlib.sha256(key.encode()).hexdigest()[:16]
            names[image.pk] = f"{digest}-{position}{extension}"
            _copy(image, directory / IMAGES / names[image.pk], counts)
        documents = [
            document(
                condition,
                language,
                key=key,
                related_keys=keys,
                publication=publications.get((condition.pk, language)),
                image_url=lambda image, names=names: f"{IMAGES}/{names[image.pk]}",
            )
            for language in codes
            if getattr(condition, f"title_{language}")
        ]
        if not documents:
            continue
        name = _file_name(condition, key, used)
        text = json.dumps(documents, ensure_ascii=False, indent=2, sort_keys=True)
        (directory / name).write_text(text + "\n", encoding="utf-8")
        counts["articles"] += 1
        counts["documents"] += len(documents)


def _copy(image, target, counts):
    try:
        with image.file.open("rb") as source:
            target.write_bytes(source.read())
    except (OSError, ValueError):
        counts["missing_images"].append(image.file.name)
        return
    counts["images"] += 1


def _file_name(condition, key, used):
    slug = getattr(condition, f"slug_{settings.SOURCE_LANGUAGE}") or "article"
    name = f"{slug}.json"
    if name in used:
        name = f"{slug}-{hashlib.sha256(key.encode()).hexdigest()[:8]}.json"
    used.add(name)
    return name
