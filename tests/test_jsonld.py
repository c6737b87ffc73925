"""schema.org MedicalWebPage JSON (NHS content API shape): import and export.

Real pages from MedQuAD (tests/data/jsonld/README.md) are imported; the
library's own export is imported into an emptied database and exported
again, identically; every malformed input names its file, record and line
and leaves the database as it was.
"""

import io
import json
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.text import slugify
from PIL import Image as PILImage
from reversion.models import Version

from conditions.importing import jsonld_apply
from conditions.models import (
    AuditEntry,
    Category,
    Condition,
    ConditionContributor,
    Contributor,
    Image,
    ImportedRecord,
    Publication,
    Reference,
    Section,
)

from .factories import make_author, make_condition, make_reviewer, make_user

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "jsonld"
ADHESIONS = DATA / "abdominal-adhesions.json"
MICRODELETION = DATA / "15q13-3-microdeletion.json"


def run(paths, *, user=None, **options):
    stderr = io.StringIO()
    summary = jsonld_apply.import_files(
        [str(p) for p in paths], user=user or make_author(), stderr=stderr, **options
    )
    return summary, stderr.getvalue()


def counts():
    """Return the rows of everything an import writes."""
    return [
        model.objects.count()
        for model in (
            Condition,
            Section,
            Image,
            Reference,
            Contributor,
            Category,
            ImportedRecord,
            Publication,
            Version,
        )
    ]


def write(tmp_path, name, content):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(
            content if isinstance(content, str) else json.dumps(content),
            encoding="utf-8",
        )
    return path


def medquad(path=ADHESIONS):
    return json.loads(path.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- importing


def test_a_medquad_page_imports_with_all_its_parts():
    author = make_author()
    summary, errors = run([ADHESIONS], user=author)

    assert errors == "" and summary.created == 1
    condition = Condition.objects.get()
    assert condition.title_en == "Abdominal Adhesions"
    assert condition.slug_en == "abdominal-adhesions"
    assert condition.summary_en.startswith("Abdominal adhesions are bands")
    assert condition.status == Condition.Status.DRAFT
    sections = list(condition.sections.all())
    assert [(s.kind, s.heading_en) for s in sections] == [
        ("definition", "Overview"),
        ("causes", ""),
        ("risk_factors", ""),
        ("symptoms", ""),
        ("other", "Complications"),
        ("diagnosis", ""),
        ("treatment", ""),
        ("prevention", ""),
        ("other", "Things to consider"),
    ]
    assert all(s.body_en.startswith("<p>") for s in sections)
    # The page's own address and publisher: the article carries its evidence.
    reference = condition.condition_references.get().reference
    assert reference.container == "NIDDK"
    assert reference.url == medquad()["url"]
    assert reference.title == "Abdominal Adhesions"
    record = ImportedRecord.objects.get()
    assert (record.source, record.key, record.condition) == (
        "jsonld",
        medquad()["url"],
        condition,
    )
    revision = Version.objects.get_for_object(condition).get().revision
    assert revision.user == author
    assert "abdominal-adhesions.json" in revision.comment


def test_alternate_names_are_kept_and_umls_codes_left_out():
    run([MICRODELETION])

    condition = Condition.objects.get()
    assert condition.also_called_en.splitlines() == [
        "15q13.3 microdeletion syndrome",
        "chromosome 15q13.3 deletion syndrome",
    ]
    assert (condition.icd10, condition.mesh_id) == ("", "")
    assert [s.kind for s in condition.sections.all()][:2] == ["definition", "other"]


def test_a_reimport_updates_the_same_article_and_skips_an_unchanged_one(tmp_path):
    run([ADHESIONS])
    again, _ = run([ADHESIONS])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)

    page = medquad()
    page["description"] = "A new summary."
    changed, _ = run([write(tmp_path, "changed.json", page)])

    assert (changed.created, changed.updated) == (0, 1)
    assert Condition.objects.get().summary_en == "A new summary."
    assert Condition.objects.get().sections.count() == 9


def test_a_reimport_over_a_published_article_changes_only_the_working_copy(
    tmp_path,
):
    author, reviewer = make_author(), make_reviewer()
    run([ADHESIONS], user=author, approve_as=reviewer)
    condition = Condition.objects.get()
    assert condition.status == Condition.Status.PUBLISHED
    live = Publication.objects.live(condition, "en")

    page = medquad()
    page["description"] = "A new summary."
    run([write(tmp_path, "changed.json", page)], user=author)

    condition.refresh_from_db()
    assert condition.summary_en == "A new summary."
    assert condition.status == Condition.Status.DRAFT
    assert Publication.objects.live(condition, "en") == live
    assert live.snapshot["summary"].startswith("Abdominal adhesions")


