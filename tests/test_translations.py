"""The translation workflow, per language and per field, on real rows.

A medical approval publishes the source language (English) only. Each
translation is saved by a translator of its language in the workspace,
submitted, and published by a translation reviewer of that language; each
translated field remembers the source text it came from, so a later source
publication shows which fields are outdated, and the public page says so.
"""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import strip_tags
from reversion.models import Version

from conditions import translations, versioning, workflow
from conditions.models import (
    Condition,
    ConditionReference,
    FieldTranslation,
    Publication,
    ReviewRequest,
    Section,
)
from conditions.translations import IN_REVIEW, MISSING, OUTDATED, UP_TO_DATE

from .adminforms import change_form_data
from .factories import (
    make_author,
    make_condition,
    make_reference,
    make_reviewer,
    make_translation_reviewer,
    make_translator,
    make_user,
    publish_now,
)

# Helpers -------------------------------------------------------------------


def reload(obj):
    return type(obj).objects.get(pk=obj.pk)


def key(obj, field):
    return translations.unit_key(type(obj), obj.pk, field)


def sections(condition):
    return list(Section.objects.filter(condition=condition).order_by("position"))


def statuses(condition):
    return {u.key: u.status for u in translations.units(reload(condition), "es")}


def untranslated(**fields):
    """A three-section article live in English, never translated."""
    condition = make_condition(
        sections=3, references=1, images=0, title_es="", slug_es="", **fields
    )
    publish_now(condition, translate=False)
    return reload(condition)


def translated(**fields):
    """A three-section article live in English and (reviewed) in Spanish."""
    condition = make_condition(sections=3, references=1, images=0, **fields)
    publish_now(condition)
    return reload(condition)


def update_source(
    condition,
    *,
    body=None,
    position=0,
    new_section=None,
    minor=False,
    confirm_minor=False,
    **fields,
):
    """An author changes the English working copy; a medical reviewer approves."""
    author = make_author()
    if body is not None:
        Section.objects.filter(condition=condition, position=position).update(
            body_en=body
        )
    if new_section is not None:
        Section.objects.create(
            condition=condition, kind="treatment", position=10, body_en=new_section
        )
    Condition.objects.filter(pk=condition.pk).update(**fields)
    condition = reload(condition)
    versioning.save_revision(condition, user=author, comment="Source update")
    workflow.note_edit(condition, user=author)
    request = workflow.submit(condition, user=author, minor=minor)
    return workflow.approve(request, user=make_reviewer(), confirm_minor=confirm_minor)


def edit_source(condition, body, *, user=None):
    """An author edits the English of the first section and saves (a draft)."""
    Section.objects.filter(condition=condition, position=0).update(body_en=body)
    condition = reload(condition)  # what the working copy holds now
    user = user or make_author()
    workflow.note_edit(condition, user=user)
    return versioning.save_revision(condition, user=user, comment="Draft")


def live(condition, language):
    return Publication.objects.current().get(condition=condition, language=language)


def workspace_url(condition, language="es"):
    return reverse(
        "admin:conditions_condition_translate", args=[condition.pk, language]
    )


def workspace_data(client, condition, changes=None, *, action="save", note=""):
    """The workspace form as the translator's browser sends it, with changes."""
    response = client.get(workspace_url(condition))
    assert response.status_code == 200
    form = response.context["form"]
    data = {"base": form.initial["base"], "action": action, "note": note}
    data.update({f"unit:{u.key}": u.target for u in form.units})
    data.update({f"unit:{k}": v for k, v in (changes or {}).items()})
    return data


def translate(client, condition, changes=None, *, action="save", note=""):
    data = workspace_data(client, condition, changes, action=action, note=note)
    response = client.post(workspace_url(condition), data)
    assert response.status_code == 302, response.context["form"].errors
    return response


def approve_translation(condition, reviewer=None):
    request = ReviewRequest.objects.pending().get(condition=condition, language="es")
    return workflow.approve(request, user=reviewer or make_translation_reviewer())


def logged_in(client, user):
    client.force_login(user)
    return client


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def notice(html):
    found = re.search(r'<div class="notice".*?</div>', html, re.S)
    return found.group() if found else None


def alternates(html):
    return re.findall(r'<link rel="alternate" hreflang="([\w-]+)"', html)


