"""Who may do what, written from the side of the person refused.

Every role × every transition and admin view: a refused call raises
PermissionDenied (or answers 403, or sends an anonymous visitor to the login
page) and changes nothing at all. The allowed side is checked too, on the
same setup, so that a refusal is never an accident of the setup.
"""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from conditions import translations, versioning, workflow
from conditions.models import (
    AuditEntry,
    Condition,
    Contributor,
    FieldTranslation,
    Publication,
    ReviewComment,
    ReviewRequest,
    Section,
)

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

ROLES = [
    "anonymous",
    "staff",
    "author",
    "reviewer",
    "translator",
    "translation_reviewer",
    "editor",
    "superuser",
]
GROUPS = {
    "staff": [],
    "author": ["Authors"],
    "reviewer": ["Medical reviewers"],
    "translator": ["Translators (es)"],
    "translation_reviewer": ["Translation reviewers (es)"],
    "editor": ["Editors"],
}
EDITORS = {"editor", "superuser"}
REVIEWERS = {"reviewer", "superuser"}
SUBMITTERS = {"author", "editor", "superuser"}
READERS = {"author", "reviewer", "translator", "translation_reviewer", *EDITORS}
#: Of Spanish, the language of the world's pending translation.
TRANSLATORS = {"translator", "superuser"}
TRANSLATION_REVIEWERS = {"translation_reviewer", "superuser"}


def make_role(role):
    """Return a user of the role; everyone has a signed profile, so that a
    refusal is never about a missing profile."""
    if role == "anonymous":
        return AnonymousUser()
    if role == "superuser":
        user = make_user(f"the-{role}", superuser=True)
    else:
        user = make_user(f"the-{role}", groups=GROUPS[role])
    Contributor.objects.create(user=user, name=f"Dr {role}", credentials="MD")
    return user


def unit(condition, field):
    return translations.unit_key(Condition, condition.pk, field)


def build_world():
    """A live article (English and Spanish) with a pending Spanish update by
    a translator and a pending English update by an author, and an archived
    article: every transition is possible for the right person."""
    author = make_author("submitter")
    live = make_condition(sections=1, references=1, images=0, title_en="Live")
    versioning.save_revision(live, user=author, comment="First version")
    first = workflow.submit(live, user=author)
    workflow.approve(first, user=make_reviewer("first-reviewer"))
    translate_now(
        live,
        translator=make_translator(username="first-translator"),
        reviewer=make_translation_reviewer(username="first-translation-reviewer"),
    )
    translator = make_translator(username="es-submitter")
    translations.save_translation(
        live,
        language="es",
        values={unit(live, "summary"): "Un resumen revisado."},
        user=translator,
    )
    translation = workflow.submit_translation(
        live, language="es", user=translator, note="Resumen"
    )
    section = live.sections.get()
    section.body_en = "<p>An update awaiting review.</p>"
    section.save()
    versioning.save_revision(live, user=author, comment="Update")
    request = workflow.submit(live, user=author, note="Please check")
    archived = make_condition(sections=1, references=0, images=0, title_en="Old")
    workflow.archive(archived, user=make_user(groups=["Editors"]), reason="Old")
    return {
        "live": live.pk,
        "request": request.pk,
        "translation": translation.pk,
        "archived": archived.pk,
        "old_revision": first.revision_id,
        "new_revision": request.revision_id,
    }


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    """Build the world once for the module, in a transaction rolled back at
    the end; each test runs in a savepoint inside it (pytest-django's `db`),
    so whatever a test changes is undone before the next one."""
    with django_db_blocker.unblock():
        block = transaction.atomic()
        block.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            block.__exit__(None, None, None)


@pytest.fixture
def world(shared_world, db):
    world = SimpleNamespace(
        live=Condition.objects.get(pk=shared_world["live"]),
        request=ReviewRequest.objects.get(pk=shared_world["request"]),
        translation=ReviewRequest.objects.get(pk=shared_world["translation"]),
        archived=Condition.objects.get(pk=shared_world["archived"]),
        old_revision=shared_world["old_revision"],
        new_revision=shared_world["new_revision"],
    )
    # Nothing a previous test did survives it.
    assert world.live.status == Condition.Status.IN_REVIEW
    assert world.request.state == ReviewRequest.State.PENDING
    assert world.translation.state == ReviewRequest.State.PENDING
    assert world.translation.language == "es"
    # The English update does not make the Spanish request stale.
    assert not workflow.is_stale(world.translation)
    assert world.archived.status == Condition.Status.ARCHIVED
    live = Publication.objects.current().filter(condition=world.live)
    assert sorted(live.values_list("language", flat=True)) == ["en", "es"]
    assert not ReviewComment.objects.exists()
    return world


