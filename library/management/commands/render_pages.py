import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm

from conditions.models import Publication
from library import registry, store
from library.models import Page, PageTag
from library.pages.article import render_article


class Command(BaseCommand):
    help = (
        "Render every public page again from the publications (after a "
        "template or stylesheet change): forgets every stored page, purges "
        "caches, then renders each article in each language and each "
        "listing, with a progress bar on a terminal."
    )

    def handle(self, *args, **options):
        forgotten = Page.objects.count()
        store.invalidate(set(PageTag.objects.values_list("tag", flat=True)))
        Page.objects.all().delete()  # untagged pages too
        articles = [
            (
                Publication(language=language, slug=slug).get_absolute_url(),
                lambda language=language, slug=slug: render_article(language, slug),
            )
            for language, slug in Publication.objects.current()
            .order_by("language", "slug")
            .values_list("language", "slug")
        ]
        pages = [*articles, *registry.listings()]
        bar = tqdm(
            total=len(pages),
            unit="page",
            desc="Rendering",
            disable=None if options["verbosity"] > 0 else True,
            file=sys.stderr,
        )
        rendered = 0
        for path, render in pages:
            if store.render_and_keep(path, render) is not None:
                rendered += 1
            bar.update(1)
        bar.close()
        if options["verbosity"] > 0:
            self.stdout.write(
                f"Rendered {rendered} pages ({len(articles)} article pages, "
                f"{len(pages) - len(articles)} listings); {forgotten} stored "
                "pages were forgotten and purged first."
            )