def english_words(condition):
    """The English texts of the live source (long enough not to be a code)."""
    texts = [
        strip_tags(u.source)
        for u in translations.units(reload(condition), "es")
        if u.field != "slug"
    ]
    return [text for text in texts if len(text) > 10]


def assert_no_english(html, condition):
    for text in english_words(condition):
        assert text not in html, text


def with_email(user):
    user.email = f"{user.username}@example.org"
    user.save()
    return user


def state():
    """Everything a refused request must leave as it was."""
    return (
        sorted(
            Condition.objects.values_list(
                "pk", "title_en", "title_es", "slug_es", "summary_en", "summary_es"
            )
        ),
        sorted(Section.objects.values_list("pk", "body_en", "body_es")),
        sorted(
            FieldTranslation.objects.values_list(
                "condition_id", "language", "key", "source_hash", "translated_at"
            )
        ),
        sorted(ReviewRequest.objects.values_list("pk", "state")),
        sorted(Publication.objects.values_list("pk", "is_current")),
        Version.objects.count(),
    )


# Field status --------------------------------------------------------------


def test_each_field_goes_missing_up_to_date_outdated_in_review_up_to_date(client, db):
    condition = untranslated(slug_en="asthma")
    definition, causes, risks = sections(condition)
    title, slug = key(condition, "title"), key(condition, "slug")
    summary, body = key(condition, "summary"), key(definition, "body")
    other = key(causes, "body")
    unchanged = [title, slug, summary, other]
    assert set(statuses(condition).values()) == {MISSING}
    logged_in(client, make_translator())

    translate(
        client,
        condition,
        {
            title: "Asma",
            slug: "asma",
            summary: "Una enfermedad de los pulmones.",
            body: "<p>Texto de la definición.</p>",
            other: "<p>Texto de las causas.</p>",
        },
    )
    status = statuses(condition)
    assert {status[k] for k in [*unchanged, body]} == {UP_TO_DATE}
    assert status[key(condition, "also_called")] == MISSING
    assert status[key(risks, "body")] == MISSING

    translate(client, condition, action="submit")
    status = statuses(condition)
    assert {status[k] for k in [*unchanged, body]} == {IN_REVIEW}
    assert status[key(risks, "body")] == MISSING
    approve_translation(condition)
    assert {statuses(condition)[k] for k in [*unchanged, body]} == {UP_TO_DATE}

    # The source changes the definition and gains a section.
    update_source(
        condition,
        body="<p>English text of definition number 0, now with new advice.</p>",
        new_section="<p>A brand new treatment section.</p>",
    )
    added = Section.objects.get(condition=condition, position=10)
    status = statuses(condition)
    assert status[body] == OUTDATED
    assert {status[k] for k in unchanged} == {UP_TO_DATE}
    assert status[key(added, "body")] == MISSING

    # The workspace shows, for the outdated field only, what changed in the
    # source since it was translated, word by word.
    response = client.get(workspace_url(condition))
    diffs = {unit.key: diff for unit, _field, diff in response.context["form"].rows()}
    expected = (
        "<p>English text of definition number 0<ins>, now with new advice</ins>.</p>"
    )
    assert diffs[body] == expected
    assert expected in response.content.decode()
    assert {k for k, diff in diffs.items() if diff} == {body}

    translate(client, condition, {body: "<p>Texto de la definición, con consejos.</p>"})
    assert statuses(condition)[body] == UP_TO_DATE
    translate(client, condition, action="submit")
    status = statuses(condition)
    assert status[body] == IN_REVIEW
    assert {status[k] for k in unchanged} == {UP_TO_DATE}

    approve_translation(condition)
    status = statuses(condition)
    assert {status[k] for k in [*unchanged, body]} == {UP_TO_DATE}
    assert status[key(added, "body")] == MISSING


