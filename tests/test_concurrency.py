"""No lost updates: concurrent saves, approvals and scheduler runs.

The two-browser test runs everywhere. The threaded tests need real row locks
and concurrent connections: they run on PostgreSQL only.
"""

import threading
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from conditions import roles, translations, versioning, workflow
from conditions.models import AuditEntry, Condition, Publication, ReviewRequest

from .adminforms import change_form_data
from .factories import (
    make_author,
    make_condition,
    make_reviewer,
    make_translation_reviewer,
    make_translator,
    make_user,
)

needs_postgres = pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite has no row locks (select_for_update is a no-op) and "
    "serialises writers: concurrent transactions need PostgreSQL "
    "(DATABASE_URL=postgres://…)",
)

MESSAGE = "Someone else saved this article while you were editing it."


def change_url(condition):
    return reverse("admin:conditions_condition_change", args=[condition.pk])


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_second_save_of_the_same_version_is_refused_with_what_changed(db):
    condition = make_condition(sections=2, images=0, references=1)
    versioning.save_revision(condition, user=make_author(), comment="v1")
    first = logged_in(make_user("elena", groups=["Editors"]))
    second = logged_in(make_user("cynthia", groups=["Authors"]))
    url = change_url(condition)
    first_data = change_form_data(first.get(url))
    second_data = change_form_data(second.get(url))
    versions = Version.objects.get_for_object(condition).count()

    first_data.update(
        title_es="Distonía focal primaria",
        **{"sections-0-body_en": "<p>Elena's careful wording.</p>"},
    )
    assert first.post(url, first_data).status_code == 302
    second_data.update(
        summary_en="Cynthia's summary",
        **{"sections-0-body_en": "<p>Cynthia's hasty wording.</p>"},
    )
    response = second.post(url, second_data)

    assert response.status_code == 200
    html = response.content.decode()
    assert MESSAGE in html
    assert "Not saved: someone else changed this article" in html
    # The diff shows what the other person changed.
    conflict = html[html.index('class="conflict"') : html.index("workflow-panel")]
    assert "primaria</ins>" in conflict
    assert "Elena's careful wording</ins>" in conflict
    assert "Cynthia" not in conflict  # their own edit is not the other's
    # What they typed is still in the form, not lost.
    assert "Cynthia&#x27;s summary</textarea>" in html
    condition = Condition.objects.get(pk=condition.pk)
    assert condition.title_es == "Distonía focal primaria"
    assert condition.summary_en != "Cynthia's summary"
    body = condition.sections.order_by("position").first().body_en
    assert body == "<p>Elena's careful wording.</p>"
    assert Version.objects.get_for_object(condition).count() == versions + 1

    # After reloading, the second person's save goes through.
    reloaded = change_form_data(second.get(url))
    reloaded["summary_en"] = "Cynthia's summary"
    assert second.post(url, reloaded).status_code == 302
    condition = Condition.objects.get(pk=condition.pk)
    assert condition.summary_en == "Cynthia's summary"
    assert condition.title_es == "Distonía focal primaria"


def test_a_save_based_on_a_stale_form_after_approval_is_refused(db):
    """Saving over someone else's newer revision is refused even when the
    revision in between was published."""
    condition = make_condition(sections=1, images=0, references=1)
    author = make_author()
    versioning.save_revision(condition, user=author, comment="v1")
    stale = logged_in(make_user(groups=["Editors"]))
    stale_data = change_form_data(stale.get(change_url(condition)))
    fresh = logged_in(author)
    fresh_data = change_form_data(fresh.get(change_url(condition)))
    fresh_data["title_en"] = "Newer title"
    assert fresh.post(change_url(condition), fresh_data).status_code == 302
    workflow.approve(workflow.submit(condition, user=author), user=make_reviewer())

    stale_data["title_en"] = "Older title"
    response = stale.post(change_url(condition), stale_data)

    assert response.status_code == 200 and MESSAGE in response.content.decode()
    assert Condition.objects.get(pk=condition.pk).title_en == "Newer title"
    assert Condition.objects.get(pk=condition.pk).status == "published"