def test_a_dry_run_says_what_it_would_do_and_changes_nothing():
    before = counts()
    summary, _ = run([ADHESIONS, MICRODELETION], dry_run=True)

    assert counts() == before
    assert summary.created == 2
    assert "would create 2" in " ".join(summary.lines())


def test_without_approve_as_imports_are_drafts():
    run([ADHESIONS, MICRODELETION])

    assert set(Condition.objects.values_list("status", flat=True)) == {"draft"}
    assert not Publication.objects.exists()


def test_json_lines_and_arrays_hold_several_documents(tmp_path):
    lines = "\n".join(json.dumps(medquad(p)) for p in (ADHESIONS, MICRODELETION))
    summary, _ = run([write(tmp_path, "pages.jsonl", lines + "\n")])
    assert summary.created == 2

    Condition.objects.all().delete()
    array = [medquad(p) for p in (ADHESIONS, MICRODELETION)]
    summary, _ = run([write(tmp_path, "pages.json", array)])
    assert summary.created == 2


# ---------------------------------------------------------------- approval


def reviewed_page(tmp_path, last, due, name="reviewed.json"):
    page = medquad()
    page["lastReviewed"] = [last, due]
    return write(tmp_path, name, page)


def test_approve_as_publishes_through_the_normal_approval_keeping_review_dates(
    tmp_path,
):
    author = make_author()
    reviewer = make_reviewer(name="Ana Ruiz", credentials="MD")
    path = reviewed_page(tmp_path, "2025-03-04T09:30:00+00:00", "2028-03-04")

    summary, errors = run([path], user=author, approve_as=reviewer)

    assert errors == "" and summary.created == 1 and not summary.refused
    condition = Condition.objects.get()
    assert condition.status == Condition.Status.PUBLISHED
    publication = Publication.objects.live(condition, "en")
    assert publication.reviewer_name == "Ana Ruiz"
    assert publication.reviewer_credentials == "MD"
    assert publication.reviewed_at == datetime(2025, 3, 4, 9, 30, tzinfo=UTC)
    assert publication.next_review_on == date(2028, 3, 4)
    actions = list(
        AuditEntry.objects.filter(condition=condition).values_list("action", "actor")
    )
    assert ("submitted", author.pk) in actions
    assert ("approved_published", reviewer.pk) in actions


def test_approve_as_refuses_self_approval_and_leaves_a_draft(tmp_path):
    both = make_user(groups=["Authors", "Medical reviewers"])
    Contributor.objects.create(user=both, name="Sam Both", credentials="MD")
    path = reviewed_page(tmp_path, "2025-03-04T09:30:00+00:00", "2028-03-04")

    summary, _ = run([path], user=both, approve_as=both)

    condition = Condition.objects.get()
    assert condition.status != Condition.Status.PUBLISHED
    assert not Publication.objects.exists()
    assert [o.key for o in summary.refused] == [medquad()["url"]]
    assert "wrote or edited" in summary.refused[0].detail
    assert medquad()["url"] in "\n".join(summary.lines())


def test_an_approval_a_check_refuses_stays_a_draft_listed_in_the_summary(
    tmp_path, settings
):
    settings.PUBLICATION_CHECKS = None  # every check on (off in the suite)
    author, reviewer = make_author(), make_reviewer()
    page = medquad()
    page["lastReviewed"] = ["2025-01-01T00:00:00+00:00", "2028-01-01"]
    del page["copyrightHolder"]  # no source: the article cites nothing
    unsourced = write(tmp_path, "unsourced.json", page)
    sourced = reviewed_page(tmp_path, "2025-01-01T00:00:00+00:00", "2028-01-01")
    page = medquad(MICRODELETION)
    page["lastReviewed"] = ["2025-01-01T00:00:00+00:00", "2028-01-01"]
    second = write(tmp_path, "second.json", page)

    summary, _ = run([unsourced, second], user=author, approve_as=reviewer)

    refused = Condition.objects.get(title_en="Abdominal Adhesions")
    assert refused.status != Condition.Status.PUBLISHED
    assert not Publication.objects.filter(condition=refused).exists()
    assert [o.key for o in summary.refused] == [medquad()["url"]]
    assert "cites no references" in summary.refused[0].detail
    assert Condition.objects.get(title_en="15q13.3 microdeletion").status == (
        Condition.Status.PUBLISHED
    )
    # Imported again with its source, it passes.
    again, _ = run([sourced], user=author, approve_as=reviewer)
    assert not again.refused
    refused.refresh_from_db()
    assert refused.status == Condition.Status.PUBLISHED


