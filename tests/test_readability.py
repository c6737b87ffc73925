"""Readability: a school grade per language and section, flagged above target.

1. Real MedlinePlus summaries (tests/data/readability) score in the range
   MedlinePlus writes for, in English (Flesch–Kincaid grade) and Spanish
   (Fernández-Huerta ease mapped to a grade); a simple text scores lower
   than a complex one in both.
2. Spanish: the ease is textstat's Fernández-Huerta, and the grade comes
   from his table; the raw ease is kept.
3. Rich text is scored as its words, a list item as a sentence; very short
   texts and languages without a formula get no grade, never a wrong one.
4. Above READABILITY_TARGET_GRADE a section is flagged: on the change form
   (saved working copy), the review screen (the revision under review) and
   the translation report (stored with the progress row); nothing in the
   workflow refuses a high grade.
"""

import io
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from statistics import median

import lxml.html
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation
from textstat.backend.metrics import fernandez_huerta

from conditions import versioning, workflow
from conditions.models import Condition, Publication, Section, TranslationProgress
from conditions.readability import Score, plain_text, score
from conditions.readability.scoring import (
    EMPTY,
    NO_FORMULA,
    SCORED,
    TOO_SHORT,
    fernandez_huerta_grade,
)

from .factories import (
    make_author,
    make_condition,
    make_reviewer,
    make_translation_reviewer,
    make_translator,
    make_user,
    publish_now,
)
from .test_admin_csp import type_in_editor, watched  # noqa: F401 (a fixture)
from .test_e2e_review import log_in, site  # noqa: F401 (a fixture)

SUMMARIES = json.loads(
    (
        Path(__file__).parent / "data" / "readability" / "medlineplus_summaries.json"
    ).read_text()
)

SIMPLE_EN = (
    "<p>Measles is an illness. It spreads fast. You get a rash and a fever. "
    "Most kids get well in a week or two. A shot can keep you from getting it. "
    "Ask your doctor when your child should get the shot. Keep sick kids at "
    "home so they do not spread it.</p>"
)
COMPLEX_EN = (
    "<p>Idiopathic intracranial hypertension, characterised by elevated "
    "cerebrospinal fluid pressure without identifiable intracranial pathology, "
    "predominantly affects obese women of reproductive age, and its management "
    "necessitates multidisciplinary evaluation incorporating neuro-ophthalmological "
    "assessment, pharmacological intervention with carbonic anhydrase inhibitors, "
    "and, occasionally, surgical cerebrospinal fluid diversion procedures.</p>"
)
SIMPLE_ES = (
    "<p>El sarampión es una enfermedad. Se pasa rápido de una persona a otra. "
    "Da fiebre y manchas en la piel. Casi todos los niños se curan en una o dos "
    "semanas. Una vacuna lo evita. Pregunte al médico cuándo vacunar a su hijo. "
    "Deje en casa al niño que está enfermo.</p>"
)
COMPLEX_ES = (
    "<p>La hipertensión intracraneal idiopática, caracterizada por una elevación "
    "de la presión del líquido cefalorraquídeo sin patología intracraneal "
    "identificable, afecta predominantemente a mujeres obesas en edad "
    "reproductiva, y su tratamiento requiere una evaluación multidisciplinaria "
    "que incorpore la valoración neurooftalmológica, la intervención "
    "farmacológica con inhibidores de la anhidrasa carbónica y, ocasionalmente, "
    "procedimientos quirúrgicos de derivación.</p>"
)


# -- 1. real text ----------------------------------------------------------


def test_english_medlineplus_summaries_score_between_grades_3_and_12():
    scores = [score(html, "en") for html in SUMMARIES["en"].values()]
    assert len(scores) == 24
    assert all(s.status == SCORED and s.formula == "Flesch–Kincaid" for s in scores)
    grades = [s.grade for s in scores]
    assert all(3 <= grade <= 12 for grade in grades), grades
    # MedlinePlus writes plain language: most of its summaries are at or
    # below the default target.
    assert 5 <= median(grades) <= 8
    assert sum(grade <= 8 for grade in grades) >= 20


