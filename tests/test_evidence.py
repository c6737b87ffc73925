"""Evidence: references shared across articles, duplicates, merging, links."""

import io
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from conditions.evidence import duplicates, links, merge, usage
from conditions.models import ConditionReference, Reference

from .factories import make_author, make_condition, make_reference, make_user

pytestmark = pytest.mark.django_db


def _cite(condition, reference, position):
    return ConditionReference.objects.create(
        condition=condition, reference=reference, position=position
    )


def _editor():
    return make_user(groups=["Editors"])


# Where used ---------------------------------------------------------------


def test_where_used_lists_every_article_citing_a_reference():
    shared = make_reference(title="Shared evidence")
    first = make_condition(title_en="Alpha", references=0)
    second = make_condition(title_en="Beta", references=1)
    _cite(first, shared, 0)
    _cite(second, shared, 5)
    make_condition(title_en="Gamma", references=1)

    assert [c.condition.title_en for c in usage.citations_of(shared)] == [
        "Alpha",
        "Beta",
    ]
    counted = usage.with_citation_counts().get(pk=shared.pk)
    assert counted.citation_count == 2


# Duplicates ---------------------------------------------------------------


def _groups():
    return {
        frozenset(group.ids): group.reasons for group in duplicates.find_duplicates()
    }


def test_duplicates_by_doi_ignore_case_and_the_resolver_prefix():
    a = make_reference(title="One title", doi="10.1000/ABC.123")
    b = make_reference(title="Quite another", doi="https://doi.org/10.1000/abc.123")
    make_reference(title="Unrelated", doi="10.1000/abc.124")

    assert _groups() == {frozenset({a.pk, b.pk}): {"doi"}}


def test_duplicates_by_pmid():
    a = make_reference(title="First form of the title", pmid="29086067")
    b = make_reference(title="Second spelling entirely", pmid="29086067")
    make_reference(title="Else", pmid="29086068")

    assert _groups() == {frozenset({a.pk, b.pk}): {"pmid"}}


def test_duplicates_by_near_identical_title():
    # Without identifiers: titles are all there is to compare.
    a = make_reference(
        title="Focal dystonia: diagnosis and treatment in adults", doi=""
    )
    b = make_reference(
        title="focal dystonia - diagnosis and treatment in adults.", doi=""
    )
    c = make_reference(
        title="Focal dystonia: diagnosis and treatmnet in adults", doi=""
    )
    # Different works whose titles differ by a number or by a few words.
    make_reference(title="Global burden of dystonia, 2019 update", doi="")
    make_reference(title="Global burden of dystonia, 2020 update", doi="")
    make_reference(title="Focal dystonia: diagnosis and treatment in children", doi="")

    assert _groups() == {frozenset({a.pk, b.pk, c.pk}): {"title"}}


def test_same_title_with_different_dois_is_not_a_duplicate():
    make_reference(title="Erratum-prone article on dystonia", doi="10.1000/a")
    make_reference(title="Erratum-prone article on dystonia", doi="10.1000/b")

    assert _groups() == {}


# Merging ------------------------------------------------------------------


def test_merge_keeps_every_citation_and_one_per_article():
    kept = make_reference(title="Dystonia overview", doi="")
    duplicate = make_reference(
        title="Dystonia overview.", doi="10.1000/dys", url="https://example.org/d"
    )
    both = make_condition(title_en="Cites both", references=0)
    _cite(both, duplicate, 0)
    _cite(both, make_reference(), 1)
    _cite(both, kept, 2)
    only_duplicate = make_condition(title_en="Cites the duplicate", references=0)
    _cite(only_duplicate, duplicate, 3)
    only_kept = make_condition(title_en="Cites the kept one", references=0)
    _cite(only_kept, kept, 0)
    editor = _editor()

    changed = merge.merge_references(keep=kept, others=[duplicate.pk], user=editor)

    assert changed == sorted([both.pk, only_duplicate.pk])
    assert not Reference.objects.filter(pk=duplicate.pk).exists()
    # The article that cited both keeps one citation, at the earlier position.
    assert list(both.condition_references.values_list("reference_id", "position")) == [
        (kept.pk, 0),
        (ConditionReference.objects.get(condition=both, position=1).reference_id, 1),
    ]
    assert list(
        only_duplicate.condition_references.values_list("reference_id", "position")
    ) == [(kept.pk, 3)]
    assert list(only_kept.condition_references.values_list("reference_id")) == [
        (kept.pk,)
    ]
    # Empty fields of the kept reference are filled from the duplicate.
    kept.refresh_from_db()
    assert (kept.doi, kept.url) == ("10.1000/dys", "https://example.org/d")
    # Each changed article's history shows the merge, by whom.
    for condition in (both, only_duplicate):
        version = Version.objects.get_for_object(condition).first()
        assert version.revision.comment.startswith("References merged")
        assert version.revision.user == editor
    assert not Version.objects.get_for_object(only_kept).exists()


