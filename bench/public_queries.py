"""SQL queries of each kind of public page, at each library size.

For each size of BENCH_PUBLIC_ARTICLES (default 10 and 10,000 articles,
generated once; see public_common.py) this requests, on a copy of the
library and without any page cache (bench.settings_nocache), each kind of
public page twice: once *rendered* (its stored page forgotten first) and
once *stored* (the next request), and prints the SQL queries of each, with
the time of the render. A page whose address does not resolve yet is shown
as "not built yet".

The addresses are found the way a reader finds them: the article is the
first live one with a translation and a category; the A–Z letter, category,
sitemap section and API pages are the first links to such a page on the
pages before them. It exits with an error if a page's query count grows
with the size of the library (a count may differ with what a page shows:
search finds other articles in a larger library).
"""

import re
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.public_common import (  # noqa: E402
    SIZES,
    check_services,
    copy_of,
    django_helper,
    django_side,
    say,
    table,
)

WHAT = "SQL queries of the public pages"

#: The rows: (label, the route's name, how to find its address). An
#: address is a fixed path, or None: the first link found to the route.
#: {lang} is the source language, {other} a translation, {word} a word of
#: the sample article's title, {slug} its slug.
PAGES = [
    ("article", "article", "{article}"),
    ("article, translation", "article", "{article_other}"),
    ("home", "home", "/{lang}/"),
    ("A–Z index", "az", "/{lang}/a-z/"),
    ("A–Z letter", "letter", None),
    ("category", "category", None),
    ("search", "search", "/{lang}/search/?q={word}"),
    ("feed", "feed", "/{lang}/feed/"),
    ("sitemap index", "sitemap", "/sitemap.xml"),
    ("sitemap section", "sitemap-section", None),
    ("API: conditions", "conditions", "/api/v1/conditions/"),
    ("API: one condition", "condition", "/api/v1/conditions/{slug}/"),
]

LINK = re.compile(
    r"""(?:href=|src=|<loc>|"url":\s*)["']?((?:https?://[^/"'<\s]+)?/[^"'<>\s]*)"""
)


# ---------------------------------------------------------- Django side


def _route(path):
    """The url_name of the view of a path, or None if none answers it."""
    from django.conf import settings
    from django.urls import Resolver404, resolve
    from django.utils import translation

    first = path.strip("/").split("/", 1)[0]
    language = first if first in dict(settings.LANGUAGES) else None
    try:
        with translation.override(language or settings.LANGUAGE_CODE):
            match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.url_name


def _route_names():
    """Every url_name of the URLconf."""
    from django.urls import URLResolver, get_resolver

    names, todo = set(), list(get_resolver().url_patterns)
    while todo:
        pattern = todo.pop()
        if isinstance(pattern, URLResolver):
            todo.extend(pattern.url_patterns)
        elif pattern.name:
            names.add(pattern.name)
    return names


def measure():
    """Request each page rendered, then stored: queries, ms, status."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.public_common import _sample
    from library.models import Page

    sample = _sample()
    slug = urlsplit(sample["article"]).path.rstrip("/").rsplit("/", 1)[-1]
    words = [w for w in re.findall(r"\w+", sample["title"]) if len(w) > 3]
    values = {
        "lang": settings.SOURCE_LANGUAGE,
        "article": sample["article"],
        "article_other": sample["article_other"],
        "slug": slug,
        "word": quote((words or ["health"])[0].lower()),
    }
    client = Client()
    links = {}  # url_name -> first path found

    def get(path):
        response = client.get(path)
        body = (
            b"".join(response.streaming_content)
            if response.streaming
            else (response.content)
        )
        for link in LINK.findall(body.decode("utf-8", "replace")):
            found = urlsplit(link).path
            name = _route(found)
            if name and name not in links:
                links[name] = found
        return response.status_code

    rows = {}
    names = _route_names()
    for label, name, template in PAGES:
        path = template.format(**values) if template else links.get(name)
        if path is None or _route(path) != name:
            rows[label] = {"path": path, "built": False, "route": name in names}
            continue
        get(path)  # warm up (and renders and stores it)
        Page.objects.filter(path=urlsplit(path).path).delete()
        timings = []
        counts = []
        for _ in range(2):  # rendered, then stored
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                status = get(path)
            timings.append((time.perf_counter() - start) * 1000)
            counts.append(len(queries))
        rows[label] = {
            "path": path,
            "built": True,
            "status": status,
            "queries": counts,
            "ms": timings,
        }
    return {"articles": sample["articles"], "rows": rows}


# ---------------------------------------------------------- report


def main():
    check_services(WHAT)
    results = {}
    for size in SIZES:
        with copy_of(size, "queries") as url:
            say(f"  SQL queries at {size} articles")
            results[size] = django_helper(
                url, "measure", script=__file__, settings="bench.settings_nocache"
            )
    grows, rows = [], []
    for label, _name, _template in PAGES:
        cells = [results[size]["rows"][label] for size in SIZES]
        row = [label]
        for cell in cells:
            if not cell["built"]:
                row += ["no link found" if cell["route"] else "not built yet", ""]
            elif cell["status"] != 200:
                row += [f"HTTP {cell['status']}", ""]
            else:
                rendered, stored = cell["queries"]
                row += [f"{rendered} / {stored}", f"{cell['ms'][0]:.0f}"]
        counts = [c["queries"] for c in cells if c["built"] and c["status"] == 200]
        if any(
            later[i] > earlier[i]
            for earlier, later in zip(counts, counts[1:], strict=False)
            for i in (0, 1)
        ):
            grows.append(label)
        rows.append(row)
    headers = [""]
    for size in SIZES:
        headers += [f"{size} art.: queries", "render ms"]
    paths = {
        label: next(
            (
                results[size]["rows"][label]["path"]
                for size in reversed(SIZES)
                if results[size]["rows"][label]["path"]
            ),
            "",
        )
        for label, _n, _t in PAGES
    }
    table(
        f"{WHAT}: rendered (stored page forgotten) / stored (the next request); "
        "no page cache",
        headers,
        rows,
        notes=[
            "Live articles: "
            + ", ".join(f"{results[s]['articles']} at {s}" for s in SIZES)
            + ". Addresses (at the largest size):",
            *(f"  {label}: {path}" for label, path in paths.items() if path),
        ],
    )
    if grows:
        sys.exit(f"The query count grows with the library: {', '.join(grows)}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--django"]:
        django_side({"measure": measure})
    else:
        main()
