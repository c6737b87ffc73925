"""Field-by-field comparison of two revisions of a condition.

``compare_revisions()`` reads both revisions through ``RevisionContent`` (one
deserialisation each, no per-field queries) and returns a ``RevisionDiff``:
one ``LanguageDiff`` per language for the translated texts, and a list of
language-neutral changes (codes, categories, related conditions, sections
added, removed or moved, references, images, contributors).

Each ``FieldChange`` carries a stable ``key`` (e.g. ``condition.title.es``,
``section.12.body.es``, ``reference.7``, ``codes.icd10``) that review
comments can point at, and ``html``: a safe fragment in which removed words
are in ``<del>`` and added words in ``<ins>``.

The first changed entry of an image (in display order: the languages, then
the language-neutral changes) also carries ``pictures``: the image before
and after, with its alternative text, caption and credit, so that the
reviewer sees the picture they approve; the image's later entries point to
it with ``pictures_at``.
"""

from difflib import SequenceMatcher

from django.conf import settings
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _

from ..fields import sanitize_html
from ..languages import codes as language_codes
from ..languages import local_name
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
from ..versioning import RevisionContent
from .changes import (
    ADDED,
    CHANGED,
    REMOVED,
    UNCHANGED,
    FieldChange,
    LanguageDiff,
    RevisionDiff,
    plain,
)
from .images import ImagePictures, file_name, image_value, image_view
from .richtext import clean_diff_html, diff_html
from .words import diff_text


class _Empty:
    """Stands for a revision that does not exist (first publication)."""

    def condition(self, condition_id):
        return None

    def children(self, model, condition_id):
        return []

    def m2m_ids(self, model, pk, field):
        return []


def _label(model, name):
    return capfirst(str(model._meta.get_field(name).verbose_name))


def _also_called(value):
    lines = (line.strip() for line in (value or "").splitlines())
    return "\n".join(line for line in lines if line)


def _status(old, new):
    if old == new:
        return UNCHANGED
    if not old:
        return ADDED
    if not new:
        return REMOVED
    return CHANGED