def test_an_outdated_field_sent_back_unchanged_stays_outdated_until_confirmed(
    client, db
):
    condition = translated(slug_en="asthma", slug_es="asma")
    definition, causes, _risks = sections(condition)
    first, second = key(definition, "body"), key(causes, "body")
    Section.objects.filter(condition=condition, position=1).update(
        body_en="<p>English text of causes number 1, revised.</p>"
    )
    update_source(condition, body="<p>English text of definition, revised.</p>")
    assert (statuses(condition)[first], statuses(condition)[second]) == (
        OUTDATED,
        OUTDATED,
    )
    client = logged_in(client, make_translator())
    html = page(client, workspace_url(condition))
    assert f'name="confirm:{second}"' in html

    # The translator updates one of them; the other, unchanged, is still
    # outdated, and so is the Spanish page once this is approved.
    translate(client, condition, {first: "<p>Texto revisado.</p>"}, action="submit")
    assert statuses(condition)[second] == OUTDATED
    approve_translation(condition)
    assert statuses(condition)[second] == OUTDATED
    assert live(condition, "es").outdated_since is not None
    assert notice(page(client, "/es/conditions/asma/"))

    # Confirming that the translation still holds makes it up to date.
    data = workspace_data(client, condition, action="submit")
    data[f"confirm:{second}"] = "1"
    assert client.post(workspace_url(condition), data).status_code == 302
    assert statuses(condition)[second] == IN_REVIEW
    approve_translation(condition)
    assert statuses(condition)[second] == UP_TO_DATE
    assert live(condition, "es").outdated_since is None
    assert notice(page(client, "/es/conditions/asma/")) is None


# Minor changes ---------------------------------------------------------------


@pytest.mark.parametrize("confirmed", [True, False], ids=["confirmed", "rejected"])
def test_a_minor_source_change_keeps_translations_up_to_date_if_the_reviewer_confirms(
    client, db, confirmed
):
    condition = translated(slug_en="asthma", slug_es="asma")
    body = key(sections(condition)[0], "body")
    typo_fixed = "<p>English text of the definition number 0.</p>"

    request = update_source(
        condition, body=typo_fixed, minor=True, confirm_minor=confirmed
    )

    assert request.minor and request.minor_confirmed == confirmed
    spanish = live(condition, "es")
    html = page(client, "/es/conditions/asma/")
    assert "Texto en español de definition número 0." in html
    if confirmed:
        assert set(statuses(condition).values()) == {UP_TO_DATE}
        assert spanish.outdated_since is None
        assert notice(html) is None
        # A later source change is diffed from the corrected text.
        record = FieldTranslation.objects.get(condition=condition, key=body)
        assert record.source_text == typo_fixed
    else:
        status = statuses(condition)
        assert status.pop(body) == OUTDATED
        assert set(status.values()) == {UP_TO_DATE}
        assert spanish.outdated_since == live(condition, "en").published_at
        assert notice(html)


def test_a_change_not_marked_minor_cannot_be_confirmed_minor(db):
    condition = translated()
    request = update_source(
        condition, body="<p>Other words.</p>", minor=False, confirm_minor=True
    )
    assert not request.minor_confirmed
    assert live(condition, "es").outdated_since is not None


# Refusals ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "crafted",
    [
        "source column",
        "source column as a unit",
        "another article's unit",
        "unknown object",
        "source language",
    ],
)
def test_a_crafted_workspace_post_is_refused_whole_and_changes_nothing(
    client, db, crafted
):
    condition = translated()
    other = make_condition(title_en="Other", sections=1, references=1, images=0)
    client = logged_in(client, make_translator())
    title = key(condition, "title")
    data = workspace_data(client, condition, {title: "Título legítimo"})
    url = workspace_url(condition)
    if crafted == "source column":
        data["title_en"] = "Hijacked title"
    elif crafted == "source column as a unit":
        data[f"unit:condition.{condition.pk}.title_en"] = "Hijacked title"
    elif crafted == "another article's unit":
        data[f"unit:{key(other, 'title')}"] = "Título secuestrado"
    elif crafted == "unknown object":
        data["unit:section.999999.body"] = "<p>Nada</p>"
    else:
        url = workspace_url(condition, "en")
    before = state()

    response = client.post(url, data)

    assert response.status_code == 403
    assert state() == before
    assert reload(condition).title_es == "Distonía focal"


def test_save_translation_refuses_keys_that_are_not_units_of_its_language(db):
    condition = translated()
    translator = make_translator()
    before = state()
    with pytest.raises(translations.TranslationError, match="title_en"):
        translations.save_translation(
            condition,
            language="es",
            values={
                key(condition, "summary"): "Resumen legítimo",
                f"condition.{condition.pk}.title_en": "Hijacked",
            },
            user=translator,
        )
    with pytest.raises(PermissionDenied):
        translations.save_translation(
            condition,
            language="en",
            values={key(condition, "title"): "Hijacked"},
            user=translator,
        )
    assert state() == before


