"""The editorial admin: screens render, saves are revisions, bad input is refused."""

import pytest
from django.urls import reverse
from reversion.models import Version

from conditions.demo import loader
from conditions.models import Condition, Reference

from .adminforms import change_form_data
from .factories import make_condition, make_reference


@pytest.fixture
def demo(db):
    loader.load_accounts()
    loader.load_content()
    return Condition.objects.get(slug_en="focal-dystonia")


@pytest.fixture
def editor_client(client, demo):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="admin"))
    return client


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:conditions_condition_changelist",
        "admin:conditions_condition_add",
        "admin:conditions_reference_changelist",
        "admin:conditions_reference_add",
        "admin:conditions_publication_changelist",
        "admin:conditions_category_changelist",
        "admin:conditions_contributor_changelist",
    ],
)
def test_admin_list_and_add_pages_render_for_demo_data(editor_client, url_name):
    response = editor_client.get(reverse(url_name))
    assert response.status_code == 200


def test_change_and_history_pages_render_with_language_tabs(editor_client, demo):
    change = editor_client.get(
        reverse("admin:conditions_condition_change", args=[demo.pk])
    )
    html = change.content.decode()
    assert change.status_code == 200
    assert 'name="title_es"' in html and 'name="title_en"' in html
    assert 'name="sections-0-body_es"' in html
    assert "vendor/jquery-ui/jquery-ui.min.js" in html
    assert "googleapis" not in html and "//cdn" not in html

    history = editor_client.get(
        reverse("admin:conditions_condition_history", args=[demo.pk])
    )
    assert history.status_code == 200
    assert "Demo content loaded." in history.content.decode()


def test_admin_save_is_a_revision_with_user_and_change_note(editor_client, demo):
    url = reverse("admin:conditions_condition_change", args=[demo.pk])
    data = change_form_data(editor_client.get(url))
    data["title_es"] = "Distonía focal (revisada)"
    data["sections-0-body_es"] = '<p>Nuevo texto<script>alert("x")</script></p>'
    data["change_note"] = "Clarified the Spanish title"
    before = Version.objects.get_for_object(demo).count()

    response = editor_client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    versions = Version.objects.get_for_object(demo)
    assert versions.count() == before + 1
    latest = versions.first()
    assert latest.revision.user.username == "admin"
    assert latest.revision.comment == "Clarified the Spanish title"
    assert latest.field_dict["title_es"] == "Distonía focal (revisada)"
    section = demo.sections.order_by("position").first()
    assert section.body_es == "<p>Nuevo texto</p>"


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("doi", "doi:10.1007/xyz", "Enter a DOI such as 10.1000/xyz123"),
        ("doi", "10.10/short", "Enter a DOI such as 10.1000/xyz123"),
        ("pmid", "PMID123", "Enter a PubMed ID: digits only"),
        ("url", "javascript:alert(1)", "Enter a full web address"),
        ("url", "www.example.org/page", "Enter a full web address"),
    ],
)
def test_admin_refuses_invalid_identifiers_with_a_clear_message(
    admin_client, field, value, message
):
    data = {"title": "Dystonias fact sheet", "authors": "", field: value}
    response = admin_client.post(reverse("admin:conditions_reference_add"), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Reference.objects.exists()


def test_admin_accepts_valid_identifiers(admin_client):
    data = {
        "title": "Emerging monogenic complex hyperkinetic disorders",
        "authors": "Carrechio M, Mencacci NE",
        "container": "Curr Neurol Neurosci Rep",
        "year": "2017",
        "doi": "10.1007/s11910-017-0806-2",
        "pmid": "29086067",
        "url": "https://pubmed.ncbi.nlm.nih.gov/29086067/",
    }
    response = admin_client.post(reverse("admin:conditions_reference_add"), data)
    assert response.status_code == 302
    assert Reference.objects.get().pmid == "29086067"


def test_no_admin_action_publishes_without_review(editor_client, demo):
    """Even a superuser has no way around the medical review."""
    changelist = editor_client.get(reverse("admin:conditions_condition_changelist"))
    actions = changelist.context["action_form"].fields["action"].choices
    assert [name for name, _label in actions if "publish" in name] == []


def test_duplicate_slug_in_a_language_is_refused(admin_client, db):
    make_condition(slug_es="distonia-focal")
    other = make_condition(slug_es="otra")
    url = reverse("admin:conditions_condition_change", args=[other.pk])
    data = change_form_data(admin_client.get(url))
    data["slug_es"] = "distonia-focal"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Another condition already uses this slug." in response.content.decode()
    other.refresh_from_db()
    assert other.slug_es == "otra"


def test_reference_is_reusable_across_conditions(db):
    shared = make_reference(title="Dystonias fact sheet")
    first, second = make_condition(references=0), make_condition(references=0)
    first.condition_references.create(reference=shared, position=0)
    second.condition_references.create(reference=shared, position=0)
    assert shared.citations.count() == 2
