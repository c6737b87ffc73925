"""A third language works end to end, following docs/languages.md.

The project is copied into a temporary folder and run there (as
tests/test_locale.py does), on its own SQLite database, whatever database
the suite itself uses:

1. the site exists with English and Spanish (migrate, demo content);
2. French is added to LANGUAGES in the copy's settings/base.py;
3. `makemigrations conditions --name add_french` adds the *_fr columns;
   `migrate` applies them and creates the "Translators (fr)" and
   "Translation reviewers (fr)" groups;
4. a French interface catalogue is added (a few strings, written with polib:
   the makemessages step itself needs GNU gettext, see tests/test_locale.py);
5. a French translator translates Focal Dystonia, a French translation
   reviewer approves it, and the public pages show it.

It takes a few seconds (Django starts five times) and must not be skipped.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
from modeltranslation.translator import translator

ROOT = Path(__file__).resolve().parent.parent
COPIED = (
    "accounts",
    "conditions",
    "library",
    "healthinfo",
    "templates",
    "locale",
    "static",
)
SETTINGS = "healthinfo.settings.third_language_test"
SPANISH_LINE = '    ("es", _("Spanish")),\n'
FRENCH_LINE = '    ("fr", _("French")),\n'

#: Interface strings translated in the copy's French catalogue.
INTERFACE = {
    "Medically reviewed by %(reviewer)s on %(date)s": (
        "Relu médicalement par %(reviewer)s le %(date)s"
    ),
    "Health Library": "Bibliothèque santé",
    "Last updated:": "Dernière mise à jour :",
}

# Runs inside the copy, with French configured. Prints a JSON summary.
CHECK = r"""
import importlib
import json
import re
import sys
from collections import Counter

import django

django.setup()

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils.html import strip_tags

from conditions import languages, roles, translations, workflow
from conditions.models import Condition, Disclaimer, Image, Publication, Section

out = {}
migration = importlib.import_module(f"conditions.migrations.{sys.argv[1]}")
operations = migration.Migration.operations
out["added_fields"] = sorted(
    [op.model_name, op.name]
    for op in operations
    if type(op).__name__ == "AddField"
)
out["other_operations"] = [
    type(op).__name__ for op in operations if type(op).__name__ != "AddField"
]
out["fr_groups"] = sorted(
    Group.objects.filter(name__endswith="(fr)").values_list("name", flat=True)
)
out["target_languages"] = languages.targets()

User = get_user_model()


