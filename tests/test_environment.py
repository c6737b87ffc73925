"""Every environment variable the code reads is documented, and no other.

The code is searched as text: a new read of the environment in settings,
conditions, the benchmark, the tests, the Makefile or the CI script must be
added to .env.example and to the table in README.md, "Environment variables".
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["healthinfo", "conditions", "bench", "tests", "manage.py"]
SHELL_SOURCES = ["Makefile", ".ci/run"]

# Reads through os.environ.get, os.environ[…], environ.get, os.getenv and
# os.environ.setdefault: the name is the first argument, a string literal.
PYTHON_READS = re.compile(
    r"""(?:\benviron\s*\.\s*(?:get|setdefault)\s*\(\s*|\benviron\s*\[\s*"""
    r"""|\bgetenv\s*\(\s*)["']([A-Z][A-Z0-9_]*)["']"""
)
# ${X}, ${X:-default} and $${X…} in make recipes.
SHELL_READS = re.compile(r"\$\{([A-Z][A-Z0-9_]*)")

# Read by a library on the project's behalf: dj_database_url.config() in
# healthinfo/settings/base.py reads DATABASE_URL.
READ_BY_LIBRARIES = {"DATABASE_URL"}
# Set and restored by tests/browser.py around each browser test (Playwright's
# sync API in pytest-django's thread); nobody should set it.
INTERNAL = {"DJANGO_ALLOW_ASYNC_UNSAFE"}


def python_files():
    for source in SOURCES:
        path = ROOT / source
        yield from [path] if path.is_file() else sorted(path.rglob("*.py"))


def variables_read():
    names = set(READ_BY_LIBRARIES)
    for path in python_files():
        names |= set(PYTHON_READS.findall(path.read_text(encoding="utf-8")))
    for source in SHELL_SOURCES:
        names |= set(SHELL_READS.findall((ROOT / source).read_text("utf-8")))
    return names - INTERNAL


def env_example_variables():
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    return set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", text, re.MULTILINE))


def readme_table_variables():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Environment variables\n", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", section, re.MULTILINE))


def test_the_search_finds_the_variables_it_should():
    read = variables_read()
    assert {"DJANGO_SECRET_KEY", "EMAIL_URL", "SITE_URL", "DEMO_PASSWORD"} <= read
    assert {"DJANGO_SETTINGS_MODULE", "BENCH_RUNS", "REQUIRE_BROWSER"} <= read


def test_every_variable_read_is_in_env_example():
    assert variables_read() == env_example_variables()


def test_every_variable_read_is_in_the_readme_table():
    assert variables_read() == readme_table_variables()
