"""The review workflow: states, four-eyes, scheduling, notifications, atomicity.

Every test drives conditions.workflow with real rows; the only stand-ins are
monkeypatched functions of our own that raise, to inject a fault.
"""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.formats import date_format
from reversion.models import Version

from conditions import versioning, workflow
from conditions.demo import loader
from conditions.models import (
    AuditEntry,
    Condition,
    ConditionContributor,
    Contributor,
    Publication,
    ReviewComment,
    ReviewRequest,
)

from .adminforms import change_form_data
from .factories import (
    make_author,
    make_condition,
    make_reviewer,
    make_translation_reviewer,
    make_user,
    translate_now,
)

Status = Condition.Status
State = ReviewRequest.State


# Helpers -------------------------------------------------------------------


def small_condition(**fields):
    """A two-section article in English and Spanish, quick to publish."""
    return make_condition(sections=2, references=1, images=0, **fields)


def edit(condition, user, text, *, language="en"):
    """Change the first section's body and save it as a revision (as the admin)."""
    section = condition.sections.order_by("position").first()
    setattr(section, f"body_{language}", f"<p>{text}</p>")
    section.save()
    workflow.note_edit(Condition.objects.get(pk=condition.pk), user=user)
    return versioning.save_revision(condition, user=user, comment=f"Wrote {text}")


def submitted(condition, author, text="Draft text"):
    edit(condition, author, text)
    return workflow.submit(condition, user=author, note="Please review")


def published(condition, author=None, reviewer=None):
    """Publish the condition through a full review; return the request."""
    author = author or make_author()
    request = submitted(condition, author, "Reviewed text")
    return workflow.approve(request, user=reviewer or make_reviewer())


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


def with_email(user):
    user.email = f"{user.username}@example.org"
    user.save()
    return user


def author_as_reviewer(author):
    author.groups.add(Group.objects.get(name="Medical reviewers"))
    Contributor.objects.create(user=author, name="Author Doctor", credentials="MD")
    return type(author).objects.get(pk=author.pk)  # fresh permission cache


# Roles ---------------------------------------------------------------------


def test_roles_exist_with_the_permissions_of_the_workflow(db):
    def perms(name):
        group = Group.objects.get(name=name)
        return set(group.permissions.values_list("codename", flat=True))

    authors = perms("Authors")
    reviewers = perms("Medical reviewers")
    editors = perms("Editors")
    translators = perms("Translators (es)")
    translation_reviewers = perms("Translation reviewers (es)")
    assert {"change_condition", "submit_condition"} <= authors
    assert authors.isdisjoint({"review_condition", "unpublish_condition"})
    assert "review_condition" in reviewers
    assert reviewers.isdisjoint({"change_condition", "submit_condition"})
    assert {"submit_condition", "unpublish_condition", "schedule_condition"} <= (
        editors
    )
    assert "view_auditentry" in editors
    assert "review_condition" not in editors
    # Translators edit only through the translation workspace (which checks
    # their language): no model change permission at all.
    assert "view_condition" in translators
    assert not any(p.startswith(("add_", "change_", "delete_")) for p in translators)
    assert translators.isdisjoint({"submit_condition", "review_condition"})
    assert {"view_condition", "view_publication"} <= translation_reviewers
    assert translation_reviewers.isdisjoint({"change_condition", "review_condition"})


def test_demo_accounts_cover_every_role(db):
    loader.load_accounts()
    for name in [
        "Authors",
        "Medical reviewers",
        "Translators (es)",
        "Translation reviewers (es)",
        "Editors",
    ]:
        members = Group.objects.get(name=name).user_set.all()
        assert members.exists(), name
        assert all(user.email for user in members), name


# Submitting ----------------------------------------------------------------


def test_submit_binds_the_request_to_the_current_revision_and_audits_it(db):
    condition = small_condition()
    author = make_author()
    revision = edit(condition, author, "First draft")

    request = workflow.submit(condition, user=author, note="New article")

    assert request.revision == revision
    assert request.base_revision is None
    assert request.state == State.PENDING
    assert reload(condition).status == Status.IN_REVIEW
    entry = AuditEntry.objects.get(action="submitted")
    assert (entry.actor, entry.from_state, entry.to_state, entry.comment) == (
        author,
        Status.DRAFT,
        Status.IN_REVIEW,
        "New article",
    )
    assert entry.request == request and entry.created_at is not None


def test_submit_of_an_unsaved_article_is_refused(db):
    condition = small_condition()
    with pytest.raises(workflow.TransitionError, match="Save the article"):
        workflow.submit(condition, user=make_author())
    assert not ReviewRequest.objects.exists()
    assert reload(condition).status == Status.DRAFT
    assert not AuditEntry.objects.exists()


def test_submit_of_the_live_version_is_refused(db):
    condition = small_condition()
    published(condition)
    audit = AuditEntry.objects.count()
    with pytest.raises(workflow.TransitionError, match="Nothing to review"):
        workflow.submit(condition, user=make_author())
    assert ReviewRequest.objects.count() == 1
    assert AuditEntry.objects.count() == audit


