"""Login throttling, from the side of the person refused.

Failed logins lock out the username and the address that made them
(django-axes with its database handler: healthinfo/settings/accounts.py).
The lockout page says when to try again; editors unlock in the admin
(conditions/admin/lockout.py); logins and failures are recorded.
"""

import json
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.models import DELETION, LogEntry
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from .factories import make_author, make_user

ROOT = Path(__file__).resolve().parent.parent
LIMIT = settings.AXES_FAILURE_LIMIT
ATTEMPTS = "admin:axes_accessattempt_changelist"


def attempt(client, username, password, address="192.0.2.1", **headers):
    """Post the admin's login form, as a person at ADDRESS would."""
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
        **headers,
    )


def logs_in(response):
    return response.status_code == 302 and response.url == "/admin/"


def fail(username, times, address="192.0.2.1"):
    """Make failed logins; return the status of each."""
    return [
        attempt(Client(), username, "wrong password", address).status_code
        for _ in range(times)
    ]


def is_lockout_page(response):
    return (
        response.status_code == 429
        and "Too many failed logins" in response.content.decode()
    )


def test_failures_for_one_username_lock_it_out_whatever_the_address(db):
    make_user("nurse")
    make_user("doctor")
    # A guesser spreads one account's guesses over many addresses.
    statuses = [
        attempt(Client(), "nurse", "wrong", f"198.51.100.{n}").status_code
        for n in range(1, LIMIT + 1)
    ]

    assert statuses == [200] * (LIMIT - 1) + [429]
    response = attempt(Client(), "nurse", "pw", "203.0.113.50")
    assert is_lockout_page(response)
    # The addresses are not locked: another account logs in from them.
    assert logs_in(attempt(Client(), "doctor", "pw", "198.51.100.1"))


def test_failures_from_one_address_lock_out_every_username_tried_from_it(db):
    make_user("nurse")
    # A guesser tries many accounts from one address.
    statuses = [
        attempt(Client(), f"guess{n}", "wrong", "192.0.2.66").status_code
        for n in range(LIMIT)
    ]

    assert statuses == [200] * (LIMIT - 1) + [429]
    assert is_lockout_page(attempt(Client(), "nurse", "pw", "192.0.2.66"))
    # The usernames tried are not locked: from elsewhere, nurse logs in.
    assert logs_in(attempt(Client(), "nurse", "pw", "192.0.2.67"))


def test_below_the_limit_the_right_password_logs_in(db):
    make_user("nurse")
    fail("nurse", LIMIT - 1)

    assert logs_in(attempt(Client(), "nurse", "pw"))


def test_the_right_password_right_after_the_lockout_is_refused_with_when_to_retry(db):
    make_user("nurse")
    fail("nurse", LIMIT)
    client = Client()

    response = attempt(client, "nurse", "pw")

    assert response.status_code == 429
    html = response.content.decode()
    # The admin's look: its header, the login page's style, an alert.
    assert str(admin.site.site_header) in html
    assert "admin/css/login.css" in html
    assert 'class="errornote" role="alert"' in html
    # When: the last failure plus the lockout, to the minute after.
    last = AccessAttempt.objects.get(username="nurse").attempt_time
    until = last + settings.AXES_COOLOFF_TIME
    until = until.replace(second=0, microsecond=0) + timedelta(minutes=1)
    assert "Too many failed logins for this username or from this address" in html
    assert f"at {until:%H:%M} (UTC)" in html
    assert "even with the right password" in html
    wait = int(response["Retry-After"])
    assert settings.AXES_COOLOFF_TIME.total_seconds() - 5 < wait
    assert wait <= settings.AXES_COOLOFF_TIME.total_seconds() + 60
    # Refused: no session.
    assert client.get("/admin/").status_code == 302


