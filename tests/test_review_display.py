"""Reviewers see what they approve: rich text formatted, pictures shown.

1. Whoever can only view an article (a medical reviewer, a translator) reads
   its rich text formatted, sanitised at display time, not as HTML source;
   an author still gets the editor.
2. The review screen shows each new, changed or removed image: the old and
   the new picture side by side, with the alternative text, caption and
   credit line of each.

Everything goes through the real admin with the test client, as the
reviewer's browser would; real files, real revisions.
"""

import lxml.html
import pytest
from django.contrib import admin
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from conditions import roles, translations, versioning, workflow
from conditions.admin.base import RichTextReadOnlyMixin
from conditions.fields import RichTextField
from conditions.models import Condition, Image, Section

from .browser import DESKTOP, open_page
from .factories import (
    make_author,
    make_condition,
    make_reviewer,
    make_translation_reviewer,
    make_translator,
    make_user,
    png_file,
    publish_now,
)

BOLD_EN = "<p>Some <strong>bold</strong> advice</p>"
BOLD_ES = "<p>Un consejo en <strong>negrita</strong></p>"
#: Written around the model (queryset update): never sanitised on save.
UNSAFE = (
    '<p onclick="steal()">Rest <strong>well</strong>'
    '<script>alert("x")</script>'
    '<a href="javascript:alert(1)">here</a>'
    '<img src="x" onerror="alert(2)"></p>'
)


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def parse(html):
    return lxml.html.fromstring(html)


def cls(name):
    """An XPath predicate: the element has this class."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def change_url(condition):
    return reverse("admin:conditions_condition_change", args=[condition.pk])


def review_url(request):
    return reverse("admin:conditions_reviewrequest_review", args=[request.pk])


def article(**fields):
    """A one-section article with the given section texts, and no image."""
    condition = make_condition(sections=1, references=1, images=0)
    Section.objects.filter(condition=condition).update(**fields)
    return condition


def rendered(html, column):
    """Return the rendered rich text of the first section's column."""
    (field,) = parse(html).xpath(
        f"//*[{cls('field-rendered_' + column)}]//*[{cls('readonly')}]"
    )
    (div,) = field.xpath(f"./div[{cls('rich-text')}]")
    return div


# 1. Rich text shown read-only ----------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "group", [roles.MEDICAL_REVIEWERS, roles.group_name(roles.TRANSLATORS, "es")]
)
def test_a_view_only_user_reads_the_section_body_formatted(group):
    condition = article(body_en=BOLD_EN, body_es=BOLD_ES)
    client = client_for(make_user(groups=[group]))

    response = client.get(change_url(condition))

    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    html = response.content.decode()
    english = rendered(html, "body_en")
    assert english.get("lang") == "en"
    assert [s.text for s in english.xpath("./p/strong")] == ["bold"]
    assert english.text_content() == "Some bold advice"
    spanish = rendered(html, "body_es")
    assert spanish.get("lang") == "es"
    assert [s.text for s in spanish.xpath("./p/strong")] == ["negrita"]
    # The source is not shown, escaped, any more.
    assert "&lt;p&gt;" not in html and "&lt;strong&gt;" not in html
    # Labelled as modeltranslation labels the columns.
    labels = [
        label.text_content()
        for label in parse(html).xpath(f"//*[{cls('field-rendered_body_en')}]//label")
    ]
    assert labels == ["Body [en]:"]


@pytest.mark.django_db
def test_rich_text_written_around_the_sanitiser_is_shown_without_scripts():
    condition = article(body_en=UNSAFE, body_es=UNSAFE)
    client = client_for(make_reviewer())

    html = get(client, change_url(condition))

    for column in ("body_en", "body_es"):
        body = rendered(html, column)
        assert [s.text for s in body.xpath(".//strong")] == ["well"]
        assert body.xpath(".//script") == []
        assert body.xpath(".//img") == []
        for element in body.iter():
            assert not any(name.startswith("on") for name in element.attrib)
            assert "javascript:" not in element.get("href", "")
    assert "steal()" not in html and 'alert("x")' not in html


