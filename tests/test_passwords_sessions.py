"""Passwords and sessions of staff accounts, from the side of the person refused.

Django's four password validators; a session lasts a working day and ends
with the browser; a password change ends the account's other sessions
(healthinfo/settings/accounts.py).
"""

import json
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conditions.demo import loader

from .factories import make_user

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Wisteria-lantern-42"


def log_in(username, password=PASSWORD):
    """Return a client logged in through the admin's login form."""
    client = Client()
    response = client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
    )
    assert response.status_code == 302, response.content.decode()
    return client


def is_logged_in(client):
    return client.get(reverse("admin:index")).status_code == 200


def nurse():
    user = make_user("nurse.garcia")
    user.first_name, user.last_name = "Maria", "Garcia"
    user.email = "maria.garcia@example.org"
    user.set_password(PASSWORD)
    user.save()
    return user


def refusals(password, user):
    try:
        validate_password(password, user)
    except ValidationError as error:
        return {e.code for e in error.error_list}
    return set()


@pytest.mark.parametrize(
    "password, refusal",
    [
        ("Lantern-42", "password_too_short"),
        ("password1234", "password_too_common"),
        ("739104628351", "password_entirely_numeric"),
        ("maria.garcia@example", "password_too_similar"),
    ],
)
def test_weak_passwords_are_refused(db, password, refusal):
    assert refusal in refusals(password, nurse())


def test_a_long_uncommon_password_is_accepted(db):
    assert refusals("Wisteria-lantern-42", nurse()) == set()


def test_the_demo_password_is_accepted_for_every_demo_account(db):
    loader.load_accounts()
    User = get_user_model()

    for username in loader.ACCOUNTS:
        assert refusals("healthlib-demo", User.objects.get(username=username)) == set()


def test_the_admin_refuses_a_weak_password_for_a_new_account(db):
    client = Client()
    client.force_login(make_user(superuser=True))

    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "newcomer",
            "usable_password": "true",
            "password1": "short-1",
            "password2": "short-1",
        },
    )

    assert response.status_code == 200
    assert "This password is too short." in response.content.decode()
    assert not get_user_model().objects.filter(username="newcomer").exists()


def test_a_weak_new_password_is_refused_and_the_old_one_kept(db):
    nurse()
    client = log_in("nurse.garcia")

    response = client.post(
        reverse("admin:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "password1234",
            "new_password2": "password1234",
        },
    )

    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    assert is_logged_in(log_in("nurse.garcia", PASSWORD))


def test_a_session_lasts_a_working_day_and_ends_with_the_browser(db):
    nurse()
    client = Client()
    response = client.post(
        reverse("admin:login"),
        {"username": "nurse.garcia", "password": PASSWORD, "next": "/admin/"},
    )

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    # A browser session cookie: no expiry, gone when the browser closes.
    assert cookie["expires"] == "" and cookie["max-age"] == ""
    # On the server, the session ends a working day after the login.
    if "SESSION_HOURS" not in os.environ:
        assert settings.SESSION_COOKIE_AGE == 9 * 3600
    session = Session.objects.get(session_key=cookie.value)
    expected = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert abs(session.expire_date - expected) < timedelta(minutes=1)


def test_after_the_session_age_the_admin_asks_to_log_in_again(db, settings):
    settings.SESSION_COOKIE_AGE = 3
    nurse()
    client = log_in("nurse.garcia")
    assert is_logged_in(client)

    time.sleep(3.5)

    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_the_session_length_comes_from_the_environment():
    script = (
        "import json; from django.conf import settings; print(json.dumps(["
        "settings.SESSION_COOKIE_AGE, settings.SESSION_EXPIRE_AT_BROWSER_CLOSE]))"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "healthinfo.settings.test",
            "SESSION_HOURS": "7.5",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [27000, True]


def test_changing_ones_password_logs_out_the_other_sessions(db):
    nurse()
    here = log_in("nurse.garcia")
    elsewhere = log_in("nurse.garcia")  # another browser, another computer

    response = here.post(
        reverse("admin:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Quince-harbour-77",
            "new_password2": "Quince-harbour-77",
        },
    )

    assert response.status_code == 302
    # The session that changed it goes on; the other one is logged out.
    assert is_logged_in(here)
    response = elsewhere.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert is_logged_in(log_in("nurse.garcia", "Quince-harbour-77"))


@pytest.mark.parametrize("who", ["superuser", "user manager"])
def test_a_password_set_by_someone_else_logs_out_all_the_accounts_sessions(db, who):
    user = nurse()
    sessions = [log_in("nurse.garcia"), log_in("nurse.garcia")]
    if who == "superuser":
        manager = make_user(superuser=True)
    else:
        manager = make_user()
        manager.user_permissions.add(
            *Permission.objects.filter(
                content_type__app_label="auth",
                codename__in=["view_user", "change_user"],
            )
        )
    client = Client()
    client.force_login(manager)

    response = client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"password1": "Quince-harbour-77", "password2": "Quince-harbour-77"},
    )

    assert response.status_code == 302
    for session in sessions:
        response = session.get(reverse("admin:index"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))
    assert is_logged_in(client)
