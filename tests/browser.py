"""Real-browser helpers: Chromium through Playwright, axe-core and the Nu checker.

Import the ``browser`` fixture into a test module. When Chromium, Java or the
npm test tools are missing, browser tests are skipped with the reason, unless
the environment sets ``REQUIRE_BROWSER=1`` (CI does): then they fail.
"""

import contextlib
import json
import mimetypes
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from django.conf import settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NODE_MODULES = Path(settings.BASE_DIR) / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}


def unavailable(reason):
    """Skip the test, or fail it when the environment requires browser tests."""
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (REQUIRE_BROWSER=1 is set)", pytrace=False)
    pytest.skip(reason)


def chromium_available():
    """Return True if Chromium and the Playwright package can be used."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        return False
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


def java_available():
    return shutil.which("java") is not None


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole test session."""
    if not chromium_available():
        unavailable(f"Chromium ({CHROMIUM}) or the playwright package is missing")
    if not AXE_JS.is_file():
        unavailable(f"{AXE_JS} is missing: run `npm install`")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread, which makes
    # Django refuse database queries from the test ("async context").
    # The queries are still synchronous, so allow them while it runs.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _serve_media(route):
    """Answer /media/ requests from MEDIA_ROOT (tests run with DEBUG=False)."""
    relative = unquote(urlsplit(route.request.url).path)[len(settings.MEDIA_URL) :]
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / relative).resolve()
    if root not in path.parents or not path.is_file():
        route.fulfill(status=404, body="")
        return
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    route.fulfill(status=200, body=path.read_bytes(), content_type=content_type)


@contextlib.contextmanager
def open_page(browser, viewport=PHONE, *, bypass_csp=False, media="screen"):
    """Yield a Playwright page in a fresh context; uploaded media are served.

    ``bypass_csp`` lets axe-core be injected into pages whose policy allows
    scripts from the site only.
    """
    context = browser.new_context(viewport=viewport, bypass_csp=bypass_csp)
    try:
        context.route(f"**{settings.MEDIA_URL}**", _serve_media)
        page = context.new_page()
        page.emulate_media(media=media)
        yield page
    finally:
        context.close()


def stylesheet_loaded(page, name="site.css"):
    """Return True if the page applied a non-empty stylesheet named ``name``."""
    return page.evaluate(
        """name => [...document.styleSheets].some(
            sheet => sheet.href && new URL(sheet.href).pathname.endsWith('/' + name)
                && sheet.cssRules.length > 0)""",
        name,
    )


