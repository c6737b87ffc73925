"""Apply MedlinePlus topics to the working copy (the reading is medlineplus.py).

Each Pair (an English topic and its Spanish pair) becomes or updates one
article: a draft with a revision by the importing user, never a publication.
Revisions are saved at the end of each file, once related topics (which may
come later in the file) are linked, so that a revision holds them.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .. import workflow
from ..models import (
    Category,
    Condition,
    ConditionReference,
    ImportedRecord,
    Reference,
    Section,
)
from ..versioning import save_revision
from . import base
from .medlineplus import BODY_SYSTEM_GROUPS, SOURCE, plain_summary, read_records


class Importer:
    """Applies Pairs to the working copy for one user, one run."""

    def __init__(self, *, user, submit=False):
        self.user = user
        self.submit = submit
        self.touched = []  # (condition id, Pair key, related topic ids, line)

    def apply_record(self, pair, path):
        if pair.english is None:
            return base.Outcome(
                "refused",
                pair.key,
                None,
                _(
                    "Spanish topic “%(title)s” without its English topic in the "
                    "file: an article starts in the source language."
                )
                % {"title": pair.spanish.title},
            )
        known = base.record_for(SOURCE, pair.key)
        digest = pair.digest()
        if known is not None and known.digest == digest:
            return base.Outcome("unchanged", pair.key, known.condition)
        try:
            condition = self._write(pair, known.condition if known else None)
        except ValidationError as error:
            raise base.ImportFailure(
                "; ".join(
                    f"{name}: {' '.join(messages)}"
                    for name, messages in error.message_dict.items()
                )
                if hasattr(error, "error_dict")
                else " ".join(error.messages),
                file=path,
                record=pair.key,
                line=pair.english.line,
            ) from None
        base.remember(SOURCE, pair.key, condition, digest)
        self.touched.append((condition.pk, known is not None, pair.english.related))
        return base.Outcome("updated" if known else "created", pair.key, condition)

    def finish_file(self, path):
        """Link related topics (now that the file is in), save and submit."""
        ids = {t for _pk, _known, related in self.touched for t in related}
        targets = dict(
            ImportedRecord.objects.filter(source=SOURCE, key__in=ids).values_list(
                "key", "condition_id"
            )
        )
        for pk, known, related in self.touched:
            condition = Condition.objects.get(pk=pk)
            linked = [targets[t] for t in related if t in targets and targets[t] != pk]
            if linked:
                condition.related.add(*linked)
            comment = (
                _("Updated from MedlinePlus.")
                if known
                else _("Imported from MedlinePlus.")
            )
            save_revision(condition, user=self.user, comment=comment)
            if known:
                # A live article's working copy now differs: a draft again.
                workflow.note_edit(condition, user=self.user, comment=comment)
            if self.submit:
                try:
                    workflow.submit(condition, user=self.user, note=comment)
                except workflow.TransitionError as error:
                    raise base.ImportFailure(
                        _("cannot submit “%(article)s” for review: %(error)s")
                        % {"article": condition, "error": error},
                        file=path,
                    ) from None
        self.touched = []

    def _write(self, pair, condition):
        english, spanish = pair.english, pair.spanish
        if condition is None:
            condition = Condition()
            condition.slug_en = _free_slug(english.title, "en")
            if spanish:
                condition.slug_es = _free_slug(spanish.title, "es")
        elif spanish and not condition.slug_es:
            condition.slug_es = _free_slug(spanish.title, "es", exclude=condition.pk)
        condition.title_en = english.title
        condition.also_called_en = "\n".join(english.also_called)
        condition.summary_en = plain_summary(english.summary_html)
        if spanish:
            condition.title_es = spanish.title
            condition.also_called_es = "\n".join(spanish.also_called)
            condition.summary_es = plain_summary(spanish.summary_html)
        if english.mesh:
            condition.mesh_id = english.mesh[0]
        condition.full_clean(exclude=["categories", "related"])
        condition.save()
        self._section(condition, english, spanish)
        self._categories(condition, english, spanish)
        self._references(condition, pair)
        return condition

    def _section(self, condition, english, spanish):
        section = (
            condition.sections.filter(kind=Section.Kind.DEFINITION)
            .order_by("position", "pk")
            .first()
        ) or Section(condition=condition, kind=Section.Kind.DEFINITION, position=0)
        section.body_en = english.summary_html
        if spanish:
            section.body_es = spanish.summary_html
        section.full_clean()
        section.save()

    def _categories(self, condition, english, spanish):
        names_es = {g[0]: g[1] for g in spanish.groups} if spanish else {}
        categories = []
        for group_id, name, _url in english.groups:
            category = Category.objects.filter(slug_en=slugify(name)).first()
            if category is None:
                kind = (
                    Category.Kind.BODY_SYSTEM
                    if name.lower() in BODY_SYSTEM_GROUPS
                    else Category.Kind.SPECIALTY
                )
                category = Category(kind=kind, name_en=name, slug_en=slugify(name))
            if names_es.get(group_id) and not category.name_es:
                category.name_es = names_es[group_id]
                category.slug_es = slugify(names_es[group_id])
            category.full_clean()
            category.save()
            categories.append(category)
        condition.categories.add(*categories)

    def _references(self, condition, pair):
        position = condition.condition_references.count()
        for topic in (pair.english, pair.spanish):
            if topic is None:
                continue
            reference = Reference.objects.filter(
                url=topic.url, container="MedlinePlus"
            ).first() or Reference(url=topic.url, container="MedlinePlus")
            reference.title = f"{topic.title} — MedlinePlus"
            reference.accessed = pair.generated or (
                datetime.date.fromisoformat(topic.created) if topic.created else None
            )
            reference.full_clean()
            reference.save()
            _link, created = ConditionReference.objects.get_or_create(
                condition=condition,
                reference=reference,
                defaults={"position": position},
            )
            position += created


def _free_slug(title, language, exclude=None):
    """Return a slug of the title no other article uses in that language."""
    stem = slugify(title)[:190].strip("-") or "condition"
    taken = Condition.objects.filter(**{f"slug_{language}__startswith": stem})
    if exclude:
        taken = taken.exclude(pk=exclude)
    taken = set(taken.values_list(f"slug_{language}", flat=True))
    slug, number = stem, 2
    while slug in taken:
        slug, number = f"{stem}-{number}", number + 1
    return slug


def import_files(paths, *, user, submit=False, dry_run=False, stderr=None):
    """Import MedlinePlus XML files (each atomically) and return the Summary."""
    base.check_user(user)
    if submit and not user.has_perm("conditions.submit_condition"):
        raise PermissionDenied(
            _("%(user)s may not submit articles for review.")
            % {"user": user.get_username()}
        )
    importer = Importer(user=user, submit=submit)

    def finish_file(path):
        importer.finish_file(path)

    def read(path):
        importer.touched = []
        return read_records(path)

    return base.run_import(
        paths,
        read_records=read,
        apply_record=importer.apply_record,
        finish_file=finish_file,
        dry_run=dry_run,
        stderr=stderr,
    )
