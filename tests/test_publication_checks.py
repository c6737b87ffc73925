"""Publication checks: each one blocks approval and names its reason; the
editors' list of failing articles; the daily run and its mail."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conditions import versioning, workflow
from conditions.models import (
    ConditionReference,
    Contributor,
    Image,
    Publication,
    PublicationCheckResult,
    Reference,
    ReviewRequest,
    Section,
)
from conditions.workflow import checks
from conditions.workflow.checks import PublicationCheckError

from . import factories
from .factories import (
    make_author,
    make_reviewer,
    make_translation_reviewer,
    make_translator,
    make_user,
    publish_now,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _every_check(settings):
    """Turn every check on, as production and the rest of the suite run."""
    settings.PUBLICATION_CHECKS = None


def make_condition(**fields):
    """An article that passes every check: its references have a DOI."""
    condition = factories.make_condition(**fields)
    for reference in Reference.objects.filter(citations__condition=condition):
        if not (reference.doi or reference.pmid or reference.url):
            reference.doi = f"10.5555/test.{reference.pk}"
            reference.save()
    return condition


def make_reference(**fields):
    fields.setdefault("doi", "10.5555/test.ref")
    return factories.make_reference(**fields)


def submitted(condition, author=None):
    author = author or make_author()
    versioning.save_revision(condition, user=author, comment="Checks")
    return workflow.submit(condition, user=author, note="Checks")


def refusal(request, reviewer=None, **options):
    """Approve and return the reasons given for the refusal."""
    with pytest.raises(PublicationCheckError) as refused:
        workflow.approve(request, user=reviewer or make_reviewer(), **options)
    request.refresh_from_db()
    # Nothing was published and the request still awaits review.
    assert request.state == ReviewRequest.State.PENDING
    assert not Publication.objects.filter(condition=request.condition_id).exists()
    return [str(reason) for reason in refused.value.reasons]


def approved(request, reviewer=None, **options):
    workflow.approve(request, user=reviewer or make_reviewer(), **options)
    request.refresh_from_db()
    return request.state in (
        ReviewRequest.State.PUBLISHED,
        ReviewRequest.State.APPROVED,
    )


def test_an_article_that_passes_every_check_is_approved():
    assert approved(submitted(make_condition()))


def test_an_image_without_alt_text_in_the_source_blocks_approval():
    condition = make_condition()
    Image.objects.filter(condition=condition).update(alt_text_en="", caption_en="Cramp")
    assert refusal(submitted(condition)) == [
        "Image 1 (“Cramp”) has no alternative text in English."
    ]
    Image.objects.filter(condition=condition).update(alt_text_en="A cramped hand")
    assert approved(submitted(condition))


def test_a_translation_without_alt_text_in_its_language_blocks_approval():
    condition = make_condition()
    publish_now(condition, translate=False)
    Image.objects.filter(condition=condition).update(alt_text_es="")
    translator = make_translator("es")
    versioning.save_revision(condition, user=translator, comment="Traducción")
    request = workflow.submit_translation(condition, language="es", user=translator)
    with pytest.raises(PublicationCheckError) as refused:
        workflow.approve(request, user=make_translation_reviewer("es"))
    assert [str(r) for r in refused.value.reasons] == [
        "Image 1 (“A hand with cramped fingers holding a pen”) has no "
        "alternative text in Spanish."
    ]
    assert not Publication.objects.filter(condition=condition, language="es").exists()


def test_a_translation_is_not_held_by_checks_of_the_source():
    """A translation approval runs only the checks of its language's texts."""
    condition = make_condition()
    publish_now(condition, translate=False)
    # The licence runs out after the translation is approved, and before the
    # next review: a matter for the medical review, not the translation.
    soon = TODAY + datetime.timedelta(days=30)
    Image.objects.filter(condition=condition).update(licence_expires=soon)
    translator = make_translator("es")
    versioning.save_revision(condition, user=translator, comment="Traducción")
    request = workflow.submit_translation(condition, language="es", user=translator)
    workflow.approve(request, user=make_translation_reviewer("es"))
    assert Publication.objects.live(condition, "es") is not None


