"""Search, suggestions and "did you mean": what the pages ask, on either engine.

Every function runs a fixed number of queries whatever the size of the
library: a search is one query (two when no article has every word and it
looks for any of them), "did you mean" two more, suggestions one.
"""

import difflib
from dataclasses import dataclass, field

from django.db import connections, router

from ..pages.common import sort_key
from . import text
from .engines import engine
from .models import Entry, Term

#: Results a page shows.
PAGE_SIZE = 10
#: Beyond this page, readers should refine their words.
MAX_PAGE = 50
#: Longer queries are cut (a query is words, not documents).
MAX_QUERY = 200
#: With fewer results than this, "did you mean" is looked for.
FEW_RESULTS = 3
#: How close (difflib ratio of keys) a name or word must be to be offered.
CLOSE_NAME = 0.8
CLOSE_WORD = 0.75
#: Longer queries are compared word by word only, not with whole names (a
#: long query shares trigrams with most names: slow, and rarely useful).
MAX_NAME_QUERY = 40
#: Type-ahead: suggestions returned, and the shortest prefix answered.
SUGGESTIONS = 8
MIN_PREFIX = 2
MAX_PREFIX = 100


@dataclass
class Result:
    title: str  # safe HTML, matches in <mark>
    url: str
    also_called: list  # safe HTML, the names that match
    snippet: str  # safe HTML