def everything():
    """Return the whole state a refused call must leave untouched."""
    return (
        sorted(
            Condition.objects.values_list(
                "pk", "status", "expire_at", "title_en", "title_es", "summary_es"
            )
        ),
        sorted(Section.objects.values_list("pk", "body_en", "body_es")),
        sorted(ReviewRequest.objects.values_list("pk", "state", "decided_by_id")),
        sorted(
            Publication.objects.values_list(
                "pk", "is_current", "withdrawn_at", "outdated_since"
            )
        ),
        sorted(
            FieldTranslation.objects.values_list(
                "language", "key", "source_hash", "translated_at"
            )
        ),
        AuditEntry.objects.count(),
        ReviewComment.objects.count(),
        Version.objects.count(),
    )


def refused(allowed):
    return [role for role in ROLES if role not in allowed]


# The workflow functions ------------------------------------------------------

IN_A_WEEK = timezone.now() + timedelta(days=7)

TRANSITIONS = {
    "submit": (SUBMITTERS, lambda w, u: workflow.submit(w.live, user=u)),
    "withdraw": (EDITORS, lambda w, u: workflow.withdraw(w.request, user=u)),
    "comment": (
        {"author", "reviewer", "editor", "superuser"},
        lambda w, u: workflow.comment(w.request, user=u, text="A remark"),
    ),
    "request_changes": (
        REVIEWERS,
        lambda w, u: workflow.request_changes(w.request, user=u, comment_text="No"),
    ),
    "approve": (REVIEWERS, lambda w, u: workflow.approve(w.request, user=u)),
    "unpublish": (
        EDITORS,
        lambda w, u: workflow.unpublish(w.live, user=u, reason="Recall"),
    ),
    "archive": (
        EDITORS,
        lambda w, u: workflow.archive(w.live, user=u, reason="Obsolete"),
    ),
    "restore": (EDITORS, lambda w, u: workflow.restore(w.archived, user=u)),
    "set_expiry": (
        EDITORS,
        lambda w, u: workflow.set_expiry(w.live, user=u, expire_at=IN_A_WEEK),
    ),
    # The translation workflow, in Spanish.
    "save_translation": (
        TRANSLATORS,
        lambda w, u: translations.save_translation(
            w.live,
            language="es",
            values={unit(w.live, "title"): "Título secuestrado"},
            user=u,
        ),
    ),
    "submit_translation": (
        TRANSLATORS,
        lambda w, u: workflow.submit_translation(w.live, language="es", user=u),
    ),
    "withdraw_translation": (
        EDITORS,
        lambda w, u: workflow.withdraw(w.translation, user=u),
    ),
    "comment_translation": (
        {"translator", "translation_reviewer", "superuser"},
        lambda w, u: workflow.comment(w.translation, user=u, text="Una nota"),
    ),
    "request_changes_translation": (
        TRANSLATION_REVIEWERS,
        lambda w, u: workflow.request_changes(
            w.translation, user=u, comment_text="Revise"
        ),
    ),
    # A medical reviewer cannot approve a translation, nor a translation
    # reviewer a medical change ("approve" above).
    "approve_translation": (
        TRANSLATION_REVIEWERS,
        lambda w, u: workflow.approve(w.translation, user=u),
    ),
}


@pytest.mark.parametrize(
    "transition,role",
    [
        (t, role)
        for t, (allowed, _call) in TRANSITIONS.items()
        for role in refused(allowed)
    ],
)
def test_refused_transition_raises_permission_denied_and_changes_nothing(
    world, transition, role
):
    user = make_role(role)
    before = everything()
    with pytest.raises(PermissionDenied):
        TRANSITIONS[transition][1](world, user)
    assert everything() == before


@pytest.mark.parametrize(
    "transition,role",
    [(t, role) for t, (allowed, _call) in TRANSITIONS.items() for role in allowed],
)
def test_allowed_transition_goes_through(world, transition, role):
    user = make_role(role)
    before = everything()
    TRANSITIONS[transition][1](world, user)
    assert everything() != before


def test_the_submitter_may_withdraw_without_the_editors_right(world):
    workflow.withdraw(world.request, user=world.request.submitted_by)
    assert ReviewRequest.objects.get(pk=world.request.pk).state == "withdrawn"