class _Comparison:
    def __init__(self, condition_id, old, new, include_unchanged):
        self.condition_id = condition_id
        self.old = old
        self.new = new
        self.include_unchanged = include_unchanged
        self.source = settings.SOURCE_LANGUAGE
        #: Image pk -> anchor of the entry that shows its pictures.
        self._pictures_shown = {}

    # -- helpers ----------------------------------------------------------

    def _field(self, out, key, label, old, new, *, kind="text", status=None):
        """Compare two values and append a FieldChange to out when relevant."""
        status = status or _status(old, new)
        if status == UNCHANGED and not self.include_unchanged:
            return None
        if kind == "html":
            html = (
                mark_safe(clean_diff_html(sanitize_html(new or "")))
                if status == UNCHANGED
                else diff_html(old, new)
            )
        else:
            html = diff_text(
                old if status != UNCHANGED else new,
                new,
                linebreaks=kind == "lines",
            )
        change = FieldChange(key, label, status, old or None, new or None, html)
        out.append(change)
        return change

    def _merged_order(self, old_items, new_items):
        """Items of both lists: new order, removed ones after their old
        predecessor. Items are (id, old_obj, new_obj)."""
        new_ids = [i for i, _o in new_items]
        old_map = dict(old_items)
        new_map = dict(new_items)
        order = list(new_ids)
        previous = None
        for item_id, _obj in old_items:
            if item_id not in new_map:
                at = order.index(previous) + 1 if previous is not None else 0
                order.insert(at, item_id)
            previous = item_id
        return [(i, old_map.get(i), new_map.get(i)) for i in order]

    @staticmethod
    def _moves(old_ids, new_ids):
        """Return {id: (old position, new position)} of the items that moved.

        Only items outside the longest common ordering count as moved, so a
        section inserted at the top does not make every other one "moved".
        """
        new_set, old_set = set(new_ids), set(old_ids)
        common_old = [i for i in old_ids if i in new_set]
        common_new = [i for i in new_ids if i in old_set]
        if common_old == common_new:
            return {}
        matcher = SequenceMatcher(None, common_old, common_new, autojunk=False)
        kept = set()
        for block in matcher.get_matching_blocks():
            kept.update(common_old[block.a : block.a + block.size])
        return {
            i: (old_ids.index(i) + 1, new_ids.index(i) + 1)
            for i in common_new
            if i not in kept
        }

    def _item(self, out, key, label, old_text, new_text, move=None):
        """The entry of a whole item: added, removed, reworded or moved."""
        status = _status(old_text, new_text)
        note = ""
        if move:
            note = _("Moved from position %(old)s to %(new)s.") % {
                "old": move[0],
                "new": move[1],
            }
            if status == UNCHANGED:
                status = CHANGED
        change = self._field(out, key, label, old_text, new_text, status=status)
        if change is not None:
            change.note = note
        return change

    def _section_name(self, section, language):
        heading = plain(getattr(section, f"heading_{language}", ""))
        if heading:
            return heading
        with translation.override(language):
            return str(section.get_kind_display())

    # -- language-specific ------------------------------------------------

    def sections(self, content):
        return [(s.pk, s) for s in content.children(Section, self.condition_id)]

    def images(self, content):
        return [(i.pk, i) for i in content.children(Image, self.condition_id)]

    def language(self, code):
        out = []
        old_c = self.old.condition(self.condition_id)
        new_c = self.new.condition(self.condition_id)
        for name, kind in (
            ("title", "text"),
            ("slug", "text"),
            ("also_called", "lines"),
            ("summary", "text"),
        ):
            column = f"{name}_{code}"
            normalise = _also_called if kind == "lines" else plain
            self._field(
                out,
                f"condition.{name}.{code}",
                _label(Condition, name),
                normalise(getattr(old_c, column, "")),
                normalise(getattr(new_c, column, "")),
                kind=kind,
            )
        for pk, old_s, new_s in self._merged_order(
            self.sections(self.old), self.sections(self.new)
        ):
            name = self._section_name(new_s or old_s, code)
            for field_name, kind in (("heading", "text"), ("body", "html")):
                column = f"{field_name}_{code}"
                old_value = getattr(old_s, column, "") or ""
                new_value = getattr(new_s, column, "") or ""
                if kind == "html":
                    old_value = sanitize_html(old_value)
                    new_value = sanitize_html(new_value)
                else:
                    old_value, new_value = plain(old_value), plain(new_value)
                self._field(
                    out,
                    f"section.{pk}.{field_name}.{code}",
                    _("Section “%(name)s”: %(field)s")
                    % {"name": name, "field": _label(Section, field_name).lower()},
                    old_value,
                    new_value,
                    kind=kind,
                )
        for pk, old_i, new_i in self._merged_order(
            self.images(self.old), self.images(self.new)
        ):
            name = file_name(new_i or old_i)
            for field_name in ("alt_text", "caption"):
                column = f"{field_name}_{code}"
                change = self._field(
                    out,
                    f"image.{pk}.{field_name}.{code}",
                    _("Image “%(name)s”: %(field)s")
                    % {"name": name, "field": _label(Image, field_name).lower()},
                    plain(getattr(old_i, column, "")),
                    plain(getattr(new_i, column, "")),
                )
                self._show_pictures(change, pk, old_i, new_i, code)
        return LanguageDiff(code, local_name(code), out)

    # -- language-neutral -------------------------------------------------

    def neutral(self):
        out = []
        old_c = self.old.condition(self.condition_id)
        new_c = self.new.condition(self.condition_id)
        for name in ("mesh_id", "icd10"):
            self._field(
                out,
                f"codes.{name}",
                _label(Condition, name),
                plain(getattr(old_c, name, "")),
                plain(getattr(new_c, name, "")),
            )
        self._m2m(out, "categories", self._category_names)
        self._m2m(out, "related", self._condition_titles)
        self._neutral_sections(out)
        self._references(out)
        self._neutral_images(out)
        self._contributors(out)
        return out

    def _m2m(self, out, name, resolve):
        old_ids = self.old.m2m_ids(Condition, self.condition_id, name)
        new_ids = self.new.m2m_ids(Condition, self.condition_id, name)
        if set(old_ids) == set(new_ids) and not self.include_unchanged:
            return
        names = resolve(set(old_ids) | set(new_ids))  # one query
        old_names = sorted(names.get(i, f"#{i}") for i in old_ids)
        new_names = sorted(names.get(i, f"#{i}") for i in new_ids)
        status = _status(old_names, new_names)
        if status == UNCHANGED and not self.include_unchanged:
            return
        out.append(
            FieldChange(
                f"{name}",
                _label(Condition, name),
                status,
                old_names or None,
                new_names or None,
                _list_diff(old_names, new_names),
            )
        )

    def _category_names(self, ids):
        if not ids:
            return {}
        active = translation.get_language() or self.source
        codes = language_codes()
        active = active if active in codes else self.source
        return {
            c.pk: getattr(c, f"name_{active}") or getattr(c, f"name_{self.source}")
            for c in Category.objects.filter(pk__in=ids)
        }

    def _condition_titles(self, ids):
        if not ids:
            return {}
        column = f"title_{self.source}"
        return dict(Condition.objects.filter(pk__in=ids).values_list("pk", column))

    def _neutral_sections(self, out):
        old_items, new_items = self.sections(self.old), self.sections(self.new)
        moves = self._moves([i for i, _s in old_items], [i for i, _s in new_items])
        for pk, old_s, new_s in self._merged_order(old_items, new_items):
            name = self._section_name(new_s or old_s, self.source)
            label = _("Section “%(name)s”") % {"name": name}
            self._item(
                out,
                f"section.{pk}",
                label,
                name if old_s is not None else "",
                name if new_s is not None else "",
                moves.get(pk),
            )
            if old_s is not None and new_s is not None and old_s.kind != new_s.kind:
                self._field(
                    out,
                    f"section.{pk}.kind",
                    f"{label}: {_label(Section, 'kind').lower()}",
                    str(old_s.get_kind_display()),
                    str(new_s.get_kind_display()),
                )

    def _references(self, out):
        def rows(content):
            result = []
            for row in content.children(ConditionReference, self.condition_id):
                reference = content.objects[Reference].get(row.reference_id)
                result.append((row.reference_id, reference))
            return result

        old_items, new_items = rows(self.old), rows(self.new)
        old_ids, new_ids = [i for i, _r in old_items], [i for i, _r in new_items]
        moves = self._moves(old_ids, new_ids)
        for pk, old_r, new_r in self._merged_order(old_items, new_items):
            current = new_r or old_r
            title = current.title if current is not None else f"#{pk}"
            # The NLM words ("Available at", "Accessed") in the source language.
            with translation.override(self.source):
                old_text = _citation(old_r, pk) if pk in old_ids else ""
                new_text = _citation(new_r, pk) if pk in new_ids else ""
            self._item(
                out,
                f"reference.{pk}",
                _("Reference “%(title)s”") % {"title": Truncator(title).chars(60)},
                old_text,
                new_text,
                moves.get(pk),
            )

    def _neutral_images(self, out):
        old_items, new_items = self.images(self.old), self.images(self.new)
        moves = self._moves([i for i, _o in old_items], [i for i, _o in new_items])
        for pk, old_i, new_i in self._merged_order(old_items, new_items):
            name = file_name(new_i or old_i)
            label = _("Image “%(name)s”") % {"name": name}
            changes = [
                self._item(
                    out,
                    f"image.{pk}",
                    label,
                    file_name(old_i),
                    file_name(new_i),
                    moves.get(pk),
                )
            ]
            if old_i is not None and new_i is not None:
                changes.append(
                    self._field(
                        out,
                        f"image.{pk}.file",
                        f"{label}: {_label(Image, 'file').lower()}",
                        old_i.file.name,
                        new_i.file.name,
                    )
                )
            for field_name in ("credit", "licence", "licence_expires", "section_kind"):
                changes.append(
                    self._field(
                        out,
                        f"image.{pk}.{field_name}",
                        f"{label}: {_label(Image, field_name).lower()}",
                        image_value(old_i, field_name),
                        image_value(new_i, field_name),
                    )
                )
            for change in changes:
                self._show_pictures(change, pk, old_i, new_i)

    def _show_pictures(self, change, pk, old_i, new_i, language=None):
        """Give a changed image entry the pictures, or the anchor showing them.

        The first changed entry of each image gets them. The languages are
        compared before the language-neutral fields, in the order they are
        shown, so that is the first entry of the image on the screen. In a
        language's entry the alternative text and caption are that
        language's, with the source language's alternative text too.
        """
        if change is None or not change.changed:
            return
        shown = self._pictures_shown.get(pk)
        if shown is not None:
            change.pictures_at = shown
            return
        language = language or self.source
        change.pictures = ImagePictures(
            before=image_view(old_i, self.source, language),
            after=image_view(new_i, self.source, language),
        )
        self._pictures_shown[pk] = change.anchor

    def _contributors(self, out):
        def rows(content):
            result = []
            for row in content.children(ConditionContributor, self.condition_id):
                person = content.objects[Contributor].get(row.contributor_id)
                result.append(((row.contributor_id, row.role), (row, person)))
            return result

        old_items, new_items = rows(self.old), rows(self.new)
        moves = self._moves([i for i, _r in old_items], [i for i, _r in new_items])
        for (pk, role), old_r, new_r in self._merged_order(old_items, new_items):
            row, person = new_r or old_r
            name = person.display_name if person else f"#{pk}"
            self._item(
                out,
                f"contributor.{pk}.{role}",
                _("%(role)s: %(name)s")
                % {"role": row.get_role_display(), "name": name},
                _person(old_r),
                _person(new_r),
                moves.get((pk, role)),
            )