INTERLEAVED = {
    # another editor sets the expiry / a reviewer approves the pending change
    "set_expiry": lambda c, w: workflow.set_expiry(
        c, user=w.editor, expire_at=w.expire_at
    ),
    "approve": lambda c, w: workflow.approve(w.request, user=w.reviewer),
}


@pytest.mark.parametrize("transition", INTERLEAVED)
def test_a_transition_during_an_admin_save_is_not_overwritten(
    db, monkeypatch, transition
):
    condition = make_condition(sections=1, images=0, references=1)
    author = make_author()
    versioning.save_revision(condition, user=author, comment="v1")
    world = SimpleNamespace(
        editor=make_user(groups=["Editors"]),
        reviewer=make_reviewer(),
        request=workflow.submit(condition, user=author),
        expire_at=timezone.now() + timedelta(days=10),
    )
    client = logged_in(make_user(groups=["Editors"]))
    data = change_form_data(client.get(change_url(condition)))
    data["title_en"] = "Edited during the transition"
    real = versioning.latest_revision_id

    def interleaved(condition_id):
        # Deterministic stand-in for the race: the transition commits after
        # the admin read the row and before its save (called once, from
        # ConditionForm.clean).
        monkeypatch.setattr("conditions.admin.condition.latest_revision_id", real)
        INTERLEAVED[transition](Condition.objects.get(pk=condition_id), world)
        return real(condition_id)

    monkeypatch.setattr("conditions.admin.condition.latest_revision_id", interleaved)

    assert client.post(change_url(condition), data).status_code == 302

    saved = Condition.objects.get(pk=condition.pk)
    assert saved.title_en == "Edited during the transition"
    if transition == "set_expiry":
        assert saved.expire_at == world.expire_at
    else:
        # Published, then edited: a draft ahead of the live version.
        assert Publication.objects.current().filter(condition=saved).exists()
        assert saved.status == Condition.Status.DRAFT


# Threads on PostgreSQL -------------------------------------------------------