def test_the_lockout_ends_at_the_time_given_even_after_more_attempts(db, settings):
    settings.AXES_COOLOFF_TIME = timedelta(seconds=4)
    make_user("nurse")
    fail("nurse", LIMIT)
    last = AccessAttempt.objects.get(username="nurse").attempt_time

    # Trying again during the lockout does not start it again…
    time.sleep(1)
    assert is_lockout_page(attempt(Client(), "nurse", "pw"))
    # …so it ends when the last counted failure is as old as the lockout.
    ends = last + settings.AXES_COOLOFF_TIME + timedelta(milliseconds=300)
    time.sleep(max(0, (ends - timezone.now()).total_seconds()))

    assert logs_in(attempt(Client(), "nurse", "pw"))


CHILD = """
import json, sys
import django

django.setup()
from django.test import Client

username, address, times = sys.argv[1], sys.argv[2], int(sys.argv[3])
print(json.dumps([
    Client().post(
        "/admin/login/",
        {"username": username, "password": "wrong"},
        REMOTE_ADDR=address,
    ).status_code
    for _ in range(times)
]))
"""


def database_url():
    """Return the test database's address, for another process."""
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        assert "mode=memory" not in database["NAME"], "the test database is in memory"
        return f"sqlite:///{database['NAME']}"
    user = quote(database["USER"] or "")
    if database["PASSWORD"]:
        user += ":" + quote(database["PASSWORD"])
    port = f":{database['PORT']}" if database["PORT"] else ""
    return f"postgres://{user}@{database['HOST']}{port}/{database['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_failures_made_by_another_process_lock_this_one_out():
    """Another worker (or machine) sharing the database counts the same."""
    make_user("nurse")
    make_user("doctor")
    environment = {
        **{k: v for k, v in os.environ.items() if k != "REDIS_URL"},
        "DJANGO_SETTINGS_MODULE": "healthinfo.settings.test",
        "DATABASE_URL": database_url(),
    }

    result = subprocess.run(
        [sys.executable, "-c", CHILD, "nurse", "203.0.113.9", str(LIMIT)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1])[-1] == 429
    # Here, the username is locked out from any address…
    assert is_lockout_page(attempt(Client(), "nurse", "pw", "198.51.100.20"))
    # …and the address for any username.
    assert is_lockout_page(attempt(Client(), "doctor", "pw", "203.0.113.9"))
    assert logs_in(attempt(Client(), "doctor", "pw", "198.51.100.21"))


def test_an_editor_unlocks_the_account_and_its_owner_logs_in(db):
    make_user("nurse")
    fail("nurse", LIMIT, address="192.0.2.5")
    editor = make_user("elena", groups=["Editors"])
    client = Client()
    client.force_login(editor)

    listing = client.get(reverse(ATTEMPTS), {"locked_out": "yes"})
    assert listing.status_code == 200
    assert "nurse" in listing.content.decode()
    response = client.post(
        reverse(ATTEMPTS),
        {
            "action": "unlock",
            "_selected_action": list(
                AccessAttempt.objects.values_list("pk", flat=True)
            ),
        },
        follow=True,
    )

    assert "Unlocked: 1 failed attempt deleted." in response.content.decode()
    assert not AccessAttempt.objects.exists()
    assert LogEntry.objects.filter(user=editor, action_flag=DELETION).exists()
    assert logs_in(attempt(Client(), "nurse", "pw", "192.0.2.5"))


def test_unlocking_frees_the_username_and_the_address_of_the_attempts_selected(db):
    make_user("nurse")
    for n in range(LIMIT):
        attempt(Client(), f"guess{n}", "wrong", "192.0.2.66")
    client = Client()
    client.force_login(make_user(superuser=True))
    one = AccessAttempt.objects.get(username="guess0")

    client.post(reverse(ATTEMPTS), {"action": "unlock", "_selected_action": [one.pk]})

    # Every attempt from that address went, whatever its username.
    assert not AccessAttempt.objects.filter(ip_address="192.0.2.66").exists()
    assert logs_in(attempt(Client(), "nurse", "pw", "192.0.2.66"))


