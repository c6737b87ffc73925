"""Production settings are safe by default and read secrets from the environment."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from healthinfo.settings.mail import email_settings

ROOT = Path(__file__).resolve().parent.parent

# What production needs; each test below takes one away.
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "healthinfo.settings.prod",
    "DJANGO_SECRET_KEY": "x7" * 30 + "-Qz!kP9#",
    "ALLOWED_HOSTS": "health.example.org",
    "SITE_URL": "https://health.example.org",
    "EMAIL_URL": "smtp://library:s3cret@mail.example.org:587?tls=1",
    "DEFAULT_FROM_EMAIL": "library@health.example.org",
}


def run_manage(*args, **env):
    # The caller's own environment must not fill in what a test leaves out.
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )


def production(without=None, **changes):
    """The production environment, less the variable WITHOUT, with CHANGES."""
    env = {k: v for k, v in PRODUCTION.items() if k != without}
    env.update(changes)
    return env


def test_production_settings_pass_the_deploy_check():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", **production(without="DJANGO_SECRET_KEY"))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.parametrize("name", ["EMAIL_URL", "SITE_URL", "DEFAULT_FROM_EMAIL"])
def test_production_refuses_to_start_without_mail_settings(name):
    result = run_manage("check", **production(without=name))
    assert result.returncode != 0
    assert f"ImproperlyConfigured: Set {name}" in result.stderr


def test_production_refuses_a_site_url_without_a_scheme():
    result = run_manage("check", **production(SITE_URL="health.example.org"))
    assert result.returncode != 0
    assert "ImproperlyConfigured: Set SITE_URL" in result.stderr


def test_production_names_email_url_and_hides_its_password_when_it_is_wrong():
    result = run_manage(
        "check", **production(EMAIL_URL="smtp://u:s3cret@mail:25?tsl=1")
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: EMAIL_URL: unknown option 'tsl'" in result.stderr
    assert "s3cret" not in result.stderr


def test_production_reads_mail_settings_from_the_environment():
    code = (
        "from django.conf import settings as s; "
        "print(s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.SITE_URL, "
        "s.DEFAULT_FROM_EMAIL, s.SERVER_EMAIL)"
    )
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        code,
        **PRODUCTION,
        SERVER_EMAIL="errors@health.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "mail.example.org",
        "587",
        "True",
        "https://health.example.org",
        "library@health.example.org",
        "errors@health.example.org",
    ]


def smtp_backend(url):
    """The SMTP backend Django builds from URL (no connection is opened)."""
    with override_settings(**email_settings(url)):
        return mail.get_connection()


def test_email_url_gives_the_smtp_backend_host_port_user_password_and_tls():
    backend = smtp_backend("smtp://user:pa%40ss@mail.example.org:587?tls=1")
    assert type(backend).__module__ == "django.core.mail.backends.smtp"
    assert (backend.host, backend.port) == ("mail.example.org", 587)
    assert (backend.username, backend.password) == ("user", "pa@ss")
    assert backend.use_tls is True
    assert backend.use_ssl is False
    assert backend.timeout == 10


@pytest.mark.parametrize(
    "url, port, use_tls, use_ssl",
    [
        ("smtps://user:pw@mail.example.org", 587, True, False),
        ("smtp+ssl://user:pw@mail.example.org", 465, False, True),
        ("smtp://user:pw@mail.example.org?ssl=1", 465, False, True),
        ("smtp://relay.internal", 25, False, False),
    ],
)
def test_email_url_forms_of_tls(url, port, use_tls, use_ssl):
    backend = smtp_backend(url)
    assert (backend.port, backend.use_tls, backend.use_ssl) == (
        port,
        use_tls,
        use_ssl,
    )


def test_email_url_timeout():
    assert smtp_backend("smtp://mail.example.org?timeout=30").timeout == 30


def test_consolemail_prints_mail():
    with override_settings(**email_settings("consolemail://")):
        backend = mail.get_connection()
    assert type(backend).__module__ == "django.core.mail.backends.console"


@pytest.mark.parametrize(
    "url",
    [
        "smtp://mail.example.org?tls=1&ssl=1",
        "smtp://mail.example.org?tsl=1",
        "smtp://mail.example.org?tls=maybe",
        "smtp://mail.example.org:smtp",
        "smtp://",
        "imap://mail.example.org",
    ],
)
def test_a_wrong_email_url_is_refused_without_showing_it(url):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL") as error:
        email_settings(url.replace("://", "://user:s3cret@", 1))
    assert "s3cret" not in str(error.value)
