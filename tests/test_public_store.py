"""Public pages are rendered once, stored, cached, and never served stale.

Each trigger that changes what readers see (a publication, an update, a
translation, unpublishing, expiry, the disclaimer) is tested from the
reader's side: the next request shows the change. Conditional GETs answer
304; the purge backend is told the changed addresses; a page rendered from
data that changed meanwhile is not kept.
"""

import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conditions import versioning, workflow
from conditions.models import Condition, Disclaimer, Section
from library import store
from library.models import Page
from library.pages.article import render_article, tag

from .factories import make_condition, make_user, publish_now, translate_now


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def edit_and_publish(condition, **fields):
    Condition.objects.filter(pk=condition.pk).update(**fields)
    condition = Condition.objects.get(pk=condition.pk)
    return publish_now(condition)


@pytest.fixture
def article(db):
    condition = make_condition(
        title_en="Focal Dystonia", slug_en="focal-dystonia", slug_es="distonia-focal"
    )
    publish_now(condition)
    return condition


def test_a_page_is_stored_once_and_then_served_from_its_bytes(client, article):
    url = "/en/conditions/focal-dystonia/"
    first = page(client, url)
    stored = Page.objects.get(path=url)
    assert bytes(stored.body).decode() == first
    assert {t.tag for t in stored.tags.all()} >= {tag(article.pk), "disclaimer"}
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert page(client, url) == first
    assert len(queries) == 1 and "library_page" in queries[0]["sql"]


def test_made_up_query_strings_are_served_but_never_fill_the_cache(client, article):
    cache.clear()
    home = page(client, "/en/")
    variants = []
    for n in range(3):
        variants += [
            f"/en/?utm_source=x{n}",
            f"/en/conditions/focal-dystonia/?n={n}",
            f"/en/search/?q=dystonia&junk={n}",
        ]
        assert page(client, variants[-3]) == home
    for path in variants:
        assert client.get(path).status_code == 200
        assert store.cached(path) is None, path
    # Their own addresses are cached: a page, a search, a letter (encoded).
    for path in ("/en/", "/en/search/?q=dystonia", "/es/a-z/d/"):
        assert client.get(path).status_code == 200
        assert store.cached(path) is not None, path


def test_conditional_get_answers_304_with_etag_and_last_modified(client, article):
    url = "/en/conditions/focal-dystonia/"
    response = client.get(url)
    etag, modified = response["ETag"], response["Last-Modified"]
    assert etag.startswith('"') and modified
    assert "public" in response["Cache-Control"]
    assert response["Content-Language"] == "en"
    for headers in (
        {"HTTP_IF_NONE_MATCH": etag},
        {"HTTP_IF_MODIFIED_SINCE": modified},
    ):
        for _cached in (False, True):  # from the database, then the cache
            again = client.get(url, **headers)
            assert again.status_code == 304, headers
            assert again.content == b""
    assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_an_update_is_served_at_the_next_request(client, article):
    url = "/en/conditions/focal-dystonia/"
    assert "Revised advice" not in page(client, url)
    Section.objects.filter(condition=article, position=0).update(
        body_en="<p>Revised advice.</p>"
    )
    publish_now(Condition.objects.get(pk=article.pk))
    assert "Revised advice" in page(client, url)


def test_a_new_article_joins_the_a_to_z_and_related_pages(client, article):
    other = make_condition(title_en="Tremor", slug_en="tremor", slug_es="temblor")
    article.related.add(other)
    publish_now(Condition.objects.get(pk=article.pk))
    home = page(client, "/en/")
    article_page = page(client, "/en/conditions/focal-dystonia/")
    assert "Tremor" not in home and "/en/conditions/tremor/" not in article_page

    publish_now(other)

    assert "Tremor" in page(client, "/en/")
    assert 'href="/en/conditions/tremor/"' in page(
        client, "/en/conditions/focal-dystonia/"
    )


def test_a_renamed_article_is_renamed_on_the_pages_that_link_to_it(client, article):
    other = make_condition(title_en="Tremor", slug_en="tremor", slug_es="temblor")
    publish_now(other)
    article.related.add(other)
    publish_now(Condition.objects.get(pk=article.pk))
    assert ">Tremor<" in page(client, "/en/conditions/focal-dystonia/")

    edit_and_publish(other, title_en="Essential Tremor")

    html = page(client, "/en/conditions/focal-dystonia/")
    assert ">Essential Tremor<" in html and ">Tremor<" not in html
    assert "Essential Tremor" in page(client, "/en/")


def test_a_new_translation_appears_in_the_other_pages_language_selector(client, db):
    condition = make_condition(slug_en="asthma", title_es="", slug_es="")
    publish_now(condition)
    assert 'hreflang="es"' not in page(client, "/en/conditions/asthma/")

    Condition.objects.filter(pk=condition.pk).update(title_es="Asma", slug_es="asma")
    translate_now(Condition.objects.get(pk=condition.pk))

    assert 'href="/es/conditions/asma/" hreflang="es"' in page(
        client, "/en/conditions/asthma/"
    )


