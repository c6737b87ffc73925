"""Import of MedlinePlus health-topics XML, with the real NLM file.

Courtesy of MedlinePlus from the National Library of Medicine (public
domain): /work/shared/data/medlineplus/mplus_topics_2012-07-21.xml, copied
into tests/data/medlineplus/.
"""

import io
import re
import tracemalloc
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from reversion.models import Revision, Version

from conditions import workflow
from conditions.importing import medlineplus
from conditions.models import (
    Category,
    Condition,
    ImportedRecord,
    Publication,
    Reference,
    ReviewRequest,
    Section,
)

from .factories import make_author, make_condition, make_translator, publish_now

pytestmark = pytest.mark.django_db

REAL = Path(__file__).parent / "data" / "medlineplus" / "mplus_topics_2012-07-21.xml"


def run(*paths, user, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_medlineplus",
        *[str(p) for p in paths],
        user=user.username,
        stdout=out,
        stderr=err,
        **options,
    )
    return out.getvalue(), err.getvalue()


def state():
    """Everything an import may change, to compare before and after."""
    return (
        list(Condition.objects.values_list("pk", "title_en", "title_es", "status")),
        list(Section.objects.values_list("pk", "body_en", "body_es")),
        list(Category.objects.values_list("pk", "name_en")),
        list(Reference.objects.values_list("pk", "title", "url")),
        list(ImportedRecord.objects.values_list("key", "digest")),
        Revision.objects.count(),
        Version.objects.count(),
        ReviewRequest.objects.count(),
    )


def test_an_english_topic_and_its_spanish_pair_become_one_article():
    author = make_author()

    out, _err = run(REAL, user=author)

    condition = Condition.objects.get()
    assert (condition.title_en, condition.title_es) == (
        "Abdominal Pain",
        "Dolor abdominal",
    )
    assert (condition.slug_en, condition.slug_es) == (
        "abdominal-pain",
        "dolor-abdominal",
    )
    assert condition.also_called_en == "Bellyache"
    assert condition.also_called_es.splitlines() == [
        "Dolor de barriga",
        "Dolor de estómago",
        "Dolor de panza",
    ]
    assert condition.summary_en.startswith("Your abdomen extends from below")
    assert len(condition.summary_en) <= 1000
    assert condition.summary_es.startswith("El abdomen se extiende")
    assert condition.mesh_id == "D015746"
    section = condition.sections.get()
    assert section.kind == "definition"
    assert "<li> You're vomiting blood or have blood in your stool </li>" in (
        section.body_en
    )
    assert "<li>Vomita sangre u observa sangre en las evacuaciones </li>" in (
        section.body_es
    )
    assert {(c.kind, c.name_en, c.name_es) for c in condition.categories.all()} == {
        ("body_system", "Digestive System", "Sistema digestivo"),
        ("specialty", "Symptoms", "Síntomas"),
    }
    references = [cr.reference for cr in condition.condition_references.all()]
    assert [(r.title, r.container, r.url, str(r.accessed)) for r in references] == [
        (
            "Abdominal Pain — MedlinePlus",
            "MedlinePlus",
            "https://www.nlm.nih.gov/medlineplus/abdominalpain.html",
            "2012-07-21",
        ),
        (
            "Dolor abdominal — MedlinePlus",
            "MedlinePlus",
            "https://www.nlm.nih.gov/medlineplus/spanish/abdominalpain.html",
            "2012-07-21",
        ),
    ]
    # A draft with a revision by the importing author, never published.
    assert condition.status == "draft"
    assert not Publication.objects.filter(condition=condition).exists()
    revision = Version.objects.get_for_object(condition).get().revision
    assert (revision.user, revision.comment) == (author, "Imported from MedlinePlus.")
    assert ImportedRecord.objects.get().key == "3061"
    assert out.splitlines() == ["1 file imported: 1 created, 0 updated, 0 unchanged."]


