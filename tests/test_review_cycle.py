"""The review cycle: next-review dates, re-confirming an unchanged article,
the "Due for review" lists and screen, the weekly digest and the public
overdue notice."""

import itertools
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from conditions import versioning, workflow
from conditions.models import (
    AuditEntry,
    Condition,
    ConditionContributor,
    Contributor,
    Image,
    Publication,
    ReviewRequest,
    Section,
)
from conditions.workflow import checks, due
from library.models import Page

from .factories import (
    make_author,
    make_condition,
    make_reviewer,
    make_translator,
    make_user,
    publish_now,
)

Status = Condition.Status
State = ReviewRequest.State
THREE_YEARS = timedelta(days=3 * 365)


def today():
    return timezone.localdate()


def reload(obj):
    return type(obj).objects.get(pk=obj.pk)


def live(condition):
    return {
        p.language: p for p in Publication.objects.current().filter(condition=condition)
    }


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def small(**fields):
    return make_condition(sections=1, references=1, images=0, **fields)


def due_on(condition, days):
    """Move the article's live review dates as if time had passed."""
    Publication.objects.current().filter(condition=condition).update(
        next_review_on=today() + timedelta(days=days),
        reviewed_at=timezone.now() + timedelta(days=days) - THREE_YEARS,
    )


def edit(condition, user, text):
    Section.objects.filter(condition=condition).update(body_en=f"<p>{text}</p>")
    condition = Condition.objects.get(pk=condition.pk)
    workflow.note_edit(condition, user=user)
    versioning.save_revision(condition, user=user, comment=text)
    return condition


# The next-review date -----------------------------------------------------------


def test_approval_sets_the_next_review_from_the_setting(db, settings):
    settings.REVIEW_INTERVAL_DAYS = 3 * 365
    condition = small()
    publications = publish_now(condition)
    assert {p.next_review_on for p in publications} == {today() + THREE_YEARS}


def test_an_articles_own_interval_overrides_the_setting(db):
    condition = small(review_interval_days=365)
    publications = publish_now(condition)
    assert {p.next_review_on for p in publications} == {today() + timedelta(days=365)}


def test_the_interval_is_on_the_article_change_form(admin_client, db):
    condition = small()
    url = reverse("admin:conditions_condition_change", args=[condition.pk])
    assert 'name="review_interval_days"' in admin_client.get(url).content.decode()


# Re-confirming an unchanged article ------------------------------------------------


def test_reconfirm_renews_the_dates_in_every_language_and_on_the_public_page(
    client, db
):
    condition = small(slug_en="focal-dystonia", slug_es="distonia-focal")
    first = make_reviewer(name="Daniel A. Ostrovsky", credentials="MD")
    publish_now(condition, reviewer=first)
    due_on(condition, -10)  # three years later, ten days overdue
    before = live(condition)
    publications = Publication.objects.count()
    page(client, "/en/conditions/focal-dystonia/")  # stored with the old dates
    second = make_reviewer(name="Grace Okafor", credentials="MD, PhD")

    request = workflow.reconfirm(condition, user=second, comment="Still accurate.")

    request = reload(request)
    assert request.state == State.PUBLISHED
    assert request.revision_id == request.base_revision_id == before["en"].revision_id
    assert (request.decided_by, request.submitted_by) == (second, second)
    assert request.note == "Still accurate."
    entry = AuditEntry.objects.get(action="reconfirmed")
    assert (entry.actor, entry.request, entry.comment) == (
        second,
        request,
        "Still accurate.",
    )
    assert (entry.from_state, entry.to_state) == (Status.PUBLISHED, Status.PUBLISHED)
    assert reload(condition).status == Status.PUBLISHED
    # No new publication: the text readers see is the one approved before.
    assert Publication.objects.count() == publications
    after = live(condition)
    assert set(after) == {"en", "es"}
    for language, publication in after.items():
        assert publication.pk == before[language].pk
        assert publication.reviewer_display == "Grace Okafor, MD, PhD"
        assert publication.reviewed_at == request.decided_at
        assert publication.next_review_on == today() + THREE_YEARS
        assert publication.outdated_since is None
    with translation.override("en"):
        reviewed = date_format(timezone.localtime(request.decided_at), "DATE_FORMAT")
        next_due = date_format(today() + THREE_YEARS, "DATE_FORMAT")
    html = page(client, "/en/conditions/focal-dystonia/")
    assert f"Medically reviewed by Grace Okafor, MD, PhD on {reviewed}" in html
    assert f"{next_due}</time>" in html
    assert "Grace Okafor" in page(client, "/es/conditions/distonia-focal/")
    # It leaves the due list.
    assert not due.due_for_review("overdue").filter(condition_id=condition.pk)


