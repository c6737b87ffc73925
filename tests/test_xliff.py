"""XLIFF 1.2 export and import, checked with translate-toolkit as the reader.

The export is read (and filled in) by translate-toolkit, an independent
XLIFF implementation, as a CAT tool would. Every refused import leaves the
database exactly as it was: same revisions, review requests, field records
and working-copy texts.
"""

import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from reversion.models import Revision, Version
from translate.storage import xliff as toolkit

from conditions import translations, xliff
from conditions.models import (
    AuditEntry,
    Condition,
    FieldTranslation,
    Image,
    ReviewRequest,
    Section,
)

from .factories import (
    make_condition,
    make_translation_reviewer,
    make_translator,
    make_user,
    publish_now,
)

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
SEP = "\x04"  # translate-toolkit joins a unit's file and id with it


# ------------------------------------------------------------------ helpers


@pytest.fixture
def translator():
    return make_translator("es", "traductora")


@pytest.fixture
def article():
    """A live article whose Spanish has one missing and two outdated units."""
    condition = make_condition(title_en="Focal Dystonia", sections=3, images=1)
    publish_now(condition)
    first = condition.sections.order_by("position").first()
    Section.objects.filter(pk=first.pk).update(
        body_en="<p>New English text: rest &amp; <strong>stretch</strong>.</p>"
    )
    Condition.objects.filter(pk=condition.pk).update(
        summary_en="A movement problem in one part of the body, often the hand."
    )
    Section.objects.create(
        condition=condition,
        kind="treatment",
        position=9,
        body_en="<p>Botulinum toxin injections &lt;3 months apart.</p>",
    )
    publish_now(Condition.objects.get(pk=condition.pk), translate=False)
    return Condition.objects.get(pk=condition.pk)


def keys(condition):
    first, *_rest = condition.sections.order_by("position")
    new = condition.sections.get(position=9)
    return {
        "summary": f"condition.{condition.pk}.summary",
        "changed_body": f"section.{first.pk}.body",
        "new_body": f"section.{new.pk}.body",
    }


def read(data):
    """Return {unit id: toolkit unit} of an XLIFF document."""
    store = toolkit.xlifffile.parsestring(data)
    return store, {u.getid().split(SEP)[1]: u for u in store.getunits()}


TRANSLATED = {
    "summary": "Un problema de movimiento en una parte del cuerpo, a menudo la mano.",
    "new_body": "<p>Inyecciones de toxina botulínica cada &lt;3 meses.</p>",
}


def filled(condition, language="es"):
    """Export the article and fill every unit in with translate-toolkit."""
    store, units = read(xliff.export([condition], language))
    names = keys(condition)
    units[names["summary"]].target = TRANSLATED["summary"]
    units[names["new_body"]].target = TRANSLATED["new_body"]
    units[names["changed_body"]].markfuzzy(False)  # reviewed: still correct
    return bytes(store)


def snapshot(condition):
    """Everything an import could change."""
    condition = Condition.objects.get(pk=condition.pk)
    return {
        "revisions": Revision.objects.count(),
        "versions": Version.objects.count(),
        "requests": list(ReviewRequest.objects.values_list("pk", "state")),
        "audit": AuditEntry.objects.count(),
        "records": list(
            FieldTranslation.objects.order_by("pk").values_list(
                "key", "source_hash", "translated_at"
            )
        ),
        "condition": [getattr(condition, f"{f}_es") for f in ("title", "summary")],
        "sections": list(
            Section.objects.order_by("pk").values_list("heading_es", "body_es")
        ),
        "images": list(
            Image.objects.order_by("pk").values_list("alt_text_es", "caption_es")
        ),
    }


def rejected(data, user, condition, *, filename="test.xlf"):
    """Import data, assert it is refused and nothing changed; return problems."""
    before = snapshot(condition)
    report = xliff.import_file(data, user=user, filename=filename)
    assert report.rejected
    assert not report.applied
    assert snapshot(condition) == before
    return [str(p) for p in report.problems]


# ------------------------------------------------------------------- export