def test_an_expired_image_licence_blocks_approval():
    condition = make_condition()
    yesterday = TODAY - datetime.timedelta(days=1)
    Image.objects.filter(condition=condition).update(licence_expires=yesterday)
    [reason] = refusal(submitted(condition))
    assert reason.startswith("The licence of image 1 (“A hand with cramped")
    assert "expired on" in reason


def test_a_licence_expiring_before_the_next_review_blocks_approval():
    condition = make_condition()
    expires = TODAY + datetime.timedelta(days=60)
    Image.objects.filter(condition=condition).update(licence_expires=expires)
    review = TODAY + datetime.timedelta(days=365)
    [reason] = refusal(submitted(condition), next_review_on=review)
    assert "expires on" in reason and "before the next review on" in reason
    # An earlier next review, before the licence runs out, is approved.
    assert approved(
        submitted(condition), next_review_on=TODAY + datetime.timedelta(days=30)
    )


def test_an_article_without_references_blocks_approval():
    condition = make_condition(references=0)
    assert refusal(submitted(condition)) == ["The article cites no references."]
    ConditionReference.objects.create(condition=condition, reference=make_reference())
    assert approved(submitted(condition))


def test_a_reference_without_doi_pmid_or_url_blocks_approval():
    condition = make_condition(references=1)
    bare = make_reference(title="An unfindable paper", doi="")
    ConditionReference.objects.create(condition=condition, reference=bare, position=5)
    assert refusal(submitted(condition)) == [
        "Reference 2 (“An unfindable paper”) has no DOI, PMID or URL."
    ]
    bare.pmid = "29086067"
    bare.save()
    assert approved(submitted(condition))


def test_a_reviewer_without_credentials_cannot_approve():
    request = submitted(make_condition())
    reviewer = make_reviewer()
    Contributor.objects.filter(user=reviewer).update(credentials="")
    with pytest.raises(workflow.TransitionError, match="credentials"):
        workflow.approve(request, user=reviewer)
    request.refresh_from_db()
    assert request.state == ReviewRequest.State.PENDING


def test_the_credentials_check_names_its_reason():
    request = submitted(make_condition())
    reviewer = make_reviewer()
    Contributor.objects.filter(user=reviewer).update(credentials="")
    assert [str(r) for r in checks.reasons_for(request, reviewer=reviewer)] == [
        "The approving reviewer has no credentials to show on the page."
    ]


def test_a_link_to_an_unpublished_article_blocks_approval():
    target = make_condition(slug_en="tremor", slug_es="temblor")
    condition = make_condition()
    Section.objects.filter(condition=condition, position=0).update(
        body_en='<p>See <a href="/en/conditions/tremor/">tremor</a> and '
        '<a href="https://www.nih.gov/">the NIH</a>.</p>'
    )
    assert refusal(submitted(condition)) == [
        "The English text links to /en/conditions/tremor/, which is not a "
        "published article."
    ]
    publish_now(target, translate=False)
    assert approved(submitted(condition))


def test_a_translation_linking_to_an_unpublished_translation_is_refused():
    target = make_condition(slug_en="tremor", slug_es="temblor")
    publish_now(target, translate=False)  # English only
    condition = make_condition()
    publish_now(condition, translate=False)
    Section.objects.filter(condition=condition, position=0).update(
        body_es='<p>Vea <a href="/es/conditions/temblor/">temblor</a>.</p>'
    )
    translator = make_translator("es")
    versioning.save_revision(condition, user=translator, comment="Traducción")
    request = workflow.submit_translation(condition, language="es", user=translator)
    with pytest.raises(PublicationCheckError) as refused:
        workflow.approve(request, user=make_translation_reviewer("es"))
    assert [str(r) for r in refused.value.reasons] == [
        "The Spanish text links to /es/conditions/temblor/, which is not a "
        "published article."
    ]


def test_a_missing_required_section_blocks_approval(settings):
    settings.PUBLICATION_REQUIRED_SECTIONS = ["when_to_see_doctor"]
    condition = make_condition()
    assert refusal(submitted(condition)) == [
        "The article has no “When to see a doctor” section, which every article needs."
    ]
    Section.objects.create(
        condition=condition,
        kind="when_to_see_doctor",
        position=20,
        body_en="<p>Call your doctor if it spreads.</p>",
    )
    assert approved(submitted(condition))


