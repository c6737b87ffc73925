"""Public pages are accessible (axe-core, WCAG 2.2 AA) and valid HTML (vnu).

These tests drive a real Chromium against the live server, on the demo
library's articles; see tests/browser.py for when they skip.
"""

import pytest

from conditions.demo import loader
from conditions.models import Publication

from .browser import (
    DESKTOP,
    PHONE,
    VIEWPORTS,
    axe_violations,
    format_violations,
    format_vnu,
    is_vnu_error,
    open_page,
    stylesheet_loaded,
    vnu_messages,
)

pytestmark = pytest.mark.browser

INDEX_EN = "/en/"
INDEX_ES = "/es/"
ARTICLE_EN = "/en/conditions/focal-dystonia/"
ARTICLE_ES = "/es/conditions/distonia-focal/"
MISSING = "/en/conditions/no-such-condition/"
PAGES = [INDEX_EN, INDEX_ES, ARTICLE_EN, ARTICLE_ES]


def load_demo():
    loader.load_accounts()
    return loader.load_content()


@pytest.fixture
def site(transactional_db, live_server):
    """The live server's base URL, serving the demo library."""
    load_demo()
    return live_server.url


def visit(page, url, status=200):
    response = page.goto(url, wait_until="load")
    assert response.status == status, url
    return response


@pytest.mark.parametrize("path", [*PAGES, MISSING])
def test_public_page_has_no_axe_violations(browser, site, path):  # noqa: F811
    status = 404 if path == MISSING else 200
    reports = []
    with open_page(browser, PHONE, bypass_csp=True) as page:
        visit(page, site + path, status)
        if status == 200:
            # Colour contrast is only meaningful on the styled page.
            assert stylesheet_loaded(page), f"site.css not applied on {path}"
        for name, viewport in VIEWPORTS.items():
            # The pages have no script: resizing re-lays them out like a reload.
            page.set_viewport_size(viewport)
            violations = axe_violations(page)
            if violations:
                reports.append(f"{name} {viewport}:\n{format_violations(violations)}")
    assert not reports, f"axe violations on {path}:\n" + "\n".join(reports)


def test_public_pages_are_valid_html(client, db):
    load_demo()
    articles = [p.get_absolute_url() for p in Publication.objects.current()]
    assert ARTICLE_EN in articles and ARTICLE_ES in articles
    documents = {}
    for url in [INDEX_EN, INDEX_ES, *sorted(articles)]:
        response = client.get(url)
        assert response.status_code == 200, url
        documents[url] = response.content.decode()

    messages = vnu_messages(documents)

    errors = [message for message in messages if is_vnu_error(message)]
    warnings = [message for message in messages if not is_vnu_error(message)]
    assert not errors, (
        f"vnu errors:\n{format_vnu(errors)}\n(and warnings:\n{format_vnu(warnings)})"
    )


DISPLAY = "element => getComputedStyle(element).display"


def test_printed_article_hides_language_selector_and_contents(browser, site):  # noqa: F811
    selectors = [".language-selector", ".toc"]
    with open_page(browser, DESKTOP) as page:
        visit(page, site + ARTICLE_EN)
        assert stylesheet_loaded(page)
        on_screen = {s: page.locator(s).evaluate(DISPLAY) for s in selectors}
        page.emulate_media(media="print")
        printed = {s: page.locator(s).evaluate(DISPLAY) for s in selectors}

    assert "none" not in on_screen.values(), on_screen
    assert printed == dict.fromkeys(selectors, "none")


def test_phone_pages_do_not_scroll_sideways(browser, site):  # noqa: F811
    articles = [p.get_absolute_url() for p in Publication.objects.current()]
    widths = {}
    console_errors = []
    # Under the real Content-Security-Policy: styles must load from the site.
    with open_page(browser, PHONE) as page:
        page.on(
            "console",
            lambda message: (
                message.type == "error" and console_errors.append(message.text)
            ),
        )
        for path in [INDEX_EN, INDEX_ES, *sorted(articles)]:
            visit(page, site + path)
            assert stylesheet_loaded(page), path
            widths[path] = page.evaluate("() => document.documentElement.scrollWidth")
    too_wide = {path: width for path, width in widths.items() if width > PHONE["width"]}
    assert not too_wide, f"wider than the {PHONE['width']}px phone: {too_wide}"
    assert not console_errors