def account(username, group):
    user = User.objects.create_user(username, password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


translator_fr = account("translator_fr", "Translators (fr)")
reviewer_fr = account("translation_reviewer_fr", "Translation reviewers (fr)")
translator_es = User.objects.get(username="translator_es")
out["languages_for"] = {
    "translator_fr": roles.languages_for(translator_fr, "Translators"),
    "reviewer_fr": roles.languages_for(reviewer_fr, "Translation reviewers"),
    "translator_es": roles.languages_for(translator_es, "Translators"),
}

condition = Condition.objects.get(slug_en="focal-dystonia")
out["units_before"] = dict(
    Counter(u.status for u in translations.units(condition, "fr"))
)
first, second = condition.sections.order_by("position")[:2]
key = translations.unit_key
values = {
    key(Condition, condition.pk, "title"): "Dystonie focale",
    key(Condition, condition.pk, "slug"): "dystonie-focale",
    key(Condition, condition.pk, "summary"): (
        "La dystonie focale contracte les muscles d’une seule partie du corps."
    ),
    key(Section, first.pk, "heading"): "Qu’est-ce que la dystonie focale ?",
    key(Section, first.pk, "body"): (
        "<p>La dystonie focale est un trouble neurologique du mouvement.</p>"
    ),
    key(Section, second.pk, "heading"): "Quelles en sont les causes ?",
    key(Section, second.pk, "body"): (
        "<p>Le cerveau envoie des signaux anormaux aux muscles.</p>"
    ),
    # A picture needs its alternative text in the language published
    # (publication checks).
    key(Image, condition.images.get().pk, "alt_text"): (
        "Une écriture d’abord nette, en boucles régulières, qui devient petite "
        "et irrégulière près du stylo."
    ),
}

refused = {}
try:
    translations.save_translation(
        condition, language="fr", values=values, user=translator_es
    )
    refused["save"] = False
except PermissionDenied:
    refused["save"] = True
try:
    workflow.submit_translation(condition, language="fr", user=translator_es)
    refused["submit"] = False
except PermissionDenied:
    refused["submit"] = True
out["spanish_translator_refused"] = refused
condition.refresh_from_db()
out["fr_title_after_refusal"] = condition.title_fr

client = Client()
admin = {}
workspace = reverse("admin:conditions_condition_translate", args=[condition.pk, "fr"])
report = reverse("admin:conditions_condition_translation_report", args=["fr"])
client.force_login(translator_fr)
admin["fr_workspace"] = client.get(workspace).status_code
response = client.get(report)
admin["fr_report"] = response.status_code
admin["fr_report_lists_article"] = "Focal Dystonia" in response.content.decode()
admin["home_links_fr_report"] = report in client.get("/admin/").content.decode()
client.force_login(translator_es)
admin["es_translator_fr_workspace"] = client.get(workspace).status_code
client.logout()
out["admin"] = admin

# An editor translates the disclaimer (Admin > Disclaimer, French tab).
Disclaimer.objects.update(
    text_fr="Ces informations ne remplacent pas l’avis d’un professionnel de santé."
)

out["saved"] = sorted(
    translations.save_translation(
        condition, language="fr", values=values, user=translator_fr
    )
)
request = workflow.submit_translation(condition, language="fr", user=translator_fr)
out["units_in_review"] = dict(
    Counter(u.status for u in translations.units(condition, "fr"))
)
out["before_approval"] = {
    "page": client.get("/fr/conditions/dystonie-focale/").status_code,
    "fr_index_empty": "No articles have been published in this language yet."
    in client.get("/fr/").content.decode(),
    "en_index_lists_fr": '<a href="/fr/" hreflang="fr" lang="fr">français</a>'
    in client.get("/en/").content.decode(),
}
workflow.approve(request, user=reviewer_fr)
out["units_after"] = dict(
    Counter(u.status for u in translations.units(condition, "fr"))
)

english = Publication.objects.current().get(condition=condition, language="en")
out["reviewer"] = english.reviewer_display
fragments = [
    strip_tags(section["html"]).strip()[:40]
    for section in english.snapshot["sections"]
]
english_titles = list(
    Publication.objects.current().filter(language="en").values_list("title", flat=True)
)


def page(path):
    response = client.get(path)
    body = response.content.decode()
    lang = re.search(r'<html lang="([^"]*)"', body)
    return response, body, {
        "status": response.status_code,
        "lang": lang.group(1) if lang else None,
        "content_language": response.get("Content-Language"),
    }


response, body, fr = page("/fr/conditions/dystonie-focale/")
fr["french_words"] = [
    text
    for text in (
        "<h1>Dystonie focale</h1>",
        "Qu’est-ce que la dystonie focale ?",
        "un trouble neurologique du mouvement",
        "Quelles en sont les causes ?",
        "signaux anormaux aux muscles",
        "ne remplacent pas l’avis",
        "Relu médicalement par",
    )
    if text in body
]
fr["english_fragments"] = [f for f in fragments if f and f in body]
fr["sections"] = body.count('<section class="section ')
fr["byline"] = f"Relu médicalement par {english.reviewer_display} le" in body
fr["selector"] = [
    text
    for text in (
        '<a href="/fr/conditions/dystonie-focale/" aria-current="page" lang="fr">',
        '<a href="/en/conditions/focal-dystonia/" hreflang="en" lang="en">English',
        '<a href="/es/conditions/distonia-focal/" hreflang="es" lang="es">español',
    )
    if text in body
]
out["fr_page"] = fr

response, body, index = page("/fr/")
index["lists_french_title"] = "Dystonie focale" in body
index["english_titles"] = [t for t in english_titles if t in body]
index["french_brand"] = "Bibliothèque santé" in body
out["fr_index"] = index

response, body, en = page("/en/conditions/focal-dystonia/")
en["french_link"] = (
    '<a href="/fr/conditions/dystonie-focale/" hreflang="fr" lang="fr">français</a>'
    in body
)
en["alternate"] = (
    f'hreflang="fr" href="{settings.SITE_URL}/fr/conditions/dystonie-focale/"'
    in body
)
out["en_page"] = en

response, body, es = page("/es/conditions/distonia-focal/")
es["french_link"] = 'href="/fr/conditions/dystonie-focale/" hreflang="fr"' in body
out["es_page"] = es

out["no_fallback"] = {
    path: client.get(path).status_code
    for path in (
        "/fr/conditions/focal-dystonia/",
        "/fr/conditions/distonia-focal/",
    )
}
print(json.dumps(out))
"""


def _run(copy, env, *args):
    result = subprocess.run(
        [sys.executable, *args],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, (
        f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    )
    return result.stdout


def _copy_project(tmp_path):
    copy = tmp_path / "project"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in COPIED:
        shutil.copytree(ROOT / folder, copy / folder, ignore=ignore)
    shutil.copy(ROOT / "manage.py", copy)
    (copy / "healthinfo" / "settings" / "third_language_test.py").write_text(
        "from .test import *  # noqa: F403\n\n"
        "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3',"
        f" 'NAME': {str(tmp_path / 'db.sqlite3')!r}}}}}\n"
        f"MEDIA_ROOT = {str(tmp_path / 'media')!r}\n"
    )
    return copy


def _environment(copy):
    env = {
        **os.environ,
        "PYTHONPATH": str(copy),
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    # Its own SQLite database and cache, even when the suite runs on
    # PostgreSQL and Redis.
    for name in ("DATABASE_URL", "REDIS_URL"):
        env.pop(name, None)
    return env


def _add_french(copy):
    """Step 1 of docs/languages.md: one line in LANGUAGES."""
    base = copy / "healthinfo" / "settings" / "base.py"
    text = base.read_text()
    assert text.count(SPANISH_LINE) == 1, "LANGUAGES no longer looks as expected"
    base.write_text(text.replace(SPANISH_LINE, SPANISH_LINE + FRENCH_LINE))


def _french_catalogue(copy):
    """Step 4: a French catalogue (a few strings) next to the Spanish one."""
    folder = copy / "locale" / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    spanish = {
        e.msgid for e in polib.pofile(str(ROOT / "locale/es/LC_MESSAGES/django.po"))
    }
    catalogue = polib.POFile()
    catalogue.metadata = {
        "Language": "fr",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=2; plural=(n > 1);",
    }
    for msgid, msgstr in INTERFACE.items():
        assert msgid in spanish, f"{msgid!r} is no longer an interface string"
        catalogue.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    catalogue.save(str(folder / "django.po"))
    catalogue.save_as_mofile(str(folder / "django.mo"))


def _expected_french_columns():
    return sorted(
        [model._meta.model_name, f"{field}_fr"]
        for model in translator.get_registered_models(abstract=False)
        for field in translator.get_options_for_model(model).local_fields
    )


def test_a_third_language_works_end_to_end(tmp_path):
    copy = _copy_project(tmp_path)
    env = _environment(copy)

    # A running site in English and Spanish, with content and accounts.
    _run(copy, env, "manage.py", "migrate", "--noinput")
    _run(copy, env, "manage.py", "load_demo")

    # Add French as docs/languages.md says.
    _add_french(copy)
    made = _run(
        copy, env, "manage.py", "makemigrations", "conditions", "--name", "add_french"
    )
    [created] = (copy / "conditions" / "migrations").glob("0*_add_french.py")
    assert created.name in made
    assert not (ROOT / "conditions" / "migrations" / created.name).exists()
    migrated = _run(copy, env, "manage.py", "migrate", "--noinput")
    assert f"Applying conditions.{created.stem}... OK" in migrated
    _french_catalogue(copy)

    (copy / "check_french.py").write_text(CHECK)
    out = json.loads(_run(copy, env, "check_french.py", created.stem))

    # makemigrations added exactly a French column per translated field.
    assert out["added_fields"] == _expected_french_columns()
    assert ["condition", "title_fr"] in out["added_fields"]
    assert ["section", "body_fr"] in out["added_fields"]
    assert out["other_operations"] == []
    # migrate created the French role groups on the existing database.
    assert out["fr_groups"] == ["Translation reviewers (fr)", "Translators (fr)"]
    assert out["target_languages"] == ["es", "fr"]
    assert out["languages_for"] == {
        "translator_fr": ["fr"],
        "reviewer_fr": ["fr"],
        "translator_es": ["es"],
    }

    # Translators work in their language only.
    assert out["spanish_translator_refused"] == {"save": True, "submit": True}
    assert not out["fr_title_after_refusal"]
    assert out["admin"] == {
        "fr_workspace": 200,
        "fr_report": 200,
        "fr_report_lists_article": True,
        "home_links_fr_report": True,
        "es_translator_fr_workspace": 403,
    }

    # The translation goes through review; nothing is public before approval.
    assert set(out["units_before"]) == {"missing"}
    assert len(out["saved"]) == 8
    assert out["units_in_review"]["in_review"] == 8
    assert out["before_approval"] == {
        "page": 404,
        "fr_index_empty": True,
        "en_index_lists_fr": True,
    }
    assert out["units_after"]["up_to_date"] == 8

    fr = out["fr_page"]
    assert fr["status"] == 200
    assert fr["lang"] == "fr"
    assert fr["content_language"] == "fr"
    assert len(fr["french_words"]) == 7, fr["french_words"]
    assert fr["english_fragments"] == []
    assert fr["sections"] == 2
    assert fr["byline"], out["reviewer"]
    assert len(fr["selector"]) == 3, fr["selector"]

    index = out["fr_index"]
    assert index["status"] == 200 and index["lang"] == "fr"
    assert index["lists_french_title"]
    assert index["english_titles"] == []
    assert index["french_brand"]

    en = out["en_page"]
    assert en["status"] == 200 and en["lang"] == "en"
    assert en["french_link"] and en["alternate"]

    es = out["es_page"]
    assert es["status"] == 200 and es["lang"] == "es"
    assert es["french_link"]

    # No fallback: the English and Spanish slugs do not exist in French.
    assert set(out["no_fallback"].values()) == {404}