def test_related_topics_are_linked_when_they_are_imported_too(tmp_path):
    text = REAL.read_text()
    # A third topic, "Pain" (id 351, which Abdominal Pain relates to), after it.
    pain = (
        '<health-topic title="Pain" url="https://www.nlm.nih.gov/medlineplus/'
        'pain.html" id="351" language="English" date-created="01/01/2003">'
        "<full-summary>&lt;p&gt;Pain is a signal.&lt;/p&gt;</full-summary>"
        "</health-topic>\n</health-topics>"
    )
    path = tmp_path / "three.xml"
    path.write_text(text.replace("</health-topics>", pain))

    run(path, user=make_author())

    abdominal = Condition.objects.get(title_en="Abdominal Pain")
    assert [c.title_en for c in abdominal.related.all()] == ["Pain"]
    # The relation is in the article's revision.
    revision = Version.objects.get_for_object(abdominal).first()
    assert revision.field_dict["related"] == [Condition.objects.get(title_en="Pain").pk]


def test_a_reimport_changes_nothing_and_a_changed_topic_updates_the_draft(tmp_path):
    author = make_author()
    run(REAL, user=author)
    condition = Condition.objects.get()

    out, _err = run(REAL, user=author)
    assert out.splitlines() == ["1 file imported: 0 created, 0 updated, 1 unchanged."]
    assert Version.objects.get_for_object(condition).count() == 1

    changed = tmp_path / "changed.xml"
    changed.write_text(
        REAL.read_text().replace("<also-called>Bellyache", "<also-called>Tummy ache")
    )
    out, _err = run(changed, user=author)

    assert out.splitlines() == ["1 file imported: 0 created, 1 updated, 0 unchanged."]
    condition = Condition.objects.get()
    assert condition.also_called_en == "Tummy ache"
    assert Version.objects.get_for_object(condition).count() == 2
    assert Reference.objects.count() == 2
    assert Category.objects.count() == 2


def test_a_reimport_over_a_live_article_makes_a_draft_and_never_publishes(tmp_path):
    author = make_author()
    run(REAL, user=author)
    condition = Condition.objects.get()
    publish_now(condition, user=author, translate=False)
    live = Publication.objects.live(condition, "en")
    changed = tmp_path / "changed.xml"
    changed.write_text(REAL.read_text().replace("Bellyache", "Tummy ache"))

    run(changed, user=author)

    condition.refresh_from_db()
    assert condition.status == "draft"
    assert condition.also_called_en == "Tummy ache"
    assert Publication.objects.live(condition, "en") == live
    assert "Bellyache" in str(live.snapshot)


def test_submit_sends_imported_articles_to_medical_review():
    author = make_author()

    run(REAL, user=author, submit=True)

    condition = Condition.objects.get()
    assert condition.status == "in_review"
    assert workflow.pending_medical_request(condition).submitted_by == author


def test_a_dry_run_reports_what_would_change_and_changes_nothing():
    author = make_author()
    before = state()

    out, _err = run(REAL, user=author, dry_run=True)

    assert state() == before
    assert out.splitlines() == [
        "Dry run: nothing was changed.",
        "1 file read: would create 1, would update 0, 0 unchanged.",
    ]


def test_a_slug_already_used_by_another_article_gets_a_number():
    make_condition(title_en="Abdominal pain (old)", slug_en="abdominal-pain")

    run(REAL, user=make_author())

    assert Condition.objects.get(title_en="Abdominal Pain").slug_en == (
        "abdominal-pain-2"
    )


def test_someone_who_may_not_write_articles_may_not_import():
    translator = make_translator("es")

    with pytest.raises(CommandError, match="may not create and change articles"):
        run(REAL, user=translator)

    assert Condition.objects.count() == 0