def test_export_holds_missing_and_outdated_units_as_the_toolkit_reads_them(article):
    names = keys(article)
    by_key = {u.key: u for u in translations.units(article, "es")}
    store, units = read(xliff.export([article], "es"))

    assert store.getsourcelanguage() == "en"
    assert store.gettargetlanguage() == "es"
    assert store.getfilenames() == [f"condition/{article.pk}"]
    assert set(units) == set(names.values())
    for key, unit in units.items():
        assert unit.source == by_key[key].source
        assert unit.xmlelement.get("resname") == key
        assert unit.xmlelement.get("extradata") == "sha256:" + translations.source_hash(
            by_key[key].source
        )
        assert by_key[key].label in unit.getnotes()
    # Missing: no target. Outdated: the current translation, needing review,
    # with the older source it was made from in a note.
    assert not units[names["new_body"]].target
    summary = units[names["summary"]]
    assert summary.target == article.summary_es
    assert summary.xmlelement.find(f"{{{xliff.XLIFF_NS}}}target").get("state") == (
        "needs-review-translation"
    )
    assert "An uncontrolled movement problem in one part of the body." in (
        summary.getnotes()
    )
    # HTML travels as text, escaped in the XML and intact for the reader.
    assert units[names["changed_body"]].source == (
        "<p>New English text: rest &amp; <strong>stretch</strong>.</p>"
    )
    assert b"&lt;strong&gt;" in xliff.export([article], "es")


def test_export_of_all_units_marks_up_to_date_ones_translated(article):
    _store, units = read(xliff.export([article], "es", include="all"))
    title = units[f"condition.{article.pk}.title"]
    assert title.source == "Focal Dystonia"
    assert title.target == "Distonía focal"
    assert title.xmlelement.find(f"{{{xliff.XLIFF_NS}}}target").get("state") == (
        "translated"
    )
    assert len(units) == len(translations.units(article, "es"))


def test_batch_export_has_one_file_per_article_needing_work(article):
    done = make_condition(title_en="Up to date")
    publish_now(done)
    unpublished = make_condition(title_en="Never published")
    data = xliff.export(xliff.conditions_needing("es"), "es")
    store = toolkit.xlifffile.parsestring(data)
    assert store.getfilenames() == [f"condition/{article.pk}"]
    with pytest.raises(xliff.NothingToExport):
        xliff.export([done, unpublished], "es")


def test_export_refuses_the_source_or_an_unknown_language(article):
    for language in ("en", "fr"):
        with pytest.raises(ValueError):
            xliff.export([article], language)


# ------------------------------------------------------------ round trip


def test_round_trip_updates_the_working_copy_and_submits_for_review(
    article, translator
):
    names = keys(article)
    revisions = Revision.objects.count()
    report = xliff.import_file(
        filled(article), user=translator, filename="focal-dystonia.es.xlf"
    )

    assert not report.rejected, report.as_text()
    assert report.applied
    (result,) = report.articles
    assert sorted(result.changed) == sorted(names.values())
    condition = Condition.objects.get(pk=article.pk)
    assert condition.summary_es == TRANSLATED["summary"]
    new = Section.objects.get(pk=names["new_body"].split(".")[1])
    assert new.body_es == TRANSLATED["new_body"]
    # One revision for the translation; every unit now recorded against the
    # current source and in review.
    assert Revision.objects.count() == revisions + 1
    by_key = {u.key: u for u in translations.units(condition, "es")}
    for key in names.values():
        record = FieldTranslation.objects.get(condition=article, language="es", key=key)
        assert record.source_hash == translations.source_hash(by_key[key].source)
        assert record.translated_by == translator
        assert by_key[key].status == translations.IN_REVIEW
    request = ReviewRequest.objects.pending().get(condition=article, language="es")
    assert request == result.request
    assert request.submitted_by == translator
    assert request.note == "Imported from XLIFF focal-dystonia.es.xlf"
    assert "updated" in report.as_text()


def test_importing_the_same_file_again_changes_nothing(article, translator):
    data = filled(article)
    assert xliff.import_file(data, user=translator).changed
    before = snapshot(article)

    report = xliff.import_file(data, user=translator)

    assert not report.rejected
    assert not report.changed
    assert report.articles[0].request is None
    assert snapshot(article) == before
    assert "no changes" in report.as_text()


def test_importing_the_untouched_export_changes_nothing(article, translator):
    """Outdated targets still marked as needing review are not confirmations."""
    names = keys(article)
    before = snapshot(article)
    report = xliff.import_file(xliff.export([article], "es"), user=translator)
    assert not report.rejected
    assert not report.changed
    assert sorted(report.articles[0].unconfirmed) == sorted(
        [names["summary"], names["changed_body"]]
    )
    assert report.articles[0].untranslated == [names["new_body"]]
    assert snapshot(article) == before
    statuses = {u.key: u.status for u in translations.units(article, "es")}
    assert statuses[names["summary"]] == translations.OUTDATED


