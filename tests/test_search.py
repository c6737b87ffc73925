"""Search in the reader's language, on real content, through the real workflow.

Real pages (the vendored extract; the sample named in tests/data/search/)
are published by the generator's code path, and readers search them
through the results page, the suggestions and the service. Runs on SQLite
(FTS5) and on PostgreSQL (full-text search) alike.
"""

import gzip
import html
import io
import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from conditions import workflow
from conditions.demo.library import generator
from conditions.demo.library.planning import DATA_FILE
from conditions.models import Publication
from library.search import service
from library.search.models import Entry, Term, Word

from .browser import (
    DESKTOP,
    PHONE,
    axe_violations,
    format_violations,
    format_vnu,
    open_page,
    stylesheet_loaded,
    vnu_errors,
)
from .factories import make_condition, make_user, publish_now

SAMPLE = Path(__file__).parent / "data" / "search"

#: Relevance on the sample's 296 queries by another name. Measured: every
#: query finds its page first, on SQLite and on PostgreSQL; on all 5,008
#: queries against all 1,327 pages (bench/search_relevance.py) 98.7% first
#: and 99.9% in the first three on both engines, the rest being mostly
#: abbreviations that several conditions share ("AIS", "TS"). The thresholds
#: leave room for such a tie in the sample.
FIRST = 0.95
FIRST_THREE = 0.98


def results(client, language, query, **params):
    response = client.get(f"/{language}/search/", {"q": query, **params})
    assert response.status_code == 200
    return response


def found_urls(response):
    """Return the result links of a results page, in order."""
    page = response.content.decode()
    block = re.search(r'<ol class="search-results".*?</ol>', page, re.S)
    if block is None:
        return []
    return re.findall(r'<h2><a href="([^"]+)">', block.group(0))


def titles_text(response):
    page = response.content.decode()
    return [
        html.unescape(re.sub(r"<[^>]+>", "", t))
        for t in re.findall(r'<h2><a href="[^"]+">(.*?)</a></h2>', page)
    ]


# ---------------------------------------------------------------- real pages