def _citation(reference, pk):
    return reference.format_nlm() if reference is not None else f"#{pk}"


def _person(item):
    if item is None:
        return ""
    _row, person = item
    return person.display_name if person is not None else ""


def _list_diff(old, new):
    """Return a safe <ul> of a list's items, added ones in <ins>, removed in
    <del>, in the new order with removed items at the end."""
    items = []
    for value in new:
        wrap = "ins" if value not in old else None
        items.append((wrap, value))
    items.extend(("del", value) for value in old if value not in new)
    html = "".join(
        f"<li><{w}>{escape(v)}</{w}></li>" if w else f"<li>{escape(v)}</li>"
        for w, v in items
    )
    return mark_safe(f"<ul>{html}</ul>" if html else "")


def compare_revisions(
    condition_id,
    old_revision,
    new_revision,
    *,
    languages=None,
    include_unchanged=False,
):
    """Compare two reversion revisions of a condition, field by field.

    ``old_revision`` may be None (first publication: everything is added).
    ``languages`` defaults to every configured language; the source language
    comes first. With ``include_unchanged`` the unchanged fields are listed
    too (status "unchanged"), for context.
    """
    if hasattr(condition_id, "pk"):
        condition_id = condition_id.pk
    codes = list(languages or language_codes())
    source = settings.SOURCE_LANGUAGE
    if source in codes:
        codes.remove(source)
        codes.insert(0, source)
    old = RevisionContent(old_revision) if old_revision is not None else _Empty()
    new = RevisionContent(new_revision) if new_revision is not None else _Empty()
    comparison = _Comparison(condition_id, old, new, include_unchanged)
    return RevisionDiff(
        languages=[comparison.language(code) for code in codes],
        neutral=comparison.neutral(),
    )