def test_import_sanitises_html_bodies(article, translator):
    names = keys(article)
    store, units = read(xliff.export([article], "es"))
    units[
        names["new_body"]
    ].target = '<p onclick="steal()">Texto <script>alert(1)</script>seguro.</p>'
    report = xliff.import_file(bytes(store), user=translator)
    assert report.applied, report.as_text()
    body = Section.objects.get(pk=names["new_body"].split(".")[1]).body_es
    assert body == "<p>Texto seguro.</p>"


def test_a_batch_file_is_applied_to_every_article(article, translator):
    other = make_condition(title_en="Writer's Cramp", title_es="")
    publish_now(other)
    store, units = read(xliff.export([article, other], "es"))
    assert store.getfilenames() == [f"condition/{article.pk}", f"condition/{other.pk}"]
    units[f"condition.{other.pk}.title"].target = "Calambre del escribiente"
    units[keys(article)["summary"]].target = "Resumen nuevo."
    report = xliff.import_file(bytes(store), user=translator)
    assert report.applied, report.as_text()
    assert Condition.objects.get(pk=other.pk).title_es == "Calambre del escribiente"
    assert Condition.objects.get(pk=article.pk).summary_es == "Resumen nuevo."
    assert ReviewRequest.objects.pending().filter(language="es").count() == 2


# --------------------------------------------------------------- refusals


def _edit(data, old, new, count=1):
    text = data.decode()
    assert old in text, old
    return text.replace(old, new, count).encode()


def test_unknown_unit_is_refused(article, translator):
    key = keys(article)["new_body"]
    data = _edit(filled(article), f'id="{key}"', 'id="section.999999.body"')
    (problem,) = rejected(data, translator, article)
    assert "section.999999.body" in problem
    assert "Not a translatable field" in problem


def test_a_unit_of_another_language_or_of_the_source_cannot_be_smuggled_in(
    article, translator
):
    key = keys(article)["new_body"]
    data = _edit(filled(article), f'id="{key}"', 'id="section.1.body_en"')
    assert rejected(data, translator, article)


def test_unknown_article_is_refused_and_nothing_else_is_applied(article, translator):
    other = make_condition(title_en="Writer's Cramp", title_es="")
    publish_now(other)
    store, units = read(xliff.export([article, other], "es"))
    units[keys(article)["summary"]].target = "Resumen nuevo."
    data = _edit(
        bytes(store), f'original="condition/{other.pk}"', 'original="condition/999999"'
    )
    problems = rejected(data, translator, article)
    assert problems == ["condition/999999: There is no such article."]


@pytest.mark.parametrize(
    "original, message",
    [
        ("condition/99999999999999999999999", "There is no such article."),
        ("focal-dystonia", "must be “condition/<id>”"),
        ("", "must be “condition/<id>”"),
    ],
)
def test_an_original_that_names_no_article_is_refused(
    article, translator, original, message
):
    data = _edit(
        filled(article), f'original="condition/{article.pk}"', f'original="{original}"'
    )
    (problem,) = rejected(data, translator, article)
    assert message in problem


def test_a_source_changed_since_the_export_is_refused(article, translator):
    names = keys(article)
    data = filled(article)
    # The English is revised and approved before the translation comes back.
    Section.objects.filter(pk=names["new_body"].split(".")[1]).update(
        body_en="<p>Injections every three months.</p>"
    )
    publish_now(Condition.objects.get(pk=article.pk), translate=False)

    (problem,) = rejected(data, translator, article)
    assert names["new_body"] in problem
    assert "source text changed since the export" in problem


def test_a_source_edited_in_the_file_is_refused(article, translator):
    data = _edit(filled(article), "often the hand", "often the foot")
    (problem,) = rejected(data, translator, article)
    assert keys(article)["summary"] in problem


def test_a_fingerprint_that_does_not_match_is_refused(article, translator):
    key = keys(article)["summary"]
    text = filled(article).decode()
    start = text.index(f'id="{key}"')
    hash_at = text.index('extradata="sha256:', start) + len('extradata="sha256:')
    data = (text[:hash_at] + "0" * 64 + text[hash_at + 64 :]).encode()
    (problem,) = rejected(data, translator, article)
    assert key in problem