def run_together(*jobs):
    """Run the callables in threads released at the same instant; return
    their results (or the exceptions they raised) in order."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def worker(index, job):
        try:
            barrier.wait(timeout=10)
            results[index] = job()
        except Exception as error:  # noqa: BLE001 - reported to the test
            results[index] = error
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
        assert not thread.is_alive(), "a thread hung: deadlock?"
    return results


@pytest.fixture
def roles_synced(transactional_db):
    # A flush by an earlier transactional test removes the groups that the
    # data migration created.
    roles.sync_roles()


@needs_postgres
def test_two_simultaneous_saves_of_one_version_exactly_one_wins(roles_synced):
    condition = make_condition(sections=1, images=0, references=1)
    versioning.save_revision(condition, user=make_author(), comment="v1")
    clients, payloads = [], []
    for name in ["elena", "cynthia"]:
        client = logged_in(make_user(name, groups=["Editors"]))
        data = change_form_data(client.get(change_url(condition)))
        data["title_en"] = f"Title by {name}"
        clients.append(client)
        payloads.append(data)
    versions = Version.objects.get_for_object(condition).count()

    responses = run_together(
        *[
            lambda c=client, d=data: c.post(change_url(condition), d)
            for client, data in zip(clients, payloads, strict=True)
        ]
    )

    codes = sorted(r.status_code for r in responses)
    assert codes == [200, 302], responses
    winner = next(i for i, r in enumerate(responses) if r.status_code == 302)
    loser = responses[1 - winner]
    assert MESSAGE in loser.content.decode()
    title = Condition.objects.get(pk=condition.pk).title_en
    assert title == payloads[winner]["title_en"]
    assert Version.objects.get_for_object(condition).count() == versions + 1


@needs_postgres
def test_two_simultaneous_scheduler_runs_publish_and_expire_once(roles_synced):
    author, reviewer = make_author(), make_reviewer()
    scheduled = make_condition(sections=1, images=0, references=1)
    versioning.save_revision(scheduled, user=author, comment="v1")
    request = workflow.approve(
        workflow.submit(scheduled, user=author),
        user=reviewer,
        go_live_at=timezone.now() + timedelta(minutes=5),
    )
    expiring = make_condition(sections=1, images=0, references=1)
    versioning.save_revision(expiring, user=author, comment="v1")
    workflow.approve(workflow.submit(expiring, user=author), user=reviewer)
    workflow.set_expiry(
        expiring,
        user=make_user(groups=["Editors"]),
        expire_at=timezone.now() + timedelta(minutes=5),
    )
    later = timezone.now() + timedelta(hours=1)
    publications = Publication.objects.count()

    results = run_together(
        lambda: workflow.publish_scheduled(now=later),
        lambda: workflow.publish_scheduled(now=later),
    )

    assert not any(isinstance(r, Exception) for r in results), results
    assert sum(len(published) for published, _expired in results) == 1
    assert sum(len(expired) for _published, expired in results) == 1
    # The source language, once: Spanish goes through its own review.
    assert Publication.objects.count() == publications + 1
    live = Publication.objects.current().filter(condition=scheduled)
    assert list(live.values_list("language", "revision_id")) == [
        ("en", request.revision_id)
    ]
    assert not Publication.objects.current().filter(condition=expiring).exists()
    assert ReviewRequest.objects.get(pk=request.pk).state == "published"
    assert AuditEntry.objects.filter(action="went_live").count() == 1
    assert AuditEntry.objects.filter(action="expired").count() == 1


@needs_postgres
def test_two_reviewers_approving_at_once_publish_once(roles_synced):
    author = make_author()
    condition = make_condition(sections=1, images=0, references=1)
    versioning.save_revision(condition, user=author, comment="v1")
    request = workflow.submit(condition, user=author)
    reviewers = [make_reviewer(), make_reviewer()]

    results = run_together(
        *[lambda r=r: workflow.approve(request, user=r) for r in reviewers]
    )

    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], workflow.TransitionError)
    publications = Publication.objects.filter(condition=condition)
    assert list(publications.values_list("language", flat=True)) == ["en"]
    assert AuditEntry.objects.filter(action="approved_published").count() == 1


@needs_postgres
def test_two_translation_reviewers_approving_at_once_publish_once(roles_synced):
    author = make_author()
    condition = make_condition(sections=1, images=0, references=1)
    versioning.save_revision(condition, user=author, comment="v1")
    workflow.approve(workflow.submit(condition, user=author), user=make_reviewer())
    translator = make_translator()
    translations.mark_up_to_date(
        condition,
        "es",
        [u.key for u in translations.units(condition, "es")],
        user=translator,
    )
    versioning.save_revision(condition, user=translator, comment="Traducción")
    request = workflow.submit_translation(condition, language="es", user=translator)
    reviewers = [make_translation_reviewer(), make_translation_reviewer()]

    results = run_together(
        *[lambda r=r: workflow.approve(request, user=r) for r in reviewers]
    )

    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], workflow.TransitionError)
    spanish = Publication.objects.filter(condition=condition, language="es")
    assert list(spanish.values_list("revision_id", flat=True)) == [request.revision_id]
    assert AuditEntry.objects.filter(action="translation_published").count() == 1


@needs_postgres
def test_unpublishing_while_the_scheduler_runs_neither_deadlocks_nor_revives(
    roles_synced,
):
    author, reviewer = make_author(), make_reviewer()
    editor = make_user(groups=["Editors"])
    condition = make_condition(sections=1, images=0, references=1)
    versioning.save_revision(condition, user=author, comment="v1")
    workflow.approve(workflow.submit(condition, user=author), user=reviewer)
    section = condition.sections.get()
    section.body_en = "<p>Scheduled update.</p>"
    section.save()
    versioning.save_revision(condition, user=author, comment="v2")
    request = workflow.approve(
        workflow.submit(condition, user=author),
        user=reviewer,
        go_live_at=timezone.now() + timedelta(minutes=5),
    )
    later = timezone.now() + timedelta(hours=1)

    results = run_together(
        lambda: workflow.publish_scheduled(now=later),
        lambda: workflow.unpublish(condition, user=editor, reason="Recall"),
    )

    assert not any(isinstance(r, Exception) for r in results), results
    # Whichever came first, the article is off the site and stays off.
    assert not Publication.objects.current().filter(condition=condition).exists()
    assert ReviewRequest.objects.get(pk=request.pk).state in ("published", "withdrawn")
    assert workflow.publish_scheduled(now=later) == ([], [])
    assert Condition.objects.get(pk=condition.pk).status == "draft"
