"""The admin under the Content-Security-Policy: no inline script but the nonce'd.

The whole site sends one strict policy (healthinfo/settings/csp.py): scripts
and styles from the site only, inline script and style elements only with
the request's nonce, nothing from other hosts, no inline event handlers.
The admin's screens work under it: its rich-text editor (an inline import
map, nonce'd; Tiptap's stylesheet a file) and Django's admin JavaScript
(static files with data attributes). Public pages, stored and served as
bytes, never carry a nonce.

The browser tests listen for ``securitypolicyviolation`` events from the
test harness (an init script of the browser context), so that a violation
on any page, popups included, fails them.
"""

import contextlib
import re
from pathlib import Path

import django_prose_editor
import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from conditions.demo import loader
from conditions.models import Condition

from .browser import DESKTOP, open_page
from .factories import make_condition, publish_now
from .test_e2e_review import (  # noqa: F401  (site is a fixture)
    TIMEOUT_MS,
    expect_success,
    log_in,
    site,
)

EDITOR_JS = (
    Path(django_prose_editor.__file__).parent
    / "static"
    / "django_prose_editor"
    / "editor.js"
)
TIPTAP_CSS = Path(settings.BASE_DIR) / "static" / "vendor" / "tiptap" / "tiptap.css"


def directives(policy):
    """Return the policy as {directive: [sources]}."""
    parsed = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


def script_nonce(response):
    """Return the nonce that the response's script-src allows, or None."""
    sources = directives(response["Content-Security-Policy"])["script-src"]
    nonces = [s for s in sources if s.startswith("'nonce-")]
    assert len(nonces) <= 1, sources
    return nonces[0][len("'nonce-") : -1] if nonces else None


# ------------------------------------------------------- the policy itself


@pytest.fixture
def demo(db):
    loader.load_accounts()
    loader.load_content()
    return Condition.objects.get(slug_en="focal-dystonia")


