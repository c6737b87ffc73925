"""History: every save is a revision; compare, revert and recover through the
admin, none of which ever publishes; past publications are kept."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from reversion.models import Revision, Version

from conditions import versioning, workflow
from conditions.models import (
    Condition,
    ConditionReference,
    Contributor,
    Image,
    Publication,
    ReviewRequest,
    Section,
)

from .adminforms import change_form_data
from .factories import (
    make_author,
    make_condition,
    make_reviewer,
    make_user,
    publish_now,
)

Status = Condition.Status


def change_url(condition):
    return reverse("admin:conditions_condition_change", args=[condition.pk])


def admin_save(client, condition, note, **changes):
    """Save the change form as a browser would, with some fields changed."""
    url = change_url(condition)
    data = change_form_data(client.get(url))
    data.update(changes, change_note=note)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    return versioning.latest_revision(condition)


def condition_version(revision, condition):
    return revision.version_set.get(
        content_type__model="condition", object_id=str(condition.pk)
    )


def live_pks(condition):
    return sorted(
        Publication.objects.current()
        .filter(condition=condition)
        .values_list("pk", flat=True)
    )


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def editor(db):
    return make_user("elena", groups=["Editors"])


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_every_admin_save_is_a_revision_with_its_user_and_change_note(client, db):
    condition = make_condition(sections=2, images=0)
    author = make_author("cynthia")
    editor = make_user("tomas", groups=["Editors"])

    client.force_login(author)
    first = admin_save(client, condition, "Clarified the causes", title_en="FD")
    client.force_login(editor)
    second = admin_save(client, condition, "Tradujo el título", title_es="DF")

    assert (first.user, first.comment) == (author, "Clarified the causes")
    assert (second.user, second.comment) == (editor, "Tradujo el título")
    assert Version.objects.get_for_object(condition).count() == 2
    history = page(
        client, reverse("admin:conditions_condition_history", args=[condition.pk])
    )
    for text in ["cynthia", "Clarified the causes", "tomas", "Tradujo el título"]:
        assert text in history


def test_any_two_revisions_can_be_compared(editor_client, db):
    condition = make_condition(sections=2, images=0)
    first = versioning.save_revision(condition, user=make_author(), comment="v1")
    second = admin_save(editor_client, condition, "v2", title_es="Distonía nueva")
    third = admin_save(
        editor_client, condition, "v3", **{"sections-0-body_en": "<p>Third text</p>"}
    )
    url = reverse("admin:conditions_condition_compare", args=[condition.pk])

    whole = page(editor_client, f"{url}?old={first.pk}&new={third.pk}")
    assert "Distonía <del>focal</del><ins>nueva</ins>" in whole
    assert "<del>English</del><ins>Third</ins> text" in whole
    swapped = editor_client.get(url, {"old": third.pk, "new": first.pk})
    assert swapped.context["old"] == first and swapped.context["new"] == third
    last_step = page(editor_client, f"{url}?old={second.pk}&new={third.pk}")
    assert "<ins>Third</ins> text" in last_step
    assert "<ins>nueva</ins>" not in last_step
    # Revisions of another article cannot be smuggled in.
    other = make_condition(sections=1, images=0, references=1)
    foreign = versioning.save_revision(other, user=make_author(), comment="x")
    response = editor_client.get(url, {"old": first.pk, "new": foreign.pk})
    assert response.status_code == 404


def test_history_page_links_revisions_for_comparison(editor_client, db):
    condition = make_condition(sections=1, images=0, references=1)
    first = versioning.save_revision(condition, user=make_author(), comment="v1")
    second = admin_save(editor_client, condition, "v2", title_en="Renamed")
    html = page(
        editor_client,
        reverse("admin:conditions_condition_history", args=[condition.pk]),
    )
    assert reverse("admin:conditions_condition_compare", args=[condition.pk]) in html
    assert f'name="old" value="{first.pk}"' in html
    assert f'name="new" value="{second.pk}"' in html


def test_revert_makes_a_new_draft_revision_and_never_publishes(client, editor_client):
    condition = make_condition(sections=2, images=0, slug_en="focal-dystonia")
    publish_now(condition)
    first = versioning.latest_revision(condition)
    admin_save(
        editor_client,
        condition,
        "Second wording",
        **{"sections-0-body_en": "<p>Second wording, reviewed.</p>"},
    )
    publish_now(condition)
    live_before = live_pks(condition)
    publications = Publication.objects.count()
    requests = ReviewRequest.objects.count()
    revisions = Revision.objects.count()
    version = condition_version(first, condition)
    url = reverse(
        "admin:conditions_condition_revision", args=[condition.pk, version.pk]
    )

    form = editor_client.get(url)
    assert form.status_code == 200
    # Looking at an old revision changes nothing.
    assert Revision.objects.count() == revisions
    assert "Second wording" in str(condition.sections.get(position=0).body_en)
    response = editor_client.post(url, change_form_data(form))

    assert response.status_code == 302
    assert Revision.objects.count() == revisions + 1
    reverted = versioning.latest_revision(condition)
    assert reverted.user.username == "elena"
    assert "Reverted to previous version" in reverted.comment
    section = Section.objects.get(condition=condition, position=0)
    assert section.body_en == "<p>English text of definition number 0.</p>"
    assert Condition.objects.get(pk=condition.pk).status == Status.DRAFT
    # Nothing was published or submitted by the revert.
    assert live_pks(condition) == live_before
    assert Publication.objects.count() == publications
    assert ReviewRequest.objects.count() == requests
    html = page(client, "/en/conditions/focal-dystonia/")
    assert "Second wording, reviewed." in html
    assert "English text of definition number 0" not in html


def revert_to(client, condition, revision):
    url = reverse(
        "admin:conditions_condition_revision",
        args=[condition.pk, condition_version(revision, condition).pk],
    )
    response = client.post(url, change_form_data(client.get(url)))
    assert response.status_code == 302
    return response


def test_revert_keeps_the_expiry_set_by_an_editor(editor_client, editor):
    condition = make_condition(sections=1, images=0, references=1)
    publish_now(condition)
    first = versioning.latest_revision(condition)
    admin_save(editor_client, condition, "Edit", title_en="Changed")
    expire_at = timezone.now() + timedelta(days=10)
    workflow.set_expiry(condition, user=editor, expire_at=expire_at)

    revert_to(editor_client, condition, first)

    assert Condition.objects.get(pk=condition.pk).expire_at == expire_at


def test_revert_keeps_a_reviewers_profile_linked_to_their_account(editor_client):
    condition = make_condition(sections=1, images=0, references=1)
    reviewer = make_reviewer()
    profile = Contributor.objects.get(user=reviewer)
    # The reviewer is also credited on the article, so its revisions hold
    # the profile (without the account link, which is not versioned).
    condition.condition_contributors.create(
        contributor=profile, role="author", position=1
    )
    publish_now(condition)
    first = versioning.latest_revision(condition)
    admin_save(editor_client, condition, "Edit", title_en="Changed")

    revert_to(editor_client, condition, first)

    # Unlinked, the reviewer could no longer sign any approval.
    assert Contributor.objects.get(pk=profile.pk).user == reviewer


def test_revert_of_an_archived_article_keeps_it_archived(editor_client, editor):
    condition = make_condition(sections=1, images=0, references=1)
    first = versioning.save_revision(condition, user=make_author(), comment="v1")
    admin_save(editor_client, condition, "Edit", title_en="Changed")
    workflow.archive(condition, user=editor, reason="Obsolete")

    revert_to(editor_client, condition, first)

    assert Condition.objects.get(pk=condition.pk).status == Status.ARCHIVED


def test_a_deleted_article_is_recovered_with_all_its_parts_in_every_language(
    editor_client, db
):
    condition = make_condition(sections=3, references=2, images=1, title_en="Gone")
    admin_save(editor_client, condition, "Before deleting")
    pk = condition.pk
    sections = {
        s.pk: (s.body_en, s.body_es)
        for s in Section.objects.filter(condition=condition)
    }
    references = sorted(
        ConditionReference.objects.filter(condition=condition).values_list(
            "reference_id", "position"
        )
    )
    image = Image.objects.get(condition=condition)
    delete_url = reverse("admin:conditions_condition_delete", args=[pk])
    assert editor_client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Condition.objects.filter(pk=pk).exists()
    assert not Section.objects.filter(pk__in=sections).exists()

    recover_list = page(
        editor_client, reverse("admin:conditions_condition_recoverlist")
    )
    assert "Gone" in recover_list
    version = Version.objects.get_deleted(Condition).get(object_id=str(pk))
    url = reverse("admin:conditions_condition_recover", args=[version.pk])
    form = editor_client.get(url)
    assert form.status_code == 200
    assert not Condition.objects.filter(pk=pk).exists()  # looking recovers nothing
    response = editor_client.post(url, change_form_data(form))

    assert response.status_code == 302
    recovered = Condition.objects.get(pk=pk)
    assert recovered.title_en == "Gone" and recovered.title_es == "Distonía focal"
    assert recovered.status == Status.DRAFT
    assert {s.pk: (s.body_en, s.body_es) for s in recovered.sections.all()} == sections
    assert any("Texto en español" in es for _en, es in sections.values())
    assert (
        sorted(recovered.condition_references.values_list("reference_id", "position"))
        == references
    )
    restored = recovered.images.get()
    assert restored.alt_text_en == image.alt_text_en
    assert restored.alt_text_es == image.alt_text_es
    assert restored.alt_text_es.startswith("Una mano")
    assert restored.file.name == image.file.name
    assert restored.file.storage.exists(restored.file.name)


def test_past_publications_are_kept_and_listed_for_editors(editor_client, editor):
    condition = make_condition(sections=1, images=0, references=1)
    publish_now(condition)
    admin_save(editor_client, condition, "Second", title_en="Focal Dystonia (2)")
    publish_now(condition, reviewer=make_reviewer(name="Grace Okafor"))
    workflow.unpublish(condition, user=editor, reason="Superseded by guidance")

    assert Publication.objects.filter(condition=condition).count() == 4
    assert not Publication.objects.current().filter(condition=condition).exists()

    html = page(editor_client, change_url(condition))
    assert "Publication history" in html
    assert "Daniel A. Ostrovsky, MD" in html and "Grace Okafor, MD" in html
    assert "replaced" in html
    assert "withdrawn: Superseded by guidance" in html

    changelist = editor_client.get(reverse("admin:conditions_publication_changelist"))
    assert changelist.status_code == 200
    listed = {p.pk for p in changelist.context["cl"].result_list}
    assert listed == set(
        Publication.objects.filter(condition=condition).values_list("pk", flat=True)
    )
    # Records, not editable ones.
    publication = Publication.objects.filter(condition=condition).first()
    change = reverse("admin:conditions_publication_change", args=[publication.pk])
    assert editor_client.get(change).status_code == 200
    assert editor_client.post(change, {"title": "Rewritten"}).status_code == 403
    delete = reverse("admin:conditions_publication_delete", args=[publication.pk])
    assert editor_client.post(delete, {"post": "yes"}).status_code == 403
    assert Publication.objects.filter(condition=condition).count() == 4