def test_submit_after_publication_is_based_on_the_live_revision(db):
    condition = small_condition()
    first = published(condition)
    request = submitted(condition, make_author(), "Second version")
    assert request.base_revision == first.revision
    assert request.revision_id > first.revision_id


def test_resubmitting_supersedes_the_pending_request(db):
    condition = small_condition()
    author = make_author()
    old = submitted(condition, author, "One")
    new = submitted(condition, author, "Two")

    assert reload(old).state == State.SUPERSEDED
    assert reload(new).state == State.PENDING
    assert ReviewRequest.objects.pending().get() == new
    entry = AuditEntry.objects.get(action="superseded")
    assert entry.request == old
    assert (entry.from_state, entry.to_state) == (State.PENDING, State.SUPERSEDED)


def test_edit_after_submission_makes_the_request_stale_until_resubmitted(db):
    condition = small_condition()
    author, reviewer = make_author(), make_reviewer()
    request = submitted(condition, author, "Submitted text")
    edit(condition, author, "Edited after submitting")

    assert workflow.is_stale(reload(request))
    allowed, reason = workflow.can_approve(reload(request), reviewer)
    assert not allowed and "edited after it was submitted" in reason
    with pytest.raises(workflow.TransitionError, match="edited after it was"):
        workflow.approve(request, user=reviewer)
    assert reload(request).state == State.PENDING
    assert not Publication.objects.exists()

    fresh = workflow.submit(condition, user=author)
    assert reload(request).state == State.SUPERSEDED
    workflow.approve(fresh, user=reviewer)
    assert "Edited after submitting" in str(live(condition)["en"].snapshot)


# Returning and withdrawing ---------------------------------------------------


def test_request_changes_returns_the_article_to_its_author_who_resubmits(db):
    condition = small_condition()
    author, reviewer = make_author(), make_reviewer()
    request = submitted(condition, author)

    workflow.request_changes(request, user=reviewer, comment_text="Cite a source.")

    request = reload(request)
    assert request.state == State.CHANGES_REQUESTED
    assert request.decided_by == reviewer and request.decided_at is not None
    assert reload(condition).status == Status.CHANGES_REQUESTED
    assert ReviewComment.objects.get().text == "Cite a source."
    entry = AuditEntry.objects.get(action="changes_requested")
    assert (entry.actor, entry.from_state, entry.to_state, entry.comment) == (
        reviewer,
        Status.IN_REVIEW,
        Status.CHANGES_REQUESTED,
        "Cite a source.",
    )

    again = submitted(condition, author, "With a source")
    assert reload(condition).status == Status.IN_REVIEW
    assert again.state == State.PENDING
    assert reload(request).state == State.CHANGES_REQUESTED


def test_request_changes_without_a_comment_is_refused(db):
    request = submitted(small_condition(), make_author())
    with pytest.raises(workflow.TransitionError, match="Say what needs to change"):
        workflow.request_changes(request, user=make_reviewer(), comment_text="  ")
    assert reload(request).state == State.PENDING
    assert not ReviewComment.objects.exists()


def test_a_decided_request_cannot_be_decided_again(db):
    request = submitted(small_condition(), make_author())
    reviewer = make_reviewer()
    workflow.request_changes(request, user=reviewer, comment_text="No.")
    with pytest.raises(workflow.TransitionError):
        workflow.approve(request, user=reviewer)
    with pytest.raises(workflow.TransitionError):
        workflow.request_changes(request, user=reviewer, comment_text="Again")
    with pytest.raises(workflow.TransitionError):
        workflow.withdraw(request, user=request.submitted_by)
    assert not Publication.objects.exists()
    assert reload(request).state == State.CHANGES_REQUESTED


def test_submitter_withdraws_the_request_and_the_article_is_a_draft_again(db):
    condition = small_condition()
    author = make_author()
    request = submitted(condition, author)

    workflow.withdraw(request, user=author, comment="Not ready")

    assert reload(request).state == State.WITHDRAWN
    assert reload(condition).status == Status.DRAFT
    entry = AuditEntry.objects.get(action="withdrawn")
    assert (entry.actor, entry.from_state, entry.to_state, entry.comment) == (
        author,
        Status.IN_REVIEW,
        Status.DRAFT,
        "Not ready",
    )


# Approving -------------------------------------------------------------------