def logged_in(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_change_form_allows_its_import_map_by_nonce_and_no_other_inline_script(
    client, demo
):
    response = logged_in(client, "author").get(
        reverse("admin:conditions_condition_change", args=[demo.pk])
    )
    policy = directives(response["Content-Security-Policy"])
    nonce = script_nonce(response)
    assert nonce and len(nonce) >= 22  # 16 random bytes, base64
    for directive in ("script-src", "style-src"):
        assert policy[directive] == ["'self'", f"'nonce-{nonce}'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    html = response.content.decode()
    assert re.search(rf'<script type="importmap" nonce="{re.escape(nonce)}">', html), (
        "the editor's import map carries the nonce"
    )
    # The stand-in for Tiptap's inline stylesheet, nonce'd (conditions/admin/editor.py).
    assert re.findall(r"<style\b[^>]*>", html) == [
        f'<style nonce="{nonce}" data-tiptap-style>'
    ]
    # Every other script is a file (Django's admin passes its data in
    # data- attributes), or a JSON data block, which browsers never run.
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert (
            "src=" in tag
            or f'nonce="{nonce}"' in tag
            or 'type="application/json"' in tag
        ), tag
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", html), "an inline event handler"


def test_each_response_has_its_own_nonce(client, demo):
    client = logged_in(client, "author")
    url = reverse("admin:conditions_condition_change", args=[demo.pk])
    first, second = script_nonce(client.get(url)), script_nonce(client.get(url))
    assert first and second and first != second


def test_admin_pages_without_inline_script_allow_none(client, demo):
    """A page that needs no nonce gets none: script-src 'self' only."""
    response = logged_in(client, "translator_es").get(
        reverse("admin:conditions_condition_translation_report", args=["es"])
    )
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]


def test_login_page_is_under_the_policy(client, db):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_public_pages_never_carry_a_nonce(client, db):
    """Stored pages are served as bytes: a nonce in them would be replayed."""
    condition = make_condition(slug_en="focal-dystonia")
    publish_now(condition)
    for _ in range(2):  # rendered, then from the store
        response = client.get("/en/conditions/focal-dystonia/")
        assert response.status_code == 200
        policy = directives(response["Content-Security-Policy"])
        assert policy["script-src"] == ["'self'"]
        assert policy["style-src"] == ["'self'"]
        assert "nonce" not in response.content.decode()


def test_tiptap_stylesheet_file_is_the_installed_editors():
    """static/vendor/tiptap/tiptap.css is what Tiptap would insert inline.

    After an upgrade of django-prose-editor, copy the stylesheet again from
    editor.js (the template literal that starts with ``.ProseMirror {``).
    """
    css = TIPTAP_CSS.read_text()
    rules = css[css.index("*/") + 2 :].strip()
    assert rules.startswith(".ProseMirror {")
    assert f"`{rules}`" in EDITOR_JS.read_text()


def project_templates():
    """Yield the templates of the project and its own apps (not third parties)."""
    base = Path(settings.BASE_DIR).resolve()
    folders = [Path(folder) for folder in settings.TEMPLATES[0]["DIRS"]]
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(base) and ".venv" not in path.parts:
            folders.append(path / "templates")
    for folder in folders:
        yield from sorted(folder.rglob("*.html"))


def test_project_templates_have_no_inline_script_or_event_handler():
    """Scripts are static files; data goes in data- attributes or JSON blocks."""
    found = []
    for path in project_templates():
        text = path.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and not re.search(
                r'type="application/(ld\+)?json"', tag
            ):
                found.append(f"{path}: {tag}")
        for match in re.finditer(r"<[a-z][^>]*\s(on[a-z]+)\s*=", text):
            found.append(f"{path}: {match.group(1)}=")
        if "javascript:" in text:
            found.append(f"{path}: javascript: URL")
    assert not found, "\n".join(found)


# ------------------------------------------------------------ in Chromium

#: Reports every CSP violation of every page of the context to the test.
LISTENER = """
window.cspViolations = [];
document.addEventListener('securitypolicyviolation', event => {
    const violation = {
        page: location.pathname + location.search,
        directive: event.effectiveDirective,
        blocked: event.blockedURI,
        sample: event.sample,
        line: event.lineNumber,
    };
    window.cspViolations.push(violation);
    window.reportCspViolation(violation);
});
"""


class PolicyWatch:
    """What the browser reported: violations, "Refused to…" console lines,
    and the policy header of every admin page it loaded."""

    def __init__(self, context):
        self.violations = []
        self.refusals = []
        self.policies = {}
        context.expose_function("reportCspViolation", self._violation)
        context.add_init_script(LISTENER)
        context.on("console", self._console)
        context.on("response", self._response)

    def _violation(self, violation):
        self.violations.append(violation)

    def _console(self, message):
        if "Content Security Policy" in message.text or message.text.startswith(
            "Refused to"
        ):
            self.refusals.append(message.text)

    def _response(self, response):
        if response.request.resource_type == "document":
            path = re.sub(r"^https?://[^/]+", "", response.url)
            self.policies[path] = response.headers.get("content-security-policy")

    def assert_clean(self):
        assert not self.violations, self.violations
        assert not self.refusals, self.refusals


@pytest.fixture
def watched(browser):
    """Return a function that opens a page whose browser context is watched."""
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    with contextlib.ExitStack() as stack:

        def open_watched():
            page = stack.enter_context(open_page(browser, DESKTOP))
            page.set_default_timeout(TIMEOUT_MS)
            return page, PolicyWatch(page.context)

        yield open_watched


def assert_strict(watch, path, *, nonce):
    """The page at ``path`` was sent with the strict policy (and a nonce)."""
    policy = watch.policies[path]
    assert policy, f"{path} had no Content-Security-Policy"
    script_src = directives(policy)["script-src"]
    assert "'unsafe-inline'" not in policy
    assert "'self'" in script_src
    assert any(s.startswith("'nonce-") for s in script_src) == nonce, script_src


def type_in_editor(page, editor, text):
    """Type at the end of the editor's first paragraph, as a writer would."""
    from playwright.sync_api import expect

    paragraph = editor.locator("p").first
    paragraph.click()
    page.keyboard.press("End")
    page.keyboard.type(text)
    expect(editor).to_contain_text(text)


@pytest.mark.browser
def test_admin_screens_work_under_the_policy_without_a_violation(watched, site):  # noqa: F811
    from playwright.sync_api import expect

    condition = Condition.objects.get(slug_en="focal-dystonia")
    change = f"/admin/conditions/condition/{condition.pk}/change/"

    # The author: admin home, the change form (typing in the editor proves
    # its scripts run), saving, submitting, then comparing two revisions.
    author, watch = watched()
    log_in(author, site, "author")
    assert_strict(watch, "/admin/", nonce=False)
    author.goto(site + change)
    assert_strict(watch, change, nonce=True)
    editor = author.locator("#sections-0 .field-body_en [contenteditable=true]")
    type_in_editor(author, editor, " Checked under the policy.")
    # Tiptap found the nonce'd stand-in for its stylesheet, and the rules
    # came from the file: ProseMirror keeps white space as typed.
    assert author.locator("style[data-tiptap-style]").count() == 1
    assert editor.first.evaluate("e => getComputedStyle(e).whiteSpace") in (
        "break-spaces",
        "pre-wrap",
    )
    author.fill("#id_change_note", "Checked under the policy.")
    author.click("input[name=_continue]")
    expect_success(author, "was changed successfully")
    expect(editor).to_contain_text("Checked under the policy.")
    panel = author.locator(".workflow-panel")
    panel.locator("#id_note").fill("One sentence added.")
    panel.get_by_role(
        "button", name="Submit the saved version for medical review"
    ).click()
    expect_success(author, "Submitted for medical review.")
    author.goto(f"{site}/admin/conditions/condition/{condition.pk}/history/")
    author.get_by_role("button", name="Compare the selected revisions").click()
    expect(author).to_have_url(re.compile(r"/compare/\?"))
    expect(author.locator(".revision-diff ins").first).to_be_visible()
    watch.assert_clean()

    # The medical reviewer: the review screen of that request.
    reviewer, watch = watched()
    log_in(reviewer, site, "reviewer")
    reviewer.goto(f"{site}/admin/conditions/reviewrequest/?state__exact=pending")
    reviewer.locator("#result_list").get_by_role("link", name="Focal Dystonia").click()
    expect(reviewer).to_have_url(re.compile(r"/review/$"))
    expect(reviewer.locator(".revision-diff ins").first).to_be_visible()
    assert_strict(watch, re.sub(r"^https?://[^/]+", "", reviewer.url), nonce=False)
    watch.assert_clean()

    # The translator: the Spanish report, then the workspace's editor.
    translator, watch = watched()
    log_in(translator, site, "translator_es")
    translator.get_by_role("link", name=re.compile("Translation report")).click()
    report = "/admin/conditions/condition/translations/es/"
    expect(translator).to_have_url(site + report)
    assert_strict(watch, report, nonce=False)
    workspace = f"/admin/conditions/condition/{condition.pk}/translate/es/"
    translator.goto(site + workspace)
    assert_strict(watch, workspace, nonce=True)
    editor = translator.locator(".target [contenteditable=true]").first
    type_in_editor(translator, editor, " Revisado.")
    translator.get_by_role("button", name="Save translation", exact=True).click()
    expect_success(translator, "saved")
    expect(translator.locator(".target [contenteditable=true]").first).to_contain_text(
        "Revisado."
    )
    watch.assert_clean()


@pytest.mark.browser
def test_admin_popups_and_prepopulated_fields_work_under_the_policy(watched, site):  # noqa: F811
    """Django's admin scripts: related-object popup, slug prepopulation and
    the popup's response, which hands the new category to the change form."""
    from playwright.sync_api import expect

    condition = Condition.objects.get(slug_en="focal-dystonia")
    editor, watch = watched()
    log_in(editor, site, "editor")
    editor.goto(f"{site}/admin/conditions/condition/{condition.pk}/change/")
    with editor.expect_popup() as opened:
        editor.locator("#add_id_categories").click()
    popup = opened.value
    popup.set_default_timeout(TIMEOUT_MS)
    popup.select_option("#id_kind", "specialty")
    popup.fill("#id_name_en", "Movement disorders")
    popup.locator("#id_name_en").blur()
    expect(popup.locator("#id_slug_en")).to_have_value("movement-disorders")
    with popup.expect_event("close"):
        popup.locator("input[name=_save]").click()
    expect(editor.locator("#id_categories_to option")).to_contain_text(
        ["Movement disorders"]
    )
    watch.assert_clean()


@pytest.mark.browser
def test_inline_script_without_the_nonce_is_refused_and_reported(watched, site):  # noqa: F811
    """Markup that got into an admin page unescaped cannot run: a <script>
    without the nonce, or an event handler attribute, is blocked."""
    from playwright.sync_api import expect

    condition = Condition.objects.get(slug_en="focal-dystonia")
    page, watch = watched()
    log_in(page, site, "author")
    change = f"/admin/conditions/condition/{condition.pk}/change/"
    page.goto(site + change)
    expect(page.locator("#sections-0 [contenteditable=true]").first).to_be_visible()
    watch.assert_clean()
    page.evaluate(
        """() => {
            const script = document.createElement('script');
            script.textContent = 'window.injected = true';
            document.body.append(script);
            const button = document.createElement('div');
            button.id = 'handler';
            button.setAttribute('onclick', 'window.clicked = true');
            document.body.append(button);
        }"""
    )
    page.locator("#handler").dispatch_event("click")
    # Violation events are queued: wait for both reports.
    page.wait_for_function("() => window.cspViolations.length >= 2")
    assert page.evaluate("() => window.injected") is None
    assert page.evaluate("() => window.clicked") is None
    violations = page.evaluate("() => window.cspViolations")
    assert {v["directive"] for v in violations} == {
        "script-src-elem",
        "script-src-attr",
    }, violations
    assert all(v["page"] == change and v["blocked"] == "inline" for v in violations)
