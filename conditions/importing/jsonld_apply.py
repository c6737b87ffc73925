"""Importing schema.org MedicalWebPage JSON: reading files, writing articles.

A file holds one document, a JSON array of documents (an export of ours:
one article, its source language first), or one document per line (JSON
Lines, ``.jsonl``/``.ndjson``, read line by line). A document in the source
language creates or updates the working copy of the article its
``identifier`` (or ``url``) was imported into before; a document in
another language fills that article's translation. Each import is a
revision by the importing user; with ``approve_as`` the source language is
submitted by that user and approved by the reviewer through the normal
approval (four eyes, publication checks, audit log).
"""

import json
import posixpath
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .. import versioning
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
from ..publishing.publisher import PublishError
from ..uploads import clean_picture
from ..workflow import actions
from ..workflow.transitions import TransitionError
from . import base
from .jsonld import SOURCE, kind_heading, parse

#: A .json file is decoded whole: bigger ones must be JSON Lines.
JSON_MAX_BYTES = 64 * 1024 * 1024
LINES_SUFFIXES = (".jsonl", ".ndjson")
LIVE = (Condition.Status.PUBLISHED, Condition.Status.SCHEDULED)
#: Why an approval of an import can be refused (the import itself stays).
REFUSALS = (TransitionError, PermissionDenied, PublishError, ValidationError)


def read_records(path):
    """Yield the checked Page of each document of a file, streaming it."""
    if str(path).endswith(LINES_SUFFIXES):
        yield from _lines(path)
    else:
        yield from _document_or_array(path)


def _decode_error(path, error, *, line=None, record=None):
    return base.ImportFailure(
        _("not valid JSON (truncated or damaged): %(error)s") % {"error": error.msg},
        file=path,
        line=(line or 1) + error.lineno - 1,
        record=record,
    )


def _loads(text, path, line, record):
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise _decode_error(path, error, line=line, record=record) from None
    except RecursionError:
        raise base.ImportFailure(
            _("the JSON is nested too deeply."), file=path, line=line, record=record
        ) from None


def _lines(path):
    with base.open_input(path) as source:
        pending, line, number = b"", 1, 0
        while True:
            data = source.read(base.CHUNK)
            pending += data
            rows = pending.split(b"\n")
            pending = rows.pop() if data else b""
            for row in rows:
                if row.strip():
                    number += 1
                    data_row = _loads(row.decode(), path, line, number)
                    yield parse(data_row, file=path, record=number, line=line)
                line += 1
            if not data:
                return


