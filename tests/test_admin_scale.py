"""Admin screens cost the same number of SQL queries however big the library is.

Each screen is measured on a library of a few articles, then again after
more articles in every state were added (published in both languages,
drafts on top of live versions, pending medical and translation reviews,
returned changes, outdated translations). The counts must not move, and
they are pinned: a change that adds a query to a screen shows up here.
"""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conditions import versioning, workflow, xliff
from conditions.models import Condition, Section

from .factories import (
    make_condition,
    make_reviewer,
    make_translation_reviewer,
    make_translator,
    make_user,
    publish_now,
)
from .screens import admin_screens

_names = itertools.count(1)


def _article(kind, people):
    """Add one article in the given state, through the real workflow."""
    n = next(_names)
    condition = make_condition(
        title_en=f"Condition {n}",
        title_es=f"Afección {n}",
        slug_en=f"condition-{n}",
        slug_es=f"afeccion-{n}",
        sections=3,
        references=2,
        images=1,
    )
    if kind == "draft":
        versioning.save_revision(condition, user=people["author"], comment="Draft")
        return condition
    publish_now(condition, user=people["author"], reviewer=people["reviewer"])
    if kind == "published":
        return condition
    section = condition.sections.order_by("position").first()
    Section.objects.filter(pk=section.pk).update(body_en=f"<p>New words {n}.</p>")
    condition = Condition.objects.get(pk=condition.pk)
    workflow.note_edit(condition, user=people["author"])
    versioning.save_revision(condition, user=people["author"], comment="Edit")
    if kind == "edited":
        return condition
    request = workflow.submit(condition, user=people["author"], note="Please")
    if kind == "pending":
        return condition
    if kind == "returned":
        workflow.request_changes(request, user=people["reviewer"], comment_text="No")
        return condition
    workflow.approve(request, user=people["reviewer"])
    if kind == "outdated":
        return condition
    assert kind == "translation_pending"
    Condition.objects.filter(pk=condition.pk).update(summary_es=f"Resumen {n}.")
    condition = Condition.objects.get(pk=condition.pk)
    versioning.save_revision(condition, user=people["translator"], comment="es")
    workflow.submit_translation(condition, language="es", user=people["translator"])
    return condition


KINDS = [
    "published",
    "draft",
    "edited",
    "pending",
    "returned",
    "outdated",
    "translation_pending",
]


@pytest.fixture
def library(db):
    people = {
        # The roles of tests/screens.py.
        "author": make_user("scale-author", groups=["Authors"]),
        "reviewer": make_reviewer("scale-reviewer"),
        "reviewer2": make_reviewer("scale-reviewer2", name="Grace Okafor"),
        "editor": make_user("scale-editor", groups=["Editors"]),
        "translator": make_translator("es", "scale-translator"),
        "translation_reviewer": make_translation_reviewer("es", "scale-tr"),
        "superuser": make_user("scale-admin", superuser=True),
    }

    def grow(rounds):
        for _round in range(rounds):
            for kind in KINDS:
                _article(kind, people)

    return people, grow


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(queries)


#: The pinned counts (SQLite and PostgreSQL alike).
EXPECTED = {
    "home (reviewer)": 14,
    "home (editor)": 14,  # + the number of broken reference links
    "home (translator)": 12,
    "conditions": 16,
    "conditions ?queue=awaiting_my_review": 17,
    "conditions ?queue=my_drafts": 16,
    "conditions ?queue=changes_requested": 16,
    "conditions ?queue=recently_published": 16,
    "conditions ?status=draft": 16,
    "review requests": 9,
    "publications": 9,
    "audit log": 9,
    "translation report": 10,
    "translation report ?outdated_clinical=1": 10,
    "translation report ?show=needs_work": 10,
    "translation report ?q=": 10,
    "translator workspace": 18,
    "review screen": 18,  # with the publication checks of its revision
    "translation review screen": 26,
}


def _measure(client, people):
    counts = {}
    for name, (who, url) in admin_screens().items():
        client.force_login(people[who])
        _queries(client, url)  # warm caches that are per process, not per request
        counts[name] = _queries(client, url)
    return counts


def test_admin_screens_cost_the_same_queries_at_any_library_size(client, library):
    people, grow = library
    grow(1)
    small = _measure(client, people)
    grow(3)
    large = _measure(client, people)
    assert Condition.objects.count() == 4 * len(KINDS)
    assert large == small
    assert small == EXPECTED


def test_xliff_batch_export_reads_a_bounded_number_of_queries_per_batch(
    client, library, monkeypatch
):
    people, grow = library
    monkeypatch.setattr(xliff.exporter, "BATCH_SIZE", 2)
    client.force_login(people["translator"])
    url = reverse("admin:conditions_condition_xliff_batch_export", args=["es"])
    grow(1)
    batches_small = -(-xliff.conditions_needing("es").count() // 2)
    small = _queries(client, url)
    grow(2)
    batches_large = -(-xliff.conditions_needing("es").count() // 2)
    large = _queries(client, url)
    assert batches_large > batches_small
    per_batch = (large - small) / (batches_large - batches_small)
    # The same fixed cost, and the same few queries for each batch of articles.
    assert per_batch <= 8
    assert large - per_batch * batches_large == small - per_batch * batches_small
