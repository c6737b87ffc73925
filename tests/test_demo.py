"""`load_demo` gives a new user a working library, and is safe to run again."""

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import RequestFactory

from conditions.demo import loader
from conditions.models import Condition, Publication, Reference


@pytest.fixture
def loaded(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))


def test_demo_is_idempotent(loaded):
    counts = (Condition.objects.count(), Reference.objects.count())
    publications = Publication.objects.count()
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert (Condition.objects.count(), Reference.objects.count()) == counts
    assert Publication.objects.count() == publications
    assert get_user_model().objects.count() == len(loader.ACCOUNTS)


def test_demo_focal_dystonia_is_complete_in_both_languages(loaded, client):
    condition = Condition.objects.get(slug_en="focal-dystonia")
    kinds = list(condition.sections.values_list("kind", flat=True))
    assert kinds == [
        "definition",
        "causes",
        "risk_factors",
        "symptoms",
        "diagnosis",
        "treatment",
        "prevention",
    ]
    assert condition.condition_references.count() == 8
    assert condition.images.get().credit
    assert Condition.objects.count() >= 3

    english = client.get("/en/conditions/focal-dystonia/").content.decode()
    assert (
        "Carrechio M, Mencacci NE. Emerging monogenic complex hyperkinetic "
        "disorders. Curr Neurol Neurosci Rep. 2017;17(12):97." in english
    )
    assert "Cynthia M. Johnson, MA" in english
    assert "Daniel A. Ostrovsky, MD" in english
    spanish = client.get(f"/es/conditions/{condition.slug_es}/")
    assert spanish.status_code == 200
    assert "Distonía focal" in spanish.content.decode()


@pytest.mark.parametrize(
    "username",
    [
        "admin",
        "editor",
        "author",
        "reviewer",
        "translator_es",
        "translation_reviewer_es",
    ],
)
def test_demo_accounts_use_the_demo_password(db, monkeypatch, username):
    monkeypatch.setenv("DEMO_PASSWORD", "a-different-Secret-42")
    call_command("load_demo", stdout=open("/dev/null", "w"))
    # Login throttling (django-axes) needs the request of a login.
    request = RequestFactory().post("/admin/login/")
    user = authenticate(request, username=username, password="a-different-Secret-42")
    assert user is not None and user.is_staff
    assert authenticate(request, username=username, password="healthlib-demo") is None
