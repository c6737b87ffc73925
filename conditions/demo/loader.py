"""Load the demo library: accounts for every role and published articles.

Idempotent: what exists already (matched by username, English slug, title or
name) is left as it is, so editors' changes to demo content survive a rerun.
"""

import datetime
import os
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files import File
from django.db import transaction

from conditions import languages, roles, translations, uploads, workflow
from conditions.models import (
    Category,
    Condition,
    ConditionContributor,
    ConditionReference,
    Contributor,
    Disclaimer,
    Image,
    Publication,
    Reference,
    Section,
)
from conditions.versioning import save_revision

from . import content

IMAGES = Path(__file__).parent / "images"
DEFAULT_PASSWORD = "healthlib-demo"

#: username -> (first name, last name, groups, superuser)
ACCOUNTS = {
    "admin": ("Ada", "Admin", [], True),
    "editor": ("Elena", "Editor", [roles.EDITORS], False),
    "author": ("Cynthia", "Johnson", [roles.AUTHORS], False),
    "reviewer": ("Daniel", "Ostrovsky", [roles.MEDICAL_REVIEWERS], False),
    "reviewer2": ("Grace", "Okafor", [roles.MEDICAL_REVIEWERS], False),
    "translator_es": (
        "Tomás",
        "Traductor",
        [roles.group_name(roles.TRANSLATORS, "es")],
        False,
    ),
    "translation_reviewer_es": (
        "Rosa",
        "Revisora",
        [roles.group_name(roles.TRANSLATION_REVIEWERS, "es")],
        False,
    ),
}


def demo_password():
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD


def _translated(values, field):
    """Return {field_xx: value} for each configured language present in values."""
    return {f"{field}_{code}": values.get(code, "") for code in languages.codes()}


def load_accounts(stdout=None):
    """Create the demo accounts (never resets an existing password)."""
    # The role groups come from a data migration; a database flushed by a
    # test (or by hand) loses them, so make sure they exist.
    roles.sync_roles()
    User = get_user_model()
    for username, (first, last, groups, superuser) in ACCOUNTS.items():
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.org",
                "is_staff": True,
                "is_superuser": superuser,
            },
        )
        if created:
            user.set_password(demo_password())
            user.save()
        user.groups.add(*Group.objects.filter(name__in=groups))
        if stdout and created:
            stdout.write(f"  account {username}")
    return User.objects.get(username="admin")


#: Demo contributor key -> the account that signs as that person.
SIGNATURES = {"johnson": "author", "ostrovsky": "reviewer", "okafor": "reviewer2"}


@transaction.atomic
def load_content():
    """Create the demo articles and publish the new ones."""
    disclaimer = Disclaimer.objects.first() or Disclaimer()
    if not disclaimer.pk:
        for key, value in _translated(content.DISCLAIMER, "text").items():
            setattr(disclaimer, key, value)
        disclaimer.save()

    User = get_user_model()
    people = {}
    for row in content.CONTRIBUTORS:
        people[row["key"]], _created = Contributor.objects.get_or_create(
            name=row["name"], defaults={"credentials": row["credentials"]}
        )
        username = SIGNATURES.get(row["key"])
        if username and people[row["key"]].user_id is None:
            people[row["key"]].user = User.objects.filter(username=username).first()
            people[row["key"]].save()
    categories = {}
    for row in content.CATEGORIES:
        categories[row["key"]], _created = Category.objects.get_or_create(
            **{f"slug_{settings.SOURCE_LANGUAGE}": row["slug"]["en"]},
            defaults={
                "kind": row["kind"],
                **_translated(row["name"], "name"),
                **_translated(row["slug"], "slug"),
            },
        )
    references = {}
    for row in content.REFERENCES:
        fields = {
            k: row.get(k) or ""
            for k in ("authors", "container", "volume", "issue", "pages")
        }
        fields.update(
            year=row.get("year"),
            doi=row.get("doi", ""),
            pmid=row.get("pmid", ""),
            url=row.get("url", ""),
            accessed=(
                datetime.date.fromisoformat(row["accessed"])
                if row.get("accessed")
                else None
            ),
        )
        # Titles repeat across sources ("Dystonia"): match on the source too.
        reference, _created = Reference.objects.get_or_create(
            title=row["title"],
            container=fields.pop("container"),
            url=fields.pop("url"),
            defaults=fields,
        )
        reference.full_clean()
        references[row["key"]] = reference

    created = {}
    conditions = {}
    for row in content.CONDITIONS:
        existing = Condition.objects.filter(
            **{f"slug_{settings.SOURCE_LANGUAGE}": row["slug"]["en"]}
        ).first()
        if existing:
            conditions[row["key"]] = existing
            continue
        condition = _create_condition(row, people, categories, references)
        conditions[row["key"]] = created[row["key"]] = condition

    for row in content.CONDITIONS:
        if row["key"] in created:
            created[row["key"]].related.set(
                [conditions[key] for key in row.get("related", []) if key in conditions]
            )

    # Published the way every article is: the author submits, a medical
    # reviewer approves.
    author = User.objects.get(username="author")
    for row in content.CONDITIONS:
        condition = created.get(row["key"])
        if condition is None:
            continue
        save_revision(condition, user=author, comment="Demo content loaded.")
        if Publication.objects.current().filter(condition=condition).exists():
            continue
        reviewer_key = next(
            (k for k, role in row["contributors"] if role == "medical_reviewer"),
            "ostrovsky",
        )
        reviewer = User.objects.get(username=SIGNATURES.get(reviewer_key, "reviewer"))
        request = workflow.submit(condition, user=author, note="First version.")
        workflow.approve(request, user=reviewer)
        _publish_translations(condition)
    return created