@pytest.mark.django_db
def test_an_author_still_gets_the_editor_with_the_html_source():
    condition = article(body_en=BOLD_EN, body_es=BOLD_ES)
    client = client_for(make_author())

    response = client.get(change_url(condition))

    assert response.context["has_change_permission"] is True
    page = parse(response.content.decode())
    # (A browser drops the newline Django writes after <textarea>.)
    (textarea,) = page.xpath('//textarea[@name="sections-0-body_en"]')
    assert textarea.text.removeprefix("\n") == BOLD_EN
    (textarea,) = page.xpath('//textarea[@name="sections-0-body_es"]')
    assert textarea.text.removeprefix("\n") == BOLD_ES
    assert page.xpath("//*[contains(@class, 'field-rendered_')]") == []
    assert page.xpath(f"//*[{cls('rich-text')}]") == []


@pytest.mark.django_db
def test_the_translators_source_column_is_sanitised_formatted_text():
    condition = article(body_en=UNSAFE)
    # The live revision holds the text as written, script and all.
    publish_now(condition, translate=False)
    translator = make_translator("es")
    url = reverse("admin:conditions_condition_translate", args=[condition.pk, "es"])

    html = get(client_for(translator), url)

    section = condition.sections.get()
    key = translations.unit_key(Section, section.pk, "body")
    source = {u.key: u.source for u in translations.units(condition, "es")}[key]
    assert "<script>" in source  # what `|safe` would have let through
    row_id = f"unit-section{section.pk}body"
    (source,) = parse(html).xpath(
        f"//*[@id='{row_id}']/td[{cls('source')}]/*[{cls('source-text')}]"
    )
    (body,) = source.xpath(f"./div[{cls('rich-text')}]")
    assert [s.text for s in body.xpath(".//strong")] == ["well"]
    assert body.xpath(".//script | .//img") == []
    for element in body.iter():
        assert not any(name.startswith("on") for name in element.attrib)
    assert "steal()" not in html and 'alert("x")' not in html


def test_every_admin_of_rich_text_shows_it_formatted_read_only():
    """A model with a RichTextField, edited in any admin or inline, goes
    through the mixin (a new rich-text field anywhere is covered)."""
    admins = []
    for model_admin in admin.site._registry.values():
        admins.append((type(model_admin), model_admin.model))
        admins.extend((inline, inline.model) for inline in model_admin.inlines)
    rich = [
        cls
        for cls, model in admins
        if any(isinstance(f, RichTextField) for f in model._meta.concrete_fields)
    ]
    assert rich, "no admin edits rich text any more?"
    assert all(issubclass(cls, RichTextReadOnlyMixin) for cls in rich), rich


# 2. Pictures on the review screen ------------------------------------------


def published_with_image(author):
    """A live article (English and Spanish) with one image; returns both."""
    condition = make_condition(sections=1, references=1, images=1)
    publish_now(condition, user=author)
    return condition, condition.images.get()


def submit(condition, author, note="Pictures"):
    workflow.note_edit(Condition.objects.get(pk=condition.pk), user=author)
    versioning.save_revision(condition, user=author, comment=note)
    return workflow.submit(condition, user=author, note=note)


DIFF_HTML = f"./div[{cls('diff-html')}]"


def figures(page, kind):
    return page.xpath(f"//figure[{cls('diff-image-' + kind)}]")


def only(items):
    assert len(items) == 1, items
    return items[0]


def figure_texts(figure):
    caption = only(figure.xpath("./figcaption"))

    def texts(element, name):
        return [e.text_content() for e in element.xpath(f"./*[{cls(name)}]")]

    return {
        "side": only(texts(caption, "diff-image-side")),
        "caption": texts(caption, "diff-image-caption"),
        "credit": texts(caption, "diff-image-credit"),
        "alt": texts(figure, "diff-image-alt"),
    }


