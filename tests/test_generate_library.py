"""`generate_library` publishes realistic articles through the real workflow."""

import io

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client, override_settings
from reversion.models import Version

from conditions.demo.library import build_data, generator
from conditions.models import (
    Category,
    Condition,
    Contributor,
    Publication,
    Reference,
    ReviewComment,
    ReviewRequest,
)

ARTICLES = 24
SEED = 7
SOURCE = settings.SOURCE_LANGUAGE
TARGETS = [code for code, _name in settings.LANGUAGES if code != SOURCE]
PUBLISHED_KINDS = {
    generator.PUBLISHED,
    generator.EDITED,
    generator.OUTDATED_TRANSLATION,
}


def generate(articles=ARTICLES, seed=SEED):
    out = io.StringIO()
    call_command(
        "generate_library", articles=articles, seed=seed, stdout=out, stderr=out
    )
    return out.getvalue()


@pytest.fixture(scope="module")
def library(django_db_setup, django_db_blocker):
    """Generate the library once for the module; roll it back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        output = generate()
        kinds = kinds_by_condition()
        yield {"output": output, "kinds": kinds}
        transaction.set_rollback(True)


def kinds_by_condition():
    """Tell each generated article's kind from its state in the database."""
    kinds = {}
    for condition in Condition.objects.all():
        live = set(
            Publication.objects.current()
            .filter(condition=condition)
            .values_list("language", flat=True)
        )
        pending = set(
            condition.review_requests.pending().values_list("language", flat=True)
        )
        outdated = (
            Publication.objects.current()
            .filter(condition=condition, outdated_since__isnull=False)
            .exists()
        )
        if condition.status == Condition.Status.CHANGES_REQUESTED:
            kinds[condition.pk] = generator.CHANGES_REQUESTED
        elif SOURCE in pending:
            kinds[condition.pk] = generator.PENDING_REVIEW
        elif not live:
            kinds[condition.pk] = generator.DRAFT
        elif pending:
            kinds[condition.pk] = generator.PENDING_TRANSLATION
        elif outdated:
            kinds[condition.pk] = generator.OUTDATED_TRANSLATION
        elif condition.status == Condition.Status.DRAFT:
            kinds[condition.pk] = generator.EDITED
        else:
            kinds[condition.pk] = generator.PUBLISHED
    return kinds


@pytest.mark.django_db
def test_generates_the_number_of_articles_asked_for(library):
    assert Condition.objects.count() == ARTICLES
    assert f"Generated {ARTICLES} articles" in library["output"]
    # Titles and slugs are unique in every language.
    for code, _name in settings.LANGUAGES:
        slugs = [s for s in Condition.objects.values_list(f"slug_{code}", flat=True)]
        slugs = [s for s in slugs if s]
        assert len(slugs) == len(set(slugs))


@pytest.mark.django_db
def test_the_mix_has_every_kind(library):
    found = set(library["kinds"].values())
    assert found == set(generator.KIND_LABELS)
    published = sum(1 for k in library["kinds"].values() if k == generator.PUBLISHED)
    assert published > ARTICLES / 2  # most articles are simply published

    for pk, kind in library["kinds"].items():
        condition = Condition.objects.get(pk=pk)
        requests = condition.review_requests
        if kind == generator.DRAFT:
            assert condition.status == Condition.Status.DRAFT
            assert not requests.exists()
        elif kind == generator.PENDING_REVIEW:
            assert condition.status == Condition.Status.IN_REVIEW
        elif kind == generator.CHANGES_REQUESTED:
            request = requests.get()
            assert request.state == ReviewRequest.State.CHANGES_REQUESTED
            assert ReviewComment.objects.filter(request=request).exists()
        elif kind == generator.PENDING_TRANSLATION:
            for language in TARGETS:
                assert requests.pending().filter(language=language).exists()
                assert not condition.publications.filter(language=language).exists()
        elif kind == generator.OUTDATED_TRANSLATION:
            # The source was approved again after the translation was.
            assert requests.medical().filter(state="published").count() == 2
            for language in TARGETS:
                translation = condition.publications.get(
                    language=language, is_current=True
                )
                source = condition.publications.get(language=SOURCE, is_current=True)
                assert translation.outdated_since == source.published_at
        elif kind == generator.EDITED:
            # A draft on top of the live version: a newer revision, unreviewed.
            live = condition.publications.get(language=SOURCE, is_current=True)
            assert condition.status == Condition.Status.DRAFT
            latest = Version.objects.get_for_object(condition).first()
            assert latest.revision_id > live.revision_id


