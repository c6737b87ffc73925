"""Listings of articles: the home page, A to Z, and categories.

Every listing reads ``Entry`` rows (library/pages/entries.py) with a fixed
number of indexed queries, whatever the size of the library, and carries
the tags that the listings' tagger invalidates when an article joins,
changes or leaves it.
"""

import math
from functools import partial
from itertools import groupby

from django.conf import settings
from django.db.models import Count

from conditions.models import Category

from ..models import Entry, EntryCategory
from .common import (
    alphabet,
    language_codes,
    language_links,
    letter_from_slug,
    letter_slug,
    render,
    sort_key,
    url,
)
from .entries import category_tag, home_tag, index_tag, letter_tag, letters_tag

#: How many of the newest articles the home page shows.
RECENT = 10
#: How many articles a page of a category lists (setting LIBRARY_PAGE_SIZE).
PAGE_SIZE = 50
#: Entry fields a listing shows.
SHOWN = ("title", "slug", "summary", "letter", "published_at")


def page_size():
    """Return how many articles a page of a category lists."""
    return getattr(settings, "LIBRARY_PAGE_SIZE", PAGE_SIZE)


def _with_urls(rows, language):
    # One reverse() for the whole list: addresses differ by slug only.
    pattern = url("article", language, slug="--slug--")
    for row in rows:
        row["url"] = pattern.replace("--slug--", row["slug"])
    return rows


def _letters(language, counts):
    """Return every letter of the alphabet with its address and count."""
    return [
        {
            "letter": letter,
            "url": url("letter", language, letter=letter_slug(letter)),
            "count": counts.get(letter, 0),
        }
        for letter in alphabet(language)
    ]


def _letter_counts(language):
    return dict(
        Entry.objects.live()
        .in_language(language)
        .values_list("letter")
        .annotate(count=Count("pk"))
        .order_by()
    )


def _same_page_everywhere(name, language, **kwargs):
    return language_links(
        language_codes(), language, lambda code: url(name, code, **kwargs)
    )


# ---------------------------------------------------------------- home


def render_home(language):
    """Return the home page of a language: search, letters, categories, newest."""
    recent = _with_urls(
        list(
            Entry.objects.live()
            .in_language(language)
            .order_by("-published_at", "-pk")
            .values(*SHOWN)[:RECENT]
        ),
        language,
    )
    categories = [
        {
            "kind": row["category__kind"],
            "name": row[f"category__name_{language}"],
            "url": url("category", language, slug=row[f"category__slug_{language}"]),
            "count": row["count"],
        }
        for row in EntryCategory.objects.filter(
            language=language,
            **{
                f"category__name_{language}__gt": "",
                f"category__slug_{language}__gt": "",
            },
        )
        .values(
            "category_id",
            "category__kind",
            f"category__name_{language}",
            f"category__slug_{language}",
        )
        .annotate(count=Count("pk"))
        .order_by()
    ]
    # Body systems, then specialties; each A to Z as readers of the language
    # expect.
    categories.sort(key=lambda row: (row["kind"], sort_key(row["name"], language)))
    kinds = dict(Category.Kind.choices)
    return render(
        "library/home.html",
        {
            "recent": recent,
            "letters": _letters(language, _letter_counts(language)),
            "category_groups": [
                {"kind": kind, "name": kinds.get(kind, kind), "categories": list(rows)}
                for kind, rows in groupby(categories, key=lambda row: row["kind"])
            ],
            "languages": _same_page_everywhere("home", language),
        },
        language=language,
        tags={home_tag(language)},
    )


# ---------------------------------------------------------------- A to Z


def render_az(language):
    """Return the A to Z index of a language: its letters and their counts."""
    letters = _letters(language, _letter_counts(language))
    return render(
        "library/az.html",
        {
            "letters": letters,
            "count": sum(letter["count"] for letter in letters),
            "section": "az",
            "languages": _same_page_everywhere("az", language),
        },
        language=language,
        tags={index_tag(language)},
    )