def test_a_translator_cannot_save_the_change_form(client, db):
    condition = translated()
    editor = logged_in(client, make_user("editor", groups=["Editors"]))
    url = reverse("admin:conditions_condition_change", args=[condition.pk])
    data = change_form_data(editor.get(url))
    data.update(title_en="Hijacked title", title_es="Título secuestrado")
    translator = logged_in(client, make_translator())
    before = state()

    response = translator.post(url, data)

    assert response.status_code == 403
    assert state() == before


def test_a_translation_without_a_title_and_slug_cannot_be_submitted(client, db):
    condition = untranslated()
    translator = make_translator()
    translations.save_translation(
        condition,
        language="es",
        values={key(condition, "summary"): "Solo el resumen."},
        user=translator,
    )
    with pytest.raises(workflow.TransitionError, match="title and a slug"):
        workflow.submit_translation(condition, language="es", user=translator)
    assert not ReviewRequest.objects.translations().exists()


# Public pages ----------------------------------------------------------------


def test_the_spanish_page_keeps_its_approved_text_with_a_notice_until_updated(
    client, db
):
    condition = translated(slug_en="asthma", slug_es="asma")
    body = key(sections(condition)[0], "body")
    summary = key(condition, "summary")
    approved_spanish = page(client, "/es/conditions/asma/")
    assert notice(approved_spanish) is None
    # English is also the page for readers of other languages (x-default).
    assert alternates(approved_spanish) == ["en", "es", "x-default"]
    assert 'class="language-selector"' in approved_spanish

    update_source(
        condition,
        body="<p>Quokkaword advice for every reader.</p>",
        summary_en="Quokkaword summary of the article.",
    )

    english = page(client, "/en/conditions/asthma/")
    assert "Quokkaword advice" in english and notice(english) is None
    html = page(client, "/es/conditions/asma/")
    assert "Quokka" not in html
    assert "Texto en español de definition número 0." in html
    assert "Un problema de movimiento en una parte del cuerpo." in html
    assert_no_english(html, condition)
    spanish = live(condition, "es")
    assert spanish.outdated_since == live(condition, "en").published_at
    with translation.override("es"):
        updated = date_format(timezone.localtime(spanish.outdated_since), "DATE_FORMAT")
    found = notice(html)
    assert updated in found
    assert 'href="/en/conditions/asthma/"' in found

    client = logged_in(client, make_translator())
    translate(
        client,
        condition,
        {body: "<p>Consejo nuevo para cada lector.</p>", summary: "Resumen nuevo."},
        action="submit",
    )
    assert notice(page(client, "/es/conditions/asma/"))  # not before approval
    approve_translation(condition)

    html = page(client, "/es/conditions/asma/")
    assert notice(html) is None
    assert "Consejo nuevo para cada lector." in html and "Resumen nuevo." in html
    assert "Quokka" not in html
    assert_no_english(html, condition)


def test_an_article_never_translated_has_only_its_english_page(client, db):
    condition = untranslated(slug_en="asthma")
    # A translation saved but not approved publishes nothing either.
    translations.save_translation(
        condition,
        language="es",
        values={key(condition, "title"): "Asma", key(condition, "slug"): "asma"},
        user=make_translator(),
    )

    assert client.get("/es/conditions/asma/").status_code == 404
    assert client.get("/es/conditions/asthma/").status_code == 404
    assert "Asma" not in page(client, "/es/")
    html = page(client, "/en/conditions/asthma/")
    assert alternates(html) == ["en"]
    assert 'class="language-selector"' not in html
    assert 'hreflang="es"' not in html