def test_reconfirm_renews_the_dates_of_the_api_document_and_the_list(client, db):
    from library.api.params import condition_path

    condition = small(slug_en="renewed")
    publish_now(condition)
    due_on(condition, -10)
    document_url = condition_path("en", "renewed")
    list_url = reverse("library_api:conditions") + "?language=en"
    old = str(today() - timedelta(days=10))
    # Stored with the old dates (the API documents are stored like pages).
    assert old in client.get(document_url).content.decode()
    assert old in client.get(list_url).content.decode()

    workflow.reconfirm(condition, user=make_reviewer("api-renewer"))

    new = str(today() + THREE_YEARS)
    for url in (document_url, list_url):
        body = client.get(url).content.decode()
        assert new in body and old not in body, url


def test_reconfirm_uses_the_articles_own_interval(db):
    condition = small()
    publish_now(condition)
    Condition.objects.filter(pk=condition.pk).update(review_interval_days=400)

    workflow.reconfirm(condition, user=make_reviewer("other-reviewer"))

    assert live(condition)["en"].next_review_on == today() + timedelta(days=400)


@pytest.mark.parametrize("role", ["author", "editor", "translator"])
def test_only_a_medical_reviewer_may_reconfirm(db, role):
    condition = small()
    publish_now(condition)
    user = {
        "author": make_author,
        "editor": lambda: make_user(groups=["Editors"]),
        "translator": make_translator,
    }[role]()
    entries = AuditEntry.objects.count()

    with pytest.raises(PermissionDenied):
        workflow.reconfirm(condition, user=user)

    assert AuditEntry.objects.count() == entries
    assert not ReviewRequest.objects.filter(submitted_by=user).exists()


def test_an_edited_article_cannot_be_reconfirmed(db):
    author = make_author()
    condition = small()
    publish_now(condition, user=author)
    before = live(condition)["en"].next_review_on
    condition = edit(condition, author, "New advice")

    with pytest.raises(workflow.TransitionError):
        workflow.reconfirm(condition, user=make_reviewer())

    assert live(condition)["en"].next_review_on == before


def test_a_change_saved_without_the_status_moving_cannot_be_reconfirmed(db):
    """A change of the source text since the live revision is a change to review."""
    condition = small()
    publish_now(condition)
    Section.objects.filter(condition=condition).update(body_en="<p>Other.</p>")
    versioning.save_revision(reload(condition), user=make_author(), comment="x")

    with pytest.raises(workflow.TransitionError, match="changed after"):
        workflow.reconfirm(condition, user=make_reviewer())


def test_a_draft_cannot_be_reconfirmed(db):
    condition = small()
    versioning.save_revision(condition, user=make_author(), comment="v1")

    with pytest.raises(workflow.TransitionError):
        workflow.reconfirm(condition, user=make_reviewer())


def test_a_reviewer_without_credentials_cannot_reconfirm(db):
    condition = small()
    publish_now(condition)
    reviewer = make_reviewer()
    Contributor.objects.filter(user=reviewer).update(credentials="")

    with pytest.raises(workflow.TransitionError, match="credentials"):
        workflow.reconfirm(condition, user=reviewer)


def test_an_article_failing_a_publication_check_cannot_be_reconfirmed(
    client, db, settings
):
    """A picture whose licence ran out since publication must be dealt with."""
    settings.PUBLICATION_CHECKS = []  # published before the licence ran out
    condition = make_condition(sections=1, references=1, images=1)
    Image.objects.filter(condition=condition).update(
        licence_expires=today() - timedelta(days=1)
    )
    publish_now(condition)
    before = live(condition)["en"].next_review_on
    settings.PUBLICATION_CHECKS = None  # every check
    reviewer = make_reviewer("careful")

    with pytest.raises(workflow.TransitionError, match="licence"):
        workflow.reconfirm(condition, user=reviewer)

    assert live(condition)["en"].next_review_on == before
    client.force_login(reviewer)
    url = reverse("admin:conditions_condition_change", args=[condition.pk])
    assert "/workflow/reconfirm/" not in client.get(url).content.decode()


def test_reconfirming_an_overdue_article_clears_its_failing_check(db, settings):
    settings.PUBLICATION_CHECKS = ["review_overdue"]
    condition = small()
    publish_now(condition)
    due_on(condition, -3)
    checks.refresh([condition.pk])
    assert [r.check for r in checks.reasons_of(checks.failing().get())] == [
        "review_overdue"
    ]

    workflow.reconfirm(condition, user=make_reviewer("renews"))

    assert not checks.failing().exists()


def test_the_reviewer_who_last_approved_may_reconfirm(db):
    """Four eyes does not apply: nothing changes but the dates."""
    reviewer = make_reviewer()
    condition = small()
    publish_now(condition, reviewer=reviewer)

    workflow.reconfirm(condition, user=reviewer)

    assert live(condition)["en"].reviewed_at.date() == timezone.now().date()