@pytest.mark.django_db
def test_a_replaced_image_is_shown_before_and_after_with_its_texts():
    author = make_author()
    condition, image = published_with_image(author)
    old_name, old_url = image.file.name, image.file.url
    image.file = png_file("replacement.png", size=(64, 48))
    image.alt_text_en = "A hand writing with a special grip"
    image.credit = "Copyright © New Illustrators"
    image.save()
    request = submit(condition, author)
    image.refresh_from_db()
    new_name, new_url = image.file.name, image.file.url
    assert new_url != old_url
    assert default_storage.exists(old_name) and default_storage.exists(new_name)

    html = get(client_for(make_reviewer()), review_url(request))

    page = parse(html)
    before = only(figures(page, "before"))
    after = only(figures(page, "after"))
    old_img, new_img = only(before.xpath("./img")), only(after.xpath("./img"))
    assert old_img.get("src") == old_url
    assert new_img.get("src") == new_url
    assert old_img.get("alt") == "A hand with cramped fingers holding a pen"
    assert new_img.get("alt") == "A hand writing with a special grip"
    assert (old_img.get("width"), old_img.get("height")) == ("40", "30")
    assert (new_img.get("width"), new_img.get("height")) == ("64", "48")
    assert old_img.get("loading") == new_img.get("loading") == "lazy"
    assert old_img.get("lang") == new_img.get("lang") == "en"
    assert figure_texts(before) == {
        "side": "Before",
        "caption": ["Writer's cramp"],
        "credit": ["Copyright © Test Illustrators"],
        "alt": ["Alternative text: A hand with cramped fingers holding a pen"],
    }
    assert figure_texts(after) == {
        "side": "After",
        "caption": ["Writer's cramp"],
        "credit": ["Copyright © New Illustrators"],
        "alt": ["Alternative text: A hand writing with a special grip"],
    }
    # Side by side in one entry (the first of the image on the screen); the
    # image's other entries point to it instead of repeating it.
    assert before.getparent() is after.getparent()
    entry = before.getparent().getparent()
    assert entry.tag == "dd"
    anchor = entry.getprevious().get("id")
    assert anchor == f"diff-image{image.pk}alt_texten"
    links = page.xpath(f'//dd//a[@href="#{anchor}"]')
    assert len(links) >= 2  # file, credit (and the image's own entry)
    # The word-level diffs of the texts are still there.
    alt_diff = only(page.get_element_by_id(anchor).getnext().xpath(DIFF_HTML))
    assert "cramped" in " ".join(d.text_content() for d in alt_diff.xpath("./del"))
    credit = page.get_element_by_id(f"diff-image{image.pk}credit")
    credit_diff = only(credit.getnext().xpath(DIFF_HTML))
    assert only(credit_diff.xpath("./del")).text_content().strip() == "Test"
    assert only(credit_diff.xpath("./ins")).text_content().strip() == "New"


@pytest.mark.django_db
def test_an_added_image_is_shown_after_only():
    author = make_author()
    condition, existing = published_with_image(author)
    added = Image.objects.create(
        condition=condition,
        section_kind="causes",
        file=png_file("added.png", size=(50, 20)),
        alt_text_en="A diagram of the nerves of the hand",
        alt_text_es="Un diagrama de los nervios de la mano",
        caption_en="Nerves of the hand",
        credit="Public domain, NIH",
        position=1,
    )
    request = submit(condition, author)

    page = parse(get(client_for(make_reviewer()), review_url(request)))

    assert figures(page, "before") == []
    after = only(figures(page, "after"))
    img = only(after.xpath("./img"))
    assert img.get("src") == added.file.url
    assert img.get("src") != existing.file.url
    assert img.get("alt") == "A diagram of the nerves of the hand"
    assert figure_texts(after) == {
        "side": "After",
        "caption": ["Nerves of the hand"],
        "credit": ["Public domain, NIH"],
        "alt": ["Alternative text: A diagram of the nerves of the hand"],
    }


