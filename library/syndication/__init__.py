"""What the site tells machines, built from publications only.

- structured: an article's schema.org JSON-LD and its social cards (Open
  Graph, Twitter), rendered into the stored article page;
- sitemaps: ``/sitemap.xml`` (an index of ``/sitemap-<n>.xml`` sections once
  it outgrows ``SITEMAP_MAX_URLS``), with every language's alternates;
- feeds: the Atom feed of updated articles of each language;
- site_files: ``/robots.txt`` and ``/favicon.ico``.

Sitemaps and feeds are stored pages (library/store.py) whose tags their
taggers return on every publication change, so they are never stale.
"""