def test_approval_publishes_the_source_language_with_the_reviewers_profile(client, db):
    condition = small_condition(slug_en="focal-dystonia", slug_es="distonia-focal")
    reviewer = make_reviewer(name="Grace Okafor", credentials="MD, PhD")
    request = submitted(condition, make_author())

    workflow.approve(request, user=reviewer, comment_text="Accurate.")

    request = reload(request)
    assert request.state == State.PUBLISHED
    assert reload(condition).status == Status.PUBLISHED
    publications = live(condition)
    # A medical approval publishes the source language only: the Spanish
    # texts of the working copy wait for their own translation review.
    assert set(publications) == {"en"}
    publication = publications["en"]
    assert publication.revision == request.revision
    assert publication.review == request
    assert publication.reviewer_name == "Grace Okafor"
    assert publication.reviewer_credentials == "MD, PhD"
    assert publication.reviewed_at == request.decided_at
    assert publication.published_by == reviewer
    entry = AuditEntry.objects.get(action="approved_published")
    assert (entry.actor, entry.from_state, entry.to_state, entry.comment) == (
        reviewer,
        Status.IN_REVIEW,
        Status.PUBLISHED,
        "Accurate.",
    )

    html = page(client, "/en/conditions/focal-dystonia/")
    with translation.override("en"):
        reviewed = date_format(timezone.localtime(request.decided_at), "DATE_FORMAT")
    assert f"Medically reviewed by Grace Okafor, MD, PhD on {reviewed}" in html
    published_at = dateformat.format(
        timezone.localtime(publications["en"].published_at), "Y-m-d\\TH:i:sO"
    )
    assert f'Last updated: <time datetime="{published_at}">' in html
    assert client.get("/es/conditions/distonia-focal/").status_code == 404

    # The translation review publishes Spanish, with the medical byline of
    # the source publication it was translated from.
    translation_reviewer = make_translation_reviewer()
    translation_request = translate_now(condition, reviewer=translation_reviewer)
    spanish = live(condition)["es"]
    assert spanish.review == reload(translation_request)
    assert spanish.revision == translation_request.revision
    assert spanish.source_publication == publication
    assert spanish.published_by == translation_reviewer
    assert (spanish.reviewer_name, spanish.reviewer_credentials) == (
        "Grace Okafor",
        "MD, PhD",
    )
    assert spanish.reviewed_at == request.decided_at
    assert live(condition)["en"] == publication  # the source is untouched
    assert "Distonía focal" in page(client, "/es/conditions/distonia-focal/")


def test_byline_is_the_approval_record_not_a_typed_or_later_edited_profile(client, db):
    condition = small_condition(slug_en="focal-dystonia")
    # Someone typed a "reviewer" as a credited person: it is not the byline.
    typed = Contributor.objects.create(name="Typed Reviewer", credentials="MD")
    ConditionContributor.objects.create(
        condition=condition, contributor=typed, role="author", position=1
    )
    reviewer = make_reviewer(name="Daniel A. Ostrovsky", credentials="MD")
    published(condition, reviewer=reviewer)
    # The profile changes after the approval: the signed record does not.
    Contributor.objects.filter(user=reviewer).update(name="Renamed", credentials="")

    html = page(client, "/en/conditions/focal-dystonia/")
    assert "Medically reviewed by Daniel A. Ostrovsky, MD on" in html
    assert "Medically reviewed by Typed Reviewer" not in html
    assert "Renamed" not in html
    assert "medical_reviewer" not in ConditionContributor.Role.values


@pytest.mark.parametrize("profile", [None, ""], ids=["no-profile", "no-credentials"])
def test_reviewer_without_a_profile_with_credentials_is_refused(db, profile):
    request = submitted(small_condition(), make_author())
    reviewer = make_user(groups=["Medical reviewers"])
    if profile is not None:
        Contributor.objects.create(user=reviewer, name="Nameless", credentials="")

    with pytest.raises(workflow.TransitionError, match="contributor profile"):
        workflow.approve(request, user=reviewer)

    assert reload(request).state == State.PENDING
    assert reload(request).decided_by is None
    assert not Publication.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="approved").exists()


# Four-eyes -------------------------------------------------------------------


def test_nobody_approves_their_own_submission_not_even_a_superuser(db):
    boss = make_user(superuser=True)
    Contributor.objects.create(user=boss, name="Big Boss", credentials="MD")
    condition = small_condition()
    request = submitted(condition, boss)

    with pytest.raises(workflow.TransitionError, match="wrote or edited"):
        workflow.approve(request, user=boss)

    assert reload(request).state == State.PENDING
    assert not Publication.objects.exists()


def test_an_editor_of_any_revision_in_the_range_cannot_approve(db):
    condition = small_condition()
    published(condition)
    author = make_author()
    # A superuser reviewer edited one revision in between; the author
    # edited after them and submitted.
    meddler = make_user(superuser=True)
    Contributor.objects.create(user=meddler, name="Meddler", credentials="MD")
    edit(condition, meddler, "Superuser's wording")
    request = submitted(condition, author, "Author's wording")

    assert meddler.pk in workflow.editors_of(request)
    with pytest.raises(workflow.TransitionError, match="wrote or edited"):
        workflow.approve(request, user=meddler)
    assert reload(request).state == State.PENDING

    workflow.approve(request, user=make_reviewer())
    assert reload(request).state == State.PUBLISHED


