"""Unsafe HTML never reaches the database or the public page."""

import re

import pytest

from conditions.models import Section

from .factories import make_condition, make_user, publish_now

HOSTILE = (
    '<p onclick="steal()">Care <script>alert(1)</script>'
    '<img src="x" onerror="alert(2)">'
    '<a href="javascript:alert(3)">bad link</a> '
    '<a href="https://medlineplus.gov/">good link</a></p>'
    '<iframe src="https://evil.example/"></iframe>'
)


def _assert_clean(html):
    # The article page's one script is its JSON-LD data block (not run by
    # browsers, and built from plain text): nothing else may be a script.
    html = re.sub(
        r'<script type="application/ld\+json">.*?</script>', "", html, flags=re.S
    )
    assert "<script" not in html
    assert "alert(1)" not in html
    assert "onerror" not in html
    assert "onclick" not in html
    assert "javascript:" not in html
    assert "<iframe" not in html
    assert '<a href="https://medlineplus.gov/">good link</a>' in html


def test_rich_text_is_sanitised_when_saved_in_every_language(db):
    condition = make_condition(sections=1)
    section = condition.sections.get()
    section.body_en = HOSTILE
    section.body_es = HOSTILE
    section.save()
    section.refresh_from_db()
    _assert_clean(section.body_en)
    _assert_clean(section.body_es)


def test_html_written_around_the_model_is_cleaned_before_the_public_page(client, db):
    condition = make_condition(sections=1)
    section = condition.sections.get()
    Section.objects.filter(pk=section.pk).update(body_en=HOSTILE)
    # Even markup written around the model (raw SQL, imports) is cleaned on
    # the way to the public page.
    publish_now(condition, user=make_user(superuser=True))
    response = client.get(f"/en/conditions/{condition.slug_en}/")
    html = response.content.decode()
    assert response.status_code == 200
    _assert_clean(html.split('<main id="main">')[1])


@pytest.mark.parametrize("language", ["en", "es"])
def test_public_page_contains_no_unsafe_markup(client, db, language):
    condition = make_condition(sections=1)
    section = condition.sections.get()
    setattr(section, f"body_{language}", HOSTILE)
    section.save()
    publish_now(condition)
    slug = getattr(condition, f"slug_{language}")
    html = client.get(f"/{language}/conditions/{slug}/").content.decode()
    _assert_clean(html)