def test_spanish_medlineplus_summaries_score_as_plain_spanish():
    scores = [score(html, "es") for html in SUMMARIES["es"].values()]
    assert len(scores) == 19
    assert all(s.status == SCORED and s.formula == "Fernández-Huerta" for s in scores)
    eases = [s.raw for s in scores]
    assert all(50 <= ease <= 90 for ease in eases), eases
    assert 60 <= median(eases) <= 75
    assert {s.grade for s in scores} <= {5, 6, 8, 12}


def test_a_simple_text_scores_a_lower_grade_than_a_complex_one():
    assert score(SIMPLE_EN, "en").grade < 5 < 14 < score(COMPLEX_EN, "en").grade
    simple, complex_ = score(SIMPLE_ES, "es"), score(COMPLEX_ES, "es")
    assert simple.raw > 80 > 30 > complex_.raw
    assert simple.grade < complex_.grade
    # Real text sits between the two.
    measles = score(SUMMARIES["en"]["Measles"], "en").grade
    assert score(SIMPLE_EN, "en").grade < measles < score(COMPLEX_EN, "en").grade


# -- 2. Spanish -------------------------------------------------------------


def test_spanish_ease_is_textstats_fernandez_huerta_of_the_words():
    for html in SUMMARIES["es"].values():
        assert score(html, "es").raw == round(
            fernandez_huerta(plain_text(html), "es"), 1
        )


@pytest.mark.parametrize(
    "ease, band, grade",
    [
        (100, "very easy", 4),
        (90, "very easy", 4),
        (85, "easy", 5),
        (75, "fairly easy", 6),
        (65, "standard", 8),
        (60, "standard", 8),
        (59.9, "fairly difficult", 12),
        (45, "difficult", 14),
        (12, "very difficult", 16),
        (-20, "very difficult", 16),
    ],
)
def test_spanish_ease_maps_to_fernandez_huertas_grade_table(ease, band, grade):
    found_band, found_grade = fernandez_huerta_grade(ease)
    assert (str(found_band), found_grade) == (band, grade)


def test_spanish_score_keeps_the_raw_ease_and_its_band():
    found = score(SUMMARIES["es"]["Chequeo médico del bebé"], "es")
    assert (found.raw, str(found.band), found.grade) == (59.0, "fairly difficult", 12)
    assert found.above_target


def test_a_regional_language_code_uses_its_languages_formula():
    assert score(SIMPLE_ES, "es-mx").formula == "Fernández-Huerta"
    assert score(SIMPLE_EN, "en_GB").formula == "Flesch–Kincaid"


# -- 3. text ------------------------------------------------------------------


def test_rich_text_is_scored_as_its_words_one_sentence_per_block():
    html = (
        "<h3>Signs</h3><p>Fish &amp; chips <strong>are</strong> "
        "<a href='/x'>tasty</a>.</p><ul><li>one</li><li>two things</li></ul>"
        "<p>Is it?<br>Yes</p>"
    )
    assert (
        plain_text(html)
        == "Signs. Fish & chips are tasty. one. two things. Is it? Yes."
    )
    assert plain_text("Line one\nLine two.") == "Line one. Line two."
    body = SUMMARIES["en"]["Measles"]
    assert "<" not in plain_text(body)
    assert score(body, "en") == score(plain_text(body), "en")


def test_a_list_of_symptoms_does_not_read_as_one_long_sentence():
    items = "".join(
        f"<li>{s}</li>"
        for s in [
            "A bad headache",
            "Sweating a lot",
            "A fast heartbeat",
            "Pain in the chest",
        ]
    )
    html = f"<p>The tumor can cause symptoms such as these:</p><ul>{items}</ul>" * 4
    tags_removed = " ".join(lxml.html.fromstring(html).itertext())
    assert score(html, "en").grade < score(tags_removed, "en").grade - 5