def test_edits_before_the_live_revision_do_not_bar_a_reviewer(db):
    reviewer = make_user(superuser=True)
    Contributor.objects.create(user=reviewer, name="Senior", credentials="MD")
    condition = small_condition()
    # The reviewer wrote the first version, which someone else approved.
    edit(condition, reviewer, "Reviewer's first version")
    first = workflow.submit(condition, user=make_author())
    workflow.approve(first, user=make_reviewer())

    request = submitted(condition, make_author(), "Someone else's update")

    assert reviewer.pk not in workflow.editors_of(request)
    workflow.approve(request, user=reviewer)
    assert live(condition)["en"].revision == request.revision


def test_self_approval_is_possible_only_when_the_setting_allows_it(db, settings):
    settings.REVIEW_ALLOW_SELF_APPROVAL = True
    solo = make_user(superuser=True)
    Contributor.objects.create(user=solo, name="Solo Doctor", credentials="MD")
    condition = small_condition()
    request = submitted(condition, solo)

    workflow.approve(request, user=solo)

    assert live(condition)["en"].reviewer_name == "Solo Doctor"


# Scheduling and expiry -------------------------------------------------------


def test_approval_with_a_future_go_live_time_schedules_without_publishing(client, db):
    condition = small_condition(slug_en="later")
    request = submitted(condition, make_author())

    workflow.approve(
        request,
        user=make_reviewer(),
        go_live_at=timezone.now() + timedelta(days=1),
    )

    assert reload(request).state == State.APPROVED
    assert reload(condition).status == Status.SCHEDULED
    assert not Publication.objects.exists()
    assert client.get("/en/conditions/later/").status_code == 404
    entry = AuditEntry.objects.get(action="approved_scheduled")
    assert entry.to_state == Status.SCHEDULED


def test_publish_scheduled_publishes_when_due_once_only(client, db):
    condition = small_condition(slug_en="later")
    request = submitted(condition, make_author())
    go_live = timezone.now() + timedelta(hours=1)
    workflow.approve(request, user=make_reviewer(), go_live_at=go_live)

    call_command("publish_scheduled", stdout=StringIO())
    assert not Publication.objects.exists()  # not due yet

    # Time passes: the go-live time is now behind us.
    ReviewRequest.objects.filter(pk=request.pk).update(
        go_live_at=timezone.now() - timedelta(minutes=1)
    )
    out = StringIO()
    call_command("publish_scheduled", stdout=out)
    assert "published: Focal Dystonia" in out.getvalue()

    assert reload(request).state == State.PUBLISHED
    assert reload(condition).status == Status.PUBLISHED
    assert set(live(condition)) == {"en"}  # Spanish goes through its own review
    assert live(condition)["en"].reviewer_name == "Daniel A. Ostrovsky"
    assert "English text" in page(client, "/en/conditions/later/")
    went_live = AuditEntry.objects.get(action="went_live")
    assert (went_live.from_state, went_live.to_state) == (
        Status.SCHEDULED,
        Status.PUBLISHED,
    )

    counts = (Publication.objects.count(), AuditEntry.objects.count())
    out = StringIO()
    call_command("publish_scheduled", stdout=out)
    assert out.getvalue() == ""
    assert (Publication.objects.count(), AuditEntry.objects.count()) == counts


def test_edit_after_a_scheduled_approval_publishes_the_approved_revision(db):
    condition = small_condition()
    author = make_author()
    request = submitted(condition, author, "Approved words")
    workflow.approve(
        request, user=make_reviewer(), go_live_at=timezone.now() + timedelta(hours=1)
    )
    edit(condition, author, "Unreviewed words")
    assert reload(condition).status == Status.DRAFT

    workflow.publish_scheduled(now=timezone.now() + timedelta(hours=2))

    snapshot = str(live(condition)["en"].snapshot)
    assert "Approved words" in snapshot
    assert "Unreviewed words" not in snapshot
    # The working copy is still ahead of the live version.
    assert reload(condition).status == Status.DRAFT


def test_an_older_scheduled_approval_never_replaces_a_newer_publication(db):
    condition = small_condition()
    author, reviewer = make_author(), make_reviewer()
    older = submitted(condition, author, "Older approved words")
    workflow.approve(
        older, user=reviewer, go_live_at=timezone.now() + timedelta(hours=1)
    )
    newer = submitted(condition, author, "Newer approved words")
    workflow.approve(newer, user=reviewer)

    workflow.publish_scheduled(now=timezone.now() + timedelta(hours=2))

    assert live(condition)["en"].revision == newer.revision
    assert "Newer approved words" in str(live(condition)["en"].snapshot)
    assert reload(older).state == State.SUPERSEDED
    assert AuditEntry.objects.filter(action="superseded", request=older).exists()
    assert Publication.objects.filter(revision=older.revision).count() == 0