def test_unpublishing_removes_the_article_everywhere(client, article):
    other = make_condition(title_en="Tremor", slug_en="tremor", slug_es="temblor")
    other.related.add(article)
    publish_now(other)
    assert "Focal Dystonia" in page(client, "/en/")
    assert "/en/conditions/focal-dystonia/" in page(client, "/en/conditions/tremor/")

    workflow.unpublish(
        article, user=make_user(groups=["Editors"]), reason="Outdated advice"
    )

    assert client.get("/en/conditions/focal-dystonia/").status_code == 404
    assert client.get("/es/conditions/distonia-focal/").status_code == 404
    assert "Focal Dystonia" not in page(client, "/en/")
    assert "/en/conditions/focal-dystonia/" not in page(
        client, "/en/conditions/tremor/"
    )


def test_an_expired_article_is_gone_at_the_next_request(client, article):
    url = "/en/conditions/focal-dystonia/"
    page(client, url)
    editor = make_user(groups=["Editors"])
    workflow.set_expiry(article, user=editor, expire_at=timezone.now())

    workflow.publish_scheduled(now=timezone.now() + timedelta(seconds=1))

    assert client.get(url).status_code == 404
    assert "Focal Dystonia" not in page(client, "/en/")


def test_a_changed_disclaimer_is_on_every_article_page_at_the_next_request(
    client, article
):
    disclaimer = Disclaimer.objects.create(
        text_en="Old disclaimer.", text_es="Aviso antiguo."
    )
    assert "Old disclaimer." in page(client, "/en/conditions/focal-dystonia/")
    assert "Aviso antiguo." in page(client, "/es/conditions/distonia-focal/")

    disclaimer.text_en = "New disclaimer."
    disclaimer.text_es = "Aviso nuevo."
    disclaimer.save()

    assert "New disclaimer." in page(client, "/en/conditions/focal-dystonia/")
    assert "Aviso nuevo." in page(client, "/es/conditions/distonia-focal/")


def test_publication_renders_the_article_pages_after_the_commit(
    article, django_capture_on_commit_callbacks
):
    Page.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        edit_and_publish(article, title_en="Focal Dystonia (updated)")
    assert set(Page.objects.values_list("path", flat=True)) == {
        "/en/conditions/focal-dystonia/",
        "/es/conditions/distonia-focal/",
    }
    english = bytes(Page.objects.get(path="/en/conditions/focal-dystonia/").body)
    assert b"Focal Dystonia (updated)" in english


def test_a_page_rendered_while_its_data_changed_is_not_kept(article):
    """The race: a request renders from the old data, a publication commits
    and invalidates, then the request stores what it rendered."""
    url = "/en/conditions/focal-dystonia/"
    start = store.sequence()
    stale = render_article("en", "focal-dystonia")
    store.invalidate({tag(article.pk)})  # the publication, meanwhile

    store.keep(url, stale, start)

    assert not Page.objects.filter(path=url).exists()
    # Rendered after the change, it is kept.
    store.keep(url, render_article("en", "focal-dystonia"), store.sequence())
    assert Page.objects.filter(path=url).exists()


def test_drafts_never_reach_a_stored_page(client, article):
    url = "/en/conditions/focal-dystonia/"
    page(client, url)
    Section.objects.filter(condition=article).update(body_en="<p>Draft words.</p>")
    condition = Condition.objects.get(pk=article.pk)
    versioning.save_revision(condition, user=make_user(), comment="Draft")
    call_command("render_pages", verbosity=0)
    assert "Draft words" not in page(client, url)
    assert not any(b"Draft words" in bytes(p.body) for p in Page.objects.all())


def test_render_pages_renders_every_page_again(client, article, capsys):
    page(client, "/en/")
    Page.objects.update(body=b"an old template")

    call_command("render_pages")

    out = capsys.readouterr().out
    paths = set(Page.objects.values_list("path", flat=True))
    assert f"Rendered {len(paths)} pages (2 article pages" in out
    assert {
        "/en/conditions/focal-dystonia/",
        "/es/conditions/distonia-focal/",
        "/en/",
        "/es/",
    } <= paths
    assert not Page.objects.filter(body=b"an old template").exists()
    assert "Focal Dystonia" in page(client, "/en/")


# The purge backend --------------------------------------------------------------


class _Recorder(BaseHTTPRequestHandler):
    received = []

    def do_PURGE(self):  # noqa: N802 (the HTTP method's name)
        _Recorder.received.append((self.path, self.headers.get("Authorization")))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def purge_server():
    _Recorder.received = []
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", _Recorder.received
    finally:
        server.shutdown()
        server.server_close()


