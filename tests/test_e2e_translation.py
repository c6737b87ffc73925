"""End to end, in a real Chromium: a source change goes through the translation review.

A medical writer updates the English "Symptoms" of the demo article "Focal
Dystonia" and a medical reviewer approves it (from Python, through the
workflow functions: ``tests/test_e2e_review.py`` drives those screens). The
Spanish page then keeps its approved text and tells readers that the English
original changed. A translator finds the article in the Spanish translation
report, reads what changed in the source in the translation workspace,
updates the Spanish text and submits it; a translation reviewer reads the
Spanish diff and approves it; the Spanish page shows the new text, without
the notice.

With ``SAVE_SCREENSHOTS=<folder>`` in the environment the test also saves
the screenshots used in the README (11-spanish-notice.png …
14-translation-review.png):

    SAVE_SCREENSHOTS=docs/screenshots .venv/bin/pytest tests/test_e2e_translation.py
"""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import slugify

from conditions import translations, versioning, workflow
from conditions.models import Condition, Publication, ReviewRequest

from .browser import DESKTOP, open_page
from .test_e2e_review import (  # noqa: F401  (site is a fixture)
    TIMEOUT_MS,
    expect_success,
    log_in,
    screenshot,
    site,
)

pytestmark = pytest.mark.browser

ARTICLE_EN = "/en/conditions/focal-dystonia/"
ARTICLE_ES = "/es/conditions/distonia-focal/"

#: (old, new) list items of the "Symptoms" section, in English …
SOURCE_EDITS = [
    ("Shaking", "Tremor (shaking) of the head or hands"),
    ("Trouble speaking", "Trouble speaking, chewing or swallowing"),
]
#: … and the translator's matching Spanish.
SPANISH_EDITS = [
    ("Temblores", "Temblor (sacudidas) de la cabeza o las manos"),
    ("Dificultad para hablar", "Dificultad para hablar, masticar o tragar"),
]
TRANSLATOR_NOTE = "Síntomas: temblor de la cabeza o las manos; masticar y tragar."


def update_and_approve_source(condition):
    """The author edits the English symptoms and submits; the reviewer approves.

    The same calls the admin makes: save the working copy (a new revision,
    the article becomes a draft), submit, approve and publish.
    """
    User = get_user_model()
    author = User.objects.get(username="author")
    reviewer = User.objects.get(username="reviewer")
    section = condition.sections.get(kind="symptoms")
    body = section.body_en
    for old, new in SOURCE_EDITS:
        assert f"<li>{old}</li>" in body
        body = body.replace(f"<li>{old}</li>", f"<li>{new}</li>")
    section.body_en = body
    section.save()
    workflow.note_edit(condition, user=author)
    versioning.save_revision(
        condition, user=author, comment="Symptoms: tremor; chewing and swallowing."
    )
    request = workflow.submit(
        condition, user=author, note="Two symptoms made more precise."
    )
    workflow.approve(request, user=reviewer)
    return section


class Between:
    """A screenshot part from the top of one element to the bottom of another."""

    def __init__(self, first, last):
        self.first, self.last = first, last

    def evaluate(self, span):
        return [self.first.evaluate(span)[0], self.last.evaluate(span)[1]]


def edit_list_item(editor, old_text, new_text):
    """Replace the text of a list item in a ProseMirror editor, as a user would.

    A triple click selects the item's paragraph; typing replaces it.
    """
    from playwright.sync_api import expect

    item = editor.locator("li p").filter(
        has_text=re.compile(f"^{re.escape(old_text)}$")
    )
    expect(item).to_have_count(1)
    item.click(click_count=3)
    editor.page.keyboard.type(new_text)
    expect(editor.locator("li p", has_text=new_text)).to_have_count(1)