def test_an_author_may_not_merge_references():
    kept = make_reference(title="Kept")
    duplicate = make_reference(title="Duplicate")
    condition = make_condition(references=0)
    _cite(condition, duplicate, 0)

    with pytest.raises(PermissionDenied):
        merge.merge_references(keep=kept, others=[duplicate.pk], user=make_author())

    assert Reference.objects.filter(pk=duplicate.pk).exists()
    assert condition.condition_references.get().reference_id == duplicate.pk


# Link checking ------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    """A 200, a 404, a 301 to the 200, a slow page, a server refusing HEAD."""

    _counted = False

    def _answer(self):
        cls = self.server  # what this server saw: requests, most at once
        with cls.lock:
            cls.in_flight += 1
            cls.most_in_flight = max(cls.most_in_flight, cls.in_flight)
            cls.requests.append((self.command, self.path, self.headers["User-Agent"]))
        self._counted = True
        try:
            if self.path == "/ok" or self.path.startswith("/ok?"):
                self._status(200)
            elif self.path == "/missing":
                self._status(404)
            elif self.path == "/moved":
                self.send_response(301)
                self.send_header("Location", "/ok")
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif self.path == "/slow":
                time.sleep(1.5)
                self._status(200)
            elif self.path == "/no-head":
                self._status(405 if self.command == "HEAD" else 200)
            elif self.path.startswith("/pause"):
                time.sleep(0.05)
                self._status(200)
            else:
                self._status(500)
        finally:
            self._answered()

    def _answered(self):
        # Out of flight once the answer starts: the client may send its next
        # request as soon as it has read this one, before this thread ends.
        if self._counted:
            self._counted = False
            with self.server.lock:
                self.server.in_flight -= 1

    def send_response(self, *args, **kwargs):
        self._answered()
        super().send_response(*args, **kwargs)

    def _status(self, code):
        body = b"hello"
        self.send_response(code)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            try:
                self.wfile.write(body)
            except OSError:
                pass

    do_HEAD = do_GET = _answer

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    httpd.lock = threading.Lock()
    httpd.requests, httpd.in_flight, httpd.most_in_flight = [], 0, 0
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    httpd.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_check_references_records_status_redirects_and_timeouts(server):
    ok = make_reference(url=f"{server.url}/ok")
    missing = make_reference(url=f"{server.url}/missing")
    moved = make_reference(url=f"{server.url}/moved")
    slow = make_reference(url=f"{server.url}/slow")
    no_head = make_reference(url=f"{server.url}/no-head")
    unchecked = make_reference(url="")
    revisions = Version.objects.count()
    out, err = io.StringIO(), io.StringIO()

    call_command(
        "check_references", "--timeout=0.5", "--rate=100", stdout=out, stderr=err
    )

    for reference in (ok, missing, moved, slow, no_head, unchecked):
        reference.refresh_from_db()
    assert (ok.link_status, ok.link_final_url, ok.link_error) == (200, "", "")
    assert (missing.link_status, missing.link_error) == (404, "")
    assert (moved.link_status, moved.link_final_url) == (200, f"{server.url}/ok")
    assert (slow.link_status, slow.link_error) == (None, "timeout")
    assert (no_head.link_status, no_head.link_error) == (200, "")
    assert all(
        r.link_checked_at is not None for r in (ok, missing, moved, slow, no_head)
    )
    assert unchecked.link_checked_at is None
    # A refused HEAD is asked again with GET; every request says who asks.
    assert ("GET", "/no-head") in [(m, p) for m, p, _agent in server.requests]
    assert {agent for _m, _p, agent in server.requests} == {links.USER_AGENT}
    # Recorded with update(): a link check is not an edit.
    assert Version.objects.count() == revisions
    assert set(links.broken().values_list("pk", flat=True)) == {missing.pk, slow.pk}
    assert "5 links checked: 2 broken, 1 redirected." in err.getvalue()
    assert f"{missing.pk}\t404\t{server.url}/missing" in out.getvalue()


def test_check_references_asks_one_host_one_request_at_a_time(server):
    for number in range(6):
        make_reference(url=f"{server.url}/pause?{number}")

    results = list(links.check_links(links.to_check(), timeout=5, rate=0, workers=4))

    assert len(results) == 6
    assert server.most_in_flight == 1


def test_only_broken_and_older_than_choose_what_is_checked_again(server):
    good = make_reference(url=f"{server.url}/ok")
    bad = make_reference(url=f"{server.url}/missing")
    call_command("check_references", "--rate=100", "--verbosity=0")

    assert list(links.to_check(only_broken=True)) == [bad]
    assert list(links.to_check(older_than=1)) == []
    assert set(links.to_check()) == {good, bad}


# Screens ------------------------------------------------------------------