def test_the_reconfirm_button_is_offered_to_reviewers_only_and_works(client, db):
    condition = small()
    publish_now(condition)
    url = reverse("admin:conditions_condition_change", args=[condition.pk])
    action = reverse(
        "admin:conditions_condition_workflow", args=[condition.pk, "reconfirm"]
    )
    author = make_author()
    client.force_login(author)
    assert action not in client.get(url).content.decode()
    assert client.post(action, {"comment": "x"}).status_code in (302, 403)
    assert not AuditEntry.objects.filter(action="reconfirmed").exists()

    reviewer = make_reviewer("button-reviewer", name="Grace Okafor")
    client.force_login(reviewer)
    assert action in client.get(url).content.decode()
    response = client.post(action, {"comment": "Checked against NICE."})

    assert response.status_code == 302
    assert AuditEntry.objects.get(action="reconfirmed").actor == reviewer
    assert live(condition)["en"].reviewer_name == "Grace Okafor"


# Due for review -----------------------------------------------------------------


_numbers = itertools.count()


@pytest.fixture(autouse=True)
def _number_from_zero():
    """Number each test's articles from "Due 000"."""
    global _numbers
    _numbers = itertools.count()


def _due_library(days_list, reviewer=None, author=None):
    """Publish an article for each number of days to its review ("Due 000"…)."""
    conditions = []
    for days in days_list:
        n = next(_numbers)
        condition = small(title_en=f"Due {n:03d}", slug_en=f"due-{n}", slug_es=f"d-{n}")
        publish_now(condition, user=author, reviewer=reviewer, translate=False)
        due_on(condition, days)
        conditions.append(condition)
    return conditions


def test_due_lists_group_overdue_30_and_90_days(db):
    days = [-400, -1, 0, 30, 31, 90, 91, 1000]
    conditions = _due_library(days)
    by_days = dict(zip(days, conditions, strict=True))

    def ids(key):
        return [p.condition_id for p in due.due_for_review(key)]

    assert ids("overdue") == [by_days[-400].pk, by_days[-1].pk]
    assert ids("within_30") == [by_days[0].pk, by_days[30].pk]
    assert ids("within_90") == [by_days[31].pk, by_days[90].pk]
    assert len(due.due_for_review()) == 6


def test_the_responsible_people_are_the_last_reviewer_and_the_authors(db):
    writer = make_author("writer")
    profile = Contributor.objects.create(user=writer, name="Writer")
    first, second = make_reviewer("first"), make_reviewer("second")
    (condition,) = _due_library([-5], reviewer=first)
    ConditionContributor.objects.create(
        condition=condition, contributor=profile, role="author", position=1
    )
    (row,) = due.with_people(due.due_for_review("overdue"))
    assert (row.reviewer, row.authors, row.group) == (first, [writer], "overdue")

    workflow.reconfirm(condition, user=second)
    due_on(condition, -5)

    (row,) = due.with_people(due.due_for_review("overdue"))
    assert row.responsible == [second, writer]


def _screen_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_due_screen_shows_the_groups_in_a_constant_number_of_queries(client, db):
    reviewer = make_reviewer("due-reviewer")
    client.force_login(reviewer)
    url = reverse("admin:conditions_condition_due_for_review")
    _due_library([-3, -2, -1, 0, 5, 10, 40, 60, 80, 500], reviewer=reviewer)
    client.get(url)  # per-process caches
    small_count, html = _screen_queries(client, url)
    assert "Due 000" in html and "Due 006" in html and "Due 009" not in html
    assert "Overdue (3)" in html

    _due_library([-30 - n for n in range(40)], reviewer=reviewer)
    large_count, html = _screen_queries(client, url)
    assert large_count == small_count
    assert "Overdue (43)" in html
    assert "?group=overdue" in html  # capped, with a link to the whole group

    whole_count, html = _screen_queries(client, f"{url}?group=overdue")
    assert html.count('<th scope="row">') == 43
    assert whole_count <= small_count


def test_due_screen_is_linked_from_the_home_of_reviewers(client, db):
    client.force_login(make_reviewer())
    html = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:conditions_condition_due_for_review") in html


def test_translators_are_refused_the_due_screen(client, db):
    client.force_login(make_translator())
    url = reverse("admin:conditions_condition_due_for_review")
    assert client.get(url).status_code == 403
    assert url not in client.get(reverse("admin:index")).content.decode()


# The weekly digest ------------------------------------------------------------------


def _with_email(user):
    user.email = f"{user.username}@example.org"
    user.save()
    return user