def test_no_section_is_required_by_default():
    condition = make_condition(sections=1)
    assert approved(submitted(condition))


def test_every_failing_check_is_listed_at_once():
    condition = make_condition(references=0)
    Image.objects.filter(condition=condition).update(alt_text_en="")
    reasons = refusal(submitted(condition))
    assert len(reasons) == 2
    assert "alternative text" in reasons[0]
    assert reasons[1] == "The article cites no references."


def test_a_check_left_out_of_settings_does_not_block(settings):
    settings.PUBLICATION_CHECKS = [n for n in checks.CHECKS if n != "references"]
    assert approved(submitted(make_condition(references=0)))


def test_a_scheduled_approval_is_checked_too():
    request = submitted(make_condition(references=0))
    go_live = timezone.now() + datetime.timedelta(days=2)
    assert refusal(request, go_live_at=go_live) == ["The article cites no references."]


def test_the_checks_read_the_revision_under_review_not_the_working_copy():
    condition = make_condition(references=0)
    request = submitted(condition)
    # Fixed in the working copy after submission (not saved as a revision):
    # the revision under review still has no references.
    ConditionReference.objects.create(condition=condition, reference=make_reference())
    assert refusal(request) == ["The article cites no references."]


# -- The review screen ------------------------------------------------------


def review_url(request):
    return reverse("admin:conditions_reviewrequest_review", args=[request.pk])


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_review_screen_lists_the_reasons_and_offers_no_approval():
    condition = make_condition(references=0)
    Image.objects.filter(condition=condition).update(alt_text_en="")
    request = submitted(condition)
    html = client_for(make_reviewer()).get(review_url(request)).content.decode()
    assert 'class="check-reasons"' in html
    assert "<li>The article cites no references.</li>" in html
    assert "has no alternative text in English.</li>" in html
    assert 'value="approve"' not in html
    assert 'value="request_changes"' in html


def test_approving_on_the_review_screen_shows_each_reason_on_its_own_line():
    condition = make_condition(references=0)
    Image.objects.filter(condition=condition).update(alt_text_en="")
    request = submitted(condition)
    client = client_for(make_reviewer())
    response = client.post(review_url(request), {"action": "approve"}, follow=True)
    html = response.content.decode()
    assert "This revision cannot be approved yet:" in html
    assert "<li>The article cites no references.</li>" in html
    assert html.count('<ul class="check-reasons">') >= 1
    request.refresh_from_db()
    assert request.state == ReviewRequest.State.PENDING


# -- The editors' list --------------------------------------------------------


def list_url():
    return reverse("admin:conditions_publicationcheckresult_changelist")


def make_editor():
    user = make_user(groups=["Editors"])
    user.email = f"{user.username}@example.org"
    user.save()
    return user


def published_failing(settings, **fields):
    """Publish an article while the checks are off; it fails them after."""
    settings.PUBLICATION_CHECKS = []
    condition = make_condition(**fields)
    publish_now(condition, translate=False)
    settings.PUBLICATION_CHECKS = None
    return condition


def test_the_editor_sees_every_failing_article_and_why(settings):
    published = published_failing(settings, references=0, title_en="Gout")
    waiting = make_condition(title_en="Asthma")
    Image.objects.filter(condition=waiting).update(alt_text_en="", caption_en="Lungs")
    submitted(waiting)
    passing = make_condition(title_en="Acne")
    publish_now(passing, translate=False)
    checks.refresh([published.pk])  # as the daily run does
    html = client_for(make_editor()).get(list_url()).content.decode()
    assert "Gout" in html and "The article cites no references." in html
    assert "Asthma" in html
    assert "Image 1 (“Lungs”) has no alternative text in English." in html
    assert "Acne" not in html


def test_a_fixed_article_leaves_the_list():
    condition = make_condition(references=0)
    request = submitted(condition)
    assert PublicationCheckResult.objects.filter(condition=condition).exists()
    workflow.withdraw(request, user=request.submitted_by)
    ConditionReference.objects.create(condition=condition, reference=make_reference())
    submitted(condition)
    assert not PublicationCheckResult.objects.filter(condition=condition).exists()


