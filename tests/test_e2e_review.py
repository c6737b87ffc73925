"""End to end, in a real Chromium: an edit goes through medical review to the site.

The author edits the demo article "Focal Dystonia" in the admin's rich-text
editor and submits it; a medical reviewer (in a separate browser context)
reads the diff and asks for changes; the author reads the comment, fixes the
text and submits again; the reviewer approves and publishes; the public page
shows the new text and the reviewer's byline.

With ``SAVE_SCREENSHOTS=<folder>`` in the environment the test also saves
the screenshots used in the README (01-author-edit.png … 04-published.png):

    SAVE_SCREENSHOTS=docs/screenshots .venv/bin/pytest tests/test_e2e_review.py
"""

import io
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format

from conditions import roles
from conditions.demo import loader
from conditions.models import Condition, Publication, ReviewRequest

from .browser import DESKTOP, open_page

pytestmark = pytest.mark.browser

ARTICLE_EN = "/en/conditions/focal-dystonia/"
ORIGINAL = "Treatment can help keep the symptoms under control."
FIRST_EDIT = "Treatment can cure the symptoms in most people."
REVIEW_COMMENT = (
    "Focal dystonia cannot be cured. Please say that treatment controls the "
    "symptoms, and name the usual treatment."
)
FIXED = (
    "There is no cure, but treatment such as botulinum toxin injections can "
    "help keep the symptoms under control."
)
#: For actions and expectations; generous for a slow CI machine (each step
#: normally takes well under a second).
TIMEOUT_MS = 15_000


@pytest.fixture
def site(transactional_db, live_server):
    """The live server's base URL, serving the demo library and accounts."""
    # The role groups come from a data migration, which an earlier
    # transactional test's flush removes: recreate them (idempotent).
    roles.sync_roles()
    loader.load_accounts()
    loader.load_content()
    return live_server.url