def test_a_user_who_may_not_edit_articles_may_not_import():
    outsider = make_user()

    with pytest.raises(CommandError, match="may not create and change"):
        call_command(
            "import_jsonld",
            str(ADHESIONS),
            user=outsider.username,
            stdout=io.StringIO(),
        )
    assert not Condition.objects.exists()


def test_approve_as_someone_who_is_not_a_medical_reviewer_is_refused(tmp_path):
    author, other = make_author(), make_author()
    path = reviewed_page(tmp_path, "2025-03-04T09:30:00+00:00", "2028-03-04")

    summary, _ = run([path], user=author, approve_as=other)

    assert not Publication.objects.exists()
    assert len(summary.refused) == 1


# ---------------------------------------------------------------- round trip


def library_in_two_languages():
    first = make_condition(title_en="Focal Dystonia", slug_en="focal-dystonia")
    second = make_condition(
        title_en="Writer's cramp", slug_en="writers-cramp", images=2
    )
    first.related.add(second)
    second.related.add(first)
    anatomy = Category.objects.create(
        kind="body_system",
        name_en="Nervous system",
        slug_en="nervous-system",
        name_es="Sistema nervioso",
        slug_es="sistema-nervioso",
    )
    first.categories.add(anatomy)
    illustrator = Contributor.objects.create(name="Ida Drawer")
    ConditionContributor.objects.create(
        condition=second, contributor=illustrator, role="illustrator", position=1
    )
    first.sections.create(
        kind="other",
        heading_en="Research",
        heading_es="Investigación",
        body_en='<p>New <a href="https://example.org/x">studies</a>.</p>',
        body_es="<p>Estudios nuevos.</p>",
        position=9,
    )
    return first, second


def empty_the_library():
    Condition.objects.all().delete()
    Reference.objects.all().delete()
    Contributor.objects.all().delete()
    Category.objects.all().delete()
    assert not ImportedRecord.objects.exists()


def files(folder):
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def pixels(data):
    with PILImage.open(io.BytesIO(data)) as picture:
        return picture.convert("RGB").tobytes()


def test_export_then_import_into_an_empty_library_then_export_is_identical(
    tmp_path,
):
    library_in_two_languages()
    first, second = tmp_path / "first", tmp_path / "second"
    call_command("export_jsonld", str(first), stdout=io.StringIO())
    empty_the_library()

    summary, errors = run([first])
    assert errors == "" and summary.created == 4  # two articles, two languages
    call_command("export_jsonld", str(second), stdout=io.StringIO())

    before, after = files(first), files(second)
    assert sorted(before) == sorted(after)
    documents = [name for name in before if name.endswith(".json")]
    assert documents == ["focal-dystonia.json", "writers-cramp.json"]
    for name in documents:
        assert before[name] == after[name], name
    images = [name for name in before if name.startswith("images/")]
    assert len(images) == 3
    for name in images:  # pictures are checked and encoded again on import
        assert pixels(before[name]) == pixels(after[name])


def test_the_export_holds_every_language_and_what_a_restore_needs(tmp_path):
    first, second = library_in_two_languages()
    call_command("export_jsonld", str(tmp_path / "out"), stdout=io.StringIO())

    english, spanish = json.loads(
        (tmp_path / "out" / "focal-dystonia.json").read_text()
    )
    assert (english["inLanguage"], spanish["inLanguage"]) == ("en", "es")
    assert english["identifier"] == spanish["identifier"] == f"condition-{first.pk}"
    assert spanish["name"] == "Distonía focal"
    assert english["creativeWorkStatus"] == "draft"
    assert english["author"] == [
        {"@type": "Person", "name": "Cynthia M. Johnson", "honorificSuffix": "MA"}
    ]
    assert len(english["citation"]) == 2
    assert english["citation"][0]["isPartOf"]["name"] == "J Test Med"
    assert english["relatedLink"][0]["identifier"] == f"condition-{second.pk}"
    assert english["about"]["associatedAnatomy"] == [
        {"@type": "AnatomicalSystem", "name": "Nervous system"}
    ]
    sections = english["mainEntityOfPage"]
    assert sections[-1]["headline"] == "Research"
    symptoms = next(s for s in sections if s["identifier"] == "symptoms")
    picture = symptoms["mainEntityOfPage"][1]
    assert picture["@type"] == "ImageObject"
    assert picture["name"] == "A hand with cramped fingers holding a pen"
    assert (tmp_path / "out" / picture["contentUrl"]).is_file()
    assert "lastReviewed" not in english  # a draft has no review yet