def _publish_translations(condition):
    """Publish the demo's translations through the translation review."""
    for language in languages.targets():
        translator = _account(f"translator_{language}")
        reviewer = _account(f"translation_reviewer_{language}")
        if translator is None or reviewer is None:
            continue
        condition.refresh_from_db()
        units = translations.units(condition, language)
        done = [u.key for u in units if u.target]
        if not done:
            continue
        translations.mark_up_to_date(condition, language, done, user=translator)
        save_revision(condition, user=translator, comment="Demo translation loaded.")
        request = workflow.submit_translation(
            condition, language=language, user=translator, note="First translation."
        )
        workflow.approve(request, user=reviewer)


def _account(username):
    return get_user_model().objects.filter(username=username).first()


def _create_condition(row, people, categories, references):
    condition = Condition(
        mesh_id=row.get("mesh", ""),
        icd10=row.get("icd10", ""),
        **_translated(row["title"], "title"),
        **_translated(row["slug"], "slug"),
        **_translated(row.get("summary", {}), "summary"),
        **_translated(
            {k: "\n".join(v) for k, v in row.get("also_called", {}).items()},
            "also_called",
        ),
    )
    condition.full_clean()
    condition.save()
    condition.categories.set([categories[key] for key in row.get("categories", [])])
    for position, section in enumerate(row["sections"], start=1):
        record = Section(
            condition=condition,
            kind=section["kind"],
            position=position,
            **_translated(section.get("heading", {}), "heading"),
            **_translated(section["body"], "body"),
        )
        record.full_clean()
        record.save()
    for position, key in enumerate(row.get("references", []), start=1):
        ConditionReference.objects.create(
            condition=condition, reference=references[key], position=position
        )
    for position, image in enumerate(row.get("images", []), start=1):
        record = Image(
            condition=condition,
            section_kind=image.get("section", ""),
            credit=image["credit"],
            licence=image.get("licence", ""),
            licence_expires=(
                datetime.date.fromisoformat(image["licence_expires"])
                if image.get("licence_expires")
                else None
            ),
            position=position,
            **_translated(image["alt"], "alt_text"),
            **_translated(image.get("caption", {}), "caption"),
        )
        # The same checks and re-encoding as an upload in the admin.
        with open(IMAGES / image["file"], "rb") as fh:
            picture = uploads.clean_picture(File(fh, name=image["file"]))
        record.file.save(picture.name, picture, save=False)
        record.full_clean()
        record.save()
    for position, (key, role) in enumerate(row.get("contributors", []), start=1):
        if role == "medical_reviewer":
            continue  # the byline's reviewer comes from the approval
        ConditionContributor.objects.create(
            condition=condition, contributor=people[key], role=role, position=position
        )
    return condition