def test_source_update_outdates_spanish_then_translation_review(browser, site):  # noqa: F811
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    condition = Condition.objects.get(
        **{f"slug_{settings.SOURCE_LANGUAGE}": "focal-dystonia"}
    )
    spanish_before = Publication.objects.current().get(
        condition=condition, language="es"
    )
    assert spanish_before.outdated_since is None

    # 1. The English update is approved and published.
    section = update_and_approve_source(condition)
    source = Publication.objects.current().get(condition=condition, language="en")
    spanish = Publication.objects.current().get(condition=condition, language="es")
    assert spanish.pk == spanish_before.pk  # the Spanish text stays live …
    assert spanish.outdated_since == source.published_at  # … flagged outdated
    with translation.override("es"):
        updated_on = date_format(
            timezone.localtime(spanish.outdated_since), "DATE_FORMAT"
        )
    rich_units = sum(1 for u in translations.units(condition, "es") if u.rich)
    unit_row = "#unit-" + slugify(
        translations.unit_key(type(section), section.pk, "body")
    )

    with (
        open_page(browser, DESKTOP) as reader,
        open_page(browser, DESKTOP) as translator,
        open_page(browser, DESKTOP) as reviewer,
    ):
        for page in (reader, translator, reviewer):
            page.set_default_timeout(TIMEOUT_MS)

        # 2. The Spanish page still shows the approved Spanish text, with a
        #    notice: the date of the English update and a link to it.
        response = reader.goto(site + ARTICLE_ES)
        assert response.status == 200
        notice = reader.locator("article div.notice")
        expect(notice).to_be_visible()
        expect(notice).to_contain_text(updated_on)
        link = notice.get_by_role("link")
        expect(link).to_have_attribute("href", ARTICLE_EN)
        expect(link).to_have_attribute("hreflang", "en")
        symptoms = reader.locator("section.section-symptoms")
        for old, new in SPANISH_EDITS:
            expect(symptoms.get_by_text(old, exact=True)).to_have_count(1)
            expect(symptoms).not_to_contain_text(new)
        for _old, new in SOURCE_EDITS:  # never the English text
            expect(reader.locator("main")).not_to_contain_text(new)
        screenshot(
            reader,
            "11-spanish-notice.png",
            # The section's text, without its (lazily loaded) illustration.
            parts=[notice, Between(symptoms, symptoms.locator("ul").last)],
        )

        # 3. The translator starts from the admin home: Translations → the
        #    Spanish report, filtered to outdated clinical sections.
        log_in(translator, site, "translator_es")
        translator.get_by_role("link", name=re.compile("Translation report")).click()
        expect(translator).to_have_url(
            f"{site}/admin/conditions/condition/translations/es/"
        )
        rows = translator.locator("#content-main tbody tr")
        # Outdated clinical advice comes first.
        expect(rows.first.locator("th")).to_have_text("Focal Dystonia")
        expect(rows.first).to_contain_text("“Symptoms”")
        screenshot(
            translator,
            "12-translation-report.png",
            parts=[translator.locator("#content-main .module")],
        )
        translator.get_by_role(
            "link", name="Only articles with outdated clinical sections"
        ).click()
        expect(translator).to_have_url(re.compile(r"\?outdated_clinical=1$"))
        expect(rows).to_have_count(1)
        row = rows.filter(has_text="Focal Dystonia")
        expect(row).to_contain_text("“Symptoms”")

        # 4. The workspace: the Symptoms body is outdated, with the source diff.
        row.get_by_role("link", name="Focal Dystonia").click()
        expect(translator).to_have_url(
            f"{site}/admin/conditions/condition/{condition.pk}/translate/es/"
        )
        unit = translator.locator(unit_row)
        expect(unit).to_have_class(re.compile(r"\bunit-outdated\b"))
        expect(unit.locator("td.source .badge")).to_have_text("Outdated")
        source_diff = unit.locator(".source-diff")
        expect(source_diff.locator("del", has_text="Shaking")).to_be_visible()
        expect(source_diff.locator("ins", has_text="Tremor (shaking)")).to_be_visible()
        expect(
            source_diff.locator("ins", has_text="chewing or swallowing")
        ).to_be_visible()
        # Only the translator's language is editable: one editor per unit,
        # all of them Spanish.
        expect(unit.locator("td.source [contenteditable=true]")).to_have_count(0)
        editor = unit.locator("td.target [contenteditable=true]")
        expect(editor).to_have_count(1)
        # Every rich-text editor is ready (they change the layout as they
        # start), so the screenshot's crop lines up.
        expect(translator.locator("td.target [contenteditable=true]")).to_have_count(
            rich_units
        )
        screenshot(
            translator,
            "13-translator-workspace.png",
            parts=[translator.locator(".translate-table thead"), unit],
        )

        # 5. … updates the Spanish text and submits it for review.
        for old, new in SPANISH_EDITS:
            edit_list_item(editor, old, new)
        translator.fill("#id_note_visible", TRANSLATOR_NOTE)
        translator.get_by_role("button", name="Save and submit for review").click()
        expect_success(translator, "Submitted for translation review.")
        unit = translator.locator(unit_row)
        expect(unit.locator("td.source .badge")).to_have_text("In review")
        expect(unit.locator(".source-diff")).to_have_count(0)
        # Submitting changes nothing public.
        assert (
            Publication.objects.current().get(condition=condition, language="es").pk
            == spanish.pk
        )

        # 6. The translation reviewer opens the request from Review requests …
        log_in(reviewer, site, "translation_reviewer_es")
        reviewer.goto(
            f"{site}/admin/conditions/reviewrequest/"
            "?language__exact=es&state__exact=pending"
        )
        reviewer.locator("#result_list").get_by_role(
            "link", name="Focal Dystonia"
        ).click()
        expect(reviewer).to_have_url(
            re.compile(r"/admin/conditions/reviewrequest/\d+/review/$")
        )
        expect(reviewer.locator(".change-note")).to_contain_text(TRANSLATOR_NOTE)
        diff = reviewer.locator(".revision-diff")
        expect(diff.locator("del", has_text="Temblores")).to_be_visible()
        expect(diff.locator("ins", has_text="cabeza o las manos")).to_be_visible()
        expect(diff.locator("ins", has_text="masticar o tragar")).to_be_visible()
        changed = " ".join(diff.locator(".diff-html").all_inner_texts())
        beside = " ".join(diff.locator(".diff-source").all_inner_texts())
        for _old, new in SOURCE_EDITS:
            assert new not in changed  # the diff is of the Spanish text only …
            assert new in beside  # … with the approved English source beside it
        screenshot(reviewer, "14-translation-review.png", full_page=True)

        # 7. … and approves it: published in Spanish only.
        reviewer.get_by_role("button", name="Approve and publish").click()
        expect_success(reviewer, "Approved.")
        expect(reviewer.locator(".review-screen")).to_contain_text(
            "Approved and published"
        )

        # 8. The Spanish page shows the new Spanish text, and no notice.
        reader.goto(site + ARTICLE_ES)
        symptoms = reader.locator("section.section-symptoms")
        for old, new in SPANISH_EDITS:
            expect(symptoms.get_by_text(new, exact=True)).to_have_count(1)
            expect(symptoms.get_by_text(old, exact=True)).to_have_count(0)
        expect(reader.locator("div.notice")).to_have_count(0)

    review = ReviewRequest.objects.filter(condition=condition, language="es").latest(
        "submitted_at"
    )
    assert review.state == ReviewRequest.State.PUBLISHED
    spanish_after = Publication.objects.current().get(
        condition=condition, language="es"
    )
    assert spanish_after.review_id == review.pk
    assert spanish_after.outdated_since is None
    # The English publication was not touched by the Spanish approval.
    assert (
        Publication.objects.current().get(condition=condition, language="en").pk
        == source.pk
    )