def test_texts_that_cannot_be_scored_say_why_instead_of_a_grade():
    short = score("<p>Rest and drink fluids.</p>", "en")
    assert (short.status, short.grade, short.words) == (TOO_SHORT, None, 4)
    assert str(short.note) == "too short to score"
    assert not short.above_target
    french = score("<p>" + "Le repos aide beaucoup les malades. " * 10 + "</p>", "fr")
    assert (french.status, french.grade, str(french.note)) == (
        NO_FORMULA,
        None,
        "no score for this language",
    )
    assert score("<p> </p>", "es").status == EMPTY
    assert score(None, "en").status == EMPTY


def test_scores_in_different_languages_at_once_do_not_mix():
    texts = [
        (SIMPLE_EN, "en"),
        (COMPLEX_ES, "es"),
        (SIMPLE_ES, "es"),
        (COMPLEX_EN, "en"),
    ]
    expected = [score(text, language) for text, language in texts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        found = list(pool.map(lambda pair: score(*pair), texts * 25))
    assert found == expected * 25


# -- 4. target, screens, workflow ---------------------------------------------


def test_a_grade_above_the_target_from_settings_is_flagged(settings):
    assert settings.READABILITY_TARGET_GRADE == 8
    complex_ = score(COMPLEX_EN, "en")
    assert complex_.target == 8 and complex_.above_target
    assert not score(SIMPLE_EN, "en").above_target
    settings.READABILITY_TARGET_GRADE = 40
    assert not score(COMPLEX_EN, "en").above_target
    settings.READABILITY_TARGET_GRADE = 2
    assert score(SUMMARIES["en"]["Measles"], "en").above_target


def _article():
    """An article whose first section is plain, its second hard, in both languages."""
    condition = make_condition(sections=2, images=0, references=1)
    plain, hard = condition.sections.all()
    Section.objects.filter(pk=plain.pk).update(body_en=SIMPLE_EN, body_es=SIMPLE_ES)
    Section.objects.filter(pk=hard.pk).update(body_en=COMPLEX_EN, body_es=COMPLEX_ES)
    condition.refresh_from_db()
    return condition


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _panel(response):
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content.decode())
    (panel,) = page.xpath("//*[@id='readability']")
    rows = {
        row.xpath("./th")[0].text_content().strip(): [
            " ".join(td.text_content().split()) for td in row.xpath("./td")
        ]
        for row in panel.xpath(".//tbody/tr | .//tfoot/tr")
    }
    return panel, rows


def test_authors_see_each_sections_grade_per_language_on_the_change_form(db):
    condition = _article()
    response = _client(make_author()).get(
        reverse("admin:conditions_condition_change", args=[condition.pk])
    )
    panel, rows = _panel(response)
    summary = " ".join(panel.xpath("./summary")[0].text_content().split())
    assert summary == "Readability: 1 section above the target grade 8"
    assert "last saved version" in panel.text_content()
    plain, hard, whole = rows.values()
    english, spanish = plain
    assert english.startswith(f"grade {score(SIMPLE_EN, 'en').grade}")
    assert "above target" not in english + spanish
    assert "Fernández-Huerta" in spanish
    assert all("above target 8" in cell for cell in hard)
    assert len(whole) == 2


def test_reviewers_see_the_grades_of_the_revision_under_review(db):
    condition = _article()
    author = make_author()
    versioning.save_revision(condition, user=author, comment="Draft")
    review = workflow.submit(condition, user=author, note="Please review")
    # A later edit of the working copy is not what is under review.
    Section.objects.filter(condition=condition).update(body_en=SIMPLE_EN)
    response = _client(make_reviewer()).get(
        reverse("admin:conditions_reviewrequest_review", args=[review.pk])
    )
    panel, rows = _panel(response)
    assert "version under review" in panel.text_content()
    plain, hard, _whole = rows.values()
    assert len(plain) == 1  # the source language only: that is what is reviewed
    assert "above target" not in plain[0]
    assert "above target 8" in hard[0]


def test_a_high_grade_is_flagged_never_refused(db):
    condition = _article()
    reviewer = make_reviewer()
    publications = publish_now(condition, reviewer=reviewer)
    assert {p.language for p in publications} == {"en", "es"}
    assert Publication.objects.current().filter(condition=condition).count() == 2