def test_the_export_of_a_published_article_carries_its_review(tmp_path):
    author, reviewer = make_author(), make_reviewer(name="Ana Ruiz")
    run(
        [reviewed_page(tmp_path, "2025-03-04T09:30:00+00:00", "2028-03-04")],
        user=author,
        approve_as=reviewer,
    )
    call_command("export_jsonld", str(tmp_path / "out"), stdout=io.StringIO())

    (document,) = json.loads(
        (tmp_path / "out" / "abdominal-adhesions.json").read_text()
    )
    assert document["lastReviewed"] == ["2025-03-04T09:30:00+00:00", "2028-03-04"]
    assert document["reviewedBy"]["name"] == "Ana Ruiz"
    assert document["identifier"] == medquad()["url"]
    assert "dateModified" in document


def test_export_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "old.json").write_text("[]")

    with pytest.raises(CommandError, match="not empty"):
        call_command("export_jsonld", str(tmp_path), stdout=io.StringIO())


def test_related_articles_imported_later_are_linked_at_the_end(tmp_path):
    first, second = library_in_two_languages()
    call_command("export_jsonld", str(tmp_path / "out"), stdout=io.StringIO())
    empty_the_library()

    run([tmp_path / "out"])

    focal = Condition.objects.get(title_en="Focal Dystonia")
    cramp = Condition.objects.get(title_en="Writer's cramp")
    assert list(focal.related.all()) == [cramp]
    assert list(cramp.related.all()) == [focal]


# ---------------------------------------------------------------- bad input


def failing(tmp_path, name, content, *more):
    """Import a bad file (after a good one); return the failure's text."""
    before = counts()
    bad = write(tmp_path, name, content)
    summary, errors = run([bad, *more])
    assert summary.failed
    assert counts()[:7] == before[:7] or more
    return str(summary.failed_files[0]), errors