def test_a_translation_shows_what_its_source_publication_had(client, db):
    condition = translated(slug_en="asthma", slug_es="asma", icd10="J45")
    first_source = live(condition, "en")
    assert live(condition, "es").source_publication == first_source
    reference = make_reference(
        title="A brand new trial of inhalers", url="https://example.org/inhalers"
    )
    ConditionReference.objects.create(
        condition=condition, reference=reference, position=5
    )

    update_source(condition, icd10="J45.9")

    english = page(client, "/en/conditions/asthma/")
    assert "A brand new trial of inhalers" in english
    assert "ICD-10: J45.9" in english
    spanish = page(client, "/es/conditions/asma/")
    assert "A brand new trial of inhalers" not in spanish
    assert "ICD-10: J45" in spanish and "J45.9" not in spanish
    assert live(condition, "es").source_publication == first_source

    # Republishing the translation takes the new source's neutral parts.
    translator = make_translator()
    request = workflow.submit_translation(condition, language="es", user=translator)
    workflow.approve(request, user=make_translation_reviewer())

    spanish = page(client, "/es/conditions/asma/")
    assert "A brand new trial of inhalers" in spanish
    assert "ICD-10: J45.9" in spanish
    assert live(condition, "es").source_publication == live(condition, "en")


# Translation report ------------------------------------------------------------


def report(client, **params):
    response = client.get(
        reverse("admin:conditions_condition_translation_report", args=["es"]), params
    )
    assert response.status_code == 200
    return response


def test_the_report_counts_fields_per_article_and_puts_outdated_advice_first(
    client, db
):
    translated(title_en="Complete")
    clinical = translated(title_en="Clinical")
    update_source(clinical, body="<p>New definition.</p>", position=0)
    wording = translated(title_en="Wording")
    update_source(wording, body="<p>New risk factors.</p>", position=2)
    untranslated(title_en="Missing")
    make_condition(title_en="Never published", sections=1, images=0)
    client = logged_in(client, make_translator())

    response = report(client)

    rows = [
        (
            str(row["condition"]),
            row["counts"][UP_TO_DATE],
            row["counts"][OUTDATED],
            row["counts"][MISSING],
            row["complete"],
        )
        for row in response.context["rows"]
    ]
    # Seven fields each: title, slug, also called, summary, three sections.
    assert rows == [
        ("Clinical", 6, 1, 0, False),
        ("Wording", 6, 1, 0, False),
        ("Missing", 0, 0, 7, False),
        ("Complete", 7, 0, 0, True),
    ]
    totals = {key: count for _label, key, count in response.context["totals"]}
    assert totals == {MISSING: 7, UP_TO_DATE: 19, OUTDATED: 2, IN_REVIEW: 0}
    assert response.context["articles_complete"] == 1
    html = response.content.decode()
    assert "1 of 4 articles complete." in html

    only = report(client, outdated_clinical="1").context["rows"]
    assert [str(row["condition"]) for row in only] == ["Clinical"]
    assert only[0]["outdated_clinical"] == [translations.units(clinical, "es")[4].label]


# Staleness ---------------------------------------------------------------------


def test_a_source_edit_does_not_make_a_pending_translation_stale(client, db):
    condition = translated(slug_es="asma")
    translator = make_translator()
    translations.save_translation(
        condition,
        language="es",
        values={key(condition, "summary"): "Resumen revisado."},
        user=translator,
    )
    request = workflow.submit_translation(condition, language="es", user=translator)
    # An author adds a section and a reference and edits the English text.
    Section.objects.create(
        condition=condition, kind="treatment", position=9, body_en="<p>New.</p>"
    )
    ConditionReference.objects.create(
        condition=condition, reference=make_reference(), position=9
    )
    edit_source(condition, "<p>Quokkaword draft.</p>")

    assert not workflow.is_stale(reload(request))
    workflow.approve(request, user=make_translation_reviewer())
    html = page(client, "/es/conditions/asma/")
    assert "Resumen revisado." in html and "Quokka" not in html


def test_a_translators_save_does_not_make_a_pending_medical_review_stale(db):
    condition = translated()
    author = make_author()
    edit_source(condition, "<p>Reviewed English words.</p>", user=author)
    request = workflow.submit(condition, user=author)

    translations.save_translation(
        condition,
        language="es",
        values={key(condition, "summary"): "Resumen revisado."},
        user=make_translator(),
    )

    assert not workflow.is_stale(reload(request))
    workflow.approve(request, user=make_reviewer())
    assert live(condition, "en").revision == request.revision