def render_letter(language, slug):
    """Return the page of the articles filed under one letter, or None."""
    letter = letter_from_slug(slug, language)
    if letter is None:
        return None
    entries = Entry.objects.live().in_language(language)
    filled = set(entries.values_list("letter", flat=True).distinct().order_by())
    rows = _with_urls(
        list(entries.filter(letter=letter).order_by("sort_key").values(*SHOWN)),
        language,
    )
    letters = _letters(language, dict.fromkeys(filled, 1))
    return render(
        "library/az.html",
        {
            "letter": letter,
            "letters": letters,
            "conditions": rows,
            "section": "az",
            "languages": language_links(
                language_codes(),
                language,
                lambda code: (
                    url("letter", code, letter=slug)
                    if letter_from_slug(slug, code)
                    else url("az", code)
                ),
            ),
        },
        language=language,
        tags={letter_tag(language, letter), letters_tag(language)},
    )


# ---------------------------------------------------------------- categories


def render_category(language, slug, number=1):
    """Return one page of a category's articles in a language, A to Z, or None."""
    slugs = [f"slug_{code}" for code in language_codes()]
    category = (
        Category.objects.filter(
            **{f"slug_{language}": slug, f"name_{language}__gt": ""}
        )
        .order_by("pk")
        .values("pk", "kind", f"name_{language}", *slugs)
        .first()
    )
    if category is None:
        return None
    places = EntryCategory.objects.filter(language=language, category_id=category["pk"])
    count = places.count()
    size = page_size()
    pages = max(1, math.ceil(count / size))
    if not 1 <= number <= pages:
        return None
    rows = _with_urls(
        [
            {field: row[f"entry__{field}"] for field in SHOWN}
            for row in places.order_by("sort_key", "entry_id").values(
                *(f"entry__{field}" for field in SHOWN)
            )[(number - 1) * size : number * size]
        ],
        language,
    )
    page_url = partial(_category_page_url, language, slug)
    return render(
        "library/category.html",
        {
            "category": {
                "name": category[f"name_{language}"],
                "kind": dict(Category.Kind.choices).get(category["kind"], ""),
                "url": page_url(1),
            },
            "count": count,
            "groups": [
                {"letter": letter, "conditions": list(group)}
                for letter, group in groupby(rows, key=lambda row: row["letter"])
            ],
            "pagination": _pagination(number, pages, page_url),
            "section": "categories",
            "languages": language_links(
                [code for code in language_codes() if category[f"slug_{code}"]],
                language,
                lambda code: _category_page_url(code, category[f"slug_{code}"], 1),
            ),
        },
        language=language,
        tags={category_tag(language, category["pk"])},
    )


def _category_page_url(language, slug, number):
    if number == 1:
        return url("category", language, slug=slug)
    return url("category_page", language, slug=slug, page=number)


def _pagination(number, pages, page_url):
    """Return the links of a paginated listing: previous, a window, next."""
    if pages == 1:
        return None
    shown = sorted({1, pages, *range(max(1, number - 2), min(pages, number + 2) + 1)})
    links = []
    for previous, page in zip([None, *shown], shown, strict=False):
        if previous is not None and page - previous > 1:
            links.append({"gap": True})
        links.append({"number": page, "url": page_url(page), "current": page == number})
    return {
        "number": number,
        "pages": pages,
        "previous": page_url(number - 1) if number > 1 else None,
        "next": page_url(number + 1) if number < pages else None,
        "links": links,
    }


# ---------------------------------------------------------------- all of them


def listing_pages():
    """Yield (path, render) of every listing page in every language."""
    size = page_size()
    for language in language_codes():
        yield url("home", language), partial(render_home, language)
        yield url("az", language), partial(render_az, language)
        for letter in alphabet(language):
            slug = letter_slug(letter)
            yield (
                url("letter", language, letter=slug),
                partial(render_letter, language, slug),
            )
        for row in (
            EntryCategory.objects.filter(
                language=language,
                **{
                    f"category__name_{language}__gt": "",
                    f"category__slug_{language}__gt": "",
                },
            )
            .values(f"category__slug_{language}")
            .annotate(count=Count("pk"))
            .order_by()
        ):
            slug = row[f"category__slug_{language}"]
            for number in range(1, math.ceil(row["count"] / size) + 1):
                yield (
                    _category_page_url(language, slug, number),
                    partial(render_category, language, slug, number),
                )