def test_two_scheduled_approvals_due_in_one_run_leave_the_newest_live(db):
    condition = small_condition()
    author, reviewer = make_author(), make_reviewer()
    soon = timezone.now() + timedelta(hours=1)
    older = submitted(condition, author, "Older approved words")
    workflow.approve(older, user=reviewer, go_live_at=soon + timedelta(minutes=5))
    newer = submitted(condition, author, "Newer approved words")
    workflow.approve(newer, user=reviewer, go_live_at=soon)

    workflow.publish_scheduled(now=soon + timedelta(hours=1))

    assert live(condition)["en"].revision == newer.revision
    assert reload(newer).state == State.PUBLISHED


def test_expiry_set_by_an_editor_unpublishes_when_due(client, db):
    condition = small_condition(slug_en="expiring", slug_es="caduca")
    published(condition)
    translate_now(condition)
    editor = make_user(groups=["Editors"])
    expire_at = timezone.now() + timedelta(days=30)

    workflow.set_expiry(condition, user=editor, expire_at=expire_at)

    assert reload(condition).expire_at == expire_at
    entry = AuditEntry.objects.get(action="expiry_set")
    assert entry.actor == editor and entry.comment == expire_at.isoformat()
    assert workflow.publish_scheduled() == ([], [])
    assert client.get("/en/conditions/expiring/").status_code == 200
    assert client.get("/es/conditions/caduca/").status_code == 200

    published_now, expired = workflow.publish_scheduled(
        now=expire_at + timedelta(minutes=1)
    )

    assert published_now == [] and [c.pk for c in expired] == [condition.pk]
    assert live(condition) == {}
    assert client.get("/en/conditions/expiring/").status_code == 404
    assert client.get("/es/conditions/caduca/").status_code == 404
    condition = reload(condition)
    assert condition.status == Status.DRAFT and condition.expire_at is None
    assert AuditEntry.objects.filter(action="expired").count() == 1
    assert workflow.publish_scheduled(now=expire_at + timedelta(days=1)) == ([], [])
    # The past publications (English and Spanish) are kept, marked withdrawn.
    assert Publication.objects.filter(condition=condition).count() == 2
    assert not Publication.objects.filter(withdrawn_at=None).exists()


def test_publish_scheduled_command_applies_a_past_expiry(db):
    condition = small_condition()
    published(condition)
    workflow.set_expiry(
        condition,
        user=make_user(groups=["Editors"]),
        expire_at=timezone.now() - timedelta(minutes=1),
    )
    call_command("publish_scheduled", stdout=StringIO())
    assert live(condition) == {}


# Unpublish, archive, restore -------------------------------------------------


def test_unpublish_needs_a_reason_which_the_audit_log_shows(client, db):
    condition = small_condition(slug_en="withdrawn-article")
    published(condition)
    translate_now(condition)
    editor = make_user(groups=["Editors"])
    before = set(Publication.objects.values_list("pk", flat=True))

    with pytest.raises(workflow.TransitionError, match="reason"):
        workflow.unpublish(condition, user=editor, reason=" ")
    assert set(live(condition)) == {"en", "es"}

    workflow.unpublish(condition, user=editor, reason="Outdated dosage advice")

    assert live(condition) == {}
    assert set(Publication.objects.values_list("pk", flat=True)) == before
    assert set(Publication.objects.values_list("withdrawn_reason", flat=True)) == {
        "Outdated dosage advice"
    }
    assert reload(condition).status == Status.DRAFT
    entry = AuditEntry.objects.get(action="unpublished")
    assert (entry.actor, entry.from_state, entry.to_state) == (
        editor,
        Status.PUBLISHED,
        Status.DRAFT,
    )
    client.force_login(editor)
    html = page(client, reverse("admin:conditions_auditentry_changelist"))
    assert "Outdated dosage advice" in html
    assert client.get("/en/conditions/withdrawn-article/").status_code == 404

    with pytest.raises(workflow.TransitionError, match="not published"):
        workflow.unpublish(condition, user=editor, reason="Again")


@pytest.mark.parametrize("how", ["unpublish", "expiry"])
def test_taking_an_article_offline_during_a_review_keeps_the_review_open(db, how):
    condition = small_condition()
    published(condition)
    request = submitted(condition, make_author(), "Update under review")
    editor = make_user(groups=["Editors"])

    if how == "unpublish":
        workflow.unpublish(condition, user=editor, reason="Recall")
    else:
        workflow.set_expiry(condition, user=editor, expire_at=timezone.now())
        workflow.publish_scheduled(now=timezone.now() + timedelta(seconds=1))

    assert live(condition) == {}
    assert reload(request).state == State.PENDING
    assert reload(condition).status == Status.IN_REVIEW
    entry = AuditEntry.objects.latest("id")
    assert (entry.from_state, entry.to_state) == (Status.IN_REVIEW, Status.IN_REVIEW)
    workflow.approve(request, user=make_reviewer())
    assert live(condition)["en"].revision == request.revision
    assert reload(condition).status == Status.PUBLISHED