@dataclass
class Results:
    query: str
    page: int = 1
    total: int = 0
    results: list = field(default_factory=list)
    #: True when no article had every word: these have some of them.
    any_word: bool = False
    #: A query to offer instead ("Did you mean …?"), or "".
    suggestion: str = ""

    @property
    def pages(self):
        return min(MAX_PAGE, -(-self.total // PAGE_SIZE))


def clean_query(query):
    return " ".join(text.clean(query or "")[:MAX_QUERY].split())


def search(language, query, page=1):
    """Return a page of the live articles of a language that match a query."""
    query = clean_query(query)
    results = Results(query=query, page=page)
    if not text.words(query):
        return results
    backend = engine()
    all_words, total, hits = ranked(
        language, query, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE, backend=backend
    )
    results.any_word = total > 0 and not all_words
    results.total = total
    results.results = [_result(hit) for hit in hits]
    if all_words < FEW_RESULTS and page == 1:
        results.suggestion = did_you_mean(
            language,
            query,
            backend=backend,
            found=_names_of(hits),
            words=all_words == 0,
        )
    return results


def ranked(language, query, *, offset=0, limit=PAGE_SIZE, backend=None):
    """Return (articles with every word, total, hits) of a cleaned query.

    The articles that have every word; when there are none, those that have
    any of them (the total then counts those).
    """
    backend = backend or engine()
    total, hits = backend.search(
        language, query, any_word=False, offset=offset, limit=limit
    )
    all_words = total
    if total == 0 and len(text.words(query)) > 1:
        total, hits = backend.search(
            language, query, any_word=True, offset=offset, limit=limit
        )
    return all_words, total, hits


def _names_of(hits):
    """Return the keys of the titles and names of hits."""
    return {
        text.key(text.clean(name))
        for hit in hits
        for name in [hit.title, *hit.also_called.splitlines()]
    }


def _result(hit):
    names = [name for name in hit.also_called.splitlines() if text.has_match(name)]
    return Result(
        title=text.highlighted(hit.title),
        url=hit.url,
        also_called=[text.highlighted(name) for name in names],
        snippet=text.highlighted(hit.snippet),
    )


def _ratio(a, b):
    return difflib.SequenceMatcher(None, a, b).ratio()


def did_you_mean(language, query, *, backend=None, found=(), words=True):
    """Return a close title or name, or the query with its words corrected.

    "" when nothing close enough differs from what was typed. A name of an
    article already among the results (keys in `found`) is not offered.
    Words are corrected only when `words` (no article has them all: each
    word of a query that found something is in some article).
    """
    backend = backend or engine()
    typed = text.key(query)
    if len(typed) < 3:
        return ""
    offers = []
    # A close title or also-called name, as a whole.
    close_names = backend.names(language, typed) if len(typed) <= MAX_NAME_QUERY else []
    for name, key in close_names:
        ratio = _ratio(typed, key)
        if ratio >= CLOSE_NAME and key not in found:
            offers.append((ratio, name, key))
    # The query with its words corrected from the vocabulary (words of
    # titles, names and summaries).
    corrected = _corrected(language, query, backend) if words else ""
    if corrected:
        offers.append((_ratio(typed, text.key(corrected)), corrected, None))
    # Whichever is closest to what was typed (and is not what was typed).
    for _closeness, offer, key in sorted(offers, key=lambda o: -o[0]):
        if (key or text.key(offer)) != typed:
            return offer
    return ""


def _corrected(language, query, backend):
    words = text.words(query)
    keys = sorted(
        {text.key(w) for w in words if len(w) >= 3 and not w.isdigit()} - {""}
    )
    if not keys:
        return ""
    candidates = {}
    for word, key, shown, uses in backend.words(language, keys):
        candidates.setdefault(word, []).append((_ratio(word, key), uses, key, shown))
    corrected, changed = [], False
    for word in words:
        options = candidates.get(text.key(word), [])
        if any(key == text.key(word) for _r, _u, key, _s in options):
            corrected.append(word)
            continue
        ratio, _uses, key, shown = max(options, default=(0, 0, "", ""))
        if ratio >= CLOSE_WORD:
            corrected.append(shown)
            changed = True
        else:
            corrected.append(word)
    return " ".join(corrected) if changed else ""


#: Names that start with the prefix; then, only if they are fewer than
#: the suggestions asked for, names with a word that starts with it.
SUGGEST = """
    WITH starting AS (
        SELECT t.id, t.entry_id, t.text, t.kind, t.key, 0 AS later
        FROM library_search_term t
        WHERE t.language = %(language)s AND t.kind IN (%(title)s, %(name)s)
          AND t.key LIKE %(start)s
        ORDER BY length(t.key), t.key, t.id
        LIMIT %(limit)s
    ), inside AS (
        SELECT t.id, t.entry_id, t.text, t.kind, t.key, 1 AS later
        FROM library_search_term t
        WHERE (SELECT count(DISTINCT entry_id) FROM starting) < %(wanted)s
          AND t.language = %(language)s AND t.kind IN (%(title)s, %(name)s)
          AND t.key LIKE %(inside)s
        ORDER BY length(t.key), t.key, t.id
        LIMIT %(limit)s
    ), found AS (
        SELECT * FROM starting UNION ALL SELECT * FROM inside
    )
    SELECT found.entry_id, found.text, found.kind, e.title, e.url
    FROM found JOIN library_search_entry e ON e.id = found.entry_id
    ORDER BY found.later, length(found.key), found.key, found.id
"""


def suggest(language, prefix):
    """Return titles and also-called names that start with what is typed.

    Accent-blind and case-blind; a name matches at its start or at the
    start of one of its words. One suggestion per article, those that start
    with the prefix first, shorter first. Each is a dict: name (as written),
    title (of the article), url, is_title. One query.
    """
    key = text.key((prefix or "")[:MAX_PREFIX])
    if len(key) < MIN_PREFIX:
        return []
    params = {
        "language": language,
        "title": Term.Kind.TITLE,
        "name": Term.Kind.NAME,
        # Keys hold letters, digits and single spaces only: no LIKE wildcard.
        "start": key + "%",
        "inside": "% " + key + "%",
        "wanted": SUGGESTIONS,
        "limit": SUGGESTIONS * 4,
    }
    with connections[router.db_for_read(Term) or "default"].cursor() as cursor:
        cursor.execute(SUGGEST, params)
        rows = cursor.fetchall()
    suggestions, seen = [], set()
    for entry_id, name, kind, title, url in rows:
        if entry_id in seen:
            continue
        seen.add(entry_id)
        suggestions.append(
            {"name": name, "title": title, "url": url, "is_title": kind == "title"}
        )
        if len(suggestions) == SUGGESTIONS:
            break
    return suggestions


#: The distinct letters of a language, read from the (language, letter)
#: index one letter at a time (a few dozen index probes at any size).
LETTERS = """
    WITH RECURSIVE letters(letter) AS (
        SELECT min(letter) FROM library_search_entry WHERE language = %s
        UNION ALL
        SELECT (SELECT min(e.letter) FROM library_search_entry e
                WHERE e.language = %s AND e.letter > letters.letter)
        FROM letters WHERE letters.letter IS NOT NULL
    )
    SELECT letter FROM letters WHERE letter IS NOT NULL
"""


def letters(language):
    """Return the A–Z letters under which the language has articles, in order."""
    with connections[router.db_for_read(Entry) or "default"].cursor() as cursor:
        cursor.execute(LETTERS, [language, language])
        found = {row[0] for row in cursor.fetchall()}
    return sorted(found, key=lambda letter: (letter == "#", sort_key(letter, language)))
