"""Score one text with the readability formula made for its language.

English: the Flesch–Kincaid grade. Spanish: Fernández-Huerta's reading ease
(0–100, higher is easier), mapped to a school grade with his own table so
that one target grade applies to both; the raw ease is kept and shown.
A language without a formula gets no score rather than a wrong one, and a
text shorter than ``MIN_WORDS`` words is too short to score.

Words and sentences are counted by textstat, syllables by the same Pyphen
hyphenation dictionaries textstat falls back on. textstat would look English
words up in NLTK's CMU dictionary first, which it downloads at the first
call: a web request must never wait on that (and production has no route to
it), so syllables come from Pyphen for every language. Every function takes
the language as an argument: nothing here touches textstat's global
``set_lang``, so concurrent requests in different languages do not mix.
"""

from dataclasses import dataclass
from html.parser import HTMLParser

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from pyphen import Pyphen
from textstat.backend.counts import count_sentences, count_words
from textstat.backend.selections import list_words
from textstat.backend.utils import typed_cache

#: Fewer words than this say too little about a text's difficulty.
MIN_WORDS = 30

SCORED = "scored"
TOO_SHORT = "too_short"
NO_FORMULA = "no_formula"
EMPTY = "empty"

STATUS_LABELS = {
    TOO_SHORT: _("too short to score"),
    NO_FORMULA: _("no score for this language"),
    EMPTY: _("no text"),
}

#: Fernández-Huerta (1959): reading ease from → (difficulty, school grade).
#: His table gives 4th, 5th, 6th, "7th or 8th" grade, pre-university,
#: selective courses and university; the grades here are the highest
#: school year of each band (pre-university = 12, selective courses = 14,
#: university = 16), so that a text is flagged only when its band reaches
#: above the target.
FERNANDEZ_HUERTA_BANDS = [
    (90, _("very easy"), 4),
    (80, _("easy"), 5),
    (70, _("fairly easy"), 6),
    (60, _("standard"), 8),
    (50, _("fairly difficult"), 12),
    (30, _("difficult"), 14),
    (float("-inf"), _("very difficult"), 16),
]


@dataclass(frozen=True)
class Score:
    """The readability of one text in one language."""

    language: str
    status: str
    words: int = 0
    #: The school grade (US grade levels; Spanish mapped from its ease).
    grade: float | None = None
    #: What the formula itself gives: the grade, or the 0–100 reading ease.
    raw: float | None = None
    formula: str = ""
    #: The difficulty band of an ease formula ("standard", "difficult"…).
    band: str = ""
    target: int = 8

    @property
    def scored(self):
        return self.status == SCORED

    @property
    def above_target(self):
        return self.scored and self.grade > self.target

    @property
    def note(self):
        """Return why there is no grade, or an empty string."""
        return STATUS_LABELS.get(self.status, "")

    def as_dict(self):
        """Return the score as stored in a JSON column (the band is derived)."""
        return {
            "status": self.status,
            "words": self.words,
            "grade": self.grade,
            "raw": self.raw,
            "formula": self.formula,
        }

    @classmethod
    def from_dict(cls, language, data):
        """Return the score stored by ``as_dict`` (None when nothing was)."""
        if not data:
            return None
        # The band is named again in the reader's language, not stored.
        band = ""
        if data.get("formula") == _FernandezHuerta.name and data.get("raw") is not None:
            band = fernandez_huerta_grade(data["raw"])[0]
        return cls(
            language=language,
            status=data["status"],
            words=data.get("words", 0),
            grade=data.get("grade"),
            raw=data.get("raw"),
            formula=data.get("formula", ""),
            band=band,
            target=target_grade(),
        )


def target_grade():
    """Return the grade that no section should be above (settings)."""
    return getattr(settings, "READABILITY_TARGET_GRADE", 8)


def score(text, language):
    """Return the readability ``Score`` of a text (plain, or rich-text HTML)."""
    text = plain_text(text or "")
    words = count_words(text)
    formula = FORMULAS.get(_root(language))
    target = target_grade()
    if not words:
        return Score(language, EMPTY, target=target)
    if formula is None:
        return Score(language, NO_FORMULA, words, target=target)
    if words < MIN_WORDS:
        return Score(language, TOO_SHORT, words, formula=formula.name, target=target)
    return formula(text, language, words, target)


def _root(language):
    return language.replace("-", "_").split("_")[0].lower()


# -- formulas ------------------------------------------------------------


class _FleschKincaid:
    name = "Flesch–Kincaid"
    hyphenation = "en_US"

    def __call__(self, text, language, words, target):
        grade = (
            0.39 * words / count_sentences(text)
            + 11.8 * syllables(text, self.hyphenation) / words
            - 15.59
        )
        grade = round(max(grade, 0.0), 1)
        return Score(language, SCORED, words, grade, grade, self.name, "", target)


class _FernandezHuerta:
    name = "Fernández-Huerta"
    hyphenation = "es"

    def __call__(self, text, language, words, target):
        ease = round(fernandez_huerta(text, words, self.hyphenation), 1)
        band, grade = fernandez_huerta_grade(ease)
        return Score(language, SCORED, words, grade, ease, self.name, band, target)


def fernandez_huerta(text, words, hyphenation="es"):
    """Return Fernández-Huerta's reading ease (as corrected, textstat's form)."""
    return (
        206.84
        - 60 * syllables(text, hyphenation) / words
        - 1.02 * words / count_sentences(text)
    )


def fernandez_huerta_grade(ease):
    """Return (difficulty, school grade) of a Fernández-Huerta reading ease."""
    return next((b, g) for low, b, g in FERNANDEZ_HUERTA_BANDS if ease >= low)


#: Language (its root: "es" for "es-mx") → formula.
FORMULAS = {"en": _FleschKincaid(), "es": _FernandezHuerta()}


@typed_cache
def _hyphenator(hyphenation):
    return Pyphen(lang=hyphenation)


def syllables(text, hyphenation):
    """Return the syllables of a text, counted by Pyphen's hyphenation points."""
    positions = _hyphenator(hyphenation).positions
    return sum(len(positions(word)) + 1 for word in list_words(text, lowercase=True))


# -- rich text to plain text ----------------------------------------------

#: Elements that end a sentence (a list item without a full stop is one).
_BLOCKS = {
    "p",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "td",
    "th",
    "dt",
    "dd",
    "figcaption",
    "br",
    "div",
    "ul",
    "ol",
    "table",
    "tr",
}


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks = [[]]

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCKS:
            self.blocks.append([])

    def handle_endtag(self, tag):
        if tag in _BLOCKS:
            self.blocks.append([])

    def handle_data(self, data):
        self.blocks[-1].append(data)


def plain_text(html):
    """Return the words of rich text, one sentence per paragraph or list item.

    A block (paragraph, list item, heading, cell) that does not end with a
    full stop, question or exclamation mark gets one, so that a list of
    symptoms counts as short sentences rather than one long one.
    """
    if "<" not in html and "&" not in html:
        blocks = [[line] for line in html.splitlines()]
    else:
        extractor = _TextExtractor()
        extractor.feed(html)
        extractor.close()
        blocks = extractor.blocks
    sentences = []
    for parts in blocks:
        text = " ".join("".join(parts).split())
        if not text:
            continue
        if text[-1] not in ".!?…:;":
            text += "."
        sentences.append(text)
    return " ".join(sentences)