def test_an_author_cannot_unlock(db):
    make_user("nurse")
    fail("nurse", LIMIT)
    client = Client()
    client.force_login(make_author())

    assert client.get(reverse(ATTEMPTS)).status_code == 403
    response = client.post(
        reverse(ATTEMPTS),
        {
            "action": "unlock",
            "_selected_action": list(
                AccessAttempt.objects.values_list("pk", flat=True)
            ),
        },
    )

    assert response.status_code == 403
    assert AccessAttempt.objects.filter(username="nurse").exists()
    assert is_lockout_page(attempt(Client(), "nurse", "pw"))
    assert "Login security" not in client.get("/admin/").content.decode()


def test_logins_and_failures_are_recorded_and_shown_to_editors(db):
    make_user("nurse")
    fail("nurse", 2, address="192.0.2.8")
    assert logs_in(attempt(Client(), "nurse", "pw", "192.0.2.8"))
    # A login does not wipe the failures before it: these lock the account.
    assert fail("nurse", LIMIT - 2, address="192.0.2.8")[-1] == 429
    attempt(Client(), "nurse", "pw", "192.0.2.8")  # refused: locked out

    failures = AccessFailureLog.objects.filter(username="nurse")
    assert failures.count() == LIMIT + 1
    # The failure that locked the account, and the refused attempt after it.
    assert failures.filter(locked_out=True).count() == 2
    login = AccessLog.objects.get(username="nurse")
    assert login.ip_address == "192.0.2.8"
    assert not AccessAttempt.objects.filter(post_data__contains="wrong").exists()

    for viewer in [make_user("elena", groups=["Editors"]), make_user(superuser=True)]:
        client = Client()
        client.force_login(viewer)
        index = client.get("/admin/").content.decode()
        assert "Login security" in index
        for name in ["accesslog", "accessfailurelog", "accessattempt"]:
            page = client.get(reverse(f"admin:axes_{name}_changelist"))
            assert page.status_code == 200
            assert "nurse" in page.content.decode()
    author = Client()
    author.force_login(make_author())
    assert author.get(reverse("admin:axes_accesslog_changelist")).status_code == 403


def test_behind_trusted_proxies_the_lockout_is_by_the_clients_address(db, settings):
    settings.LOGIN_TRUSTED_PROXIES = 1
    make_user("nurse")
    proxy = "10.0.0.2"
    for n in range(LIMIT):
        attempt(
            Client(), f"guess{n}", "wrong", proxy, HTTP_X_FORWARDED_FOR="198.51.100.7"
        )

    # The guesser's address is locked, not the proxy every login comes through.
    locked = attempt(
        Client(), "nurse", "pw", proxy, HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    assert is_lockout_page(locked)
    assert logs_in(
        attempt(Client(), "nurse", "pw", proxy, HTTP_X_FORWARDED_FOR="198.51.100.8")
    )


def test_without_trusted_proxies_a_made_up_forwarded_address_changes_nothing(db):
    make_user("nurse")
    for n in range(LIMIT):
        attempt(
            Client(),
            f"guess{n}",
            "wrong",
            "192.0.2.9",
            HTTP_X_FORWARDED_FOR=f"10.9.9.{n}",
        )

    assert is_lockout_page(
        attempt(Client(), "nurse", "pw", "192.0.2.9", HTTP_X_FORWARDED_FOR="10.9.9.99")
    )


def test_the_limit_and_the_lockout_come_from_the_environment():
    script = (
        "import json; from django.conf import settings; print(json.dumps(["
        "settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME.total_seconds(),"
        " settings.LOGIN_TRUSTED_PROXIES]))"
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "healthinfo.settings.test",
        "LOGIN_FAILURE_LIMIT": "3",
        "LOGIN_LOCKOUT_MINUTES": "30",
        "LOGIN_TRUSTED_PROXIES": "1",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [3, 1800.0, 1]
