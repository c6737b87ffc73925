"""Two-factor authentication (accounts/), from the side of the person refused.

With TWO_FACTOR_REQUIRED on (production's value), an account that can
approve, publish, unpublish or manage users gets nothing of the admin after
its password alone: it is sent to set up an authenticator app, or to the
token step, from every admin page, GET or POST. Codes are computed here from
the device's key, as the phone would (django_otp.oath.totp).
"""

import re

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import devices, policy
from accounts.models import TwoFactorAccount, TwoFactorEvent
from conditions import versioning, workflow
from conditions.demo.loader import ACCOUNTS
from conditions.models import AuditEntry, ReviewRequest

from .factories import (
    make_author,
    make_condition,
    make_reviewer,
    make_translation_reviewer,
    make_translator,
    make_user,
)
from .test_settings import PRODUCTION, run_manage

ROLES = {
    "staff": lambda: make_user("the-staff"),
    "author": lambda: make_author("the-author"),
    "translator": lambda: make_translator(username="the-translator"),
    "reviewer": lambda: make_reviewer("the-reviewer"),
    "translation_reviewer": lambda: make_translation_reviewer(
        username="the-translation-reviewer"
    ),
    "editor": lambda: make_user("the-editor", groups=["Editors"]),
    "superuser": lambda: make_user("the-superuser", superuser=True),
    "user_manager": lambda: _with_permission(make_user("the-manager"), "change_user"),
    "user_creator": lambda: _with_permission(make_user("the-creator"), "add_user"),
}
#: The roles that approve, publish, unpublish or manage accounts.
REQUIRED = {
    "reviewer",
    "translation_reviewer",
    "editor",
    "superuser",
    "user_manager",
    "user_creator",
}
#: Admin pages, one of each kind, that an unverified account must not open.
ADMIN_PAGES = [
    "admin:index",
    "admin:conditions_condition_changelist",
    "admin:conditions_reviewrequest_changelist",
    "admin:conditions_auditentry_changelist",
    "admin:password_change",
    "admin:accounts_twofactoraccount_changelist",
    "two_factor:index",
    "two_factor:backup_codes",
]


def _with_permission(user, codename):
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="auth", codename=codename)
    )
    return user


@pytest.fixture
def required(settings, db):
    """Production's setting: the roles above must use two-factor authentication."""
    settings.TWO_FACTOR_REQUIRED = True
    settings.TWO_FACTOR_EXEMPT_USERNAMES = []


def enrol(user):
    """Give the user a confirmed authenticator and backup codes; return both."""
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    return device, [code.replace(" ", "") for code in devices.new_backup_codes(user)]


def code_for(device, steps_ahead=0):
    """Return the code the phone shows now (or `steps_ahead` periods later).

    A code is accepted once: the next login in the same 30 seconds uses the
    next period's code, which the device's tolerance of one step accepts.
    """
    device.refresh_from_db()
    value = totp(
        device.bin_key,
        device.step,
        device.t0,
        device.digits,
        device.drift + steps_ahead,
    )
    return f"{value:0{device.digits}d}"


