"""The transition table: every status change goes through it and is audited,
and the admin offers exactly the buttons the server accepts."""

import re
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from conditions import translations, versioning, workflow
from conditions.models import AuditEntry, Condition, ReviewRequest, Section
from conditions.workflow import transitions

from .adminforms import change_form_data
from .factories import (
    make_author,
    make_condition,
    make_reviewer,
    make_translation_reviewer,
    make_translator,
    make_user,
    translate_now,
)

Status = Condition.Status
State = ReviewRequest.State
ROOT = Path(__file__).resolve().parent.parent


def states():
    """Return every article's status and every request's state."""
    return {
        **{
            ("article", pk): s
            for pk, s in Condition.objects.values_list("pk", "status")
        },
        **{
            ("request", pk): s
            for pk, s in ReviewRequest.objects.values_list("pk", "state")
        },
    }


class Audited:
    """Check that each state change made inside the block has its entry."""

    def __enter__(self):
        self.before = states()
        self.last_entry = (
            AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        )
        return self

    def __exit__(self, *exc):
        if exc[0] is not None:
            return False
        after = states()
        entries = list(AuditEntry.objects.filter(pk__gt=self.last_entry).order_by("pk"))
        self.entries = entries
        for (kind, pk), state in after.items():
            old = self.before.get((kind, pk), transitions.NEW)
            if old == state:
                continue
            if kind == "article":
                assert any(
                    e.condition_id == pk
                    and e.from_state == old
                    and e.to_state == state
                    and transitions.TRANSITIONS[self._name(e)].subject == "article"
                    for e in entries
                ), (kind, pk, old, state, entries)
            else:
                assert any(e.request_id == pk for e in entries), (
                    kind,
                    pk,
                    old,
                    state,
                    entries,
                )
        return False

    @staticmethod
    def _name(entry):
        names = {v: k for k, v in transitions.AUDIT_ACTIONS.items()}
        return names[entry.action]


def edit(condition, user, text):
    Section.objects.filter(condition=condition).update(body_en=f"<p>{text}</p>")
    condition = Condition.objects.get(pk=condition.pk)
    workflow.note_edit(condition, user=user)
    versioning.save_revision(condition, user=user, comment=text)
    return condition


def test_every_status_change_of_a_whole_life_leaves_an_audit_entry(db):
    author, reviewer = make_author(), make_reviewer()
    editor = make_user(groups=["Editors"])
    translator, translation_reviewer = make_translator(), make_translation_reviewer()
    condition = make_condition(sections=2, references=1, images=0)
    steps = []

    def step(name, action):
        with Audited() as audited:
            result = action()
        steps.append((name, [e.action for e in audited.entries]))
        return result

    versioning.save_revision(condition, user=author, comment="First")
    first = step("submit", lambda: workflow.submit(condition, user=author))
    step(
        "request_changes",
        lambda: workflow.request_changes(first, user=reviewer, comment_text="No"),
    )
    second = step("resubmit", lambda: workflow.submit(condition, user=author))
    third = step("supersede", lambda: workflow.submit(condition, user=author))
    step("withdraw", lambda: workflow.withdraw(third, user=author))
    fourth = step("submit again", lambda: workflow.submit(condition, user=author))
    step("approve", lambda: workflow.approve(fourth, user=reviewer))
    step(
        "translate",
        lambda: translate_now(
            condition, translator=translator, reviewer=translation_reviewer
        ),
    )
    step(
        "reconfirm",
        lambda: workflow.reconfirm(condition, user=make_reviewer("second-opinion")),
    )
    condition = step("edit after publish", lambda: edit(condition, author, "Two"))
    fifth = step("submit", lambda: workflow.submit(condition, user=author))
    later = timezone.now() + timedelta(hours=1)
    step("schedule", lambda: workflow.approve(fifth, user=reviewer, go_live_at=later))
    condition = step("edit while scheduled", lambda: edit(condition, author, "Three"))
    sixth = step("submit", lambda: workflow.submit(condition, user=author))
    step(
        "unpublish withdraws the scheduled approval",
        lambda: workflow.unpublish(condition, user=editor, reason="Recall"),
    )
    step(
        "archive withdraws the pending request",
        lambda: workflow.archive(condition, user=editor, reason="Gone"),
    )
    step("restore", lambda: workflow.restore(condition, user=editor))
    seventh = step("submit", lambda: workflow.submit(condition, user=author))
    step("schedule", lambda: workflow.approve(seventh, user=reviewer, go_live_at=later))
    step(
        "go live", lambda: workflow.publish_scheduled(now=later + timedelta(minutes=1))
    )
    step(
        "set expiry",
        lambda: workflow.set_expiry(condition, user=editor, expire_at=later),
    )
    step("expire", lambda: workflow.publish_scheduled(now=later + timedelta(hours=1)))

    assert ReviewRequest.objects.get(pk=second.pk).state == State.SUPERSEDED
    assert ReviewRequest.objects.get(pk=sixth.pk).state == State.WITHDRAWN
    assert dict(steps)["edit after publish"] == ["edited"]
    assert dict(steps)["unpublish withdraws the scheduled approval"] == [
        "request_withdrawn",
        "unpublished",
    ]
    assert dict(steps)["archive withdraws the pending request"] == [
        "request_withdrawn",
        "archived",
    ]
    assert dict(steps)["expire"] == ["expired"]
    # Every transition of the table ran at least once in this life.
    done = {action for _name, actions in steps for action in actions}
    translation_only = {
        "translation_withdrawn",
        "translation_changes_requested",
    }
    assert set(transitions.AUDIT_ACTIONS.values()) - done == translation_only


