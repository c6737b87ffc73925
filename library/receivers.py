"""What the public side does when what readers see changes.

The read model announces a change of an article's publications inside the
publishing transaction (``publication_changed``). The stored pages that show
the article are forgotten then (so the same request, and the tests, see the
change), and again after the commit (so that a page rendered from the old
data just before the commit is not kept); then the article's own pages are
rendered again, at once. A change of the disclaimer forgets every article
page, which is rendered again at its next request.
"""

from django.db import transaction
from django.db.models.signals import post_save

from conditions.models import Disclaimer, Publication, publication_changed

from . import registry, store
from .pages import entries
from .pages.article import render_article


def on_publication_changed(sender, condition_id, languages, **kwargs):
    for indexer in registry.INDEXERS:
        indexer(condition_id, languages)
    tags = registry.tags_for(condition_id, languages)
    store.invalidate(tags)

    def after_commit():
        store.invalidate(tags)
        for language, slug in (
            Publication.objects.current()
            .filter(condition_id=condition_id)
            .values_list("language", "slug")
        ):
            path = Publication(language=language, slug=slug).get_absolute_url()
            store.render_and_keep(
                path,
                lambda language=language, slug=slug: render_article(language, slug),
            )

    transaction.on_commit(after_commit)


def on_disclaimer_saved(sender, **kwargs):
    transaction.on_commit(lambda: store.invalidate({"disclaimer"}))
    store.invalidate({"disclaimer"})


def connect():
    publication_changed.connect(on_publication_changed, dispatch_uid="library")
    post_save.connect(on_disclaimer_saved, sender=Disclaimer, dispatch_uid="library")
    entries.connect()