def _document_or_array(path):
    chunks, size = [], 0
    with base.open_input(path) as source:
        while data := source.read(base.CHUNK):
            size += len(data)
            if size > JSON_MAX_BYTES:
                raise base.ImportFailure(
                    _(
                        "the file is larger than %(limit)s MB: write it as JSON "
                        "Lines (one document per line, .jsonl)."
                    )
                    % {"limit": JSON_MAX_BYTES // (1024 * 1024)},
                    file=path,
                )
            chunks.append(data)
    text = b"".join(chunks).decode()
    decoder = json.JSONDecoder()
    start = _skip(text, 0)
    if text[start : start + 1] != "[":
        data = _loads(text, path, 1, None)
        yield parse(data, file=path, line=_line_at(text, start))
        return
    index, number = _skip(text, start + 1), 0
    if text[index : index + 1] == "]":
        return
    while True:
        number += 1
        line = _line_at(text, index)
        try:
            data, index = decoder.raw_decode(text, index)
        except json.JSONDecodeError as error:
            raise _decode_error(path, error, record=number) from None
        except RecursionError:
            raise base.ImportFailure(
                _("the JSON is nested too deeply."), file=path, line=line
            ) from None
        yield parse(data, file=path, record=number, line=line)
        index = _skip(text, index)
        if text[index : index + 1] == ",":
            index = _skip(text, index + 1)
            continue
        if text[index : index + 1] == "]" and not text[index + 1 :].strip():
            return
        raise base.ImportFailure(
            _(
                "not valid JSON (truncated or damaged): the list of documents "
                "does not end."
            ),
            file=path,
            line=_line_at(text, index),
            record=number,
        )


def _skip(text, index):
    while index < len(text) and text[index] in " \t\r\n":
        index += 1
    return index


def _line_at(text, index):
    return text.count("\n", 0, index) + 1


class Importer:
    """Applies the pages of JSON-LD files (``run_import``'s two functions)."""

    def __init__(
        self, *, user, approve_as=None, approve_translations_as=None, dry_run=False
    ):
        self.user, self.approve_as, self.dry_run = user, approve_as, dry_run
        self.approve_translations_as = approve_translations_as
        self.source = settings.SOURCE_LANGUAGE
        #: Related articles named before they were imported: linked at the end.
        self.pending = {}
        #: (language, key) -> the name of the first page of the run with it.
        self.seen = {}

    read_records = staticmethod(read_records)

    def apply_record(self, page, path):
        digest = base.digest(page.raw)
        # Pages without an identifier are known by their address, which some
        # sources give several pages (MedQuAD: one NCI page for six
        # conditions): the second of a run with another name is its own
        # record, the address and its name.
        seen = self.seen.setdefault((page.language, page.key), page.title)
        if seen != page.title and not page.raw.get("identifier"):
            page.key = f"{page.key}#{page.title}"
        if page.language == self.source:
            return self._source(page, path, digest)
        return self._translation(page, path, digest)

    def run(self, paths, *, stdout=None, stderr=None):
        """Import files; return the Summary (related links made at the end)."""
        summary = base.run_import(
            paths,
            read_records=self.read_records,
            apply_record=self.apply_record,
            dry_run=self.dry_run,
            stdout=stdout,
            stderr=stderr,
        )
        if not self.dry_run:
            summary.refused.extend(self.link_related())
        return summary

    # ------------------------------------------------------------ source

    def _source(self, page, path, digest):
        fail = _failer(page, path)
        record = base.record_for(SOURCE, page.key)
        if record is not None and record.digest == digest:
            return base.Outcome("unchanged", page.key, record.condition)
        condition = record.condition if record else Condition()
        language = page.language
        _set_texts(condition, page)
        for attribute in ("icd10", "mesh_id"):
            setattr(condition, attribute, page.codes.get(attribute, ""))
        condition.review_interval_days = page.review_interval_days
        _clean(condition, fail)
        condition.save()
        sections = list(condition.sections.all())
        for position, part in enumerate(page.sections):
            section = (
                sections[position]
                if position < len(sections)
                else Section(condition=condition)
            )
            section.kind, section.position = part.kind, position
            setattr(section, f"heading_{language}", part.heading)
            setattr(section, f"body_{language}", part.body)
            _clean(section, fail)
            section.save()
        Section.objects.filter(
            pk__in=[s.pk for s in sections[len(page.sections) :]]
        ).delete()
        self._pictures(condition, page, path, fail)
        _references(condition, page.citations, fail)
        _people(condition, page)
        _categories(condition, page)
        self._related(condition, page)
        live = condition.status in LIVE
        versioning.save_revision(
            condition,
            user=self.user,
            comment=_("Imported from %(file)s")
            % {"file": posixpath.basename(str(path))},
        )
        if live:
            actions.note_edit(
                condition, user=self.user, comment=_("Updated by an import.")
            )
        base.remember(SOURCE, page.key, condition, digest)
        action = "updated" if record else "created"
        approve = self._approve if self.approve_as is not None else None
        return _outcome(action, page, condition, approve)

    def _pictures(self, condition, page, path, fail):
        pictures = [
            (part.kind, picture) for part in page.sections for picture in part.pictures
        ]
        pictures += [("", picture) for picture in page.pictures]
        images = list(condition.images.all())
        language = page.language
        for position, (kind, picture) in enumerate(pictures):
            image = (
                images[position]
                if position < len(images)
                else Image(condition=condition)
            )
            image.file = _picture_file(picture.content_url, path, fail)
            image.section_kind = kind
            setattr(image, f"alt_text_{language}", picture.alt)
            setattr(image, f"caption_{language}", picture.caption)
            image.credit, image.licence = picture.credit, picture.licence
            image.licence_expires, image.position = picture.expires, position
            _clean(image, fail)
            image.save()
        Image.objects.filter(pk__in=[i.pk for i in images[len(pictures) :]]).delete()

    def _related(self, condition, page):
        found = dict(
            base.ImportedRecord.objects.filter(
                source=SOURCE, key__in=page.related
            ).values_list("key", "condition_id")
        )
        condition.related.set([found[key] for key in page.related if key in found])
        missing = [key for key in page.related if key not in found]
        if missing:
            self.pending[condition.pk] = (page.key, page.related)
        else:
            self.pending.pop(condition.pk, None)

    def _approve(self, condition, page):
        """Submit and approve the import; return why it was refused, or ""."""
        try:
            with transaction.atomic():
                request = actions.submit(
                    condition, user=self.user, note=_("Imported reviewed content.")
                )
                actions.approve(
                    request,
                    user=self.approve_as,
                    next_review_on=page.next_review_on,
                    reviewed_at=page.reviewed_at,
                    published_at=_restored_date(page),
                )
        except REFUSALS as error:
            return " ".join(getattr(error, "messages", [str(error)]))
        return ""

    def _approve_translation(self, condition, page):
        """Submit and approve an imported translation; return why refused, or ""."""
        try:
            with transaction.atomic():
                request = actions.submit_translation(
                    condition,
                    language=page.language,
                    user=self.user,
                    note=_("Imported reviewed translation."),
                )
                actions.approve(
                    request,
                    user=self.approve_translations_as,
                    published_at=_restored_date(page),
                )
        except REFUSALS as error:
            return " ".join(getattr(error, "messages", [str(error)]))
        return ""

    # ------------------------------------------------------------ translation

    def _translation(self, page, path, digest):
        fail = _failer(page, path)
        origin = base.record_for(SOURCE, page.key)
        if origin is None:
            fail(
                _(
                    "no article has the identifier “%(key)s”: import its document "
                    "in %(language)s first."
                )
                % {"key": page.key, "language": self.source}
            )
        source = f"{SOURCE}:{page.language}"
        record = base.record_for(source, page.key)
        if record is not None and record.digest == digest:
            return base.Outcome("unchanged", page.key, record.condition)
        condition = origin.condition
        language = page.language
        _set_texts(condition, page)
        _clean(condition, fail)
        condition.save()
        sections = list(condition.sections.all())
        if len(page.sections) > len(sections):
            fail(
                _(
                    "it has %(count)s sections; the article has %(sections)s in "
                    "the source language."
                )
                % {"count": len(page.sections), "sections": len(sections)}
            )
        for section, part in zip(sections, page.sections, strict=False):
            heading = part.heading or kind_heading(part.kind, language)
            if heading == kind_heading(section.kind, language):
                heading = ""
            setattr(section, f"heading_{language}", heading)
            setattr(section, f"body_{language}", part.body)
            _clean(section, fail)
            section.save()
        pictures = [p for part in page.sections for p in part.pictures] + page.pictures
        images = list(condition.images.all())
        if len(pictures) > len(images):
            fail(
                _("it has %(count)s images; the article has %(images)s.")
                % {"count": len(pictures), "images": len(images)}
            )
        for image, picture in zip(images, pictures, strict=False):
            setattr(image, f"alt_text_{language}", picture.alt)
            setattr(image, f"caption_{language}", picture.caption)
            _clean(image, fail)
            image.save()
        _translate_categories(condition, page)
        versioning.save_revision(
            condition,
            user=self.user,
            comment=_("Translation imported from %(file)s")
            % {"file": posixpath.basename(str(path))},
        )
        # As in the translator's workspace, a translation leaves the source's
        # status alone: its live version stays until its own approval.
        base.remember(source, page.key, condition, digest)
        action = "updated" if record else "created"
        approve = (
            self._approve_translation
            if self.approve_translations_as is not None
            else None
        )
        return _outcome(action, page, condition, approve)

    # ------------------------------------------------------------ at the end

    def link_related(self):
        """Link related articles imported after the article naming them.

        Returns an Outcome ("refused") for each live article that would have
        to change: its links wait for its next import.
        """
        refused = []
        for condition_id, (key, wanted) in sorted(self.pending.items()):
            with transaction.atomic():
                condition = Condition.objects.filter(pk=condition_id).first()
                if condition is None:
                    continue
                found = dict(
                    base.ImportedRecord.objects.filter(
                        source=SOURCE, key__in=wanted
                    ).values_list("key", "condition_id")
                )
                ids = [found[k] for k in wanted if k in found]
                if (
                    ids
                    == list(
                        condition.related.order_by("pk").values_list("pk", flat=True)
                    )
                    or not ids
                ):
                    continue
                if condition.status in LIVE:
                    refused.append(
                        base.Outcome(
                            "refused",
                            key,
                            condition,
                            _(
                                "its related articles were imported after it; "
                                "import it again to link them."
                            ),
                        )
                    )
                    continue
                condition.related.set(ids)
                versioning.save_revision(
                    condition,
                    user=self.user,
                    comment=_("Related articles linked after the import."),
                )
        self.pending.clear()
        return refused


def not_live_in_backup(page):
    """Return why an export's document is not approved on import, or "".

    A document of our export carries the article's status
    (``creativeWorkStatus``) and, when the language was live, the date it
    was published (``dateModified``): only a live one is approved, so that a
    restore keeps drafts drafts and never publishes unreviewed changes.
    Other publishers' pages (no ``creativeWorkStatus``) are approved.
    """
    if not page.status:
        return ""
    if page.status != Condition.Status.PUBLISHED:
        try:
            label = str(Condition.Status(page.status).label).lower()
        except ValueError:
            label = page.status
        return _("%(status)s in the backup: not approved.") % {"status": label}
    if page.modified_at is None:
        return _("not published in this language in the backup: not approved.")
    return ""


def _restored_date(page):
    """Return the date the backup's publication went live (never in the future)."""
    if page.status and page.modified_at is not None:
        return min(page.modified_at, timezone.now())
    return None


def _failer(page, path):
    def fail(message):
        raise base.ImportFailure(message, file=path, record=page.key)

    return fail


def _clean(obj, fail):
    try:
        obj.full_clean(exclude=["condition", "file"], validate_unique=False)
    except ValidationError as error:
        fail(
            "; ".join(
                f"{name}: {' '.join(messages)}"
                if name != "__all__"
                else " ".join(messages)
                for name, messages in error.message_dict.items()
            )
        )


def _set_texts(condition, page):
    language = page.language
    setattr(condition, f"title_{language}", page.title)
    setattr(condition, f"slug_{language}", _slug(condition, page))
    setattr(condition, f"also_called_{language}", "\n".join(page.also_called))
    setattr(condition, f"summary_{language}", page.summary)


def _slug(condition, page):
    """Return the page's slug, made unique in its language with -2, -3…

    A re-import keeps the slug of the article (its address) unless the
    document names one of this site's addresses.
    """
    column = f"slug_{page.language}"
    current = getattr(condition, column)
    if current and not page.slug_given:
        return current
    others = (
        Condition.objects.exclude(pk=condition.pk)
        if condition.pk
        else (Condition.objects.all())
    )
    candidate, number = page.slug, 2
    while others.filter(**{column: candidate}).exists():
        candidate, number = f"{page.slug}-{number}", number + 1
    return candidate


def _picture_file(address, path, fail):
    """Return the checked picture at an address relative to the imported file."""
    if "://" in address or address.startswith("//"):
        fail(
            _(
                "the image %(address)s is not a file beside the import: remote "
                "pictures are not downloaded."
            )
            % {"address": address}
        )
    folder = Path(path).resolve().parent
    file = (folder / address).resolve()
    if not file.is_relative_to(folder):
        fail(
            _("the image %(address)s is outside the import's folder.")
            % {"address": address}
        )
    try:
        data = file.read_bytes()
    except OSError:
        fail(_("the image %(address)s cannot be read.") % {"address": address})
    try:
        return clean_picture(ContentFile(data, name=file.name))
    except ValidationError as error:
        fail(f"{address}: {' '.join(error.messages)}")


def _find_reference(fields):
    for name in ("doi", "pmid", "url"):
        if fields.get(name):
            found = Reference.objects.filter(**{name: fields[name]}).first()
            if found is not None:
                return found
    return Reference.objects.filter(
        title=fields["title"],
        authors=fields.get("authors", ""),
        container=fields.get("container", ""),
        year=fields.get("year"),
    ).first()


def _references(condition, citations, fail):
    ConditionReference.objects.filter(condition=condition).delete()
    seen = set()
    for fields in citations:
        reference = _find_reference(fields)
        if reference is None:
            reference = Reference(
                **{k: v for k, v in fields.items() if v not in (None, "")}
            )
            _clean(reference, fail)
            reference.save()
        if reference.pk in seen:
            continue
        seen.add(reference.pk)
        ConditionReference.objects.create(
            condition=condition, reference=reference, position=len(seen) - 1
        )


def _people(condition, page):
    ConditionContributor.objects.filter(condition=condition).delete()
    rows = [(ConditionContributor.Role.AUTHOR, p) for p in page.authors]
    rows += [(ConditionContributor.Role.ILLUSTRATOR, p) for p in page.illustrators]
    for position, (role, (name, credentials)) in enumerate(rows):
        contributor = (
            Contributor.objects.filter(name=name, credentials=credentials)
            .order_by("pk")
            .first()
        ) or Contributor.objects.create(name=name, credentials=credentials)
        ConditionContributor.objects.create(
            condition=condition, contributor=contributor, role=role, position=position
        )


def _categories(condition, page):
    source = settings.SOURCE_LANGUAGE
    found = []
    for kind, name in page.categories:
        category = (
            Category.objects.filter(kind=kind, **{f"name_{source}": name})
            .order_by("pk")
            .first()
        )
        if category is None:
            category = Category.objects.create(
                kind=kind, **{f"name_{source}": name, f"slug_{source}": slugify(name)}
            )
        found.append(category)
    condition.categories.set(found)


def _translate_categories(condition, page):
    """Name the article's categories in the page's language where unnamed."""
    language = page.language
    by_kind = {}
    for category in condition.categories.all():
        by_kind.setdefault(category.kind, []).append(category)
    for kind, names in _group(page.categories).items():
        unnamed = [
            c for c in by_kind.get(kind, []) if not getattr(c, f"name_{language}")
        ]
        if len(unnamed) == 1 and len(names) == 1:
            category = unnamed[0]
            setattr(category, f"name_{language}", names[0])
            setattr(category, f"slug_{language}", slugify(names[0]))
            category.save()


def _group(pairs):
    grouped = {}
    for kind, name in pairs:
        grouped.setdefault(kind, []).append(name)
    return grouped


def files_in(paths):
    """Return the files named, a folder standing for its .json/.jsonl files."""
    found = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(
                p
                for p in path.iterdir()
                if p.is_file() and p.suffix in (".json", *LINES_SUFFIXES)
            )
        else:
            found.append(path)
    return [str(p) for p in found]


def import_files(
    paths,
    *,
    user,
    approve_as=None,
    approve_translations_as=None,
    dry_run=False,
    stderr=None,
):
    """Import JSON-LD files (or folders of them) and return the Summary."""
    base.check_user(user)
    importer = Importer(
        user=user,
        approve_as=approve_as,
        approve_translations_as=approve_translations_as,
        dry_run=dry_run,
    )
    return importer.run(files_in(paths), stderr=stderr)


def _outcome(action, page, condition, approve):
    """What importing a document did, after its approval if one was asked.

    A document that was not live in the backup it comes from is not
    approved (its note says so); a refused approval leaves a draft.
    """
    if approve is not None:
        note = not_live_in_backup(page)
        if note:
            return base.Outcome(action, page.key, condition, note=note)
        refused = approve(condition, page)
        if refused:
            return base.Outcome("refused", page.key, condition, refused)
    return base.Outcome(action, page.key, condition)