def test_a_translator_editing_after_submitting_makes_the_request_stale(db):
    condition = translated()
    translator = make_translator()
    summary, title = key(condition, "summary"), key(condition, "title")
    translations.save_translation(
        condition, language="es", values={summary: "Resumen."}, user=translator
    )
    request = workflow.submit_translation(condition, language="es", user=translator)

    translations.save_translation(
        condition, language="es", values={title: "Otro título"}, user=translator
    )

    assert workflow.is_stale(reload(request))
    reviewer = make_translation_reviewer()
    with pytest.raises(workflow.TransitionError, match="edited after it was"):
        workflow.approve(request, user=reviewer)
    assert live(condition, "es").title == "Distonía focal"
    fresh = workflow.submit_translation(condition, language="es", user=translator)
    assert reload(request).state == ReviewRequest.State.SUPERSEDED
    workflow.approve(fresh, user=reviewer)
    assert live(condition, "es").title == "Otro título"


def test_a_workspace_form_loaded_before_another_translators_save_is_refused(client, db):
    condition = translated()
    title, summary = key(condition, "title"), key(condition, "summary")
    first = logged_in(client, make_translator())
    second = logged_in(Client(), make_translator())
    stale = workspace_data(first, condition, {summary: "Resumen tardío."})
    translate(second, condition, {title: "Título del segundo"})
    # An English draft edit in between would not refuse it on its own.
    edit_source(condition, "<p>English draft.</p>")
    before = state()

    response = first.post(workspace_url(condition), stale)

    assert response.status_code == 200
    assert "Someone else changed this translation" in response.content.decode()
    assert state() == before
    fresh = workspace_data(first, condition, {summary: "Resumen tardío."})
    assert first.post(workspace_url(condition), fresh).status_code == 302
    assert reload(condition).summary_es == "Resumen tardío."


# Notifications and queues ------------------------------------------------------


def test_a_translation_request_is_emailed_to_that_languages_reviewers_only(
    db, django_capture_on_commit_callbacks
):
    condition = translated(title_en="Asthma")
    reviewers = [
        with_email(make_translation_reviewer()),
        with_email(make_translation_reviewer()),
    ]
    medical = with_email(make_reviewer())
    with_email(make_user(groups=["Editors"]))
    Group.objects.get_or_create(name="Translation reviewers (xx)")
    with_email(make_user(groups=["Translation reviewers (xx)"]))
    # The submitter is a reviewer too: not emailed their own request.
    translator = with_email(
        make_user(groups=["Translators (es)", "Translation reviewers (es)"])
    )
    translations.save_translation(
        condition,
        language="es",
        values={key(condition, "summary"): "Resumen."},
        user=translator,
    )

    with django_capture_on_commit_callbacks(execute=True):
        request = workflow.submit_translation(
            condition, language="es", user=translator, note="Resumen nuevo"
        )

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == sorted(r.email for r in reviewers)
    assert "Asthma" in message.subject
    assert "Resumen nuevo" in message.body
    url = reverse("admin:conditions_reviewrequest_review", args=[request.pk])
    assert url in message.body

    # A medical submission goes to the medical reviewers only.
    mail.outbox.clear()
    author = make_author()
    edit_source(condition, "<p>New.</p>", user=author)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(condition, user=author)
    assert [m.to for m in mail.outbox] == [[medical.email]]


def test_a_translation_request_awaits_its_languages_reviewers_only(db):
    condition = translated(title_en="Asthma")
    translator = make_translator()
    translations.save_translation(
        condition,
        language="es",
        values={key(condition, "summary"): "Resumen."},
        user=translator,
    )
    workflow.submit_translation(condition, language="es", user=translator)

    def awaiting(user):
        return list(workflow.work_queues(user)["awaiting_my_review"][1])

    assert awaiting(make_translation_reviewer()) == [condition]
    assert awaiting(make_reviewer()) == []
    assert awaiting(translator) == []


def test_the_translation_review_shows_the_approved_source_beside_each_change(
    client, db
):
    condition = untranslated(slug_en="asthma")
    definition = sections(condition)[0]
    translator = make_translator()
    logged_in(client, translator)
    translate(
        client,
        condition,
        {
            key(condition, "title"): "Asma",
            key(condition, "slug"): "asma",
            key(definition, "body"): "<p>Texto de la definición.</p>",
        },
        action="submit",
    )
    request = ReviewRequest.objects.pending().get(condition=condition, language="es")
    logged_in(client, make_translation_reviewer())

    html = page(
        client, reverse("admin:conditions_reviewrequest_review", args=[request.pk])
    )

    assert "Approved source:" in html
    assert "English text of definition number 0." in html
    assert "<ins>Texto de la definición.</ins>" in html