def test_malformed_xml_is_refused(article, translator):
    data = filled(article)
    (problem,) = rejected(data[: len(data) // 2], translator, article)
    assert "not well-formed XML: " in problem
    assert "line 1" in problem
    (problem,) = rejected(b"", translator, article)
    assert "not well-formed" in problem


def test_xxe_is_refused_without_reading_the_file(article, translator):
    data = (DATA / "xxe.xlf").read_bytes()
    data = data.replace(b"condition/1", f"condition/{article.pk}".encode())
    (problem,) = rejected(data, translator, article)
    assert "document type declaration" in problem
    assert "root:" not in problem


def test_billion_laughs_is_refused(article, translator):
    data = (DATA / "billion_laughs.xlf").read_bytes()
    (problem,) = rejected(data, translator, article)
    assert "document type declaration" in problem


def test_an_unknown_target_language_is_refused(article, translator):
    data = _edit(filled(article), 'target-language="es"', 'target-language="fr"')
    (problem,) = rejected(data, translator, article)
    assert "“fr” is not a language of this site" in problem


def test_the_source_language_as_target_is_refused(article, translator):
    data = _edit(filled(article), 'target-language="es"', 'target-language="en"')
    (problem,) = rejected(data, translator, article)
    assert "target language is the source language" in problem


def test_a_language_the_user_does_not_translate_is_refused(article, translator):
    data = _edit(filled(article), 'target-language="es"', 'target-language="fr"')
    languages = [("en", "English"), ("es", "Spanish"), ("fr", "French")]
    with override_settings(LANGUAGES=languages):
        (problem,) = rejected(data, translator, article)
    assert "You do not translate into “fr”" in problem


def test_a_region_variant_of_the_language_is_accepted(article, translator):
    data = _edit(filled(article), 'target-language="es"', 'target-language="es-ES"')
    assert xliff.import_file(data, user=translator).applied


def test_a_wrong_source_language_is_refused(article, translator):
    data = _edit(filled(article), 'source-language="en"', 'source-language="de"')
    (problem,) = rejected(data, translator, article)
    assert "source language is “de”" in problem


def test_a_duplicate_unit_is_refused(article, translator):
    key = keys(article)["summary"]
    text = filled(article).decode()
    start = text.index("<trans-unit", text.index(f'id="{key}"') - 200)
    end = text.index("</trans-unit>", start) + len("</trans-unit>")
    data = (text[:end] + text[start:end] + text[end:]).encode()
    (problem,) = rejected(data, translator, article)
    assert "appears twice" in problem


def test_inline_markup_in_a_target_is_refused(article, translator):
    data = _edit(
        filled(article),
        TRANSLATED["summary"],
        'Un problema <g id="1">de movimiento</g>.',
    )
    (problem,) = rejected(data, translator, article)
    assert "inline markup (<g>)" in problem


def test_xliff_2_is_refused(article, translator):
    data = (
        b'<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0"'
        b' srcLang="en" trgLang="es"><file id="f1"/></xliff>'
    )
    (problem,) = rejected(data, translator, article)
    assert "not an XLIFF 1.2 file" in problem


def test_every_problem_of_a_file_is_reported_at_once(article, translator):
    names = keys(article)
    data = _edit(filled(article), f'id="{names["new_body"]}"', 'id="image.0.caption"')
    data = _edit(data, "often the hand", "often the foot")
    problems = rejected(data, translator, article)
    assert len(problems) == 2


def test_a_user_who_translates_no_language_is_refused(article, translator):
    data = filled(article)
    before = snapshot(article)
    for user in (make_translation_reviewer("es"), make_user()):
        with pytest.raises(PermissionDenied):
            xliff.import_file(data, user=user)
    assert snapshot(article) == before


def test_a_slug_clash_is_refused(article, translator):
    other = make_condition(title_en="Other", slug_es="ocupado")
    publish_now(other)
    store, units = read(xliff.export([article], "es", include="all"))
    units[f"condition.{article.pk}.slug"].target = "ocupado"
    (problem,) = rejected(bytes(store), translator, article)
    assert "slug" in problem


# ------------------------------------------------------------------- admin


def test_admin_export_downloads_for_translators_and_editors(client, article):
    url = reverse("admin:conditions_condition_xliff_export", args=[article.pk, "es"])
    for user in (
        make_translator("es"),
        make_translation_reviewer("es"),
        make_user(groups=["Editors"]),
    ):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["Content-Type"].startswith("application/x-xliff+xml")
        _store, units = read(response.content)
        assert set(units) == set(keys(article).values())
    client.force_login(make_user(groups=["Authors"]))
    assert client.get(url).status_code == 403
    client.force_login(make_translator("es"))
    bad = reverse("admin:conditions_condition_xliff_export", args=[article.pk, "en"])
    assert client.get(bad).status_code == 403


def test_admin_batch_export_and_changelist_action(client, article):
    client.force_login(make_translator("es"))
    response = client.get(
        reverse("admin:conditions_condition_xliff_batch_export", args=["es"])
    )
    assert response.status_code == 200
    assert response.streaming  # written as it is made, batch by batch
    data = b"".join(response.streaming_content)
    assert read(data)[0].getfilenames() == [f"condition/{article.pk}"]

    response = client.post(
        reverse("admin:conditions_condition_changelist"),
        {"action": "export_xliff_es", "_selected_action": [article.pk], "index": 0},
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert read(response.content)[0].getfilenames() == [f"condition/{article.pk}"]


def test_admin_export_with_nothing_to_do_says_so(client, db):
    done = make_condition()
    publish_now(done)
    client.force_login(make_translator("es"))
    response = client.get(
        reverse("admin:conditions_condition_xliff_export", args=[done.pk, "es"]),
        follow=True,
    )
    assert "Nothing to translate" in response.content.decode()


def test_admin_import_applies_a_file_and_shows_the_report(client, article, translator):
    url = reverse("admin:conditions_condition_xliff_import")
    client.force_login(translator)
    assert client.get(url).status_code == 200
    upload = io.BytesIO(filled(article))
    upload.name = "focal.es.xlf"
    response = client.post(url, {"file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert "submitted for review" in page
    assert Condition.objects.get(pk=article.pk).summary_es == TRANSLATED["summary"]


def test_admin_import_shows_every_problem_and_changes_nothing(
    client, article, translator
):
    url = reverse("admin:conditions_condition_xliff_import")
    client.force_login(translator)
    data = _edit(filled(article), "often the hand", "often the foot")
    upload = io.BytesIO(data)
    upload.name = "focal.es.xlf"
    before = snapshot(article)
    response = client.post(url, {"file": upload})
    page = response.content.decode()
    assert "The file was rejected and nothing was changed" in page
    assert keys(article)["summary"] in page
    assert snapshot(article) == before


def test_admin_import_is_refused_to_non_translators(client, article):
    url = reverse("admin:conditions_condition_xliff_import")
    for user in (make_translation_reviewer("es"), make_user(groups=["Editors"])):
        client.force_login(user)
        assert client.get(url).status_code == 403
        upload = io.BytesIO(filled(article))
        upload.name = "x.xlf"
        assert client.post(url, {"file": upload}).status_code == 403


# -------------------------------------------------------- management commands


def test_export_and_import_commands(article, translator, tmp_path):
    slug = article.slug_en
    path = tmp_path / "out.xlf"
    call_command("export_xliff", "--language", "es", slug, "-o", str(path))
    _store, units = read(path.read_bytes())
    assert set(units) == set(keys(article).values())

    everything = io.StringIO()
    call_command("export_xliff", "--language", "es", "--all", stdout=everything)
    assert len(read(everything.getvalue().encode())[1]) == len(
        translations.units(article, "es")
    )
    with pytest.raises(CommandError, match="No article"):
        call_command("export_xliff", "--language", "es", "no-such-slug")

    path.write_bytes(filled(article))
    out = io.StringIO()
    call_command(
        "import_xliff", str(path), "--user", "traductora", "--dry-run", stdout=out
    )
    assert "no problems" in out.getvalue()
    assert not ReviewRequest.objects.pending().filter(language="es").exists()
    call_command("import_xliff", str(path), "--user", "traductora", stdout=out)
    assert ReviewRequest.objects.pending().filter(language="es").exists()

    path.write_bytes(b"<xliff")
    with pytest.raises(CommandError, match="rejected"):
        call_command("import_xliff", str(path), "--user", "traductora")
    make_user("nobody")
    with pytest.raises(CommandError):
        call_command("import_xliff", str(path), "--user", "nobody")