def test_http_purge_tells_the_cache_in_front_which_addresses_changed(
    client, article, purge_server, django_capture_on_commit_callbacks
):
    address, received = purge_server
    unrelated = make_condition(title_en="Tremor", slug_en="tremor", slug_es="temblor")
    publish_now(unrelated)
    for url in (
        "/en/conditions/focal-dystonia/",
        "/es/conditions/distonia-focal/",
        "/en/",
        "/en/conditions/tremor/",
    ):
        page(client, url)

    with override_settings(
        PURGE_BACKEND="library.purge.HttpPurge", PURGE_URL=address, PURGE_TOKEN="s3"
    ):
        with django_capture_on_commit_callbacks(execute=True):
            edit_and_publish(article, title_en="Focal Dystonia (updated)")

    purged = {path for path, _auth in received}
    assert {
        "/en/conditions/focal-dystonia/",
        "/es/conditions/distonia-focal/",
        "/en/",
    } <= purged
    assert "/en/conditions/tremor/" not in purged  # precisely: not unrelated pages
    assert {auth for _path, auth in received} == {"Bearer s3"}


def test_a_purge_that_fails_never_undoes_the_publication(
    client, article, django_capture_on_commit_callbacks, caplog
):
    with override_settings(
        PURGE_BACKEND="library.purge.HttpPurge", PURGE_URL="http://127.0.0.1:9/"
    ):
        page(client, "/en/conditions/focal-dystonia/")
        with django_capture_on_commit_callbacks(execute=True):
            edit_and_publish(article, title_en="Focal Dystonia (updated)")
    assert "Focal Dystonia (updated)" in page(client, "/en/conditions/focal-dystonia/")
    assert "Could not purge" in caplog.text


@pytest.mark.parametrize(
    "url",
    [
        "/en/conditions/focal-dystonia/",
        "/es/conditions/distonia-focal/",
        "/en/",
        "/es/",
        "/en/a-z/",
        "/en/a-z/f/",
        "/en/feed/",
        "/api/v1/conditions/focal-dystonia/?lang=es",
        "/api/v1/conditions/focal-dystonia/",
        "/api/v1/conditions/",
        "/sitemap.xml",
    ],
)
def test_a_stored_page_on_the_short_path_has_the_headers_of_the_whole_stack(
    client, article, url
):
    """On a cache miss, a stored page in a language skips the rest of the
    stack (library/middleware.py); readers must not see the difference."""
    whole = client.get(url)  # rendered through the view, and stored
    assert whole.status_code == 200
    assert hasattr(whole.wsgi_request, "session")  # went through the stack
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)
    assert again.status_code == 200
    assert again.content == whole.content
    # Date-like headers aside, the same headers with the same values.
    ignore = {"date", "expires"}
    assert {k: v for k, v in again.headers.items() if k.lower() not in ignore} == {
        k: v for k, v in whole.headers.items() if k.lower() not in ignore
    }
    # One query either way: the view uses the short path's lookup.
    assert len(queries) == 1
    if not hasattr(again.wsgi_request, "session"):
        # The short path: it answered before sessions, CSRF and the view.
        policy = again["Content-Security-Policy"]
        directives = {part.strip() for part in policy.split(";")}
        assert "script-src 'self'" in directives and "nonce" not in policy
        assert again["X-Frame-Options"] == "DENY"


def test_pages_in_a_language_take_the_short_path_and_query_strings_do_not(
    client, article
):
    url = "/en/conditions/focal-dystonia/"
    client.get(url)
    cache.clear()
    assert not hasattr(client.get(url).wsgi_request, "session")
    cache.clear()
    assert hasattr(client.get(url + "?utm=x").wsgi_request, "session")
    # A conditional request on the short path is answered 304.
    cache.clear()
    etag = client.get(url)["ETag"]
    cache.clear()
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_the_short_path_never_serves_an_unpublished_page(client, article):
    url = "/en/conditions/focal-dystonia/"
    client.get(url)
    workflow.unpublish(article, user=make_user(groups=["Editors"]), reason="Withdrawn.")
    cache.clear()
    assert client.get(url).status_code == 404


def test_without_a_page_cache_every_request_is_one_query(client, article):
    url = "/en/conditions/focal-dystonia/"
    first = page(client, url)
    dummy = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    with override_settings(CACHES=dummy):
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                assert page(client, url) == first
            assert len(queries) == 1 and "library_page" in queries[0]["sql"]


def test_the_lookup_reads_the_same_page_whether_or_not_queries_are_logged(
    client, article
):
    """On PostgreSQL an unlogged lookup reads binary results through
    psycopg (store._fetch_row); it must give what Django's cursor gives."""
    url = "/en/conditions/focal-dystonia/"
    page(client, url)
    fast = store.lookup(url)
    with CaptureQueriesContext(connection) as queries:
        logged = store.lookup(url)
    assert len(queries) == 1
    assert fast == logged
    assert isinstance(fast["body"], bytes) and fast["body"].startswith(b"<!")
    assert fast["last_modified"].tzinfo is not None
    assert store.lookup("/en/conditions/no-such-page/") is None