def test_unpublish_cancels_a_scheduled_approval(db):
    condition = small_condition()
    published(condition)
    request = submitted(condition, make_author(), "Scheduled update")
    workflow.approve(
        request, user=make_reviewer(), go_live_at=timezone.now() + timedelta(hours=1)
    )

    workflow.unpublish(condition, user=make_user(groups=["Editors"]), reason="Recall")

    assert reload(request).state == State.WITHDRAWN
    assert workflow.publish_scheduled(now=timezone.now() + timedelta(hours=2)) == (
        [],
        [],
    )
    assert live(condition) == {}


def test_archive_unpublishes_closes_the_review_and_restore_makes_a_draft(db):
    condition = small_condition()
    published(condition)
    author = make_author()
    request = submitted(condition, author, "Pending update")
    editor = make_user(groups=["Editors"])

    workflow.archive(condition, user=editor, reason="Merged into another article")

    assert reload(condition).status == Status.ARCHIVED
    assert live(condition) == {}
    assert reload(request).state == State.WITHDRAWN
    with pytest.raises(workflow.TransitionError, match="archived"):
        workflow.submit(condition, user=author)
    with pytest.raises(workflow.TransitionError, match="already archived"):
        workflow.archive(condition, user=editor, reason="Twice")

    workflow.restore(condition, user=editor)

    assert reload(condition).status == Status.DRAFT
    assert live(condition) == {}  # restoring does not publish
    with pytest.raises(workflow.TransitionError, match="Only an archived"):
        workflow.restore(condition, user=editor)
    trail = list(
        AuditEntry.objects.filter(action__in=["archived", "restored"])
        .order_by("id")
        .values_list("action", "from_state", "to_state", "comment")
    )
    assert trail == [
        ("archived", Status.IN_REVIEW, Status.ARCHIVED, "Merged into another article"),
        ("restored", Status.ARCHIVED, Status.DRAFT, ""),
    ]


def test_every_transition_leaves_an_audit_trail(db):
    condition = small_condition()
    author, reviewer = make_author(), make_reviewer()
    editor = make_user(groups=["Editors"])
    first = submitted(condition, author, "One")
    workflow.request_changes(first, user=reviewer, comment_text="Fix it")
    second = submitted(condition, author, "Two")
    workflow.withdraw(second, user=author)
    third = workflow.submit(condition, user=author)
    workflow.approve(third, user=reviewer)
    workflow.set_expiry(condition, user=editor, expire_at=None)
    workflow.unpublish(condition, user=editor, reason="Recall")
    workflow.archive(condition, user=editor, reason="Gone")
    workflow.restore(condition, user=editor)

    trail = list(
        AuditEntry.objects.order_by("id").values_list(
            "action", "actor__username", "from_state", "to_state"
        )
    )
    assert trail == [
        ("submitted", author.username, "draft", "in_review"),
        ("changes_requested", reviewer.username, "in_review", "changes_requested"),
        ("submitted", author.username, "changes_requested", "in_review"),
        ("withdrawn", author.username, "in_review", "draft"),
        ("submitted", author.username, "draft", "in_review"),
        ("approved_published", reviewer.username, "in_review", "published"),
        ("expiry_set", editor.username, "published", "published"),
        ("unpublished", editor.username, "published", "draft"),
        ("archived", editor.username, "draft", "archived"),
        ("restored", editor.username, "archived", "draft"),
    ]
    assert all(
        e.condition == condition and e.condition_title == str(condition)
        for e in AuditEntry.objects.all()
    )


# Notifications ---------------------------------------------------------------


def test_submission_emails_every_reviewer_but_not_the_submitter(
    db, django_capture_on_commit_callbacks
):
    condition = small_condition(title_en="Asthma")
    reviewers = [with_email(make_reviewer()), with_email(make_reviewer())]
    make_reviewer()  # no email address: nothing to send to
    author = with_email(make_author())
    with_email(make_user(groups=["Editors"]))
    edit(condition, author, "Draft")

    with django_capture_on_commit_callbacks(execute=True):
        request = workflow.submit(condition, user=author, note="Added causes")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == sorted(r.email for r in reviewers)
    assert "Asthma" in message.subject
    assert "Added causes" in message.body
    review_url = reverse("admin:conditions_reviewrequest_review", args=[request.pk])
    assert review_url in message.body


@pytest.mark.parametrize("decision", ["approve", "request_changes"])
def test_author_is_emailed_the_decision(
    db, django_capture_on_commit_callbacks, decision
):
    condition = small_condition(title_en="Asthma")
    author = with_email(make_author())
    reviewer = make_reviewer()
    request = submitted(condition, author)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        if decision == "approve":
            workflow.approve(request, user=reviewer)
        else:
            workflow.request_changes(request, user=reviewer, comment_text="Fix")

    assert [m.to for m in mail.outbox] == [[author.email]]
    subject = mail.outbox[0].subject
    expected = "Approved: Asthma" if decision == "approve" else "Changes requested"
    assert subject.startswith(expected)


