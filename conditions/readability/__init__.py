"""How hard a text is to read: a school grade per language and section.

``scoring`` turns one text (plain or rich) into a ``Score`` with the formula
made for its language; ``articles`` scores each section of an article, from
the working copy or from a revision, and sums an article up for the stored
translation progress. A grade above ``settings.READABILITY_TARGET_GRADE`` is
flagged on the screens; nothing refuses it (docs/readability.md).
"""

from .scoring import Score, plain_text, score, target_grade

__all__ = ["Score", "plain_text", "score", "target_grade"]