def test_the_translation_report_shows_the_stored_grade_of_each_language(db):
    condition = _article()
    publish_now(condition)
    progress = TranslationProgress.objects.get(condition=condition, language="es")
    assert progress.readability["es"]["whole"]["formula"] == "Fernández-Huerta"
    assert progress.readability["es"]["grades"] == [
        score(SIMPLE_ES, "es").grade,
        score(COMPLEX_ES, "es").grade,
    ]
    assert (
        progress.readability["en"]["whole"]["grade"]
        == score(SIMPLE_EN + " " + COMPLEX_EN, "en").grade
    )
    editor = make_user("report-editor", groups=["Editors"])
    response = _client(editor).get(
        reverse("admin:conditions_condition_translation_report", args=["es"])
    )
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content.decode())
    headers = [" ".join(th.text_content().split()) for th in page.xpath("//thead//th")]
    assert headers[-2:] == ["Reading grade (Spanish)", "Reading grade (English)"]
    (row,) = page.xpath("//tbody/tr")
    spanish, english = [" ".join(td.text_content().split()) for td in row[-2:]]
    whole_es = score(SIMPLE_ES + " " + COMPLEX_ES, "es")
    assert spanish.startswith(f"grade {whole_es.grade}")
    assert "1 of 2 sections above target" in spanish
    assert english.startswith("grade ")


def test_the_stored_grade_follows_a_new_revision(db):
    condition = _article()
    publish_now(condition)
    Section.objects.filter(condition=condition).update(body_es=SIMPLE_ES)
    versioning.save_revision(condition, user=make_author(), comment="Simpler")
    progress = TranslationProgress.objects.get(condition=condition, language="es")
    grade = score(SIMPLE_ES, "es").grade
    assert progress.readability["es"]["grades"] == [grade, grade]


def test_score_readability_stores_every_articles_grades_and_sums_them_up(db):
    condition = _article()
    publish_now(condition)
    TranslationProgress.objects.update(readability={})
    out = io.StringIO()
    call_command("score_readability", stdout=out, stderr=io.StringIO())
    progress = TranslationProgress.objects.get(condition=condition, language="es")
    assert set(progress.readability) == {"en", "es"}
    assert out.getvalue().splitlines() == [
        "Scored 1 article.",
        "English: 1 section above grade 8.",
        "Spanish: 1 section above grade 8.",
    ]


# -- 5. live scoring while editing --------------------------------------------


def _post(client, payload):
    return client.post(
        reverse("admin:conditions_condition_readability"),
        data=json.dumps(payload) if not isinstance(payload, str) else payload,
        content_type="application/json",
    )


def test_the_change_form_scores_unsaved_texts_as_the_author_types(db):
    condition = _article()
    client = _client(make_author())
    response = client.get(
        reverse("admin:conditions_condition_change", args=[condition.pk])
    )
    panel, _rows = _panel(response)
    assert panel.get("data-score-url") == reverse(
        "admin:conditions_condition_readability"
    )
    page = response.content.decode()
    assert '<script src="/static/js/readability.js" defer></script>' in page
    plain, hard = condition.sections.all()
    cells = panel.xpath(".//td[@data-section]")
    assert {(c.get("data-section"), c.get("data-language")) for c in cells} == {
        (str(s.pk), code) for s in (plain, hard) for code in ("en", "es")
    }
    texts = [
        {"key": f"{plain.pk}:en", "language": "en", "html": COMPLEX_EN},
        {"key": f"{hard.pk}:es", "language": "es", "html": SIMPLE_ES},
    ]
    response = _post(client, {"texts": texts})
    assert response.status_code == 200
    data = response.json()
    assert data["summary"] == "1 section above the target grade 8"
    complex_ = data["scores"][f"{plain.pk}:en"]
    assert complex_["grade"] == score(COMPLEX_EN, "en").grade
    assert complex_["above_target"] and "above target 8" in complex_["html"]
    simple = data["scores"][f"{hard.pk}:es"]
    assert (simple["grade"], simple["above_target"]) == (
        score(SIMPLE_ES, "es").grade,
        False,
    )
    # Nothing was saved.
    assert Section.objects.get(pk=plain.pk).body_en == SIMPLE_EN