@pytest.mark.django_db
def test_every_live_publication_is_an_approved_revision_with_a_byline(library):
    published = [pk for pk, kind in library["kinds"].items() if kind in PUBLISHED_KINDS]
    assert published
    for pk in published:
        live = {
            p.language: p
            for p in Publication.objects.current()
            .filter(condition_id=pk)
            .select_related("review")
        }
        assert set(live) == {SOURCE, *TARGETS}
        for language, publication in live.items():
            review = publication.review
            assert review.state == ReviewRequest.State.PUBLISHED
            assert review.revision_id == publication.revision_id
            assert review.language == language  # medical, then translation
            assert review.decided_by_id != review.submitted_by_id  # four eyes
            # The byline is the medical reviewer's of the source publication
            # (for a translation: the one it was translated from).
            source = publication.source_publication or publication
            assert source.language == SOURCE
            reviewer = Contributor.objects.get(user=source.review.decided_by)
            assert reviewer.credentials
            assert (publication.reviewer_name, publication.reviewer_credentials) == (
                reviewer.name,
                reviewer.credentials,
            )


@pytest.mark.django_db
def test_articles_are_complete(library):
    pk = next(k for k, v in library["kinds"].items() if v == generator.PUBLISHED)
    condition = Condition.objects.get(pk=pk)
    assert condition.sections.count() >= 1
    assert condition.images.get().credit
    assert condition.condition_references.count() >= 2
    roles = set(condition.condition_contributors.values_list("role", flat=True))
    assert roles == {"author", "illustrator"}
    kinds = set(condition.categories.values_list("kind", flat=True))
    assert kinds == {"body_system", "specialty"}
    # References are shared between articles (the MedQuAD paper, the sites).
    assert Reference.objects.count() < ARTICLES * 3
    assert Category.objects.count() <= len(
        generator.vocabulary.CATEGORIES
    )  # a small, fixed set
    # Every translation unit has a text in every language.
    for language in TARGETS:
        units = generator.translations.units(condition, language)
        assert units and all(u.target for u in units), language


@pytest.mark.django_db
def test_public_pages_answer_in_every_language(library, client):
    for kind in (generator.PUBLISHED, generator.OUTDATED_TRANSLATION):
        pk = next(k for k, v in library["kinds"].items() if v == kind)
        condition = Condition.objects.get(pk=pk)
        source_url = f"/{SOURCE}/conditions/{getattr(condition, f'slug_{SOURCE}')}/"
        english = client.get(source_url)
        assert english.status_code == 200
        assert condition.title_en in english.content.decode()
        for language in TARGETS:
            slug = getattr(condition, f"slug_{language}")
            page = client.get(f"/{language}/conditions/{slug}/")
            assert page.status_code == 200, (language, slug)
            html = page.content.decode()
            assert getattr(condition, f"title_{language}") in html
            # The outdated translation carries the "source updated" notice.
            assert ('class="notice"' in html) == (
                kind == generator.OUTDATED_TRANSLATION
            )
    assert client.get(f"/{SOURCE}/").status_code == 200


@pytest.mark.django_db
def test_running_twice_doubles_the_library(library):
    generate()
    assert Condition.objects.count() == 2 * ARTICLES
    for code, _name in settings.LANGUAGES:
        titles = [t for t in Condition.objects.values_list(f"title_{code}", flat=True)]
        titles = [t for t in titles if t]
        assert len(titles) == len(set(titles)), code
    # The second run reuses the same pages as numbered variants.
    assert Condition.objects.filter(title_en__endswith=" (2)").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("articles", [0, -3])
def test_bad_input_changes_nothing(articles):
    before = counts()
    with pytest.raises(CommandError, match="positive number"):
        generate(articles=articles)
    assert counts() == before


@pytest.mark.django_db
def test_shares_above_one_are_refused():
    before = counts()
    with pytest.raises(CommandError, match="must not exceed 1"):
        call_command("generate_library", articles=5, drafts=0.6, edited=0.6)
    assert counts() == before


def counts():
    return [
        model.objects.count()
        for model in (get_user_model(), Condition, Category, Reference, Contributor)
    ]


@pytest.mark.skipif(
    not (build_data.DEFAULT_DATA_DIR / "medquad").is_dir(),
    reason="the shared data folder is not here (fresh clone, CI)",
)
def test_the_vendored_extract_is_rebuilt_identically(tmp_path):
    output = tmp_path / "library.json.gz"
    _path, pages, spanish, _size = build_data.build(output=output)
    assert output.read_bytes() == build_data.OUTPUT.read_bytes()
    assert (pages, spanish) == (1327, 20)


@pytest.mark.django_db(transaction=True)
def test_runs_under_the_dev_settings_without_collectstatic(tmp_path):
    """`make run`'s settings: DEBUG on, the manifest storage, no manifest."""
    storages = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        },
    }
    with override_settings(DEBUG=True, STORAGES=storages, STATIC_ROOT=tmp_path):
        output = generate(articles=2)
        assert "Generated 2 articles" in output
        live = Publication.objects.current().filter(language=SOURCE).first()
        page = Client().get(f"/{SOURCE}/conditions/{live.slug}/")
    assert page.status_code == 200
    assert "/static/" in page.content.decode()