def test_no_email_is_sent_for_a_refused_approval(
    db, django_capture_on_commit_callbacks
):
    author = with_email(make_author())
    request = submitted(small_condition(), author)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(workflow.TransitionError):
            workflow.approve(request, user=author_as_reviewer(author))
    assert mail.outbox == []


# Dashboards ------------------------------------------------------------------


def queue(client, user, key):
    client.force_login(user)
    response = client.get(
        reverse("admin:conditions_condition_changelist"), {"queue": key}
    )
    assert response.status_code == 200
    return response


def titles(response):
    return sorted(str(c) for c in response.context["cl"].result_list)


def test_dashboards_list_the_right_articles_for_each_user(client, db):
    author, other_author = make_author(), make_author()
    reviewer = make_reviewer()
    boss = make_user(superuser=True)
    Contributor.objects.create(user=boss, name="Boss", credentials="MD")

    drafting = small_condition(title_en="Drafting")
    edit(drafting, author, "Work in progress")
    awaiting = small_condition(title_en="Awaiting")
    submitted(awaiting, author)
    own = small_condition(title_en="Boss's own")
    submitted(own, boss)
    returned = small_condition(title_en="Returned")
    workflow.request_changes(
        submitted(returned, other_author), user=reviewer, comment_text="Redo"
    )
    fresh = small_condition(title_en="Fresh")
    published(fresh, author=other_author)
    old = small_condition(title_en="Old")
    published(old, author=other_author)
    Publication.objects.filter(condition=old).update(
        published_at=timezone.now() - timedelta(days=90)
    )

    expected = {
        (reviewer, "awaiting_my_review"): ["Awaiting", "Boss's own"],
        (boss, "awaiting_my_review"): ["Awaiting"],
        (author, "awaiting_my_review"): [],
        (author, "my_drafts"): ["Drafting"],
        (other_author, "my_drafts"): ["Returned"],
        (reviewer, "my_drafts"): [],
        (author, "changes_requested"): ["Returned"],
        (author, "recently_published"): ["Fresh"],
    }
    for (user, key), names in expected.items():
        response = queue(client, user, key)
        assert titles(response) == names, (user.username, key)

    html = queue(client, reviewer, "awaiting_my_review").content.decode()
    assert "Awaiting my review (2)" in html
    assert "Changes requested (1)" in html
    assert "Recently published (1)" in html
    html = queue(client, author, "my_drafts").content.decode()
    assert "My drafts (1)" in html
    assert "Awaiting my review (0)" in html


# No draft leaks ----------------------------------------------------------------


def test_no_draft_words_reach_the_public_pages_or_the_index(client, db):
    condition = make_condition(
        sections=3, references=1, images=1, slug_en="asthma", slug_es="asma"
    )
    published(condition)
    translate_now(condition)
    editor = make_user(superuser=True)
    client.force_login(editor)
    url = reverse("admin:conditions_condition_change", args=[condition.pk])
    data = change_form_data(client.get(url))
    secret = {
        "title_en": "Quokkaword Title",
        "title_es": "Quokkapalabra Título",
        "summary_en": "Quokkaword summary",
        "summary_es": "Quokkapalabra resumen",
        "also_called_en": "Quokkaword alias",
        "also_called_es": "Quokkapalabra alias",
        "sections-0-body_en": "<p>Quokkaword body</p>",
        "sections-0-body_es": "<p>Quokkapalabra cuerpo</p>",
        "sections-1-heading_en": "Quokkaword heading",
        "images-0-alt_text_en": "Quokkaword picture",
        "images-0-alt_text_es": "Quokkapalabra imagen",
    }
    data.update(secret, change_note="Draft edit")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    latest = Version.objects.get_for_object(condition).first()
    assert latest.field_dict["title_en"] == "Quokkaword Title"
    request = workflow.submit(condition, user=editor)
    client.logout()

    for url in ["/en/", "/en/conditions/asthma/", "/es/", "/es/conditions/asma/"]:
        html = page(client, url)
        assert "Quokka" not in html, url
    assert "Focal Dystonia" in page(client, "/en/")
    assert "Distonía focal" in page(client, "/es/")

    # The medical approval publishes the English words only: Spanish typed
    # into the change form waits for a translation review.
    workflow.approve(request, user=make_reviewer())
    assert "Quokkaword Title" in page(client, "/en/conditions/asthma/")
    for url in ["/es/", "/es/conditions/asma/"]:
        assert "Quokka" not in page(client, url), url


# Atomicity ---------------------------------------------------------------------


def _raise(*args, **kwargs):
    raise RuntimeError("injected fault")


