"""Hand-written test factories: real rows in the real database."""

import io
import itertools

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from conditions import languages, translations, versioning
from conditions.models import (
    Condition,
    ConditionContributor,
    ConditionReference,
    Contributor,
    Image,
    Publication,
    Reference,
    Section,
)

_seq = itertools.count(1)

SECTION_KINDS = [
    "definition",
    "causes",
    "risk_factors",
    "symptoms",
    "diagnosis",
    "treatment",
    "prevention",
]


def make_user(username=None, *, superuser=False, groups=()):
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(
        username=username or f"user{next(_seq)}",
        password="pw",
        is_staff=True,
        is_superuser=superuser,
    )
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user


def make_reference(**fields):
    n = next(_seq)
    values = {
        "authors": f"Author{n} A, Second B",
        "title": f"A study of things number {n}",
        "container": "J Test Med",
        "year": 2020,
        "volume": "4",
        "issue": "2",
        "pages": f"{n}-{n + 9}",
    }
    values.update(fields)
    return Reference.objects.create(**values)


def png_file(name="figure.png", size=(40, 30), colour=(200, 80, 80)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def make_condition(
    *,
    title_en="Focal Dystonia",
    title_es="Distonía focal",
    slug_en=None,
    slug_es=None,
    sections=7,
    references=2,
    images=1,
    **fields,
):
    """Create a condition with sections, references, an image and people."""
    n = next(_seq)
    condition = Condition.objects.create(
        title_en=title_en,
        title_es=title_es,
        slug_en=slug_en or f"condition-{n}",
        slug_es=slug_es if slug_es is not None else f"afeccion-{n}",
        also_called_en="FD\nFocal dystonias",
        also_called_es="DF\nDistonías focales" if title_es else "",
        summary_en="An uncontrolled movement problem in one part of the body.",
        summary_es="Un problema de movimiento en una parte del cuerpo."
        if title_es
        else "",
        **fields,
    )
    for position in range(sections):
        kind = SECTION_KINDS[position % len(SECTION_KINDS)]
        Section.objects.create(
            condition=condition,
            kind=kind,
            position=position,
            body_en=f"<p>English text of {kind} number {position}.</p>",
            body_es=f"<p>Texto en español de {kind} número {position}.</p>"
            if title_es
            else "",
        )
    for position in range(references):
        # A web address: approval refuses a reference without an identifier
        # (publication checks), and a DOI or PMID would add doi.org and
        # PubMed links to every page.
        reference = make_reference(url=f"https://example.org/studies/{next(_seq)}")
        ConditionReference.objects.create(
            condition=condition, reference=reference, position=position
        )
    for position in range(images):
        Image.objects.create(
            condition=condition,
            section_kind="symptoms",
            file=png_file(),
            alt_text_en="A hand with cramped fingers holding a pen",
            alt_text_es="Una mano con los dedos contraídos que sostiene un bolígrafo",
            caption_en="Writer's cramp",
            caption_es="Calambre del escribiente",
            credit="Copyright © Test Illustrators",
            position=position,
        )
    author = Contributor.objects.create(name="Cynthia M. Johnson", credentials="MA")
    ConditionContributor.objects.create(
        condition=condition, contributor=author, role="author", position=0
    )
    return condition


def make_author(username=None):
    return make_user(username or f"author{next(_seq)}", groups=["Authors"])


def make_reviewer(username=None, *, name="Daniel A. Ostrovsky", credentials="MD"):
    """Return a medical reviewer whose approvals are signed NAME, CREDENTIALS."""
    user = make_user(username or f"reviewer{next(_seq)}", groups=["Medical reviewers"])
    Contributor.objects.create(user=user, name=name, credentials=credentials)
    return user


def publish_now(
    condition,
    user=None,
    reviewer=None,
    comment="Published in a test.",
    translate=True,
):
    """Save, submit and approve the working copy, then its translations.

    Every language with a title in the working copy is published through
    the translation review too (its texts recorded as translated from the
    current source). Returns the live publications.
    """
    from conditions import workflow

    user = user or make_author()
    reviewer = reviewer or make_reviewer()
    versioning.save_revision(condition, user=user, comment=comment)
    request = workflow.submit(condition, user=user, note=comment)
    workflow.approve(request, user=reviewer)
    if translate:
        for language in languages.targets():
            condition.refresh_from_db()
            if getattr(condition, f"title_{language}"):
                translate_now(condition, language)
    return list(Publication.objects.current().filter(condition=condition))


def make_translator(language="es", username=None):
    return make_user(username, groups=[f"Translators ({language})"])


def make_translation_reviewer(language="es", username=None):
    return make_user(username, groups=[f"Translation reviewers ({language})"])


def translate_now(condition, language="es", translator=None, reviewer=None):
    """Record the working copy's texts as the translation, review and publish it."""
    from conditions import workflow

    translator = translator or make_translator(language)
    reviewer = reviewer or make_translation_reviewer(language)
    units = translations.units(condition, language)
    translations.mark_up_to_date(
        condition, language, [u.key for u in units if u.target], user=translator
    )
    versioning.save_revision(condition, user=translator, comment="Translation")
    request = workflow.submit_translation(condition, language=language, user=translator)
    workflow.approve(request, user=reviewer)
    return request