def test_the_home_page_links_the_list_for_editors_only():
    url = list_url()
    assert url in client_for(make_editor()).get(reverse("admin:index")).content.decode()
    home = client_for(make_author()).get(reverse("admin:index")).content.decode()
    assert url not in home


@pytest.mark.parametrize("role", ["Authors", "Medical reviewers", "Translators (es)"])
def test_the_list_is_refused_to_non_editors(role):
    assert client_for(make_user(groups=[role])).get(list_url()).status_code == 403


def test_the_list_reads_a_constant_number_of_queries(django_assert_num_queries):
    def articles(count):
        author = make_author()
        for _n in range(count):
            submitted(make_condition(references=0, sections=1, images=0), author)

    editor = make_editor()
    client = client_for(editor)
    client.get(list_url())  # sessions, permissions: warmed
    articles(10)
    with CaptureQueriesContext(connection) as ten:
        assert client.get(list_url()).status_code == 200
    articles(40)
    with django_assert_num_queries(len(ten.captured_queries)):
        html = client.get(list_url()).content.decode()
    assert "50 articles in review, scheduled or published fail" in html


# -- The daily run ------------------------------------------------------------


def test_the_daily_run_finds_a_licence_that_expired_and_mails_the_editors(settings):
    condition = make_condition(title_en="Gout")
    in_a_week = TODAY + datetime.timedelta(days=7)
    Image.objects.filter(condition=condition).update(licence_expires=in_a_week)
    # Approved with a review before the licence runs out.
    author = make_author()
    versioning.save_revision(condition, user=author, comment="New")
    request = workflow.submit(condition, user=author)
    workflow.approve(
        request, user=make_reviewer(), next_review_on=TODAY + datetime.timedelta(3)
    )
    editor = make_editor()
    assert not PublicationCheckResult.objects.exists()
    mail.outbox.clear()

    from conditions.workflow import daily_checks

    checked, failing = daily_checks.run(today=in_a_week + datetime.timedelta(1))
    assert checked == [condition.pk]
    assert [str(r) for r in failing[condition.pk]][0].startswith(
        "The licence of image 1"
    )
    reasons = [str(r) for r in failing[condition.pk]]
    assert any("expired on" in r for r in reasons)
    assert any(r.startswith("The medical review was due on") for r in reasons)
    assert daily_checks.notify_editors(failing) == 1
    [message] = mail.outbox
    assert message.to == [editor.email]
    assert "1 article fails the publication checks today." in message.body
    assert "Gout" in message.body and "expired on" in message.body


def test_the_daily_command_stores_results_and_prints_a_summary(settings, capsys):
    published_failing(settings, references=0, title_en="Gout")
    PublicationCheckResult.objects.all().delete()
    editor = make_editor()
    mail.outbox.clear()
    call_command("run_daily_checks")
    out = capsys.readouterr().out
    assert "Articles checked: 1; failing a check: 1; editors mailed: 1." in out
    assert PublicationCheckResult.objects.count() == 1
    [message] = mail.outbox
    assert message.to == [editor.email]
    assert "The article cites no references." in message.body


def test_the_daily_command_mails_nobody_when_all_pass(capsys):
    publish_now(make_condition(), translate=False)
    make_editor()
    mail.outbox.clear()
    call_command("run_daily_checks")
    assert "failing a check: 0; editors mailed: 0." in capsys.readouterr().out
    assert mail.outbox == []


def test_an_unpublished_link_target_is_found_by_the_daily_run():
    target = make_condition(slug_en="tremor")
    publish_now(target, translate=False)
    condition = make_condition()
    Section.objects.filter(condition=condition, position=0).update(
        body_en='<p><a href="/en/conditions/tremor/">Tremor</a></p>'
    )
    publish_now(condition, translate=False)
    assert not PublicationCheckResult.objects.exists()
    workflow.unpublish(target, user=make_user(superuser=True), reason="Outdated")

    from conditions.workflow import daily_checks

    _checked, failing = daily_checks.run()
    assert [str(r) for r in failing[condition.pk]] == [
        "The English text links to /en/conditions/tremor/, which is not a "
        "published article."
    ]