def _cited_library(articles):
    """Add articles, each citing a reference of its own and a shared one."""
    shared = Reference.objects.filter(title="Shared across the library").first()
    shared = shared or make_reference(title="Shared across the library")
    for _number in range(articles):
        condition = make_condition(references=1, images=0, sections=1)
        _cite(condition, shared, 9)
    return shared


def test_the_reference_list_counts_citations_in_constant_queries(
    client, django_assert_max_num_queries
):
    client.force_login(_editor())
    url = reverse("admin:conditions_reference_changelist")
    shared = _cited_library(2)
    client.get(url)
    with django_assert_max_num_queries(20) as small:
        response = client.get(url)
    assert response.status_code == 200
    _cited_library(6)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    counted = {row.pk: row.citation_count for row in response.context["cl"].result_list}
    assert counted[shared.pk] == 8


def test_the_reference_page_shows_the_articles_citing_it(client):
    shared = make_reference(title="Shared evidence")
    first = make_condition(title_en="Alpha", references=0)
    _cite(first, shared, 0)
    client.force_login(make_author())

    response = client.get(
        reverse("admin:conditions_reference_change", args=[shared.pk])
    )

    page = response.content.decode()
    assert reverse("admin:conditions_condition_change", args=[first.pk]) in page
    assert "Alpha" in page and "(Draft)" in page


def test_duplicates_screen_lists_groups_and_an_editor_merges_one(client):
    kept = make_reference(title="Same work", pmid="123")
    duplicate = make_reference(title="Same work, another entry", pmid="123")
    condition = make_condition(references=0)
    _cite(condition, duplicate, 0)
    client.force_login(_editor())
    url = reverse("admin:conditions_reference_duplicates")

    response = client.get(url)
    assert response.context["groups"][0]["key"] == f"{kept.pk}-{duplicate.pk}"
    assert "Merge into this one" in response.content.decode()

    response = client.post(
        url, {"keep": kept.pk, "group": f"{kept.pk}-{duplicate.pk}"}, follow=True
    )
    assert "References merged" in response.content.decode()
    assert condition.condition_references.get().reference_id == kept.pk
    assert not Reference.objects.filter(pk=duplicate.pk).exists()


def test_an_author_sees_duplicates_but_may_not_merge_them(client):
    kept = make_reference(title="Same work", pmid="123")
    duplicate = make_reference(title="Same work, another entry", pmid="123")
    client.force_login(make_author())
    url = reverse("admin:conditions_reference_duplicates")

    response = client.get(url)
    assert response.status_code == 200
    assert "Merge into this one" not in response.content.decode()

    response = client.post(url, {"keep": kept.pk, "group": f"{kept.pk}-{duplicate.pk}"})
    assert response.status_code == 403
    assert Reference.objects.filter(pk=duplicate.pk).exists()


def test_a_translator_may_not_merge_references_either(client):
    from .factories import make_translator

    kept = make_reference(title="Same work", pmid="123")
    duplicate = make_reference(title="Same work, another entry", pmid="123")
    client.force_login(make_translator())

    response = client.post(
        reverse("admin:conditions_reference_duplicates"),
        {"keep": kept.pk, "group": f"{kept.pk}-{duplicate.pk}"},
    )

    assert response.status_code == 403
    assert Reference.objects.count() == 2


def _break(reference, status=404, error=""):
    Reference.objects.filter(pk=reference.pk).update(
        link_status=status, link_error=error, link_checked_at=timezone.now()
    )


def test_broken_links_show_on_the_dashboard_with_the_articles_citing_them(
    client, django_assert_max_num_queries
):
    client.force_login(_editor())
    url = reverse("admin:conditions_reference_broken_links")
    shared = _cited_library(2)
    _break(shared)
    fine = make_reference(url="https://example.org/fine")
    _break(fine, status=200)

    home = client.get(reverse("admin:index")).content.decode()
    assert url in home
    client.get(url)
    with django_assert_max_num_queries(20) as small:
        response = client.get(url)
    rows = response.context["rows"]
    assert [row["reference"].pk for row in rows] == [shared.pk]
    assert len(rows[0]["articles"]) == 2

    for number in range(5):
        condition = make_condition(references=0, images=0, sections=1)
        unreachable = make_reference(url=f"https://example.org/{number}")
        _cite(condition, unreachable, 0)
        _break(unreachable, status=None, error="timeout")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert len(response.context["rows"]) == 6
    assert "timeout" in response.content.decode()


def test_the_duplicates_screen_costs_the_same_queries_with_more_groups(
    client, django_assert_max_num_queries
):
    client.force_login(_editor())
    url = reverse("admin:conditions_reference_duplicates")

    def add_group(number):
        condition = make_condition(references=0, images=0, sections=1)
        for copy in range(2):
            _cite(condition, make_reference(pmid=str(1000 + number)), copy)

    add_group(0)
    client.get(url)
    with django_assert_max_num_queries(20) as small:
        client.get(url)
    for number in range(1, 6):
        add_group(number)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert len(response.context["groups"]) == 6