def load_sample():
    with gzip.open(DATA_FILE, "rt", encoding="utf-8") as fh:
        data = json.load(fh)
    names = {
        line.strip().casefold()
        for line in (SAMPLE / "pages.txt").read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    pages = [page for page in data["pages"] if page["name"].casefold() in names]
    queries = [
        tuple(line.split("\t"))
        for line in (SAMPLE / "queries.tsv").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return {"pages": pages, "spanish": data["spanish"]}, queries


@pytest.fixture(scope="class")
def library(django_db_setup, django_db_blocker):
    """Publish the sample once for the class (every article in every
    language, through the workflow); roll it back afterwards."""
    data, queries = load_sample()
    with django_db_blocker.unblock(), transaction.atomic():
        plans = generator.Generator(seed=3, mix={}, data=data).run(len(data["pages"]))
        by_name = {}
        for plan in plans:
            by_name.setdefault(plan.page["name"].casefold(), set()).add(
                plan.condition.pk
            )
        yield {"by_name": by_name, "queries": queries, "plans": plans}
        transaction.set_rollback(True)


def rank_of(language, query, wanted):
    _all, _total, hits = service.ranked(language, service.clean_query(query), limit=10)
    ids = [hit.condition_id for hit in hits]
    return next((i + 1 for i, cid in enumerate(ids) if cid in wanted), None)


class TestRealContent:
    """The sample of real pages, published once for these tests."""

    @pytest.mark.django_db
    def test_the_sample_is_indexed_in_every_language(self, library):
        assert len(library["plans"]) == 80
        assert Entry.objects.filter(language="en").count() == 80
        assert Entry.objects.filter(language="es").count() == 80
        # Never a draft: every entry is a live publication's.
        live = Publication.objects.current().values("pk")
        assert not Entry.objects.exclude(publication_id__in=live).exists()

    @pytest.mark.django_db
    def test_a_query_by_another_name_finds_its_page_first(self, library):
        ranks = []
        misses = []
        for query, page in library["queries"]:
            rank = rank_of("en", query, library["by_name"][page.casefold()])
            ranks.append(rank)
            if rank != 1:
                misses.append((query, page, rank))
        first = sum(1 for r in ranks if r == 1) / len(ranks)
        first_three = sum(1 for r in ranks if r is not None and r <= 3) / len(ranks)
        assert len(ranks) == 296
        assert first >= FIRST, (first, misses[:20])
        assert first_three >= FIRST_THREE, (first_three, misses[:20])

    @pytest.mark.django_db
    def test_the_page_shows_the_match_highlighted_and_escaped(self, client, library):
        response = results(client, "en", "Achondroplasia")
        assert found_urls(response)[0] == "/en/conditions/achondroplasia/"
        page = response.content.decode()
        assert "<mark>Achondroplasia</mark>" in page
        assert response["Cache-Control"] == "public, max-age=300"
        assert response["Content-Language"] == "en"

    @pytest.mark.django_db
    def test_a_misspelled_title_gets_did_you_mean_with_the_right_title(
        self, client, library
    ):
        response = results(client, "en", "achondroplazia")
        page = response.content.decode()
        assert "Did you mean" in page
        assert '<a href="/en/search/?q=Achondroplasia">Achondroplasia</a>' in page

        # The suggestion finds the article.
        again = results(client, "en", "Achondroplasia")
        assert found_urls(again)[0] == "/en/conditions/achondroplasia/"

    @pytest.mark.django_db
    def test_a_misspelled_word_is_corrected_word_by_word(self, client, library):
        response = results(client, "en", "alport syndrom kidny")
        page = response.content.decode()
        assert "Did you mean" in page
        suggestion = re.search(
            r'class="did-you-mean">.*?<a href="[^"]+">(.*?)</a>', page
        )
        assert suggestion.group(1).casefold() == "alport syndrome kidney"

    @pytest.mark.django_db
    def test_accents_typed_or_not_find_the_same_spanish_page(self, client, library):
        # The Spanish text of the sample: MedlinePlus summaries in Spanish.
        with_accents = found_urls(results(client, "es", "cáncer embarazo"))
        without = found_urls(results(client, "es", "cancer embarazo"))
        assert with_accents
        assert with_accents == without
        first = Entry.objects.get(url=with_accents[0])
        assert first.title.startswith("Cáncer en el embarazo")

        # Accents typed where the text has none.
        typed = found_urls(results(client, "es", "ácidez estómacal"))
        plain = found_urls(results(client, "es", "acidez estomacal"))
        assert typed and typed == plain
        assert Entry.objects.get(url=typed[0]).title.startswith("Acidez estomacal")
        page = results(client, "es", "cancer").content.decode()
        assert "<mark>Cáncer</mark>" in page  # the text as written, highlighted

    @pytest.mark.django_db
    def test_suggestions_are_titles_and_names_by_prefix_without_accents(
        self, client, library
    ):
        response = client.get("/es/search/suggest/", {"q": "sindrome de mu"})
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert response["Cache-Control"] == "public, max-age=300"
        suggestions = response.json()["suggestions"]
        assert suggestions
        assert suggestions[0]["name"].startswith("Síndrome de muerte infantil súbita")
        assert suggestions[0]["url"].startswith("/es/conditions/")

        # An also-called name leads to its article; one suggestion per article.
        english = client.get("/en/search/suggest/", {"q": "ACH"}).json()["suggestions"]
        assert {"name": "ACH", "title": "Achondroplasia"}.items() <= english[0].items()
        urls = [s["url"] for s in english]
        assert len(urls) == len(set(urls))
        assert client.get("/en/search/suggest/", {"q": "a"}).json()["suggestions"] == []


# ----------------------------------------- what readers can see, and only that


@pytest.mark.django_db
def test_a_draft_edit_is_not_found_until_it_is_approved(client):
    condition = make_condition(slug_en="focal-dystonia")
    publish_now(condition)
    assert found_urls(results(client, "en", "dystonia")) == [
        "/en/conditions/focal-dystonia/"
    ]
    section = condition.sections.get(position=0)
    section.body_en = "<p>Botulinum injections relax the zygomatic muscles.</p>"
    section.save()
    condition.title_en = "Focal dystonia of the hand"
    condition.save()

    assert found_urls(results(client, "en", "zygomatic")) == []
    assert found_urls(results(client, "en", "Focal dystonia of the hand")) == [
        "/en/conditions/focal-dystonia/"  # by its live title's words only
    ]
    assert "of the hand" not in results(client, "en", "dystonia").content.decode()

    publish_now(condition)
    assert found_urls(results(client, "en", "zygomatic")) == [
        "/en/conditions/focal-dystonia/"
    ]


@pytest.mark.django_db
def test_an_unpublished_article_is_not_found(client):
    condition = make_condition(slug_en="focal-dystonia", slug_es="distonia-focal")
    assert found_urls(results(client, "en", "dystonia")) == []
    publish_now(condition)
    assert found_urls(results(client, "es", "distonía")) == [
        "/es/conditions/distonia-focal/"
    ]
    editor = make_user(groups=["Editors"])
    workflow.unpublish(condition, user=editor, reason="Outdated advice")
    # In the same transaction as the unpublication, in every language.
    assert found_urls(results(client, "en", "dystonia")) == []
    assert found_urls(results(client, "es", "distonía")) == []
    assert not Entry.objects.exists()
    assert not Term.objects.exists()
    assert not Word.objects.exists()  # its vocabulary left with it
    suggestions = client.get("/en/search/suggest/", {"q": "foc"}).json()
    assert suggestions["suggestions"] == []


@pytest.mark.django_db
def test_did_you_mean_offers_only_words_of_live_articles(client):
    first = make_condition(title_en="Cluster headache", slug_en="cluster-headache")
    first.summary_en = "Headaches that come in clusters, with trigeminal pain."
    first.save()
    publish_now(first)
    second = make_condition(title_en="Trigeminal neuralgia", slug_en="neuralgia")
    publish_now(second)

    def suggestion(query):
        page = results(client, "en", query).content.decode()
        found = re.search(r'class="did-you-mean">.*?<a href="[^"]+">(.*?)</a>', page)
        return found.group(1) if found else None

    assert suggestion("trigeminl") == "trigeminal"
    assert Word.objects.get(language="en", kind="word", key="trigeminal").uses == 2
    editor = make_user(groups=["Editors"])
    workflow.unpublish(second, user=editor, reason="Merged")
    assert Word.objects.get(language="en", kind="word", key="trigeminal").uses == 1
    assert suggestion("trigeminl") == "trigeminal"
    assert suggestion("neuralgai") is None
    workflow.unpublish(first, user=editor, reason="Merged")
    assert suggestion("trigeminl") is None
    assert not Word.objects.filter(language="en").exists()


@pytest.mark.django_db
def test_each_language_searches_its_own_publications(client):
    condition = make_condition(slug_en="focal-dystonia", slug_es="distonia-focal")
    publish_now(condition)
    assert found_urls(results(client, "en", "English text")) == [
        "/en/conditions/focal-dystonia/"
    ]
    # Words of the English page only, asked in Spanish: nothing.
    assert found_urls(results(client, "es", "English uncontrolled")) == []
    assert found_urls(results(client, "es", "Texto en español")) == [
        "/es/conditions/distonia-focal/"
    ]
    assert found_urls(results(client, "en", "español movimiento")) == []


@pytest.mark.django_db
def test_a_language_without_its_translation_finds_nothing_of_it(client):
    condition = make_condition(slug_en="focal-dystonia", slug_es="distonia-focal")
    publish_now(condition, translate=False)
    assert found_urls(results(client, "en", "dystonia"))
    assert found_urls(results(client, "es", "distonía")) == []
    assert found_urls(results(client, "es", "dystonia")) == []


@pytest.mark.django_db
def test_text_is_escaped_and_only_the_highlight_is_markup(client):
    condition = make_condition(
        title_en='Lyme <script>alert("x")</script> & disease', slug_en="lyme"
    )
    section = condition.sections.get(position=0)
    section.body_en = "<p>Ticks &lt;b&gt;carry&lt;/b&gt; the Lyme bacteria.</p>"
    section.save()
    publish_now(condition)
    page = results(client, "en", "lyme").content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page
    assert "<mark>Lyme</mark>" in page
    # The text's own angle brackets are never markup (PostgreSQL's snippet
    # leaves tag-like text out; SQLite's shows it escaped).
    assert "<b>carry</b>" not in page
    assert "carry" in page


# ---------------------------------------------------------------- the page


@pytest.mark.django_db
def test_the_page_works_without_javascript(client):
    response = results(client, "en", "")
    page = response.content.decode()
    assert '<form class="search-form" role="search" action="/en/search/"' in page
    assert 'method="get"' in page
    assert 'name="q"' in page
    assert 'data-suggest="/en/search/suggest/"' in page
    # The script is a file (CSP script-src 'self'), loaded after the page.
    assert re.search(r'<script src="[^"]*search-suggest\.js" defer></script>', page)
    assert not re.search(r"<script(?![^>]*src=)[^>]*>", page)
    assert "css/search.css" in page
    assert '<meta name="robots" content="noindex">' in page


@pytest.mark.django_db
def test_nothing_found_links_to_the_letters_that_have_articles(client):
    publish_now(make_condition(title_en="Focal Dystonia", slug_en="focal-dystonia"))
    publish_now(make_condition(title_en="Ataxia", slug_en="ataxia", title_es="Ataxia"))
    page = results(client, "en", "qwertyuiop").content.decode()
    assert "No articles match “qwertyuiop”." in page
    assert "Did you mean" not in page
    browse = re.search(r'<nav class="letters search-letters".*?</nav>', page, re.S)
    letters = re.findall(r"<li><a [^>]*>([^<]+)", browse.group(0))
    assert letters == ["A", "F"]


def _publish_titled(count, word="Dystonia"):
    for n in range(count):
        condition = make_condition(
            title_en=f"{word} type {n + 1}",
            title_es=f"Distonía tipo {n + 1}",
            slug_en=f"{word.lower()}-{n + 1}",
            slug_es=f"{word.lower()}-es-{n + 1}",
            sections=2,
            references=1,
            images=0,
        )
        publish_now(condition)


@pytest.mark.django_db
def test_results_are_paginated_ten_a_page(client):
    _publish_titled(12)
    first = results(client, "en", "dystonia")
    assert len(found_urls(first)) == 10
    page = first.content.decode()
    assert "1–10 of 12 results for “dystonia”" in page
    assert 'href="/en/search/?q=dystonia&amp;page=2" rel="next"' in page
    second = results(client, "en", "dystonia", page=2)
    assert len(found_urls(second)) == 2
    assert "11–12 of 12 results" in second.content.decode()
    assert not set(found_urls(first)) & set(found_urls(second))
    assert client.get("/en/search/", {"q": "dystonia", "page": 3}).status_code == 404
    assert client.get("/en/search/", {"q": "dystonia", "page": "x"}).status_code == 200


def _queries(client, url, params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_a_search_costs_the_same_queries_at_any_library_size(client):
    """Pinned at two sizes: found, misspelled (did you mean), nothing, type-ahead."""
    counts = {}
    published = 0
    for size in (3, 12):
        _publish_titled(size - published, word=f"Dystonia{size}")
        published = size
        counts[size] = [
            _queries(client, "/en/search/", {"q": "type", "n": size}),
            _queries(client, "/en/search/", {"q": "dystonai type", "n": size}),
            _queries(client, "/en/search/", {"q": "qwertyuiop", "n": size}),
            _queries(client, "/en/search/suggest/", {"q": "dyst", "n": size}),
        ]
    assert counts[3] == counts[12]
    # One query reads the invalidation sequence (the cache's epoch), one
    # searches; with no article having every word, one more looks for any of
    # them; "did you mean" reads close names and words; the A–Z letters when
    # nothing is found.
    assert counts[3] == [2, 5, 5, 2]


@pytest.mark.django_db
def test_the_site_cache_keeps_results_until_the_next_publication(client):
    publish_now(make_condition(title_en="Focal Dystonia", slug_en="focal-dystonia"))
    assert len(found_urls(results(client, "en", "ataxia"))) == 0
    with CaptureQueriesContext(connection) as captured:
        assert len(found_urls(results(client, "en", "ataxia"))) == 0
    assert len(captured) <= 1  # from the cache (the epoch check only)
    publish_now(make_condition(title_en="Ataxia", slug_en="ataxia"))
    assert found_urls(results(client, "en", "ataxia")) == ["/en/conditions/ataxia/"]


@pytest.mark.django_db
def test_rebuild_search_index_rebuilds_it_with_a_summary(client):
    publish_now(make_condition(slug_en="focal-dystonia"))
    before = sorted(Entry.objects.values_list("condition_id", "language", "title"))
    Entry.objects.all().delete()
    assert found_urls(results(client, "en", "dystonia", n=1)) == []
    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out, stderr=io.StringIO())
    assert "Indexed 2 publications (en: 1, es: 1)" in out.getvalue()
    after = sorted(Entry.objects.values_list("condition_id", "language", "title"))
    assert after == before
    assert found_urls(results(client, "en", "dystonia", n=2)) == [
        "/en/conditions/focal-dystonia/"
    ]


# ---------------------------------------------------------------- in a browser


def _publish_demo_like():
    condition = make_condition(
        title_en="Focal Dystonia", slug_en="focal-dystonia", slug_es="distonia-focal"
    )
    publish_now(condition)
    publish_now(make_condition(title_en="Ataxia", slug_en="ataxia", title_es="Ataxia"))


@pytest.mark.browser
def test_suggestions_work_by_keyboard_under_the_real_policy(
    browser, live_server, transactional_db
):
    _publish_demo_like()
    console = []
    with open_page(browser, DESKTOP) as page:  # the real CSP: script-src 'self'
        page.on("console", lambda m: m.type == "error" and console.append(m.text))
        page.on("pageerror", lambda error: console.append(str(error)))
        page.goto(live_server.url + "/en/search/?q=dystonia", wait_until="load")
        assert stylesheet_loaded(page, "search.css")
        box = page.locator("#search-page-q")
        assert box.get_attribute("role") == "combobox"
        assert box.get_attribute("aria-expanded") == "false"
        listbox = page.locator("#" + box.get_attribute("aria-controls"))
        assert listbox.get_attribute("role") == "listbox"

        box.fill("")
        box.press_sequentially("foc")
        options = listbox.locator("[role=option]")
        options.first.wait_for(state="visible")
        assert options.first.inner_text().startswith("Focal Dystonia")
        assert box.get_attribute("aria-expanded") == "true"

        box.press("ArrowDown")
        first = options.first
        assert first.get_attribute("aria-selected") == "true"
        assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")

        box.press("Escape")
        assert listbox.is_hidden()
        assert box.get_attribute("aria-expanded") == "false"
        assert box.get_attribute("aria-activedescendant") is None

        box.press("ArrowDown")
        assert listbox.is_visible()
        box.press("Enter")
        page.wait_for_url("**/en/conditions/focal-dystonia/")

        # Without a chosen suggestion, Enter submits the form as usual.
        page.goto(live_server.url + "/en/search/", wait_until="load")
        box = page.locator("#search-page-q")
        box.press_sequentially("ataxia")
        page.locator("[role=option]").first.wait_for(state="visible")
        box.press("Enter")
        page.wait_for_url("**/en/search/?q=ataxia")
        assert page.locator(".search-results a").first.inner_text() == "Ataxia"
    assert not console, console


@pytest.mark.browser
def test_the_results_page_and_its_suggestions_have_no_axe_violations(
    browser, live_server, transactional_db
):
    _publish_demo_like()
    reports = []
    with open_page(browser, PHONE, bypass_csp=True) as page:
        for query in ("dystonia", "distonia xyz", "qwertyuiop"):
            page.goto(live_server.url + "/en/search/?q=" + query, wait_until="load")
            assert stylesheet_loaded(page, "search.css")
            violations = axe_violations(page)
            if violations:
                reports.append(f"{query}:\n{format_violations(violations)}")
        box = page.locator("#search-page-q")
        box.fill("")
        box.press_sequentially("foc")
        page.locator("[role=option]").first.wait_for(state="visible")
        box.press("ArrowDown")
        violations = axe_violations(page)
        if violations:
            reports.append(f"suggestions open:\n{format_violations(violations)}")
    assert not reports, "\n".join(reports)


def test_the_results_page_is_valid_html(client, db):
    _publish_demo_like()
    documents = {
        query: client.get("/en/search/", {"q": query}).content.decode()
        for query in ("", "dystonia", "dystonai", "qwertyuiop")
    }
    errors = vnu_errors(documents)
    assert not errors, format_vnu(errors)
