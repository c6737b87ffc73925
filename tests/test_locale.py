"""The Spanish interface catalogue is complete and compiled."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def _require_gettext():
    if shutil.which("xgettext") and shutil.which("msgfmt"):
        return
    reason = "GNU gettext (xgettext, msgfmt) is not installed"
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def test_every_spanish_entry_is_translated_and_none_is_fuzzy():
    catalogue = polib.pofile(str(PO))
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert not untranslated, f"Untranslated: {untranslated}"
    assert not fuzzy, f"Fuzzy: {fuzzy}"


def test_compiled_catalogue_matches_the_po_file():
    compiled = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(MO))}
    for entry in polib.pofile(str(PO)).translated_entries():
        if entry.msgid_plural:
            continue
        assert compiled.get((entry.msgctxt, entry.msgid)) == entry.msgstr, (
            f"{entry.msgid!r}: run `make messages` to recompile"
        )


def test_every_user_facing_string_in_the_code_is_in_the_catalogue(tmp_path):
    """Extract strings afresh: a string added without a translation fails."""
    _require_gettext()
    for folder in ("conditions", "library", "healthinfo", "templates", "accounts"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    shutil.copy(ROOT / "manage.py", tmp_path)
    (tmp_path / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "es", "--no-location"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
    )
    extracted = polib.pofile(str(tmp_path / "locale/es/LC_MESSAGES/django.po"))
    known = {(e.msgctxt, e.msgid) for e in polib.pofile(str(PO)).translated_entries()}
    missing = [e.msgid for e in extracted if (e.msgctxt, e.msgid) not in known]
    assert not missing, f"Strings without a Spanish translation: {missing}"