def test_translation_requests_changes_are_audited(db):
    condition = make_condition(sections=1, references=1, images=0)
    author, reviewer = make_author(), make_reviewer()
    versioning.save_revision(condition, user=author, comment="First")
    workflow.approve(workflow.submit(condition, user=author), user=reviewer)
    translator, translation_reviewer = make_translator(), make_translation_reviewer()
    unit = translations.unit_key(Condition, condition.pk, "summary")
    for text, decide in [
        ("Uno.", lambda r: workflow.withdraw(r, user=translator)),
        (
            "Dos.",
            lambda r: workflow.request_changes(
                r, user=translation_reviewer, comment_text="No"
            ),
        ),
    ]:
        translations.save_translation(
            condition, language="es", values={unit: text}, user=translator
        )
        with Audited():
            request = workflow.submit_translation(
                condition, language="es", user=translator
            )
        with Audited() as audited:
            decide(request)
        assert [e.action for e in audited.entries] in (
            ["translation_withdrawn"],
            ["translation_changes_requested"],
        )


def test_an_admin_save_of_a_published_article_is_audited_as_an_edit(client, db):
    condition = make_condition(sections=1, references=1, images=0)
    author = make_author()
    versioning.save_revision(condition, user=author, comment="First")
    workflow.approve(workflow.submit(condition, user=author), user=make_reviewer())
    client.force_login(author)
    url = reverse("admin:conditions_condition_change", args=[condition.pk])
    data = change_form_data(client.get(url))
    data["title_en"] = "Retitled"
    data["change_note"] = "New title"

    with Audited() as audited:
        assert client.post(url, data).status_code == 302

    assert Condition.objects.get(pk=condition.pk).status == Status.DRAFT
    (entry,) = audited.entries
    assert (entry.action, entry.from_state, entry.to_state, entry.actor) == (
        "edited",
        Status.PUBLISHED,
        Status.DRAFT,
        author,
    )
    assert entry.comment == "New title"


def test_an_admin_save_never_writes_the_status(client, db):
    """A save based on a page read before a transition keeps the transition."""
    condition = make_condition(sections=1, references=1, images=0)
    author = make_author()
    versioning.save_revision(condition, user=author, comment="First")
    client.force_login(author)
    url = reverse("admin:conditions_condition_change", args=[condition.pk])
    data = change_form_data(client.get(url))
    workflow.submit(condition, user=author)
    data["title_en"] = "Retitled"
    data["base_revision"] = versioning.latest_revision_id(condition.pk)

    assert client.post(url, data).status_code == 302

    assert Condition.objects.get(pk=condition.pk).status == Status.IN_REVIEW


# The buttons come from the table ----------------------------------------------


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.actions = []

    def handle_starttag(self, tag, attrs):
        action = dict(attrs).get("action") or ""
        match = re.search(r"/workflow/([a-z_]+)/$", action)
        if tag == "form" and match:
            self.actions.append(match.group(1))


def offered(client, condition):
    response = client.get(
        reverse("admin:conditions_condition_change", args=[condition.pk])
    )
    assert response.status_code == 200
    parser = _Forms()
    parser.feed(response.content.decode())
    return set(parser.actions)


POSTS = {
    "submit": {"note": "Please"},
    "withdraw": {},
    "unpublish": {"reason": "Recall"},
    "archive": {"reason": "Gone"},
    "restore": {},
    "expiry": {"expire_at": ""},
    "reconfirm": {"comment": "Still accurate."},
}


def _setups():
    """Articles in every state, each with who is looking at it."""

    def draft():
        condition = make_condition(sections=1, references=1, images=0)
        versioning.save_revision(condition, user=make_author(), comment="v1")
        return condition

    def unsaved():
        return make_condition(sections=1, references=1, images=0)

    def in_review():
        condition = draft()
        workflow.submit(condition, user=make_author())
        return condition

    def published():
        condition = in_review()
        request = condition.review_requests.pending().get()
        workflow.approve(request, user=make_reviewer())
        return condition

    def edited():
        condition = published()
        return edit(condition, make_author(), "Later")

    def archived():
        condition = draft()
        workflow.archive(condition, user=make_user(groups=["Editors"]), reason="x")
        return condition

    return {
        "unsaved": unsaved,
        "draft": draft,
        "in_review": in_review,
        "published": published,
        "edited": edited,
        "archived": archived,
    }


@pytest.mark.parametrize("state", list(_setups()))
@pytest.mark.parametrize("role", ["author", "reviewer", "editor", "translator"])
def test_a_button_is_offered_exactly_when_the_server_accepts_it(
    client, db, state, role
):
    groups = {
        "author": ["Authors"],
        "reviewer": ["Medical reviewers"],
        "editor": ["Editors"],
        "translator": ["Translators (es)"],
    }[role]
    for verb, data in POSTS.items():
        condition = _setups()[state]()  # a fresh article for each button
        pending = condition.review_requests.pending().first()
        if role == "author" and pending is not None:
            user = pending.submitted_by  # who may withdraw their own request
        else:
            user = make_user(groups=groups)
        client.force_login(user)
        shown = verb in offered(client, condition)
        before = AuditEntry.objects.count()
        url = reverse("admin:conditions_condition_workflow", args=[condition.pk, verb])

        response = client.post(url, data)

        assert response.status_code in (302, 403)
        went_through = AuditEntry.objects.count() > before
        assert shown == went_through, (state, role, verb, shown)


# The documentation shows the table as it is -------------------------------------


def test_docs_architecture_shows_the_transition_table_of_the_code():
    text = (ROOT / "docs" / "architecture.md").read_text()
    assert transitions.as_markdown() in text