# The admin views ---------------------------------------------------------------


def review_url(w):
    return reverse("admin:conditions_reviewrequest_review", args=[w.request.pk])


def workflow_url(action, archived=False):
    def url(w):
        pk = w.archived.pk if archived else w.live.pk
        return reverse("admin:conditions_condition_workflow", args=[pk, action])

    return url


def compare_url(w):
    url = reverse("admin:conditions_condition_compare", args=[w.live.pk])
    return f"{url}?old={w.old_revision}&new={w.new_revision}"


def change_url(w):
    return reverse("admin:conditions_condition_change", args=[w.live.pk])


def audit_url(w):
    return reverse("admin:conditions_auditentry_changelist")


def translation_review_url(w):
    return reverse("admin:conditions_reviewrequest_review", args=[w.translation.pk])


def workspace_url(language):
    def url(w):
        return reverse(
            "admin:conditions_condition_translate", args=[w.live.pk, language]
        )

    return url


def report_url(w):
    return reverse("admin:conditions_condition_translation_report", args=["es"])


#: name: (roles allowed, method, url, POST data)
VIEWS = {
    "review_screen_get": (READERS, "get", review_url, None),
    "review_approve": (REVIEWERS, "post", review_url, {"action": "approve"}),
    "review_request_changes": (
        REVIEWERS,
        "post",
        review_url,
        {"action": "request_changes", "comment": "Please fix"},
    ),
    "review_comment": (
        SUBMITTERS | REVIEWERS,
        "post",
        review_url,
        {"action": "comment", "text": "A remark"},
    ),
    "review_withdraw": (EDITORS, "post", review_url, {"action": "withdraw"}),
    "workflow_submit": (SUBMITTERS, "post", workflow_url("submit"), {"note": ""}),
    "workflow_withdraw": (EDITORS, "post", workflow_url("withdraw"), {}),
    "workflow_unpublish": (
        EDITORS,
        "post",
        workflow_url("unpublish"),
        {"reason": "Recall"},
    ),
    "workflow_archive": (EDITORS, "post", workflow_url("archive"), {"reason": "Old"}),
    "workflow_restore": (EDITORS, "post", workflow_url("restore", archived=True), {}),
    "workflow_expiry": (
        EDITORS,
        "post",
        workflow_url("expiry"),
        {"expire_at": "2031-01-02T10:00"},
    ),
    "compare": (READERS, "get", compare_url, None),
    "audit_log": (EDITORS, "get", audit_url, None),
    # Translators have no model change permission: they edit only through
    # the workspace.
    "condition_change_post": (SUBMITTERS, "post", change_url, "change form"),
    # The translation workflow, in Spanish.
    "translation_review_screen_get": (READERS, "get", translation_review_url, None),
    "translation_review_approve": (
        TRANSLATION_REVIEWERS,
        "post",
        translation_review_url,
        {"action": "approve"},
    ),
    "translation_review_request_changes": (
        TRANSLATION_REVIEWERS,
        "post",
        translation_review_url,
        {"action": "request_changes", "comment": "Revise el resumen"},
    ),
    "translation_review_comment": (
        {"translator", "translation_reviewer", "superuser"},
        "post",
        translation_review_url,
        {"action": "comment", "text": "Una nota"},
    ),
    "translation_review_withdraw": (
        EDITORS,
        "post",
        translation_review_url,
        {"action": "withdraw"},
    ),
    "workspace_get": (TRANSLATORS, "get", workspace_url("es"), None),
    "workspace_save": (TRANSLATORS, "post", workspace_url("es"), "workspace"),
    "workspace_submit": (
        TRANSLATORS,
        "post",
        workspace_url("es"),
        "workspace submit",
    ),
    # The source language is never translated, whoever asks.
    "workspace_source_get": (set(), "get", workspace_url("en"), None),
    "workspace_source_post": (set(), "post", workspace_url("en"), "workspace"),
    "translation_report": (
        TRANSLATORS | TRANSLATION_REVIEWERS | EDITORS,
        "get",
        report_url,
        None,
    ),
}


def client_for(user):
    client = Client()
    if not isinstance(user, AnonymousUser):
        client.force_login(user)
    return client


def change_form_post(world, client):
    """The change form as this user's browser would send it, titles changed."""
    response = client.get(change_url(world))
    if response.status_code != 200 or not response.context["has_change_permission"]:
        # Cannot see it, or only read-only: send an editor's form.
        response = client_for(make_role("superuser")).get(change_url(world))
    data = change_form_data(response)
    data["title_en"] = "Hijacked title"
    data["title_es"] = "Título secuestrado"
    return data