def test_a_topic_alone_is_imported_in_english_or_refused_in_spanish(tmp_path):
    text = REAL.read_text()
    start = text.index("<health-topic ")
    middle = text.index("<health-topic ", start + 1)
    english_only = tmp_path / "en.xml"
    english_only.write_text(text[:middle] + "</health-topics>\n")
    spanish_only = tmp_path / "es.xml"
    spanish_only.write_text(text[:start] + text[middle:])
    author = make_author()

    out, _err = run(spanish_only, user=author)
    assert Condition.objects.count() == 0
    assert out.splitlines()[1:] == [
        "1 record refused:",
        "  3062: Spanish topic “Dolor abdominal” without its English topic in the "
        "file: an article starts in the source language.",
    ]

    run(english_only, user=author)
    condition = Condition.objects.get()
    assert condition.title_en == "Abdominal Pain"
    assert not (condition.title_es or condition.slug_es or condition.summary_es)


def test_submit_is_refused_to_someone_who_may_not_submit():
    from django.contrib.auth.models import Permission

    writer = make_author()
    writer.groups.clear()
    writer.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_condition", "change_condition"])
    )

    with pytest.raises(CommandError, match="may not submit articles for review"):
        run(REAL, user=writer, submit=True)

    assert Condition.objects.count() == 0
    assert ReviewRequest.objects.count() == 0


# ------------------------------------------------------------ malformed input


def _lines_of(data, marker):
    return data[: data.index(marker)].count(b"\n") + 1


