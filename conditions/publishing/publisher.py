"""Publishing: turn one reversion revision into render-ready publications.

``publish()`` is the only way content reaches readers. The review workflow
calls it on approval; everything a public page shows is computed here, once,
from the revision's stored data (never from the working copy, which may have
moved on since).
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import translations
from ..models import Condition, Disclaimer, Publication, publication_changed
from ..versioning import RevisionContent
from .snapshot import build_snapshot


class PublishError(Exception):
    """The revision cannot be published (e.g. the source text is incomplete)."""


def publish(condition, *, revision, user, review=None, published_at=None):
    """Publish the source language of a revision: what a medical review approves.

    `review` is the approved ReviewRequest; the page's "reviewed by" comes
    from it. `published_at` is the date of a publication made elsewhere (a
    restore keeps it); by default, now. Live translations whose source text
    changed are flagged outdated (not when the reviewer confirmed the change
    as minor). Runs in one transaction: on any error the previous
    publications stay live.
    """
    language = settings.SOURCE_LANGUAGE
    content = RevisionContent(revision)
    if content.condition(condition.pk) is None:
        raise PublishError(_("This revision does not contain the article."))
    with transaction.atomic():
        # Lock the condition so two concurrent publishes queue up.
        Condition.objects.select_for_update().filter(pk=condition.pk).first()
        snapshot = build_snapshot(content, condition.pk, language)
        if snapshot is None:
            raise PublishError(
                _("The article needs a title and a slug before publishing.")
            )
        previous = Publication.objects.live(condition, language)
        byline = (
            {
                "reviewer_name": review.reviewer_name,
                "reviewer_credentials": review.reviewer_credentials,
                "reviewed_at": review.decided_at,
                "next_review_on": review.next_review_on,
            }
            if review
            else {}
        )
        publication = _replace(
            previous,
            condition=condition,
            language=language,
            revision=revision,
            snapshot=snapshot,
            user=user,
            review=review,
            source_hashes=translations.source_hashes(content, condition.pk),
            published_at=published_at,
            **byline,
        )
        translations.source_published(
            condition,
            publication,
            previous,
            content,
            minor=bool(review and review.minor_confirmed),
        )
        translations.progress.refresh(condition)
    return [publication]


def publish_translation(
    condition, *, language, revision, user, review=None, published_at=None
):
    """Publish a translation: its words from `revision`, the rest from the source.

    The language-neutral parts (structure, references, images, codes) and
    the medical reviewer's byline come from the live source publication the
    text was translated from.
    """
    with transaction.atomic():
        Condition.objects.select_for_update().filter(pk=condition.pk).first()
        source = Publication.objects.live(condition, settings.SOURCE_LANGUAGE)
        if source is None:
            raise PublishError(_("Publish the source language first."))
        disclaimer = Disclaimer.objects.first()
        if disclaimer is not None and not getattr(disclaimer, f"text_{language}", ""):
            raise PublishError(
                _("Translate the disclaimer into this language first (Disclaimer).")
            )
        content = RevisionContent(source.revision)
        text = RevisionContent(revision)
        snapshot = build_snapshot(content, condition.pk, language, text=text)
        if snapshot is None:
            raise PublishError(
                _("The translation needs a title and a slug before publishing.")
            )
        basis = translations.translation_basis(condition, language, source, text)
        publication = _replace(
            Publication.objects.live(condition, language),
            condition=condition,
            language=language,
            revision=revision,
            snapshot=snapshot,
            user=user,
            review=review,
            # The medical byline is the source's: it reviewed the content.
            **{field: getattr(source, field) for field in BYLINE_FIELDS},
            source_publication=source,
            source_hashes=basis,
            outdated_since=(
                source.published_at if basis != source.source_hashes else None
            ),
            published_at=published_at,
        )
        translations.progress.refresh(condition, [language])
    return [publication]


BYLINE_FIELDS = (
    "reviewer_name",
    "reviewer_credentials",
    "reviewed_at",
    "next_review_on",
)


def _replace(previous, *, snapshot, user, published_at=None, **fields):
    """Make a new live publication, retiring the previous one."""
    if previous is not None:
        Publication.objects.filter(pk=previous.pk).update(is_current=False)
    publication = Publication.objects.create(
        title=snapshot["title"],
        slug=snapshot["slug"],
        summary=snapshot["summary"],
        snapshot=snapshot,
        published_at=published_at or timezone.now(),
        published_by=user,
        **fields,
    )
    _announce(publication.condition_id, [publication.language])
    return publication


def unpublish(condition, *, reason=""):
    """Take a condition off the public site in every language."""
    with transaction.atomic():
        live = Publication.objects.current().filter(condition=condition)
        languages = list(live.values_list("language", flat=True))
        live.update(
            is_current=False, withdrawn_at=timezone.now(), withdrawn_reason=reason
        )
        _announce(condition.pk, languages)
        translations.progress.refresh(condition)


def _announce(condition_id, languages):
    """Tell the public side, inside the transaction, what readers see changed."""
    if languages:
        publication_changed.send(
            sender=Publication, condition_id=condition_id, languages=languages
        )