def test_digest_sends_each_responsible_person_one_mail_with_links(db, settings):
    settings.SITE_URL = "https://health.example.org"
    first = _with_email(make_reviewer("first"))
    second = _with_email(make_reviewer("second"))
    silent = make_reviewer("silent")  # no email address
    overdue, soon = _due_library([-5, 20], reviewer=first)
    (later,) = _due_library([60], reviewer=second)
    _due_library([200], reviewer=first)  # not due yet
    (unreachable,) = _due_library([-1], reviewer=silent)
    out, err = StringIO(), StringIO()

    call_command("send_review_digest", stdout=out, stderr=err)

    by_person = {m.to[0]: m for m in mail.outbox}
    assert set(by_person) == {first.email, second.email}
    body = by_person[first.email].body
    assert "2 articles due" in by_person[first.email].subject
    assert (
        body.index("Overdue (1)")
        < body.index("Due 000")
        < body.index("Due within 30 days (1)")
        < body.index("Due 001")
    )
    change = reverse("admin:conditions_condition_change", args=[overdue.pk])
    assert f"https://health.example.org{change}" in body
    assert "Due 003" not in body
    assert "Due 002" in by_person[second.email].body
    assert "2 digests sent, 0 failed" in err.getvalue()
    assert "1 without an email address" in err.getvalue()


def test_digest_dry_run_sends_nothing(db):
    reviewer = _with_email(make_reviewer("dry"))
    _due_library([-5], reviewer=reviewer)
    out, err = StringIO(), StringIO()

    call_command("send_review_digest", "--dry-run", stdout=out, stderr=err)

    assert mail.outbox == []
    assert reviewer.email in out.getvalue()
    assert "Dry run: 1 person would get a digest" in err.getvalue()


def test_a_failed_digest_mail_is_logged_and_counted(db, settings, caplog):
    settings.EMAIL_BACKEND = "tests.test_review_cycle.BrokenBackend"
    _due_library([-5], reviewer=_with_email(make_reviewer("broken")))
    err = StringIO()

    call_command("send_review_digest", stdout=StringIO(), stderr=err)

    assert "0 digests sent, 1 failed" in err.getvalue()
    assert "could not be sent" in caplog.text


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


# The public overdue notice ----------------------------------------------------------

NOTICE = "This page is due for review"


def test_overdue_notice_is_off_by_default(client, db, settings):
    settings.REVIEW_OVERDUE_NOTICE_DAYS = None
    (condition,) = _due_library([-2000])
    Page.objects.all().delete()
    assert NOTICE not in page(client, live(condition)["en"].get_absolute_url())


def test_overdue_notice_shows_the_configured_days_past_due(client, db, settings):
    settings.REVIEW_OVERDUE_NOTICE_DAYS = 180
    late, almost = _due_library([-181, -180])
    Page.objects.all().delete()

    html = page(client, live(late)["en"].get_absolute_url())
    assert NOTICE in html
    assert 'class="notice notice-review-overdue" role="note"' in html
    assert NOTICE not in page(client, live(almost)["en"].get_absolute_url())


def test_refresh_renders_again_the_pages_that_fell_overdue(client, db, settings):
    settings.REVIEW_OVERDUE_NOTICE_DAYS = 180
    fresh, stale = _due_library([100, 100])
    urls = {c.pk: live(c)["en"].get_absolute_url() for c in (fresh, stale)}
    for url in urls.values():
        assert NOTICE not in page(client, url)  # stored without the notice
    # Time passes: the stored page was rendered before the notice was due.
    due_on(stale, -200)
    Page.objects.filter(path=urls[stale.pk]).update(
        rendered_at=timezone.now() - timedelta(days=30)
    )
    assert NOTICE not in page(client, urls[stale.pk])

    out, err = StringIO(), StringIO()
    call_command("refresh_overdue_pages", "--dry-run", stdout=out, stderr=err)
    assert out.getvalue().split() == [urls[stale.pk]]
    assert NOTICE not in page(client, urls[stale.pk])

    call_command("refresh_overdue_pages", stdout=StringIO(), stderr=err)

    assert "1 page of 1 articles rendered again" in err.getvalue()
    assert NOTICE in bytes(Page.objects.get(path=urls[stale.pk]).body).decode()
    assert NOTICE in page(client, urls[stale.pk])
    assert NOTICE not in page(client, urls[fresh.pk])
    err = StringIO()
    call_command("refresh_overdue_pages", stdout=StringIO(), stderr=err)
    assert "0 pages" in err.getvalue()  # once is enough


def test_reconfirming_removes_the_notice(client, db, settings):
    settings.REVIEW_OVERDUE_NOTICE_DAYS = 30
    (condition,) = _due_library([-100])
    Page.objects.all().delete()
    url = live(condition)["en"].get_absolute_url()
    assert NOTICE in page(client, url)

    workflow.reconfirm(condition, user=make_reviewer("renewer"))

    assert NOTICE not in page(client, url)
