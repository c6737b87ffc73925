"""django-reversion captures every language of an article, and revert restores it."""

import reversion
from reversion.models import Version

from conditions import versioning
from conditions.models import (
    Condition,
    ConditionContributor,
    ConditionReference,
    Reference,
    Section,
)

from .factories import make_condition, make_user


def test_registration_includes_every_language_column(db):
    fields = reversion.revisions._get_options(Condition).fields
    for column in ["title_en", "title_es", "slug_es", "summary_es", "also_called_es"]:
        assert column in fields
    assert {"heading_es", "body_es", "body_en"} <= set(
        reversion.revisions._get_options(Section).fields
    )


def test_revision_follows_cited_references_and_people(db):
    options = reversion.revisions._get_options
    assert options(ConditionReference).follow == ("reference",)
    assert options(ConditionContributor).follow == ("contributor",)
    assert set(options(Condition).follow) >= {
        "sections",
        "condition_references",
        "images",
        "condition_contributors",
    }


def test_revision_captures_condition_sections_and_references_in_every_language(db):
    condition = make_condition(references=2)
    user = make_user()
    revision = versioning.save_revision(condition, user=user, comment="First draft")

    assert revision.user == user
    assert revision.comment == "First draft"
    stored = {v.content_type.model: v for v in revision.version_set.all()}
    assert {"condition", "section", "conditionreference", "reference", "image"} <= set(
        stored
    )
    condition_data = Version.objects.get_for_object(condition).first().field_dict
    assert condition_data["title_es"] == "Distonía focal"
    assert condition_data["slug_es"] == condition.slug_es
    section = condition.sections.first()
    section_data = Version.objects.get_for_object(section).first().field_dict
    assert section_data["body_es"].startswith("<p>Texto en español")
    reference = condition.condition_references.first().reference
    assert Version.objects.get_for_object(reference).first().field_dict["title"] == (
        reference.title
    )


def test_revert_restores_every_language_of_condition_sections_and_references(db):
    condition = make_condition(references=1)
    revision = versioning.save_revision(condition, user=make_user(), comment="v1")
    section = condition.sections.get(position=0)
    reference = condition.condition_references.get().reference

    condition.title_es = "Título cambiado"
    condition.save()
    section.body_en = "<p>Changed English</p>"
    section.body_es = "<p>Español cambiado</p>"
    section.save()
    Section.objects.create(condition=condition, kind="other", heading_en="Extra")
    Reference.objects.filter(pk=reference.pk).update(title="Changed title")

    revision.revert(delete=True)

    condition.refresh_from_db()
    section.refresh_from_db()
    reference.refresh_from_db()
    assert condition.title_es == "Distonía focal"
    assert section.body_en.startswith("<p>English text of definition")
    assert section.body_es.startswith("<p>Texto en español de definition")
    assert not condition.sections.filter(kind="other").exists()
    assert reference.title.startswith("A study of things")