@pytest.mark.parametrize(
    "who", ["medical reviewer", "translator", "translation reviewer"]
)
def test_who_may_not_change_articles_may_not_score_texts(db, who):
    user = {
        "medical reviewer": make_reviewer,
        "translator": make_translator,
        "translation reviewer": make_translation_reviewer,
    }[who]()
    texts = [{"key": "1:en", "language": "en", "html": COMPLEX_EN}]
    assert _post(_client(user), {"texts": texts}).status_code == 403


def test_scoring_texts_needs_a_login_and_a_post(db):
    texts = {"texts": [{"key": "1:en", "language": "en", "html": COMPLEX_EN}]}
    anonymous = _post(Client(), texts)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    author = _client(make_author())
    assert (
        author.get(reverse("admin:conditions_condition_readability")).status_code == 405
    )


def test_the_review_screen_panel_does_not_score_as_you_type(db):
    condition = _article()
    author = make_author()
    versioning.save_revision(condition, user=author, comment="Draft")
    review = workflow.submit(condition, user=author, note="Please review")
    response = _client(make_reviewer()).get(
        reverse("admin:conditions_reviewrequest_review", args=[review.pk])
    )
    panel, _rows = _panel(response)
    assert panel.get("data-score-url") is None
    assert "readability.js" not in response.content.decode()


@pytest.mark.parametrize(
    "payload, message",
    [
        ("{not json", 'Send JSON: {"texts": [{"key": …, "language": …, "html": …}]}.'),
        (
            {"texts": "text"},
            'Send JSON: {"texts": [{"key": …, "language": …, "html": …}]}.',
        ),
        (
            {"texts": [{"key": "1", "html": "x"}]},
            'Send JSON: {"texts": [{"key": …, "language": …, "html": …}]}.',
        ),
        (
            {"texts": [{"key": "1", "language": "xx", "html": "x"}]},
            "Unknown language “xx”.",
        ),
        (
            {
                "texts": [
                    {"key": str(n), "language": "en", "html": "x"} for n in range(201)
                ]
            },
            "At most 200 texts at once.",
        ),
        (
            {"texts": [{"key": "1", "language": "en", "html": "x" * 100_001}]},
            "A text is longer than 100000 characters.",
        ),
    ],
)
def test_bad_requests_to_score_texts_get_a_clear_error(db, payload, message):
    response = _post(_client(make_author()), payload)
    assert response.status_code == 400
    assert response.json() == {"error": message}


@pytest.mark.browser
def test_the_panel_follows_the_text_as_the_author_types(watched, site):  # noqa: F811
    from playwright.sync_api import expect

    condition = Condition.objects.get(slug_en="focal-dystonia")
    first = condition.sections.first()
    page, watch = watched()
    log_in(page, site, "author")
    page.goto(f"{site}/admin/conditions/condition/{condition.pk}/change/")
    page.evaluate("document.getElementById('readability').open = true")
    cell = page.locator(
        f'#readability td[data-section="{first.pk}"][data-language="en"]'
    )
    before = cell.inner_text()
    live = page.locator("#readability .readability-live")
    expect(live).to_be_hidden()
    editor = page.locator("#sections-0 .field-body_en [contenteditable=true]")
    type_in_editor(page, editor, " " + plain_text(COMPLEX_EN))
    expect(live).to_be_visible()
    expect(cell).not_to_have_text(before)
    body = page.locator("#sections-0 .field-body_en textarea").input_value()
    expected = score(body, "en")
    expect(cell).to_contain_text(f"grade {expected.grade}")
    watch.assert_clean()


def test_a_stored_spanish_score_names_its_band_in_the_readers_language(db):
    with translation.override("es"):
        stored = score(SUMMARIES["es"]["Chequeo médico del bebé"], "es").as_dict()
    assert "band" not in stored
    with translation.override("en"):
        assert str(Score.from_dict("es", stored).band) == "fairly difficult"
    assert Score.from_dict("es", stored).grade == 12
    assert Score.from_dict("es", {}) is None