def test_a_truncated_file_is_refused_naming_the_line(tmp_path):
    text = ADHESIONS.read_text(encoding="utf-8")
    before = counts()
    message, _ = failing(tmp_path, "cut.json", text[: len(text) // 2])

    assert counts() == before
    assert message.startswith("cut.json, line ")
    assert "not valid JSON (truncated or damaged)" in message


def test_a_latin_1_file_is_named_as_not_utf_8(tmp_path):
    page = medquad()
    page["description"] = "Une adhérence abdominale."
    data = json.dumps(page, ensure_ascii=False, indent=1).encode("latin-1")
    before = counts()
    message, _ = failing(tmp_path, "latin.json", data)

    assert counts() == before
    assert "not UTF-8: byte 0xe9 at line 7" in message


def test_a_document_without_a_name_is_refused_naming_the_record(tmp_path):
    pages = [medquad(MICRODELETION), medquad()]
    del pages[1]["name"]
    before = counts()
    message, _ = failing(tmp_path, "pages.json", pages)

    # The whole file is refused: the good first document is not kept either.
    assert counts() == before
    assert message == (
        "pages.json, line 1, record 2: the required field “name” is missing."
    )


def test_an_unknown_document_type_is_refused(tmp_path):
    page = medquad()
    page["@type"] = "Recipe"
    lines = json.dumps(medquad(MICRODELETION)) + "\n" + json.dumps(page) + "\n"
    before = counts()
    message, _ = failing(tmp_path, "pages.jsonl", lines)

    assert counts() == before
    assert message.startswith("pages.jsonl, line 2, record 2: ")
    assert "unknown type “Recipe”" in message


def test_a_part_of_unknown_type_is_refused(tmp_path):
    page = medquad()
    page["mainEntityOfPage"][2]["mainEntityOfPage"].append(
        {"@type": "VideoObject", "contentUrl": "film.mp4"}
    )
    before = counts()
    message, _ = failing(tmp_path, "video.json", page)

    assert counts() == before
    assert "Part 2 of section 3 has the unknown type “VideoObject”" in message
    assert message.startswith(f"video.json, line 1, record {page['url']}: ")


def test_a_remote_picture_is_refused_without_downloading_it(tmp_path):
    page = medquad()
    page["image"] = [
        {
            "@type": "ImageObject",
            "contentUrl": "https://example.org/a.png",
            "name": "A diagram",
            "creditText": "Example",
        }
    ]
    before = counts()
    message, _ = failing(tmp_path, "remote.json", page)

    assert counts() == before
    assert "remote pictures are not downloaded" in message


def test_a_translation_before_its_source_is_refused(tmp_path):
    page = medquad()
    page["inLanguage"] = "es"
    before = counts()
    message, _ = failing(tmp_path, "es.json", page)

    assert counts() == before
    assert "import its document in en first" in message


def test_a_bad_file_leaves_the_other_files_imported(tmp_path):
    bad = write(tmp_path, "bad.json", "{")
    summary, errors = run([ADHESIONS, bad, MICRODELETION])

    assert summary.created == 2 and Condition.objects.count() == 2
    assert errors.startswith("bad.json, line 1: not valid JSON")


def test_the_command_fails_when_a_file_failed(tmp_path):
    author = make_author()
    bad = write(tmp_path, "bad.json", "[")

    with pytest.raises(CommandError, match="bad.json"):
        call_command(
            "import_jsonld",
            str(bad),
            user=author.username,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )


def test_the_command_prints_the_summary():
    author = make_author()
    out = io.StringIO()
    call_command("import_jsonld", str(ADHESIONS), user=author.username, stdout=out)
    assert "1 file imported: 1 created" in out.getvalue()


def test_a_copy_of_the_data_folder_is_importable_as_a_folder(tmp_path):
    shutil.copytree(DATA, tmp_path / "data")
    summary, _ = run([tmp_path / "data"])
    assert summary.created == 2


def test_the_export_reads_a_fixed_number_of_queries_whatever_the_library_size(
    tmp_path, django_assert_num_queries
):
    library_in_two_languages()
    with CaptureQueriesContext(connection) as small:
        call_command("export_jsonld", str(tmp_path / "small"), stdout=io.StringIO())
    for _ in range(4):
        make_condition()
    with django_assert_num_queries(len(small)):
        call_command("export_jsonld", str(tmp_path / "large"), stdout=io.StringIO())


def test_a_slug_another_article_uses_gets_a_number(tmp_path):
    make_condition(title_en="Abdominal Adhesions", slug_en="abdominal-adhesions")

    summary, errors = run([ADHESIONS])

    assert errors == "" and summary.created == 1
    imported = ImportedRecord.objects.get().condition
    assert imported.slug_en == "abdominal-adhesions-2"


def test_nhs_variants_a_bare_review_date_a_single_name_and_a_list_of_subjects(
    tmp_path,
):
    page = medquad()
    page["lastReviewed"] = ["2024-05-06", "2027-05-06T00:00:00+00:00"]
    page["alternateName"] = "Adhesions"
    page["about"] = [{"@type": "Thing", "name": "x"}, page["about"]]
    page["about"][1]["code"] = [
        {"@type": "MedicalCode", "codeValue": "K66.0", "codingSystem": "ICD-10"}
    ]

    run(
        [write(tmp_path, "nhs.json", page)],
        user=make_author(),
        approve_as=make_reviewer(),
    )

    condition = Condition.objects.get()
    assert condition.also_called_en == "Adhesions"
    assert condition.icd10 == "K66.0"
    publication = Publication.objects.live(condition, "en")
    assert publication.reviewed_at == datetime(2024, 5, 6, tzinfo=UTC)
    assert publication.next_review_on == date(2027, 5, 6)


def test_pages_sharing_an_address_stay_separate_articles(tmp_path):
    shared = "https://www.cancer.gov/types/myeloproliferative/patient/x-pdq"
    pages = []
    for name in ("Polycythemia Vera", "Essential Thrombocythemia"):
        page = medquad(MICRODELETION)
        page["name"], page["url"] = name, shared
        pages.append(write(tmp_path, f"{slugify(name)}.json", page))

    first, _ = run(pages)
    again, _ = run(pages)

    assert first.created == 2 and again.unchanged == 2
    assert set(ImportedRecord.objects.values_list("key", flat=True)) == {
        shared,
        f"{shared}#Essential Thrombocythemia",
    }
    assert Condition.objects.count() == 2
