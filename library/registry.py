"""Who on the public side needs to know that an article's publications changed.

Each kind of page (articles, listings, search, feeds, the API) adds here:

- a *tagger*: ``(condition_id, languages) -> set of tags`` naming the stored
  pages that show the change (see store.py); they are forgotten, inside and
  after the publishing transaction;
- an *indexer*: ``(condition_id, languages) -> None``, run inside the
  publishing transaction, for data kept in step with publications (such as
  the search index);
- a *listing*: ``() -> iterable of (path, render)``, every page of that kind
  that `render_pages` renders again after a template change.
"""

from .api import hooks as api
from .pages.article import tag
from .pages.entries import index_entries, listing_tags
from .pages.listings import listing_pages
from .search.indexer import update as search_index
from .syndication import feeds, sitemaps


def article_tags(condition_id, languages):
    # The article itself, in every language (the language selector), and
    # every page that lists or links it carries its tag too.
    return {tag(condition_id)}


TAGGERS = [article_tags, listing_tags, feeds.feed_tags, sitemaps.sitemap_tags]
INDEXERS = [index_entries, search_index]
LISTINGS = [listing_pages, feeds.feed_pages, sitemaps.sitemap_pages]
# The API (library/api): the tagger of its lists, its pages for render_pages.
TAGGERS.append(api.list_tags)
LISTINGS.append(api.listing_pages)


def tags_for(condition_id, languages):
    """Return the tags of every stored page that shows the change."""
    tags = set()
    for tagger in TAGGERS:
        tags |= tagger(condition_id, languages)
    return tags


def listings():
    """Yield (path, render) of every listing page of every kind."""
    for source in LISTINGS:
        yield from source()