def _malformed(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _refused(path, author):
    """Import path after the real file; return the error, checking nothing changed."""
    before = state()
    with pytest.raises(CommandError) as raised:
        run(path, user=author)
    assert state() == before
    return str(raised.value)


@pytest.fixture
def author():
    author = make_author()
    run(REAL, user=author)  # the database is not empty: it must stay as it is
    return author


def test_a_truncated_file_is_refused_naming_the_topic_and_line(tmp_path, author):
    data = REAL.read_bytes()
    cut = data[: data.index(b'id="3062" language="Spanish" date') + 2000]
    path = _malformed(tmp_path, "cut.xml", cut)

    error = _refused(path, author)

    assert re.search(
        r"cut\.xml, line \d+, record 3062: the XML is not well-formed", error
    )


def test_a_file_that_is_not_utf8_is_refused_as_such(tmp_path, author):
    data = REAL.read_bytes().replace(b"Bellyache", "Bellyach\u00e9".encode("latin-1"))
    path = _malformed(tmp_path, "latin1.xml", data)
    line = _lines_of(data, b"Bellyach\xe9")

    error = _refused(path, author)

    assert (
        f"latin1.xml, line {line}: the file is not UTF-8: byte 0xe9 at line {line}."
        in error
    )


def test_an_external_entity_is_refused_and_never_read(tmp_path, author):
    data = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<!DOCTYPE health-topics [\n<!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n'
        b'<health-topics><health-topic title="&xxe;" id="1" url="https://x.org/"'
        b' language="English"/></health-topics>\n'
    )
    path = _malformed(tmp_path, "xxe.xml", data)

    error = _refused(path, author)

    assert "xxe.xml, line 3: the file declares an XML entity (“xxe”)" in error
    assert "root:" not in error


def test_a_billion_laughs_is_refused(tmp_path, author):
    lol = "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">\n' for n in range(1, 10))
    data = (
        '<?xml version="1.0"?>\n<!DOCTYPE health-topics [\n<!ENTITY lol0 "lol">\n'
        f"{lol}]>\n<health-topics>&lol9;</health-topics>\n"
    ).encode()
    path = _malformed(tmp_path, "lol.xml", data)

    error = _refused(path, author)

    assert "lol.xml, line 3: the file declares an XML entity (“lol0”)" in error


def test_a_topic_without_a_title_is_refused_naming_it(tmp_path, author):
    data = REAL.read_bytes().replace(b'title="Dolor abdominal"\n', b"\n")
    path = _malformed(tmp_path, "untitled.xml", data)
    line = _lines_of(data, b"<health-topic \n")

    error = _refused(path, author)

    assert (
        f"untitled.xml, line {line}, record 3062: a health-topic has no “title”, "
        "which is required." in error
    )


def test_an_unknown_root_element_is_refused(tmp_path, author):
    data = REAL.read_bytes().replace(b"health-topics", b"drug-topics")
    path = _malformed(tmp_path, "drugs.xml", data)

    error = _refused(path, author)

    assert re.search(
        r"drugs\.xml, line \d+: this is not a MedlinePlus health-topics file: its "
        r"root element is <drug-topics>",
        error,
    )


def test_an_unknown_element_or_language_is_refused(tmp_path, author):
    data = REAL.read_bytes()
    odd = _malformed(
        tmp_path,
        "odd.xml",
        data.replace(b"</health-topics>", b"<drug id='1'/></health-topics>"),
    )
    french = _malformed(
        tmp_path,
        "french.xml",
        data.replace(
            b'language="Spanish" date-created', b'language="French" date-created'
        ),
    )

    assert "odd.xml, line" in _refused(odd, author)
    assert "unknown element <drug>" in _refused(odd, author)
    assert "record 3062: unknown language “French”" in _refused(french, author)


def test_one_bad_file_leaves_the_other_files_imported(tmp_path):
    bad = _malformed(tmp_path, "bad.xml", REAL.read_bytes()[:500])

    with pytest.raises(CommandError, match="1 file failed"):
        run(bad, REAL, user=make_author())

    assert Condition.objects.get().title_en == "Abdominal Pain"


def test_the_plain_summary_is_the_first_sentences_within_its_length():
    html = "<p>One short sentence. " + "Word " * 300 + ".</p><p>Next.</p>"
    assert medlineplus.plain_summary(html) == "One short sentence."
    long = "<p>" + "word " * 400 + "</p>"
    summary = medlineplus.plain_summary(long)
    assert len(summary) <= 1000 and summary.endswith("…")


# ------------------------------------------------------------------ memory


def write_large_file(path, pairs):
    """Write a file of `pairs` English topics, then all their Spanish pairs.

    Each topic is the real record with a new id: the Spanish pair of the
    first topic is as far from it as a file allows.
    """
    text = REAL.read_text()
    start = text.index("<health-topic ")
    middle = text.index("<health-topic ", start + 1)
    end = text.index("</health-topics>")
    english, spanish = text[start:middle], text[middle:end]
    with path.open("w", encoding="utf-8") as out:
        out.write(text[:start].replace('total="2"', f'total="{2 * pairs}"'))
        for language, block in (("en", english), ("es", spanish)):
            for n in range(pairs):
                en_id, es_id = str(100000 + 2 * n), str(100001 + 2 * n)
                own, other = (en_id, es_id) if language == "en" else (es_id, en_id)
                out.write(
                    block.replace(
                        f'id="{3061 if language == "en" else 3062}" language',
                        f'id="{own}" language',
                    )
                    .replace(
                        'id="3062" language="Spanish">',
                        f'id="{other}" language="Spanish">',
                    )
                    .replace('id="3061"\n', f'id="{other}"\n')
                    .replace('title="Abdominal Pain"', f'title="Abdominal Pain {n}"')
                    .replace('title="Dolor abdominal"', f'title="Dolor abdominal {n}"')
                )
        out.write("</health-topics>\n")


def test_memory_stays_far_below_the_size_of_a_large_file(tmp_path):
    """Reading holds one topic and a small index, never the whole file.

    A parse of the whole file into a tree takes about three times its size;
    the stream stays under a quarter of it (a few kilobytes per topic for
    the index of where each topic is).
    """
    path = tmp_path / "large.xml"
    write_large_file(path, 300)
    size = path.stat().st_size
    assert size > 9_000_000

    tracemalloc.start()
    try:
        pairs = sum(
            1 for pair in medlineplus.read_records(path) if pair.spanish is not None
        )
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert pairs == 300
    assert peak < size / 4
