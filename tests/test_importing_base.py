"""The importer framework: one transaction per file, dry runs, failures, keys.

A small line-based importer ("KEY|TITLE" per line) stands in for a real
format, so that what is pinned here is the framework's own behaviour.
"""

import io

import pytest
from django.core.exceptions import PermissionDenied

from conditions.importing import base
from conditions.models import Condition, ImportedRecord

from .factories import make_author, make_translator

pytestmark = pytest.mark.django_db


def read_lines(path):
    with base.open_input(path) as source:
        data = b""
        while chunk := source.read(7):  # tiny chunks: records span reads
            data += chunk
    for number, line in enumerate(data.decode().splitlines(), 1):
        key, sep, title = line.partition("|")
        if not sep or not title.strip():
            raise base.ImportFailure(
                "a record needs a title", file=path, record=key, line=number
            )
        yield key, title.strip()


def apply_line(record, path):
    key, title = record
    digest = base.digest({"title": title})
    known = base.record_for("lines", key)
    if known is None:
        condition = Condition.objects.create(title_en=title, slug_en=f"line-{key}")
        base.remember("lines", key, condition, digest)
        return base.Outcome("created", key, condition)
    if known.digest == digest:
        return base.Outcome("unchanged", key, known.condition)
    known.condition.title_en = title
    known.condition.save()
    base.remember("lines", key, known.condition, digest)
    return base.Outcome("updated", key, known.condition)


def run(paths, **options):
    stderr = io.StringIO()
    summary = base.run_import(
        paths,
        read_records=read_lines,
        apply_record=apply_line,
        stderr=stderr,
        **options,
    )
    return summary, stderr.getvalue()


def test_each_file_is_imported_or_left_out_whole(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("1|Asthma\n2|Gout\n")
    bad = tmp_path / "bad.txt"
    bad.write_text("3|Croup\n4|\n")

    summary, errors = run([bad, good])

    assert set(Condition.objects.values_list("title_en", flat=True)) == {
        "Asthma",
        "Gout",
    }
    assert (summary.files, summary.created, summary.failed) == (1, 2, True)
    assert errors.strip() == "bad.txt, line 2, record 4: a record needs a title"
    assert "bad.txt, line 2, record 4: a record needs a title" in "\n".join(
        summary.lines()
    )


def test_a_dry_run_reports_what_would_change_and_changes_nothing(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("1|Asthma\n")
    run([path])
    path.write_text("1|Asthma (adult)\n2|Gout\n")

    summary, _errors = run([path], dry_run=True)

    assert (summary.created, summary.updated, summary.unchanged) == (1, 1, 0)
    assert summary.lines()[:2] == [
        "Dry run: nothing was changed.",
        "1 file read: would create 1, would update 1, 0 unchanged.",
    ]
    assert list(Condition.objects.values_list("title_en", flat=True)) == ["Asthma"]
    assert ImportedRecord.objects.count() == 1


def test_a_reimport_updates_the_article_of_the_same_key(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("1|Asthma\n")
    run([path])
    first = Condition.objects.get()

    again, _errors = run([path])
    path.write_text("1|Asthma in adults\n")
    changed, _errors = run([path])

    assert (again.created, again.unchanged) == (0, 1)
    assert (changed.created, changed.updated) == (0, 1)
    assert list(Condition.objects.values_list("pk", "title_en")) == [
        (first.pk, "Asthma in adults")
    ]
    assert changed.lines() == ["1 file imported: 0 created, 1 updated, 0 unchanged."]


def test_a_file_that_is_not_utf8_is_named_with_its_byte_and_line(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("1|Asthma\n2|Gout\n3|Caf\u00e9 lung\n".encode("latin-1"))

    summary, errors = run([path])

    assert Condition.objects.count() == 0
    assert errors.strip() == (
        "latin1.txt, line 3: the file is not UTF-8: byte 0xe9 at line 3."
    )
    assert summary.files == 0


def test_a_missing_file_is_a_failure_naming_it(tmp_path):
    summary, errors = run([tmp_path / "nowhere.xml"])

    assert summary.failed
    assert errors.startswith("nowhere.xml: cannot be read:")


def test_a_failure_names_only_what_is_known():
    assert str(base.ImportFailure("bad", file="/x/a.xml")) == "a.xml: bad"
    assert (
        str(base.ImportFailure("bad", file="a.xml", record="7", line=3))
        == "a.xml, line 3, record 7: bad"
    )


def test_only_people_who_may_create_and_change_articles_may_import():
    base.check_user(make_author())
    with pytest.raises(PermissionDenied):
        base.check_user(make_translator("es"))


def test_the_digest_ignores_key_order():
    assert base.digest({"a": 1, "b": [2]}) == base.digest({"b": [2], "a": 1})
    assert base.digest({"a": 1}) != base.digest({"a": 2})