def log_in(user, client=None):
    """Log in through the admin's login form with the right password."""
    client = client or Client()
    response = client.post(
        reverse("admin:login"),
        {"username": user.username, "password": "pw", "next": "/admin/"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response.url == "/admin/"
    return client


def verify(client, code, next_url="/admin/"):
    return client.post(reverse("two_factor:verify"), {"code": code, "next": next_url})


def step_of(response):
    """Return the two-factor page a response redirects to ('enrol', 'verify')."""
    assert response.status_code == 302, response.status_code
    for name in ("enrol", "verify"):
        if response.url.startswith(reverse(f"two_factor:{name}")):
            return name
    return response.url


@pytest.fixture
def pending(db):
    """An article submitted for medical review by an author."""
    author = make_author("the-writer")
    condition = make_condition(sections=1, references=1, images=0)
    versioning.save_revision(condition, user=author, comment="First")
    return workflow.submit(condition, user=author, note="Please check")


def review_url(request):
    return reverse("admin:conditions_reviewrequest_review", args=[request.pk])


# Who must use it ----------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_two_factor_is_required_exactly_for_those_who_approve_publish_or_manage(
    db, role
):
    user = ROLES[role]()
    assert policy.has_required_role(user) == (role in REQUIRED)
    # The reset screen's list says the same, in one query.
    listed = policy.with_required_role(TwoFactorAccount.objects.filter(pk=user.pk))
    assert listed.get().required_role == (role in REQUIRED)


# Refused without a second factor ---------------------------------------------------


@pytest.mark.parametrize("role", sorted(REQUIRED))
@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_a_required_account_with_a_password_only_opens_no_admin_page(
    required, role, page
):
    user = ROLES[role]()
    client = log_in(user)
    response = client.get(reverse(page))
    assert step_of(response) == "enrol"
    assert f"next={reverse(page).replace('/', '%2F')}" in response.url
    # The enrolment page itself opens, and offers nothing else of the admin.
    enrolment = client.get(response.url)
    assert enrolment.status_code == 200
    assert 'id="nav-sidebar"' not in enrolment.content.decode()


@pytest.mark.parametrize("role", ["reviewer", "editor", "translation_reviewer"])
def test_an_enrolled_account_is_sent_to_the_token_step_until_it_gives_a_code(
    required, role
):
    user = ROLES[role]()
    enrol(user)
    client = log_in(user)
    for page in ADMIN_PAGES:
        assert step_of(client.get(reverse(page))) == "verify", page
    assert client.get(reverse("two_factor:verify")).status_code == 200
    # It cannot skip to enrolling another authenticator either.
    assert step_of(client.get(reverse("two_factor:enrol"))) == "verify"
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_an_unverified_reviewer_cannot_approve(required, pending):
    reviewer = make_reviewer("the-reviewer")
    enrol(reviewer)
    client = log_in(reviewer)
    audit = AuditEntry.objects.count()

    response = client.post(review_url(pending), {"action": "approve"})

    assert step_of(response) == "verify"
    pending.refresh_from_db()
    assert pending.state == ReviewRequest.State.PENDING
    assert AuditEntry.objects.count() == audit


def test_an_unenrolled_reviewer_cannot_approve(required, pending):
    client = log_in(make_reviewer("the-reviewer"))
    response = client.post(review_url(pending), {"action": "approve"})
    assert step_of(response) == "enrol"
    pending.refresh_from_db()
    assert pending.state == ReviewRequest.State.PENDING


def test_force_login_without_a_code_is_refused_too(required):
    reviewer = make_reviewer("the-reviewer")
    enrol(reviewer)
    client = Client()
    client.force_login(reviewer)
    assert step_of(client.get(reverse("admin:index"))) == "verify"


# Let in with a code ---------------------------------------------------------------


def test_a_valid_code_lets_the_reviewer_in_and_approve(required, pending):
    reviewer = make_reviewer("the-reviewer")
    device, _codes = enrol(reviewer)
    client = log_in(reviewer)

    response = verify(client, code_for(device), next_url=review_url(pending))

    assert response.status_code == 302
    assert response.url == review_url(pending)
    assert client.get(reverse("admin:index")).status_code == 200
    response = client.post(review_url(pending), {"action": "approve"})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.state == ReviewRequest.State.PUBLISHED


def test_a_valid_code_lets_the_editor_in(required):
    editor = ROLES["editor"]()
    device, _codes = enrol(editor)
    client = log_in(editor)
    assert step_of(client.get(reverse("admin:index"))) == "verify"
    assert verify(client, code_for(device)).url == "/admin/"
    for page in ADMIN_PAGES:
        assert client.get(reverse(page)).status_code == 200, page


def test_a_wrong_code_is_refused_and_the_next_try_must_wait(required):
    reviewer = make_reviewer("the-reviewer")
    device, _codes = enrol(reviewer)
    client = log_in(reviewer)
    wrong = f"{(int(code_for(device)) + 1) % 10**6:06d}"

    response = verify(client, wrong)

    assert response.status_code == 200
    assert "That code is not right." in response.content.decode()
    assert step_of(client.get(reverse("admin:index"))) == "verify"
    # Guessing is slowed down: straight after a wrong code, even the right
    # one is not checked.
    response = verify(client, code_for(device))
    assert response.status_code == 200
    assert "Too many wrong codes: try again in" in response.content.decode()
    assert step_of(client.get(reverse("admin:index"))) == "verify"


def test_a_code_is_accepted_once(required):
    reviewer = make_reviewer("the-reviewer")
    device, _codes = enrol(reviewer)
    code = code_for(device)
    assert verify(log_in(reviewer), code).status_code == 302
    response = verify(log_in(reviewer), code)
    assert response.status_code == 200
    assert "That code is not right." in response.content.decode()


def test_a_backup_code_works_once(required):
    reviewer = make_reviewer("the-reviewer")
    _device, codes = enrol(reviewer)

    client = log_in(reviewer)
    assert verify(client, codes[0].upper()).url == "/admin/"
    assert client.get(reverse("admin:index")).status_code == 200
    assert devices.backup_codes_left(reviewer) == 9

    client.post(reverse("admin:logout"))
    client = log_in(reviewer)
    response = verify(client, codes[0])
    assert response.status_code == 200
    assert "That code is not right." in response.content.decode()
    assert step_of(client.get(reverse("admin:index"))) == "verify"


def test_logging_out_ends_the_verified_session(required):
    reviewer = make_reviewer("the-reviewer")
    device, _codes = enrol(reviewer)
    client = log_in(reviewer)
    verify(client, code_for(device))
    client.post(reverse("admin:logout"))
    log_in(reviewer, client)
    assert step_of(client.get(reverse("admin:index"))) == "verify"


def test_the_token_step_goes_on_only_to_a_page_of_this_site(required):
    reviewer = make_reviewer("the-reviewer")
    device, _codes = enrol(reviewer)
    client = log_in(reviewer)
    response = verify(client, code_for(device), next_url="https://evil.example/")
    assert response.url == reverse("admin:index")


def test_anonymous_visitors_are_sent_to_the_login_page(db):
    for name in ("two_factor:verify", "two_factor:enrol", "two_factor:index"):
        response = Client().get(reverse(name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


def test_public_pages_are_not_concerned(required):
    client = log_in(make_reviewer("the-reviewer"))
    assert client.get("/en/").status_code == 200


# Enrolment -----------------------------------------------------------------------


def test_enrolment_shows_a_qr_code_and_the_key_then_the_backup_codes_once(required):
    reviewer = make_reviewer("the-reviewer")
    client = log_in(reviewer)
    response = client.get(reverse("admin:index"))
    assert step_of(response) == "enrol"
    url = response.url

    page = client.get(url)
    html = page.content.decode()
    assert '<svg role="img"' in html
    secret = re.search(r'id="two-factor-secret">([A-Z2-7 ]+)<', html).group(1)
    device = TOTPDevice.objects.get(user=reviewer, confirmed=False)
    assert devices.secret(device) == secret
    assert "otpauth://" not in html  # the key only as text and in the picture

    response = client.post(url, {"code": code_for(device), "next": "/admin/"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor:backup_codes"))
    codes = client.get(response.url)
    shown = re.findall(
        r"<li><code>([a-z2-7]{4} [a-z2-7]{4})</code></li>", (codes.content.decode())
    )
    assert len(shown) == 10
    stored = set(
        StaticToken.objects.filter(device__user=reviewer).values_list(
            "token", flat=True
        )
    )
    assert {code.replace(" ", "") for code in shown} == stored
    # Shown once: the page now only counts them.
    again = client.get(reverse("two_factor:backup_codes")).content.decode()
    assert "You have 10 backup codes left." in again
    assert not re.search(r"<li><code>", again)

    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("admin:index")).status_code == 200
    event = TwoFactorEvent.objects.get()
    assert (event.account, event.action, event.actor) == (
        reviewer,
        "enrolled",
        reviewer,
    )


def test_a_wrong_code_does_not_confirm_the_enrolment(required):
    reviewer = make_reviewer("the-reviewer")
    client = log_in(reviewer)
    client.get(reverse("two_factor:enrol"))
    device = TOTPDevice.objects.get(user=reviewer)
    wrong = f"{(int(code_for(device)) + 1) % 10**6:06d}"
    response = client.post(reverse("two_factor:enrol"), {"code": wrong})
    assert response.status_code == 200
    assert "That code is not right." in response.content.decode()
    response = client.post(reverse("two_factor:enrol"), {"code": code_for(device)})
    assert "Too many wrong codes: try again in 1 second." in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert not StaticDevice.objects.filter(user=reviewer).exists()
    assert step_of(client.get(reverse("admin:index"))) == "enrol"


def test_a_key_seen_in_another_session_is_never_the_one_confirmed(required):
    """Someone who knew the password and opened the set-up page first does not
    learn the key the account's owner then confirms."""
    reviewer = make_reviewer("the-reviewer")
    intruder = log_in(reviewer)
    intruder.get(reverse("two_factor:enrol"))
    seen = TOTPDevice.objects.get(user=reviewer)

    owner = log_in(reviewer)
    page = owner.get(reverse("two_factor:enrol")).content.decode()
    device = TOTPDevice.objects.get(user=reviewer)
    assert device.pk != seen.pk and device.key != seen.key
    assert devices.secret(device) in page
    # The same session sees the same key again (a reload).
    assert (
        devices.secret(device)
        in owner.get(reverse("two_factor:enrol")).content.decode()
    )
    assert (
        owner.post(reverse("two_factor:enrol"), {"code": code_for(device)}).status_code
        == 302
    )
    # The intruder's page is stale: its session's key is gone.
    their_code = f"{totp(seen.bin_key):06d}"
    response = intruder.post(reverse("two_factor:enrol"), {"code": their_code})
    assert response.status_code == 302
    assert step_of(response) == "verify"


def test_backup_codes_can_be_made_again_and_the_old_ones_stop_working(required):
    reviewer = make_reviewer("the-reviewer")
    device, old = enrol(reviewer)
    client = log_in(reviewer)
    verify(client, code_for(device))

    response = client.post(reverse("two_factor:backup_codes"))
    shown = client.get(response.url).content.decode()
    new = re.findall(r"<li><code>([a-z2-7]{4} [a-z2-7]{4})</code></li>", shown)

    assert len(new) == 10
    assert not set(old) & {code.replace(" ", "") for code in new}
    assert TwoFactorEvent.objects.filter(action="backup_codes").count() == 1
    client.post(reverse("admin:logout"))
    client = log_in(reviewer)
    assert verify(client, new[1]).url == "/admin/"
    client.post(reverse("admin:logout"))
    client = log_in(reviewer)
    assert verify(client, old[1]).status_code == 200
    assert step_of(client.get(reverse("admin:index"))) == "verify"


def test_an_author_may_opt_in_and_is_then_asked_for_the_code(required):
    author = make_author("the-author")
    client = log_in(author)
    assert client.get(reverse("admin:index")).status_code == 200
    page = client.get(reverse("two_factor:index")).content.decode()
    assert "Two-factor authentication is off for your account." in page
    assert "Your role requires it." not in page

    client.get(reverse("two_factor:enrol"))
    device = TOTPDevice.objects.get(user=author)
    client.post(reverse("two_factor:enrol"), {"code": code_for(device)})
    client.post(reverse("admin:logout"))

    client = log_in(author)
    assert step_of(client.get(reverse("admin:index"))) == "verify"
    assert verify(client, code_for(device, steps_ahead=1)).url == "/admin/"
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_admin_user_links_lead_to_the_two_factor_page(admin_client):
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert f'href="{reverse("two_factor:index")}"' in html


@pytest.mark.parametrize("name", ["two_factor:enrol", "two_factor:verify"])
def test_the_pages_have_no_inline_script_and_load_nothing_from_elsewhere(
    required, name
):
    reviewer = make_reviewer("the-reviewer")
    if name == "two_factor:verify":
        enrol(reviewer)
    html = log_in(reviewer).get(reverse(name)).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r"\son[a-z]+\s*=", html)
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", html)


# Turning it off -------------------------------------------------------------------


def reset_url(account):
    return reverse("admin:accounts_twofactoraccount_reset", args=[account.pk])


def verified_client(user):
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device, _codes = enrol(user)
    client = log_in(user)
    assert verify(client, code_for(device)).status_code == 302
    return client


@pytest.mark.parametrize("role", ["reviewer", "editor", "superuser"])
def test_a_user_cannot_turn_off_their_own_required_two_factor(required, role):
    user = ROLES[role]()
    client = verified_client(user)

    page = client.get(reverse("two_factor:index")).content.decode()
    assert "ask an editor" in page
    response = client.post(reset_url(user), {"reason": "I do not want it"})

    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert not TwoFactorEvent.objects.filter(action="reset").exists()


@pytest.mark.parametrize("role", ["author", "translator", "reviewer"])
def test_an_author_or_translator_cannot_reset_another_account(required, role):
    user = ROLES[role]()
    client = verified_client(user)
    victim = make_reviewer("the-victim")
    enrol(victim)

    assert client.get(reset_url(victim)).status_code == 403
    assert client.post(reset_url(victim), {"reason": "Lost"}).status_code == 403
    changelist = reverse("admin:accounts_twofactoraccount_changelist")
    assert client.get(changelist).status_code == 403
    assert TOTPDevice.objects.filter(user=victim, confirmed=True).exists()
    assert StaticToken.objects.filter(device__user=victim).count() == 10
    assert not TwoFactorEvent.objects.filter(action="reset").exists()


def test_an_editor_resets_another_account_with_a_reason_and_it_is_logged(required):
    editor = ROLES["editor"]()
    reviewer = make_reviewer("the-reviewer")
    reviewer_client = verified_client(reviewer)
    client = verified_client(editor)
    changelist = reverse("admin:accounts_twofactoraccount_changelist")
    assert "the-reviewer" in client.get(changelist).content.decode()

    # A reason is required.
    response = client.post(reset_url(reviewer), {"reason": " "})
    assert response.status_code == 200
    assert TOTPDevice.objects.filter(user=reviewer).exists()

    response = client.post(reset_url(reviewer), {"reason": "Lost phone; called back"})

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=reviewer).exists()
    assert not StaticDevice.objects.filter(user=reviewer).exists()
    event = TwoFactorEvent.objects.get(action="reset")
    assert (event.account, event.username, event.actor, event.reason) == (
        reviewer,
        "the-reviewer",
        editor,
        "Lost phone; called back",
    )
    assert (
        "Lost phone; called back"
        in client.get(
            reverse("admin:accounts_twofactorevent_changelist")
        ).content.decode()
    )
    # The reviewer's session no longer counts as verified: they set it up again.
    assert step_of(reviewer_client.get(reverse("admin:index"))) == "verify"
    assert step_of(reviewer_client.get(reverse("two_factor:verify"))) == "enrol"


def test_only_a_superuser_resets_a_superuser(required):
    editor = ROLES["editor"]()
    boss = ROLES["superuser"]()
    enrol(boss)
    client = verified_client(editor)
    assert client.post(reset_url(boss), {"reason": "Lost"}).status_code == 403
    assert TOTPDevice.objects.filter(user=boss).exists()
    other = make_user("other-superuser", superuser=True)
    assert verified_client(other).post(reset_url(boss), {"reason": "Lost"}).url
    assert not TOTPDevice.objects.filter(user=boss).exists()


def test_django_otp_device_screens_are_not_in_the_admin(admin_client):
    assert admin_client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert admin_client.get("/admin/otp_static/staticdevice/").status_code == 404


# Settings -------------------------------------------------------------------------


def test_tests_run_with_it_off_so_force_login_staff_are_not_blocked(client, db):
    client.force_login(make_reviewer("the-reviewer"))
    assert client.get(reverse("admin:index")).status_code == 200


def test_exempt_accounts_log_in_with_a_password_only(required, settings):
    settings.TWO_FACTOR_EXEMPT_USERNAMES = ["reviewer"]
    client = log_in(make_reviewer("reviewer"))
    assert client.get(reverse("admin:index")).status_code == 200
    other = log_in(make_reviewer("reviewer-not-exempt"))
    assert step_of(other.get(reverse("admin:index"))) == "enrol"


def _settings_of(**env):
    code = (
        "from django.conf import settings as s; "
        "print(s.TWO_FACTOR_REQUIRED, sorted(s.TWO_FACTOR_EXEMPT_USERNAMES))"
    )
    result = run_manage("shell", "--no-imports", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_dev_exempts_the_demo_accounts_and_no_other():
    assert _settings_of(DJANGO_SETTINGS_MODULE="healthinfo.settings.dev") == (
        f"True {sorted(ACCOUNTS)}"
    )


def test_production_requires_two_factor_and_exempts_nobody():
    assert _settings_of(**PRODUCTION) == "True []"
    assert _settings_of(**PRODUCTION, TWO_FACTOR_REQUIRED="0") == "False []"


def test_the_test_settings_have_it_off():
    from django.conf import settings

    assert settings.TWO_FACTOR_REQUIRED is False
