"""What to generate, decided before anything is written: the kinds of
article and their shares, unique names, and the text helpers.

The data is the vendored extract (library.json.gz; see README.md).
"""

import gzip
import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.text import slugify

from conditions.models import Condition, Image, Publication

from . import vocabulary

DATA_FILE = Path(__file__).resolve().with_name("library.json.gz")

# What becomes of each generated article (its "kind").
PUBLISHED = "published"
DRAFT = "draft"
EDITED = "edited"
PENDING_REVIEW = "pending_review"
CHANGES_REQUESTED = "changes_requested"
PENDING_TRANSLATION = "pending_translation"
OUTDATED_TRANSLATION = "outdated_translation"

KIND_LABELS = {
    PUBLISHED: "published in every language",
    DRAFT: "draft, never submitted",
    EDITED: "published, then edited (a draft on top of the live version)",
    PENDING_REVIEW: "awaiting medical review",
    CHANGES_REQUESTED: "changes requested by the medical reviewer",
    PENDING_TRANSLATION: "published in the source, translation awaiting review",
    OUTDATED_TRANSLATION: "source republished after the translation (outdated)",
}

#: Default share of each kind; the rest is PUBLISHED.
DEFAULT_MIX = {
    DRAFT: 0.04,
    EDITED: 0.04,
    PENDING_REVIEW: 0.04,
    CHANGES_REQUESTED: 0.04,
    PENDING_TRANSLATION: 0.04,
    OUTDATED_TRANSLATION: 0.04,
}

#: How many related conditions each article links, and how many recent
#: articles per category are candidates.
RELATED_PER_ARTICLE = 3
RELATED_POOL = 60


#: Category key -> one pattern matching any of its keywords at a word start.
KEYWORDS = {
    key: re.compile(
        r"\b(?:" + "|".join(re.escape(k) for k in row.get("keywords", [])) + ")"
        if row.get("keywords")
        else r"(?!)"  # matches nothing
    )
    for key, row in vocabulary.CATEGORIES.items()
}


class GenerationError(Exception):
    """The library cannot be generated as asked (no article was written)."""


def load_data(path=DATA_FILE):
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return json.load(fh)


def plain(markup):
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup))).strip()


def sentences(text):
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z¿¡ÁÉÍÓÚÑ0-9])", text) if s]


def plan_kinds(count, mix, rng):
    """Return `count` kinds in a seeded order: round(share × count) of each."""
    kinds = []
    for kind, share in mix.items():
        kinds += [kind] * round(share * count)
    kinds = kinds[:count]
    kinds += [PUBLISHED] * (count - len(kinds))
    rng.shuffle(kinds)
    return kinds


class Names:
    """Unique titles and slugs in one language, also across runs.

    The first article made from a page takes its name ("Achondroplasia",
    achondroplasia); the next ones are numbered variants ("Achondroplasia
    (2)", achondroplasia-2), skipping any title or slug already used by a
    condition or a live publication.
    """

    def __init__(self, language):
        self.language = language
        self.slugs = set(
            Condition.objects.values_list(f"slug_{language}", flat=True)
        ) | set(
            Publication.objects.current()
            .filter(language=language)
            .values_list("slug", flat=True)
        )
        self.titles = {
            (t or "").lower()
            for t in Condition.objects.values_list(f"title_{language}", flat=True)
        }
        self.next = {}

    def take(self, base_title):
        base_title = base_title[:180].strip()
        base_slug = slugify(base_title)[:180].strip("-") or "condition"
        number = self.next.get(base_slug, 1)
        while True:
            title = base_title if number == 1 else f"{base_title} ({number})"
            slug = base_slug if number == 1 else f"{base_slug}-{number}"
            if slug not in self.slugs and title.lower() not in self.titles:
                break
            number += 1
        self.next[base_slug] = number + 1
        self.slugs.add(slug)
        self.titles.add(title.lower())
        return title, slug


@dataclass
class Plan:
    """One article to generate, decided before anything is written."""

    kind: str
    page: dict
    title: str
    slug: str
    categories: list
    illustration: str
    author: int
    illustrator: int
    reviewer: str
    second_reviewer: str
    note: str
    change_request: str
    #: language -> {"title", "slug", "also_called", "summary", "bodies"}
    targets: dict = field(default_factory=dict)
    condition: Condition | None = None
    sections: list = field(default_factory=list)
    image: Image | None = None


def revised_summary(page, current):
    """Return a different summary from the page's own opening sentences."""
    text = " ".join(plain(body) for _kind, _heading, body in page["sections"])
    parts = sentences(text)
    for count in range(1, len(parts) + 1):
        candidate = " ".join(parts[:count])
        if len(candidate) > 400:
            break
        if candidate != current and len(candidate) > len(current):
            return candidate
    return f"{current} The sections below explain more."
