"""Public pages are accessible (axe-core, WCAG 2.2 AA) and valid HTML (vnu).

These tests drive a real Chromium against the live server, on the demo
library's articles; see tests/browser.py for when they skip.
"""

from urllib.parse import urlencode

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from conditions.demo import loader
from conditions.models import Publication

from .browser import (
    DESKTOP,
    PHONE,
    VIEWPORTS,
    axe_violations,
    displayed,
    focused,
    format_violations,
    format_vnu,
    is_vnu_error,
    open_page,
    stylesheet_loaded,
    tab_through,
    target_sizes,
    vnu_messages,
)

pytestmark = pytest.mark.browser

INDEX_EN = "/en/"
INDEX_ES = "/es/"
ARTICLE_EN = "/en/conditions/focal-dystonia/"
ARTICLE_ES = "/es/conditions/distonia-focal/"
MISSING = "/en/conditions/no-such-condition/"
MISSING_ES = "/es/conditions/no-existe/"
#: Every kind of public page, in English and Spanish. Category pages list one
#: article a page in these tests (LIBRARY_PAGE_SIZE), so they paginate.
LISTINGS = [
    INDEX_EN,
    INDEX_ES,
    "/en/a-z/",
    "/es/a-z/",
    "/en/a-z/f/",
    "/es/a-z/d/",
    "/en/categories/brain-and-nerves/",
    "/es/categories/cerebro-y-nervios/2/",
]
PAGES = [*LISTINGS, ARTICLE_EN, ARTICLE_ES]
NOT_FOUND = [MISSING, MISSING_ES]
#: The search results page, once it exists (library:search).
SEARCHES = [("en", "dystonia"), ("es", "distonía")]


def search_page(language, query):
    """Return the address of a search for `query`, or skip while there is none."""
    try:
        with translation.override(language):
            url = reverse("library:search")
    except NoReverseMatch:
        pytest.skip("the search page (library:search) does not exist yet")
    return f"{url}?{urlencode({'q': query})}"


def load_demo():
    loader.load_accounts()
    return loader.load_content()


@pytest.fixture
def site(transactional_db, live_server, settings):
    """The live server's base URL, serving the demo library."""
    settings.LIBRARY_PAGE_SIZE = 1
    load_demo()
    return live_server.url


def visit(page, url, status=200):
    response = page.goto(url, wait_until="load")
    assert response.status == status, url
    return response


def _axe_report(browser, url, status):
    reports = []
    with open_page(browser, PHONE, bypass_csp=True) as page:
        visit(page, url, status)
        # Colour contrast is only meaningful on the styled page.
        assert stylesheet_loaded(page), f"site.css not applied on {url}"
        for name, viewport in VIEWPORTS.items():
            # The pages have no script: resizing re-lays them out like a reload.
            page.set_viewport_size(viewport)
            violations = axe_violations(page)
            if violations:
                reports.append(f"{name} {viewport}:\n{format_violations(violations)}")
    return reports


@pytest.mark.parametrize("path", [*PAGES, *NOT_FOUND])
def test_public_page_has_no_axe_violations(browser, site, path):  # noqa: F811
    status = 404 if path in NOT_FOUND else 200
    reports = _axe_report(browser, site + path, status)
    assert not reports, f"axe violations on {path}:\n" + "\n".join(reports)


@pytest.mark.parametrize("language,query", SEARCHES)
def test_search_results_have_no_axe_violations(browser, site, language, query):  # noqa: F811
    path = search_page(language, query)
    reports = _axe_report(browser, site + path, 200)
    assert not reports, f"axe violations on {path}:\n" + "\n".join(reports)


def test_public_pages_are_valid_html(client, db, settings):
    settings.LIBRARY_PAGE_SIZE = 1
    load_demo()
    articles = [p.get_absolute_url() for p in Publication.objects.current()]
    assert ARTICLE_EN in articles and ARTICLE_ES in articles
    documents = {}
    for url in [*LISTINGS, *sorted(articles)]:
        response = client.get(url)
        assert response.status_code == 200, url
        documents[url] = response.content.decode()
    for url in NOT_FOUND:
        response = client.get(url)
        assert response.status_code == 404, url
        documents[url] = response.content.decode()
    try:
        searches = [search_page(language, query) for language, query in SEARCHES]
    except pytest.skip.Exception:
        searches = []  # the search page does not exist yet
    for url in searches:
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
#: What a printed article keeps: its sources and its credits.
PRINTED = [".references", ".references li", ".byline", "figcaption .credit", ".review"]
#: What it drops: the navigation of the site and of the page.
NOT_PRINTED = [
    ".skip-link",
    ".site-nav",
    ".language-selector",
    ".breadcrumbs",
    ".toc",
    ".site-footer",
]