def screenshot(page, name, *, full_page=False, parts=()):
    """Save a screenshot when SAVE_SCREENSHOTS names a folder.

    With ``parts`` (locators), save only the top of the page down to the first
    part, then each further part, stacked with a dashed band at each cut: the
    screens that matter on a long page, in a small file.
    """
    folder = os.environ.get("SAVE_SCREENSHOTS")
    if not folder:
        return
    path = Path(folder) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    # Hover nothing: the mouse stays where the last click left it.
    page.mouse.move(0, 0)
    if not parts:
        page.screenshot(path=str(path), full_page=full_page, animations="disabled")
        return
    from PIL import Image, ImageDraw

    width = page.viewport_size["width"]
    spans = [locator.evaluate(PAGE_SPAN) for locator in parts]
    spans[0][0] = 0
    images = []
    for top, bottom in spans:
        top, bottom = max(0, top - 12), bottom + 6
        png = page.screenshot(
            full_page=True,
            animations="disabled",
            clip={"x": 0, "y": top, "width": width, "height": bottom - top},
        )
        images.append(Image.open(io.BytesIO(png)).convert("RGB"))
    band = 24
    height = sum(image.height for image in images) + band * (len(images) - 1)
    sheet = Image.new("RGB", (width, height), "#eeeeee")
    draw = ImageDraw.Draw(sheet)
    y = 0
    for i, image in enumerate(images):
        if i:
            for x in range(0, width, 16):
                draw.line([(x, y - band // 2), (x + 8, y - band // 2)], "#888888", 2)
        sheet.paste(image, (0, y))
        y += image.height + band
    sheet.save(path, optimize=True)


#: An element's top and bottom in page coordinates (CSS pixels).
PAGE_SPAN = """element => {
    const box = element.getBoundingClientRect();
    return [box.top + window.scrollY, box.bottom + window.scrollY];
}"""


def log_in(page, site, username):
    from playwright.sync_api import expect

    page.goto(f"{site}/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", loader.demo_password())
    page.click("#login-form [type=submit]")
    expect(page).to_have_url(f"{site}/admin/")


def expect_success(page, text):
    from playwright.sync_api import expect

    expect(page.locator(".messagelist .success")).to_contain_text(text)


def rewrite_paragraph(page, old_text, new_text):
    """Replace a paragraph of the first section's English body, as a user would.

    A triple click in the ProseMirror editor selects the paragraph's text;
    typing replaces it.
    """
    from playwright.sync_api import expect

    editor = page.locator("#sections-0 .field-body_en [contenteditable=true]")
    paragraph = editor.locator("p", has_text=old_text)
    paragraph.click(click_count=3)
    page.keyboard.type(new_text)
    expect(editor.locator("p", has_text=new_text)).to_have_count(1)
    expect(editor).not_to_contain_text(old_text)


def save_with_note(page, note):
    page.fill("#id_change_note", note)
    page.click("input[name=_continue]")
    expect_success(page, "was changed successfully")


def submit_for_review(page, note):
    from playwright.sync_api import expect

    panel = page.locator(".workflow-panel")
    panel.locator("#id_note").fill(note)
    panel.get_by_role(
        "button", name="Submit the saved version for medical review"
    ).click()
    expect_success(page, "Submitted for medical review.")
    expect(panel.locator(".status")).to_have_text("In review")


def test_edit_review_request_changes_fix_approve_publish(browser, site):  # noqa: F811
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    condition = Condition.objects.get(
        **{f"slug_{settings.SOURCE_LANGUAGE}": "focal-dystonia"}
    )
    change_url = f"{site}/admin/conditions/condition/{condition.pk}/change/"
    before = set(Publication.objects.values_list("pk", flat=True))

    with (
        open_page(browser, DESKTOP) as author,
        open_page(browser, DESKTOP) as reviewer,
    ):
        author.set_default_timeout(TIMEOUT_MS)
        reviewer.set_default_timeout(TIMEOUT_MS)

        # 1. The author edits a sentence in the rich-text body and saves.
        log_in(author, site, "author")
        author.goto(change_url)
        rewrite_paragraph(author, ORIGINAL, FIRST_EDIT)
        save_with_note(author, "Say what treatment achieves.")
        expect(author.locator(".workflow-panel .status")).to_have_text("Draft")
        author.locator(".workflow-panel #id_note").fill(
            "Updated the sentence on treatment in the definition."
        )
        author.locator(".workflow-panel #id_note").blur()
        screenshot(
            author,
            "01-author-edit.png",
            parts=[author.locator(".workflow-panel"), author.locator("#sections-0")],
        )
        submit_for_review(
            author, "Updated the sentence on treatment in the definition."
        )

        # 2. The reviewer finds it in their queue and reads the diff.
        log_in(reviewer, site, "reviewer")
        reviewer.goto(f"{site}/admin/conditions/condition/?queue=awaiting_my_review")
        reviewer.locator("#result_list").get_by_role(
            "link", name="Focal Dystonia"
        ).click()
        reviewer.locator(".workflow-panel").get_by_role(
            "link", name="Awaiting review"
        ).click()
        expect(reviewer).to_have_url(
            re.compile(r"/admin/conditions/reviewrequest/\d+/review/$")
        )
        diff = reviewer.locator(".revision-diff")
        expect(diff.locator("ins", has_text="cure")).to_be_visible()
        expect(diff.locator("del", has_text="help keep")).to_be_visible()
        expect(reviewer.locator(".change-note")).to_contain_text(
            "Updated the sentence on treatment"
        )
        screenshot(reviewer, "02-reviewer-diff.png", full_page=True)

        # 3. … and sends it back with a comment.
        decision = reviewer.locator(".decision")
        decision.locator("#id_comment").fill(REVIEW_COMMENT)
        decision.get_by_role("button", name="Request changes").click()
        expect_success(reviewer, "Returned to the author with your comments.")
        expect(reviewer.locator(".comments")).to_contain_text(
            "Focal dystonia cannot be cured."
        )

        # 4. The author reads the comment on their draft, fixes the text and
        #    submits again.
        author.goto(change_url)
        panel = author.locator(".workflow-panel")
        expect(panel.locator(".status")).to_have_text("Changes requested")
        comments = panel.locator(".review-comments")
        expect(
            comments.get_by_role("heading", name="Reviewer comments")
        ).to_be_visible()
        expect(comments).to_contain_text("Daniel Ostrovsky")
        expect(comments).to_contain_text(REVIEW_COMMENT)
        screenshot(author, "03-author-comments.png")
        rewrite_paragraph(author, FIRST_EDIT, FIXED)
        save_with_note(author, "Treatment controls the symptoms; it does not cure.")
        submit_for_review(author, "Fixed as asked: no cure, botulinum toxin named.")

        # 5. The reviewer opens the new request from the review requests list
        #    and approves it.
        reviewer.goto(f"{site}/admin/conditions/reviewrequest/?state__exact=pending")
        reviewer.locator("#result_list").get_by_role(
            "link", name="Focal Dystonia"
        ).click()
        expect(reviewer).to_have_url(
            re.compile(r"/admin/conditions/reviewrequest/\d+/review/$")
        )
        diff = reviewer.locator(".revision-diff")
        expect(diff.locator("ins", has_text="botulinum")).to_be_visible()
        expect(diff).not_to_contain_text("cure the symptoms in most people")
        reviewer.get_by_role("button", name="Approve and publish").click()
        expect_success(reviewer, "Approved.")
        expect(reviewer.locator(".review-screen")).to_contain_text(
            "Approved and published"
        )

    # 6. The public page shows the new text, the reviewer and today's date.
    publication = Publication.objects.current().get(condition=condition, language="en")
    assert publication.pk not in before
    assert publication.review.state == ReviewRequest.State.PUBLISHED
    with translation.override("en"):
        reviewed_on = date_format(
            timezone.localtime(publication.reviewed_at), "DATE_FORMAT"
        )
    with open_page(browser, DESKTOP) as reader:
        response = reader.goto(site + ARTICLE_EN)
        assert response.status == 200
        article = reader.locator("main")
        expect(article).to_contain_text(FIXED)
        expect(reader.locator(".reviewed-by")).to_have_text(
            f"Medically reviewed by Daniel A. Ostrovsky, MD on {reviewed_on}"
        )
        text = article.inner_text()
        assert ORIGINAL not in text
        assert FIRST_EDIT not in text
        screenshot(
            reader,
            "04-published.png",
            parts=[
                reader.locator("section.section-definition"),
                reader.locator("footer.review"),
            ],
        )