@pytest.mark.django_db
def test_a_removed_image_is_shown_before_only():
    author = make_author()
    condition, image = published_with_image(author)
    url = image.file.url
    image.delete()
    request = submit(condition, author)

    page = parse(get(client_for(make_reviewer()), review_url(request)))

    assert figures(page, "after") == []
    before = only(figures(page, "before"))
    img = only(before.xpath("./img"))
    assert img.get("src") == url
    assert img.get("alt") == "A hand with cramped fingers holding a pen"
    texts = figure_texts(before)
    assert texts["side"] == "Before"
    assert texts["credit"] == ["Copyright © Test Illustrators"]


@pytest.mark.django_db
def test_a_translation_review_shows_the_source_and_the_translated_alt_text():
    author = make_author()
    condition, image = published_with_image(author)
    translator = make_translator("es")
    translations.save_translation(
        condition,
        language="es",
        values={
            translations.unit_key(Image, image.pk, "alt_text"): (
                "Una mano que escribe con los dedos contraídos"
            )
        },
        user=translator,
    )
    request = workflow.submit_translation(condition, language="es", user=translator)
    assert request.language == "es"

    page = parse(get(client_for(make_translation_reviewer("es")), review_url(request)))

    before, after = only(figures(page, "before")), only(figures(page, "after"))
    assert before.getparent().getparent().get("lang") == "es"
    old_img, new_img = only(before.xpath("./img")), only(after.xpath("./img"))
    assert old_img.get("src") == new_img.get("src") == image.file.url
    assert old_img.get("alt") == (
        "Una mano con los dedos contraídos que sostiene un bolígrafo"
    )
    assert new_img.get("alt") == "Una mano que escribe con los dedos contraídos"
    assert new_img.get("lang") == "es"
    assert figure_texts(after) == {
        "side": "After",
        "caption": ["Calambre del escribiente"],
        "credit": ["Copyright © Test Illustrators"],
        "alt": [
            "Alternative text (English): A hand with cramped fingers holding a pen",
            "Alternative text (español): Una mano que escribe con los dedos contraídos",
        ],
    }


@pytest.mark.django_db
def test_an_unchanged_image_shows_no_pictures():
    author = make_author()
    condition, _image = published_with_image(author)
    section = condition.sections.get()
    section.body_en = "<p>New advice.</p>"
    section.save()
    request = submit(condition, author)

    page = parse(get(client_for(make_reviewer()), review_url(request)))

    assert page.xpath(f"//figure | //*[{cls('diff-images')}]") == []


# In Chromium: the pictures load ---------------------------------------------


@pytest.mark.browser
def test_both_pictures_load_on_the_review_screen(
    browser, transactional_db, live_server
):
    # The role groups come from a data migration, which an earlier
    # transactional test's flush removes: recreate them (idempotent).
    roles.sync_roles()
    author = make_author()
    condition, image = published_with_image(author)
    image.file = png_file("replacement.png", size=(64, 48))
    image.save()
    request = submit(condition, author)
    reviewer = make_reviewer()

    with open_page(browser, DESKTOP) as page:
        page.goto(f"{live_server.url}/admin/login/?next=/admin/")
        page.fill("#id_username", reviewer.username)
        page.fill("#id_password", "pw")
        page.click("#login-form [type=submit]")
        page.wait_for_url(f"{live_server.url}/admin/")
        page.goto(f"{live_server.url}{review_url(request)}")

        pictures = page.locator(".diff-image img")
        assert pictures.count() == 2
        sizes = []
        for index in range(2):
            picture = pictures.nth(index)
            picture.scroll_into_view_if_needed()  # they load lazily
            picture.evaluate(
                """img => img.complete && img.naturalWidth > 0 ? true
                    : new Promise((resolve, reject) => {
                        img.addEventListener('load', () => resolve(true));
                        img.addEventListener('error', () => reject(img.src));
                    })"""
            )
            sizes.append(
                picture.evaluate("img => [img.naturalWidth, img.naturalHeight]")
            )
    assert sizes == [[40, 30], [64, 48]]