def workspace_post(world, client, action):
    """The Spanish workspace as a translator's browser would send it, with
    the Spanish title changed."""
    response = client.get(workspace_url("es")(world))
    if response.status_code != 200:  # not a translator: send a superuser's form
        response = client_for(make_role("superuser")).get(workspace_url("es")(world))
    form = response.context["form"]
    data = {"base": form.initial["base"], "action": action, "note": ""}
    for unit_ in form.units:
        data[f"unit:{unit_.key}"] = unit_.target
    data[f"unit:{unit(world.live, 'title')}"] = "Título secuestrado"
    return data


def call_view(world, view, user):
    _allowed, method, url, data = VIEWS[view]
    client = client_for(user)
    if data == "change form":
        data = change_form_post(world, client)
    elif data in ("workspace", "workspace submit"):
        action = "submit" if data == "workspace submit" else "save"
        data = workspace_post(world, client, action)
    if method == "get":
        return client.get(url(world))
    return client.post(url(world), data)


@pytest.mark.parametrize(
    "view,role",
    [(v, role) for v, (allowed, *_rest) in VIEWS.items() for role in refused(allowed)],
)
def test_refused_admin_view_answers_403_or_login_and_changes_nothing(world, view, role):
    user = make_role(role)
    before = everything()

    response = call_view(world, view, user)

    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    else:
        assert response.status_code == 403
    assert everything() == before
    assert Condition.objects.get(pk=world.live.pk).title_en == "Live"


@pytest.mark.parametrize(
    "view,role",
    [(v, role) for v, (allowed, *_rest) in VIEWS.items() for role in allowed],
)
def test_allowed_admin_view_works(world, view, role):
    user = make_role(role)
    before = everything()

    response = call_view(world, view, user)

    if VIEWS[view][1] == "get":
        assert response.status_code == 200
        assert everything() == before  # looking changes nothing
    else:
        assert response.status_code == 302, getattr(response, "context", None)
        assert everything() != before


def test_four_eyes_holds_in_the_review_screen_even_for_a_superuser(world):
    boss = make_role("superuser")
    section = world.live.sections.get()
    section.body_en = "<p>The superuser's own words.</p>"
    section.save()
    versioning.save_revision(world.live, user=boss, comment="My edit")
    request = workflow.submit(world.live, user=make_author())
    client = client_for(boss)
    url = reverse("admin:conditions_reviewrequest_review", args=[request.pk])

    screen = client.get(url)
    assert screen.status_code == 200
    assert not screen.context["can_approve"]
    html = screen.content.decode()
    assert "You cannot approve a change that you wrote or edited." in html
    assert 'value="approve"' not in html
    before = everything()
    response = client.post(url, {"action": "approve"}, follow=True)
    assert "You cannot approve a change that you wrote or edited." in (
        response.content.decode()
    )
    assert everything() == before


@pytest.mark.parametrize("submitter", ["themselves", "another translator"])
def test_a_translator_never_approves_their_own_translation_even_as_its_reviewer(
    world, submitter
):
    both = make_user("both", groups=["Translators (es)", "Translation reviewers (es)"])
    translations.save_translation(
        world.live,
        language="es",
        values={unit(world.live, "title"): "Mi propio título"},
        user=both,
    )
    other = make_translator(username="other-translator")
    request = workflow.submit_translation(
        world.live, language="es", user=both if submitter == "themselves" else other
    )
    assert both.pk in workflow.editors_of(request)
    allowed, reason = workflow.can_approve(request, both)
    assert (
        not allowed
        and reason == "You cannot approve a change that you wrote or edited."
    )
    before = everything()

    with pytest.raises(workflow.TransitionError, match="wrote or edited"):
        workflow.approve(request, user=both)
    client = client_for(both)
    url = reverse("admin:conditions_reviewrequest_review", args=[request.pk])
    screen = client.get(url)
    assert not screen.context["can_approve"]
    assert 'value="approve"' not in screen.content.decode()
    response = client.post(url, {"action": "approve"}, follow=True)
    assert "You cannot approve a change that you wrote or edited." in (
        response.content.decode()
    )

    assert everything() == before
    # Another translation reviewer may.
    workflow.approve(request, user=make_role("translation_reviewer"))
    spanish = Publication.objects.current().get(condition=world.live, language="es")
    assert spanish.revision_id == request.revision_id
    assert spanish.title == "Mi propio título"