FAULTS = {
    # before anything is written
    "build_snapshot": ("conditions.publishing.publisher.build_snapshot", _raise),
    # after the English publication was created and the old one retired,
    # while flagging the live translations outdated
    "source_published": ("conditions.translations.source_published", _raise),
    "announce": ("conditions.publishing.publisher._announce", _raise),
    "publish": ("conditions.publishing.publish", _raise),
    "set_status": ("conditions.workflow.transitions._set_state", _raise),
    "audit": ("conditions.workflow.transitions._audit", _raise),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_a_fault_anywhere_in_approve_and_publish_leaves_the_old_version_live(
    client, db, monkeypatch, django_capture_on_commit_callbacks, fault
):
    condition = small_condition(slug_en="stable")
    published(condition)
    translate_now(condition)
    before_live = {lang: p.pk for lang, p in live(condition).items()}
    assert set(before_live) == {"en", "es"}
    author = with_email(make_author())
    request = submitted(condition, author, "New unpublished words")
    counts = (
        Publication.objects.count(),
        AuditEntry.objects.count(),
        ReviewComment.objects.count(),
    )
    target, replacement = FAULTS[fault]
    monkeypatch.setattr(target, replacement)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError, match="injected fault"):
            workflow.approve(request, user=make_reviewer(), comment_text="OK")

    monkeypatch.undo()
    assert {lang: p.pk for lang, p in live(condition).items()} == before_live
    assert (
        Publication.objects.count(),
        AuditEntry.objects.count(),
        ReviewComment.objects.count(),
    ) == counts
    request = reload(request)
    assert request.state == State.PENDING
    assert request.decided_by is None and request.reviewer_name == ""
    assert reload(condition).status == Status.IN_REVIEW
    assert mail.outbox == []
    assert "New unpublished words" not in page(client, "/en/conditions/stable/")
    assert live(condition)["es"].outdated_since is None
    # Nothing is stuck: once the fault is gone the same request goes through.
    workflow.approve(request, user=make_reviewer())
    assert live(condition)["en"].revision == request.revision
    assert live(condition)["es"].pk == before_live["es"]
    assert live(condition)["es"].outdated_since == live(condition)["en"].published_at


@pytest.mark.parametrize("fault", ["source_published", "set_status", "audit"])
def test_a_fault_while_going_live_keeps_the_schedule_for_the_next_run(
    db, monkeypatch, fault
):
    condition = small_condition()
    request = submitted(condition, make_author())
    workflow.approve(
        request, user=make_reviewer(), go_live_at=timezone.now() + timedelta(hours=1)
    )
    target, replacement = FAULTS[fault]
    monkeypatch.setattr(target, replacement)
    later = timezone.now() + timedelta(hours=2)
    audit = AuditEntry.objects.count()

    with pytest.raises(RuntimeError):
        workflow.publish_scheduled(now=later)

    monkeypatch.undo()
    assert not Publication.objects.exists()
    assert reload(request).state == State.APPROVED
    assert reload(condition).status == Status.SCHEDULED
    assert AuditEntry.objects.count() == audit
    workflow.publish_scheduled(now=later)
    assert set(live(condition)) == {"en"}


TRANSITIONS = {
    "submit": lambda c, r, a, e: workflow.submit(c, user=a),
    "withdraw": lambda c, r, a, e: workflow.withdraw(r, user=a),
    "request_changes": lambda c, r, a, e: workflow.request_changes(
        r, user=make_reviewer(), comment_text="No"
    ),
    "unpublish": lambda c, r, a, e: workflow.unpublish(c, user=e, reason="R"),
    "archive": lambda c, r, a, e: workflow.archive(c, user=e, reason="R"),
    "set_expiry": lambda c, r, a, e: workflow.set_expiry(
        c, user=e, expire_at=timezone.now()
    ),
}


@pytest.mark.parametrize("transition", TRANSITIONS)
def test_a_failed_audit_entry_undoes_the_whole_transition(db, monkeypatch, transition):
    condition = small_condition()
    published(condition)
    author = make_author()
    request = submitted(condition, author, "Pending words")
    editor = make_user(groups=["Editors"])

    def state():
        c = reload(condition)
        return (
            c.status,
            c.expire_at,
            sorted(ReviewRequest.objects.values_list("pk", "state")),
            sorted(Publication.objects.values_list("pk", "is_current")),
            AuditEntry.objects.count(),
            ReviewComment.objects.count(),
        )

    before = state()
    monkeypatch.setattr("conditions.workflow.transitions._audit", _raise)

    with pytest.raises(RuntimeError):
        TRANSITIONS[transition](condition, request, author, editor)

    assert state() == before


def test_restore_is_undone_when_its_audit_entry_fails(db, monkeypatch):
    condition = small_condition()
    editor = make_user(groups=["Editors"])
    workflow.archive(condition, user=editor, reason="Old")
    monkeypatch.setattr("conditions.workflow.transitions._audit", _raise)
    with pytest.raises(RuntimeError):
        workflow.restore(condition, user=editor)
    assert reload(condition).status == Status.ARCHIVED
