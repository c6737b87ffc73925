"""End to end, in a real Chromium: a medical reviewer sets up two-factor
authentication at their first login, then logs in again with a code.

The phone is played by the test: it reads the setup key from the page (what
scanning the QR code gives an authenticator app) and computes the codes with
django_otp.oath.totp. Two-factor authentication is required, as in
production; the pages run under the site's Content-Security-Policy, and a
refused inline script or style would show in the console.
"""

import re
from base64 import b32decode

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import TwoFactorEvent
from conditions import roles

from .browser import AXE_TAGS, DESKTOP, axe_violations, format_violations, open_page
from .factories import make_reviewer

pytestmark = pytest.mark.browser

TIMEOUT_MS = 15_000


@pytest.fixture
def site(transactional_db, live_server, settings):
    """The live server's base URL, with two-factor authentication required."""
    roles.sync_roles()
    settings.TWO_FACTOR_REQUIRED = True
    settings.TWO_FACTOR_EXEMPT_USERNAMES = []
    return live_server.url


def code(key, steps_ahead=0):
    """Return the code an authenticator app shows now (or a period later)."""
    return f"{totp(key, step=30, digits=6, drift=steps_ahead):06d}"


def log_in(page, site, username):
    page.goto(f"{site}/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw")
    page.click("#login-form [type=submit]")


def test_a_reviewer_enrols_sees_backup_codes_and_logs_in_again_with_a_code(
    browser,  # noqa: F811
    site,
):
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    make_reviewer("dr-ostrovsky")
    with open_page(browser, DESKTOP) as page:
        page.set_default_timeout(TIMEOUT_MS)
        refused = []
        page.on(
            "console",
            lambda message: (
                "Content Security Policy" in message.text
                and refused.append(message.text)
            ),
        )

        # The password alone leads to the set-up page, nowhere else.
        log_in(page, site, "dr-ostrovsky")
        expect(page).to_have_url(re.compile(r"/admin/two-factor/enrol/\?next="))
        page.goto(f"{site}/admin/conditions/condition/")
        expect(page).to_have_url(re.compile(r"/admin/two-factor/enrol/"))
        expect(page.locator("svg.two-factor-qr")).to_be_visible()

        # "Scan" the QR code: the key it holds is also written out.
        secret = page.locator("#two-factor-secret").inner_text()
        key = b32decode(secret.replace(" ", ""))
        page.get_by_label("Enter the six-digit code the app shows:").fill(code(key))
        page.get_by_role("button", name="Turn on two-factor authentication").click()

        # The backup codes, shown once.
        expect(page).to_have_url(re.compile(r"/admin/two-factor/backup-codes/"))
        # (all_inner_texts does not wait: wait for the page's list first.)
        expect(page.locator("#backup-codes code")).to_have_count(10)
        backup = page.locator("#backup-codes code").all_inner_texts()
        assert len(backup) == 10
        assert all(re.fullmatch(r"[a-z2-7]{4} [a-z2-7]{4}", c) for c in backup)
        page.get_by_role("link", name="I have kept my backup codes: continue").click()
        # On to the page they asked for.
        expect(page).to_have_url(f"{site}/admin/conditions/condition/")
        expect(page.locator("#user-tools")).to_contain_text("Two-factor authentication")

        page.locator("#logout-form button").click()
        expect(page).to_have_url(re.compile(r"/admin/logout/"))

        # Next login: the password, then a code from the app.
        log_in(page, site, "dr-ostrovsky")
        expect(page).to_have_url(re.compile(r"/admin/two-factor/verify/\?next="))
        # The code just used is spent: give the app's next one. (Where the
        # server has learnt that the phone's clock is off by a step, it
        # counts with that drift, as the phone's next code would.)
        drift = TOTPDevice.objects.get(user__username="dr-ostrovsky").drift
        page.get_by_label("Code").fill(code(key, steps_ahead=drift + 1))
        page.get_by_role("button", name="Verify").click()
        expect(page).to_have_url(f"{site}/admin/")
        expect(page.locator("#content")).to_contain_text("Site administration")
        assert not refused, refused

    assert list(TwoFactorEvent.objects.values_list("action", flat=True)) == ["enrolled"]


#: Django's own admin breadcrumbs fail axe's link-in-text-block rule (white
#: links on light blue, not underlined) on every admin page: not ours to fix.
AXE_OUR_PART = """tags => axe.run({exclude: [['.breadcrumbs']]}, {
    runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
}).then(results => results.violations)"""


def our_violations(page):
    axe_violations(page)  # injects axe-core
    return page.evaluate(AXE_OUR_PART, list(AXE_TAGS))


def test_the_two_factor_pages_have_no_axe_violations(browser, site):  # noqa: F811
    make_reviewer("dr-okafor")
    reports = []

    def check(page, name):
        violations = our_violations(page)
        if violations:
            reports.append(f"{name}:\n{format_violations(violations)}")

    with open_page(browser, DESKTOP, bypass_csp=True) as page:
        page.set_default_timeout(TIMEOUT_MS)
        log_in(page, site, "dr-okafor")
        page.wait_for_url(re.compile(r"/admin/two-factor/enrol/"))
        check(page, "enrol")
        secret = page.locator("#two-factor-secret").inner_text()
        key = b32decode(secret.replace(" ", ""))
        page.get_by_label("Enter the six-digit code the app shows:").fill(code(key))
        page.get_by_role("button", name="Turn on two-factor authentication").click()
        page.wait_for_url(re.compile(r"/admin/two-factor/backup-codes/"))
        check(page, "backup codes")
        page.goto(f"{site}/admin/two-factor/")
        check(page, "status")
        page.locator("#logout-form button").click()
        log_in(page, site, "dr-okafor")
        page.wait_for_url(re.compile(r"/admin/two-factor/verify/"))
        check(page, "verify")
    assert not reports, "\n".join(reports)