def test_printed_article_keeps_references_and_credits_and_drops_navigation(
    browser,  # noqa: F811
    site,
):
    with open_page(browser, DESKTOP) as page:
        visit(page, site + ARTICLE_EN)
        assert stylesheet_loaded(page)
        on_screen = {s: page.locator(s).first.evaluate(DISPLAY) for s in NOT_PRINTED}
        page.emulate_media(media="print")
        printed = {s: page.locator(s).first.evaluate(DISPLAY) for s in NOT_PRINTED}
        kept = {s: displayed(page, s) for s in PRINTED}

    assert "none" not in [on_screen[s] for s in NOT_PRINTED if s != ".skip-link"]
    assert printed == dict.fromkeys(NOT_PRINTED, "none")
    assert kept == dict.fromkeys(PRINTED, True)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_skip_link_takes_the_keyboard_to_the_main_content(
    browser,  # noqa: F811
    site,
    viewport,
):
    with open_page(browser, viewport) as page:
        visit(page, site + ARTICLE_EN)
        page.keyboard.press("Tab")
        skip = focused(page)
        assert skip["href"] == "#main" and skip["in_view"] and skip["outline"], skip
        page.keyboard.press("Enter")
        assert page.evaluate("() => location.hash") == "#main"
        page.keyboard.press("Tab")
        after = focused(page)
    # The next Tab goes on from the main content, past the site's navigation.
    assert after["in_main"], after


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_keyboard_reaches_everything_on_the_home_page(
    browser,  # noqa: F811
    site,
    viewport,
):
    with open_page(browser, viewport) as page:
        visit(page, site + INDEX_EN)
        order = tab_through(page)
        has_search = page.locator(".search-form").count() > 0

    def first(test):
        return next((i for i, element in enumerate(order) if test(element)), None)

    reached = {
        "skip link": first(lambda e: e["href"] == "#main"),
        "A to Z": first(lambda e: e["href"] == "/en/a-z/"),
    }
    if has_search:
        reached["search box"] = first(lambda e: e["id"] == "search-q")
        reached["search button"] = first(
            lambda e: e["tag"] == "button" and "search-row" in e["classes"]
        )
    reached["letters"] = first(lambda e: e["href"] == "/en/a-z/f/")
    reached["categories"] = first(
        lambda e: (e["href"] or "").startswith("/en/categories/")
    )
    reached["articles"] = first(
        lambda e: (e["href"] or "").startswith("/en/conditions/")
    )
    assert None not in reached.values(), (reached, order)
    # In reading order: the site's links, the search, letters, categories, news.
    assert list(reached.values()) == sorted(reached.values()), reached
    # The focus is always visible: an outline that :focus-visible draws.
    unseen = [e for e in order if not (e["focus_visible"] and e["outline"])]
    assert not unseen, unseen
    assert all(e["in_view"] for e in order), [e for e in order if not e["in_view"]]


@pytest.mark.parametrize("path", ["/en/categories/brain-and-nerves/", "/en/a-z/f/"])
def test_the_keyboard_reaches_the_articles_of_a_listing(browser, site, path):  # noqa: F811
    with open_page(browser, PHONE) as page:
        visit(page, site + path)
        order = tab_through(page)
    hrefs = [e["href"] or "" for e in order]
    assert any(h.startswith("/en/conditions/") for h in hrefs), hrefs
    if "categories" in path:
        assert "/en/categories/brain-and-nerves/2/" in hrefs
    assert all(e["focus_visible"] and e["outline"] for e in order)


#: What a finger taps, in the main navigation, the letters, the categories and
#: the pagination (WCAG 2.2, 2.5.8: at least 24 by 24 CSS pixels).
TARGETS = [
    ".brand",
    ".site-nav a",
    ".language-selector a",
    ".breadcrumbs a",
    ".search-form input",
    ".search-form button",
    ".letters a",
    ".letter-index a",
    ".category-list a",
    ".categories a",
    ".pagination a",
]


def test_touch_targets_are_at_least_24_pixels_on_a_phone(browser, site):  # noqa: F811
    pages = [
        INDEX_EN,
        INDEX_ES,
        "/en/a-z/",
        "/es/a-z/d/",
        "/en/categories/brain-and-nerves/",
        "/es/categories/cerebro-y-nervios/2/",
        ARTICLE_EN,
    ]
    sizes = []
    with open_page(browser, PHONE) as page:
        for path in pages:
            visit(page, site + path)
            for selector in TARGETS:
                sizes += [
                    dict(size, page=path) for size in target_sizes(page, selector)
                ]
    checked = {size["selector"] for size in sizes}
    assert checked >= {
        ".site-nav a",
        ".letters a",
        ".category-list a",
        ".pagination a",
        ".letter-index a",
    }, checked
    small = [s for s in sizes if s["width"] < 24 or s["height"] < 24]
    assert not small, small


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
        for path in [*LISTINGS, *sorted(articles)]:
            visit(page, site + path)
            assert stylesheet_loaded(page), path
            widths[path] = page.evaluate("() => document.documentElement.scrollWidth")
    too_wide = {path: width for path, width in widths.items() if width > PHONE["width"]}
    assert not too_wide, f"wider than the {PHONE['width']}px phone: {too_wide}"
    assert not console_errors
