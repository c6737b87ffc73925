"""Field-by-field, word-level comparison of two revisions of a condition."""

from html.parser import HTMLParser

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from conditions import versioning
from conditions.diff import compare_revisions, diff_html, diff_text
from conditions.models import (
    Category,
    ConditionReference,
    Image,
    Section,
)

from .factories import make_condition, make_reference, make_user

VOID = {"br", "hr", "img"}


class _Balance(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack = []
        self.errors = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


def assert_well_formed(html):
    parser = _Balance()
    parser.feed(str(html))
    parser.close()
    assert not parser.errors, (parser.errors, html)
    assert not parser.stack, (parser.stack, html)


@pytest.fixture(autouse=True)
def english_interface():
    with translation.override("en"):
        yield


@pytest.fixture
def user(db):
    return make_user()


def revise(condition, user, comment="edit"):
    return versioning.save_revision(condition, user=user, comment=comment)


def small_condition(**kwargs):
    kwargs.setdefault("sections", 2)
    kwargs.setdefault("references", 2)
    kwargs.setdefault("images", 1)
    return make_condition(**kwargs)


def language(diff, code):
    return next(lang for lang in diff.languages if lang.code == code)


def keys(changes):
    return [change.key for change in changes]


def test_unchanged_revisions_have_no_changes(user, django_assert_max_num_queries):
    condition = small_condition()
    old = revise(condition, user)
    new = revise(condition, user)

    # One query per revision; categories and related names are not looked up
    # when they did not change.
    with django_assert_max_num_queries(2):
        diff = compare_revisions(condition.pk, old, new)

    assert diff.has_changes is False
    assert diff.changed_languages == []
    assert [lang.code for lang in diff.languages] == ["en", "es"]
    assert [lang.name for lang in diff.languages] == ["English", "español"]
    assert all(lang.fields == [] for lang in diff.languages)
    assert diff.neutral == []
    html = render_to_string("conditions/diff.html", {"diff": diff})
    assert "No changes." in html


def test_m2m_names_cost_one_query_each(user, django_assert_max_num_queries):
    condition = small_condition()
    old = revise(condition, user)
    neurology = Category.objects.create(
        kind="specialty", name_en="Neurology", name_es="Neurología", slug_en="n"
    )
    condition.categories.add(neurology)
    other = make_condition(sections=0, references=0, images=0, title_en="Tremor")
    condition.related.add(other)
    new = revise(condition, user)

    with django_assert_max_num_queries(4):
        diff = compare_revisions(condition.pk, old, new)

    assert keys(diff.neutral) == ["categories", "related"]
    assert diff.get("related").new == ["Tremor"]
    assert str(diff.get("related").html) == "<ul><li><ins>Tremor</ins></li></ul>"
    with translation.override("es"):
        diff = compare_revisions(condition.pk, old, new)
    assert diff.get("categories").new == ["Neurología"]


def test_include_unchanged_lists_fields_for_context(user):
    condition = small_condition()
    old = revise(condition, user)
    new = revise(condition, user)

    diff = compare_revisions(condition.pk, old, new, include_unchanged=True)

    assert diff.has_changes is False
    title = diff.get("condition.title.es")
    assert title.status == "unchanged"
    assert str(title.html) == "Distonía focal"


def test_word_changed_in_spanish_body_shows_only_in_spanish(user):
    condition = small_condition()
    section = condition.sections.get(position=1)
    old = revise(condition, user)
    section.body_es = section.body_es.replace("español", "castellano")
    section.save()
    new = revise(condition, user)

    diff = compare_revisions(condition.pk, old, new)

    assert diff.changed_languages == ["es"]
    assert language(diff, "en").fields == []
    assert diff.neutral == []
    (change,) = language(diff, "es").fields
    assert change.key == f"section.{section.pk}.body.es"
    assert change.status == "changed"
    # Named as the Spanish page names it: the standard heading of its kind.
    assert change.label == "Section “Causas”: body"
    assert change.old == "<p>Texto en español de causes número 1.</p>"
    assert "<del>español</del>" in change.html
    assert "<ins>castellano</ins>" in change.html
    assert change.html == (
        "<p>Texto en <del>español</del><ins>castellano</ins> de causes número 1.</p>"
    )
    assert_well_formed(change.html)
    html = render_to_string(
        "conditions/diff.html",
        {"diff": diff, "comment_form": True},
        request=RequestFactory().get("/"),
    )
    assert f'id="diff-section{section.pk}bodyes"' in html
    assert f'name="field_key" value="section.{section.pk}.body.es"' in html
    assert "csrfmiddlewaretoken" in html
    assert "No changes in this language." in html  # English


def test_hostile_body_written_around_the_model_is_never_in_the_diff(user):
    condition = small_condition()
    section = condition.sections.get(position=0)
    old = revise(condition, user)
    Section.objects.filter(pk=section.pk).update(
        body_es=(
            '<p onclick="steal()">Texto <b>nuevo</b> <script>alert(1)</script>'
            '<img src="x" onerror="alert(2)"><a href="javascript:alert(3)">mal</a>'
            "<p>sin cerrar <em>énfasis"
        )
    )
    new = revise(condition, user)

    diff = compare_revisions(condition.pk, old, new)

    change = diff.get(f"section.{section.pk}.body.es")
    html = str(change.html)
    for bad in ("<script", "alert(", "onerror", "onclick", "javascript:", "<img"):
        assert bad not in html
    assert "<ins>" in html and "nuevo" in html
    assert_well_formed(html)


def test_added_and_removed_sections(user):
    condition = small_condition()
    removed = condition.sections.get(position=1)
    old = revise(condition, user)
    Section.objects.filter(pk=removed.pk).delete()
    added = Section.objects.create(
        condition=condition,
        kind="other",
        heading_en="Outlook",
        heading_es="Pronóstico",
        body_en="<p>Most people do well.</p>",
        body_es="",
        position=5,
    )
    new = revise(condition, user)

    diff = compare_revisions(condition.pk, old, new)

    neutral = {change.key: change for change in diff.neutral}
    assert neutral[f"section.{added.pk}"].status == "added"
    assert neutral[f"section.{added.pk}"].label == "Section “Outlook”"
    assert neutral[f"section.{removed.pk}"].status == "removed"
    en = {change.key: change for change in language(diff, "en").fields}
    assert en[f"section.{added.pk}.heading.en"].status == "added"
    body = en[f"section.{added.pk}.body.en"]
    assert body.status == "added"
    assert body.html == "<p><ins>Most people do well.</ins></p>"
    gone = en[f"section.{removed.pk}.body.en"]
    assert gone.status == "removed"
    assert gone.html == "<del>English text of causes number 1.</del>"
    es = {change.key: change for change in language(diff, "es").fields}
    # No Spanish body was written: only the Spanish heading is new there.
    assert f"section.{added.pk}.body.es" not in es
    assert es[f"section.{added.pk}.heading.es"].new == "Pronóstico"
    assert es[f"section.{removed.pk}.body.es"].status == "removed"
    for change in [*en.values(), *es.values()]:
        assert_well_formed(change.html)


def test_moved_section_is_changed_with_a_note(user):
    condition = small_condition(sections=3)
    first = condition.sections.get(position=0)
    old = revise(condition, user)
    Section.objects.filter(pk=first.pk).update(position=9)
    new = revise(condition, user)

    diff = compare_revisions(condition.pk, old, new)

    assert keys(diff.neutral) == [f"section.{first.pk}"]
    (moved,) = diff.neutral
    assert moved.status == "changed"
    assert moved.note == "Moved from position 1 to 3."
    assert diff.changed_languages == []


def test_added_and_removed_references(user):
    condition = small_condition(references=2)
    dropped = condition.condition_references.get(position=0).reference
    old = revise(condition, user)
    ConditionReference.objects.filter(reference=dropped).delete()
    cited = make_reference(title="Dystonia & you", doi="10.1000/xyz123")
    ConditionReference.objects.create(condition=condition, reference=cited, position=3)
    new = revise(condition, user)

    diff = compare_revisions(condition.pk, old, new)

    neutral = {change.key: change for change in diff.neutral}
    assert set(neutral) == {f"reference.{dropped.pk}", f"reference.{cited.pk}"}
    assert neutral[f"reference.{dropped.pk}"].status == "removed"
    assert neutral[f"reference.{dropped.pk}"].old == dropped.format_nlm()
    added = neutral[f"reference.{cited.pk}"]
    assert added.status == "added"
    assert "<ins>" in added.html and "Dystonia &amp; you." in added.html
    assert diff.changed_languages == []


def test_reference_reworded_shows_word_diff(user):
    condition = small_condition(references=1)
    reference = condition.condition_references.get().reference
    old = revise(condition, user)
    reference.year = 2021
    reference.save()
    new = revise(condition, user)

    diff = compare_revisions(condition.pk, old, new)

    (change,) = diff.neutral
    assert change.key == f"reference.{reference.pk}"
    assert change.status == "changed"
    assert "<del>2020</del><ins>2021</ins>" in change.html


def test_reordered_references(user):
    condition = small_condition(references=3)
    rows = list(condition.condition_references.order_by("position"))
    old = revise(condition, user)
    ConditionReference.objects.filter(pk=rows[0].pk).update(position=10)
    new = revise(condition, user)

    diff = compare_revisions(condition.pk, old, new)

    (moved,) = diff.neutral
    assert moved.key == f"reference.{rows[0].reference_id}"
    assert moved.status == "changed"
    assert moved.note == "Moved from position 1 to 3."
    assert "<ins>" not in moved.html and "<del>" not in moved.html


def test_image_caption_changed_in_one_language(user):
    condition = small_condition(images=1)
    image = condition.images.get()
    old = revise(condition, user)
    Image.objects.filter(pk=image.pk).update(caption_es="Calambre del escritor")
    new = revise(condition, user)

    diff = compare_revisions(condition.pk, old, new)

    assert diff.changed_languages == ["es"]
    assert diff.neutral == []
    (change,) = language(diff, "es").fields
    assert change.key == f"image.{image.pk}.caption.es"
    assert change.label.startswith("Image “") and change.label.endswith(": caption")
    assert change.html == "Calambre del <del>escribiente</del><ins>escritor</ins>"


def test_title_change_is_escaped(user):
    condition = small_condition()
    old = revise(condition, user)
    condition.title_en = "Focal <b>Dystonia</b> & cramp"
    condition.save()
    new = revise(condition, user)

    diff = compare_revisions(condition.pk, old, new)

    assert diff.changed_languages == ["en"]
    (change,) = language(diff, "en").fields
    assert change.key == "condition.title.en"
    assert change.label == "Title"
    assert change.old == "Focal Dystonia"
    assert change.new == "Focal <b>Dystonia</b> & cramp"
    assert "<b>" not in change.html
    assert "&lt;b&gt;" in change.html and "&amp;" in change.html
    assert change.html == (
        "Focal <ins>&lt;b&gt;</ins>Dystonia<ins>&lt;/b&gt; &amp; cramp</ins>"
    )
    html = render_to_string("conditions/diff.html", {"diff": diff})
    assert 'id="diff-conditiontitleen"' in html
    assert "<b>Dystonia" not in html


def test_first_publication_shows_everything_added(user):
    condition = small_condition(sections=2, references=1, images=1)
    condition.categories.add(
        Category.objects.create(kind="specialty", name_en="Neurology", slug_en="n")
    )
    new = revise(condition, user)

    diff = compare_revisions(condition.pk, None, new)

    assert diff.has_changes
    assert diff.changed_languages == ["en", "es"]
    for lang in diff.languages:
        assert {change.status for change in lang.fields} == {"added"}
        assert f"condition.title.{lang.code}" in keys(lang.fields)
        for change in lang.fields:
            assert_well_formed(change.html)
    assert {change.status for change in diff.neutral} == {"added"}
    neutral = keys(diff.neutral)
    assert "categories" in neutral
    assert "<ins>Neurology</ins>" in diff.get("categories").html
    reference = condition.condition_references.get().reference_id
    assert f"reference.{reference}" in neutral
    assert any(key.startswith("contributor.") for key in neutral)
    body = diff.get(f"section.{condition.sections.first().pk}.body.es")
    assert body.html.startswith("<p><ins>Texto en español")


def test_formatting_only_change_is_visible():
    html = diff_html(
        "<p>Avoid caffeine and alcohol.</p>",
        "<p>Avoid <strong>caffeine</strong> and alcohol.</p>",
    )
    assert html == (
        '<p>Avoid <strong><ins class="diff-format">caffeine</ins></strong>'
        " and alcohol.</p>"
    )


def test_emptied_rich_text_is_plain_deleted_text():
    html = diff_html("<p>One <em>two</em></p><ul><li>three</li></ul>", "")
    assert html == "<del>One two three</del>"


def test_plain_text_diff_is_escaped_and_keeps_lines():
    assert diff_text("a < b", "a > b") == "a <del>&lt;</del><ins>&gt;</ins> b"
    assert (
        diff_text("FD\nFocal dystonias", "FD\nWriter's cramp", linebreaks=True)
        == "FD<br><del>Focal dystonias</del><ins>Writer&#x27;s cramp</ins>"
    )
