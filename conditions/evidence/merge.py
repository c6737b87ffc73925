"""Merging duplicate references into one, keeping every citation."""

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import versioning
from ..models import Condition, ConditionReference, Reference

#: The citation's fields filled from a duplicate when the kept one lacks them.
FILLED = (
    "authors",
    "title",
    "container",
    "year",
    "volume",
    "issue",
    "pages",
    "doi",
    "pmid",
    "url",
    "accessed",
)
#: What the link checker found goes with the address it checked.
LINK_FIELDS = ("link_status", "link_checked_at", "link_final_url", "link_error")


def can_merge(user):
    """Return True if the user may merge references (editors)."""
    return user.has_perm("conditions.delete_reference") and user.has_perm(
        "conditions.change_conditionreference"
    )


def merge_references(*, keep, others, user):
    """Merge ``others`` into ``keep``; return the ids of the articles changed.

    Every citation of the others now cites ``keep`` (an article that cited
    several keeps one citation, at the earliest position); the kept
    reference's empty fields are filled from the others (in id order); the
    others are deleted. Each changed article gets a revision "References
    merged…", so that its history shows the merge. All or nothing.
    """
    if not can_merge(user):
        raise PermissionDenied(_("Only editors may merge references."))
    other_ids = sorted({int(pk) for pk in others} - {keep.pk})
    if not other_ids:
        raise ValidationError(_("Choose at least one other reference to merge."))
    with transaction.atomic():
        # Lock the rows, so that a concurrent edit or merge waits for this one.
        locked = list(
            Reference.objects.select_for_update()
            .filter(pk__in=[keep.pk, *other_ids])
            .order_by("pk")
        )
        found = {reference.pk: reference for reference in locked}
        missing = [pk for pk in [keep.pk, *other_ids] if pk not in found]
        if missing:
            raise ValidationError(
                _("These references no longer exist: %(ids)s.")
                % {"ids": ", ".join(map(str, missing))}
            )
        kept = found[keep.pk]
        duplicates = [found[pk] for pk in other_ids]
        _fill_empty_fields(kept, duplicates)
        changed = _repoint_citations(kept, other_ids)
        Reference.objects.filter(pk__in=other_ids).delete()
        comment = ngettext(
            "References merged: #%(others)s into #%(kept)s (%(title)s).",
            "References merged: #%(others)s into #%(kept)s (%(title)s).",
            len(other_ids),
        ) % {
            "others": ", #".join(map(str, other_ids)),
            "kept": kept.pk,
            "title": kept.title[:200],
        }
        with reversion.create_revision(atomic=False):
            reversion.add_to_revision(kept)
            reversion.set_user(user)
            reversion.set_comment(comment)
        for condition in Condition.objects.filter(pk__in=changed).order_by("pk"):
            versioning.save_revision(condition, user=user, comment=comment)
    return sorted(changed)


def _fill_empty_fields(kept, duplicates):
    updates = {}
    for name in FILLED:
        if getattr(kept, name) in ("", None):
            for duplicate in duplicates:
                value = getattr(duplicate, name)
                if value not in ("", None):
                    updates[name] = value
                    if name == "url":
                        # What the checker found about this address.
                        updates.update(
                            {link: getattr(duplicate, link) for link in LINK_FIELDS}
                        )
                    break
    for name, value in updates.items():
        setattr(kept, name, value)
    if updates:
        kept.save(update_fields=list(updates))


def _repoint_citations(kept, other_ids):
    """Make every citation of the others cite ``kept``; return the articles."""
    citations = ConditionReference.objects.filter(
        reference_id__in=[kept.pk, *other_ids]
    ).order_by("condition_id", "position", "pk")
    by_condition = {}
    for citation in citations:
        by_condition.setdefault(citation.condition_id, []).append(citation)
    changed = set()
    for condition_id, cited in by_condition.items():
        if all(citation.reference_id == kept.pk for citation in cited):
            continue
        changed.add(condition_id)
        first, *rest = cited  # the earliest position is the one kept
        ConditionReference.objects.filter(pk__in=[c.pk for c in rest]).delete()
        if first.reference_id != kept.pk:
            first.reference_id = kept.pk
            first.save(update_fields=["reference"])
    return changed
