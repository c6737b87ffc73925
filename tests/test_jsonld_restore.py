"""Restoring a JSON-LD backup of live articles: the round trip is exact.

A library with an article live in English and Spanish and a draft is
exported, emptied of content (the accounts stay, as on a new site set up
for the restore), imported with the same reviewers approving, and exported
again: the documents are byte-identical and the pictures pixel-identical.
"""

import io
import json

import pytest
from django.core.management import call_command
from reversion.models import Revision

from conditions.models import (
    AuditEntry,
    Category,
    Condition,
    Contributor,
    ImportedRecord,
    Publication,
    Reference,
    ReviewRequest,
)

from .factories import (
    make_author,
    make_condition,
    make_reviewer,
    make_translation_reviewer,
    make_user,
    publish_now,
)
from .test_jsonld import ADHESIONS, files, medquad, pixels, run, write

pytestmark = pytest.mark.django_db


def live_library():
    """Return (author, reviewer, translation reviewer) of a library to back up.

    Focal Dystonia is live in English (reviewed by Ana Ruiz, MD) and in
    Spanish; Writer's cramp is a draft in both languages that links to it.
    """
    author = make_user("restorer", groups=["Authors", "Translators (es)"])
    reviewer = make_reviewer("ruiz", name="Ana Ruiz", credentials="MD")
    translation_reviewer = make_translation_reviewer("es", "lopez")
    live = make_condition(title_en="Focal Dystonia", slug_en="focal-dystonia")
    draft = make_condition(title_en="Writer's cramp", slug_en="writers-cramp", images=2)
    # A draft imported after the live article it links to: the link is made
    # as it is imported (docs/importing.md: related links on a restore).
    draft.related.add(live)
    live.categories.add(
        Category.objects.create(
            kind="body_system",
            name_en="Nervous system",
            slug_en="nervous-system",
            name_es="Sistema nervioso",
            slug_es="sistema-nervioso",
        )
    )
    publish_now(live, user=make_author(), reviewer=reviewer, translate=True)
    return author, reviewer, translation_reviewer


def empty_the_content():
    """Delete every article and its history; keep the accounts."""
    Publication.objects.exclude(source_publication=None).delete()
    Publication.objects.all().delete()
    AuditEntry.objects.all().delete()
    ReviewRequest.objects.all().delete()
    Condition.objects.all().delete()
    Revision.objects.all().delete()
    Reference.objects.all().delete()
    Contributor.objects.filter(user__isnull=True).delete()
    Category.objects.all().delete()
    assert not ImportedRecord.objects.exists()
    assert not Publication.objects.exists()


def restore(folder, author, reviewer, translation_reviewer):
    return run(
        [folder],
        user=author,
        approve_as=reviewer,
        approve_translations_as=translation_reviewer,
    )


def test_a_backup_of_live_articles_restores_identically(tmp_path):
    author, reviewer, translation_reviewer = live_library()
    first, second = tmp_path / "first", tmp_path / "second"
    call_command("export_jsonld", str(first), stdout=io.StringIO())
    english, spanish = json.loads((first / "focal-dystonia.json").read_text())
    assert english["creativeWorkStatus"] == "published"
    assert english["reviewedBy"]["name"] == spanish["reviewedBy"]["name"] == "Ana Ruiz"
    assert "dateModified" in english and "dateModified" in spanish
    empty_the_content()

    summary, errors = restore(first, author, reviewer, translation_reviewer)

    assert errors == "" and not summary.refused and summary.created == 4
    call_command("export_jsonld", str(second), stdout=io.StringIO())
    before, after = files(first), files(second)
    assert sorted(before) == sorted(after)
    for name in [n for n in before if n.endswith(".json")]:
        assert before[name] == after[name], name
    images = [name for name in before if name.startswith("images/")]
    assert len(images) == 3
    for name in images:
        assert pixels(before[name]) == pixels(after[name])
    # Through the normal approvals, recorded in the audit log.
    live = Condition.objects.get(title_en="Focal Dystonia")
    assert set(
        AuditEntry.objects.filter(condition=live).values_list("action", "actor")
    ) >= {
        ("submitted", author.pk),
        ("approved_published", reviewer.pk),
        ("translation_submitted", author.pk),
        ("translation_published", translation_reviewer.pk),
    }


def test_a_draft_in_the_backup_stays_a_draft_and_the_summary_says_so(tmp_path):
    author, reviewer, translation_reviewer = live_library()
    call_command("export_jsonld", str(tmp_path / "out"), stdout=io.StringIO())
    empty_the_content()

    summary, _ = restore(tmp_path / "out", author, reviewer, translation_reviewer)

    draft = Condition.objects.get(title_en="Writer's cramp")
    assert draft.status == Condition.Status.DRAFT
    assert not Publication.objects.filter(condition=draft).exists()
    assert not draft.review_requests.exists()
    text = "\n".join(summary.lines())
    assert "2 records left as they were in the backup:" in text
    assert "draft in the backup: not approved." in text


def test_a_page_from_elsewhere_without_the_exports_marks_is_still_approved(
    tmp_path,
):
    author, reviewer = make_author(), make_reviewer()
    page = medquad(ADHESIONS)
    assert "creativeWorkStatus" not in page and "dateModified" not in page
    page["lastReviewed"] = ["2025-03-04T09:30:00+00:00", "2028-03-04"]

    summary, _ = run(
        [write(tmp_path, "a.json", page)], user=author, approve_as=reviewer
    )

    assert not summary.noted and not summary.refused
    assert Condition.objects.get().status == Condition.Status.PUBLISHED


def test_a_restore_by_a_translation_reviewer_who_wrote_it_is_refused(tmp_path):
    author, reviewer, _ = live_library()
    call_command("export_jsonld", str(tmp_path / "out"), stdout=io.StringIO())
    empty_the_content()
    # The importing user may not approve the translation they imported.
    author.groups.add(*make_translation_reviewer("es").groups.all())

    summary, _ = restore(tmp_path / "out", author, reviewer, author)

    live = Condition.objects.get(title_en="Focal Dystonia")
    assert Publication.objects.live(live, "en") is not None
    assert Publication.objects.live(live, "es") is None
    assert [o.detail for o in summary.refused] == [
        "You cannot approve a change that you wrote or edited."
    ]