def axe_violations(page, tags=AXE_TAGS):
    """Run axe-core on the loaded page; return its violations (list of dicts).

    The page's context must have been opened with ``bypass_csp=True``.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    results = page.evaluate(
        """tags => axe.run(document, {
            runOnly: {type: 'tag', values: tags},
            resultTypes: ['violations'],
        })""",
        list(tags),
    )
    return results["violations"]


def format_violations(violations):
    """Return a readable report: rule id, help and the failing node targets."""
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation['help']}"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {target}: {summary}")
    return "\n".join(lines)


def vnu_messages(documents):
    """Validate several documents in one run of the Nu Html Checker.

    ``documents`` maps a label to HTML text or a Path (a list is labelled by
    position). Return the checker's messages, each with a ``document`` label.
    """
    if not java_available():
        unavailable("java is not installed: the Nu Html Checker needs it")
    if not VNU_JAR.is_file():
        unavailable(f"{VNU_JAR} is missing: run `npm install`")
    if not isinstance(documents, dict):
        documents = {str(i): document for i, document in enumerate(documents)}
    with tempfile.TemporaryDirectory(prefix="vnu-") as folder:
        labels = {}
        for i, (label, document) in enumerate(documents.items()):
            if isinstance(document, Path):
                path = document.resolve()
            else:
                path = Path(folder) / f"document-{i}.html"
                path.write_text(document, encoding="utf-8")
            labels[path] = label
        completed = subprocess.run(
            [
                "java",
                # vnu 26's schema evaluation needs a deeper thread stack than
                # the default once the optimising compiler is skipped.
                "-Xss4m",
                # A short run: skip the optimising compiler, use the simple GC.
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-jar",
                str(VNU_JAR),
                "--format",
                "json",
                "--stdout",
                *map(str, labels),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    try:
        messages = json.loads(completed.stdout)["messages"]
    except (ValueError, KeyError) as error:
        raise AssertionError(
            f"vnu gave no JSON report (exit {completed.returncode}): "
            f"{completed.stdout[-2000:]}{completed.stderr[-2000:]}"
        ) from error
    for message in messages:
        url = message.get("url", "")
        path = Path(unquote(urlsplit(url).path)) if url else None
        message["document"] = labels.get(path, url or "?")
    return messages


def is_vnu_error(message):
    return message.get("type") in {"error", "non-document-error"}


def vnu_errors(documents):
    """Return only the errors the Nu Html Checker finds in ``documents``."""
    return [message for message in vnu_messages(documents) if is_vnu_error(message)]


def format_vnu(messages):
    """Return a readable report of Nu Html Checker messages."""
    lines = []
    for message in messages:
        kind = message.get("subType") or message.get("type")
        where = f"line {message.get('lastLine', '?')}"
        extract = (message.get("extract") or "").strip().replace("\n", " ")
        lines.append(
            f"- [{kind}] {message['document']} {where}: {message['message']}"
            + (f"\n    {extract}" if extract else "")
        )
    return "\n".join(lines)


# ---------------------------------------------------------------- keyboard


#: What the page says about the element that has the focus (or None on body).
_FOCUSED = """() => {
    const e = document.activeElement;
    if (!e || e === document.body || e === document.documentElement) return null;
    const style = getComputedStyle(e);
    const box = e.getBoundingClientRect();
    const region = e.closest('nav, form, section, header, footer, main, article');
    return {
        tag: e.tagName.toLowerCase(),
        id: e.id,
        href: e.getAttribute('href'),
        text: (e.innerText || e.value || '').trim().slice(0, 80),
        classes: [...(e.closest('[class]') || {classList: []}).classList],
        region: region ? (region.className || region.tagName.toLowerCase()) : '',
        in_main: !!e.closest('main'),
        focus_visible: e.matches(':focus-visible'),
        outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
        in_view: box.bottom > 0 && box.top < innerHeight && box.width > 0,
    };
}"""


def focused(page):
    """Return what has the keyboard focus (a dict), or None for the page itself."""
    return page.evaluate(_FOCUSED)


def tab_through(page, limit=400):
    """Press Tab from the top of the page until the focus leaves it.

    Return the focused elements in order (see ``focused``).
    """
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); }")
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = focused(page)
        if element is None or (seen and element == seen[0]):
            break
        seen.append(element)
    return seen


# ---------------------------------------------------------------- touch targets


def target_sizes(page, selector):
    """Return the rendered size of every visible element matching ``selector``."""
    return page.evaluate(
        """selector => [...document.querySelectorAll(selector)]
            .filter(e => e.getClientRects().length > 0
                && getComputedStyle(e).visibility !== 'hidden')
            .map(e => {
                const box = e.getBoundingClientRect();
                return {
                    selector, text: (e.innerText || e.value || '').trim().slice(0, 40),
                    width: Math.round(box.width * 10) / 10,
                    height: Math.round(box.height * 10) / 10,
                };
            })""",
        selector,
    )


def displayed(page, selector):
    """Return True if every element matching ``selector`` is shown (and one is)."""
    return page.evaluate(
        """selector => {
            const found = [...document.querySelectorAll(selector)];
            return found.length > 0 && found.every(e =>
                getComputedStyle(e).display !== 'none' && e.getClientRects().length > 0
                && getComputedStyle(e).visibility !== 'hidden');
        }""",
        selector,
    )
