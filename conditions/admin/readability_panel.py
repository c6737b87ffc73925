"""The reading-grade panel: each section's grade per language, flagged above
the target (docs/readability.md).

On the change form it scores the saved working copy (what was last saved,
not what is being typed); on the review screen, the revision under review.
A grade above the target is a flag for the author and the reviewer: nothing
in the workflow refuses it.
"""

from .. import languages
from ..models import Section
from ..readability import articles, target_grade
from ..versioning import RevisionContent


def for_condition(condition, codes=None):
    """Return the panel's context for an article's saved working copy."""
    codes = codes or languages.codes()
    sections = list(condition.sections.all())
    return _panel(sections, articles.sections(sections, codes), codes)


def for_review(review):
    """Return the panel's context for the revision a review request covers.

    A review of the source text shows the source language; a translation's
    shows that language beside the source.
    """
    codes = [languages.source()]
    if review.is_translation:
        codes.append(review.language)
    content = RevisionContent.many([review.revision_id])[review.revision_id]
    sections = content.children(Section, review.condition_id)
    return _panel(sections, articles.sections(sections, codes), codes)


def _panel(sections, scored, codes):
    return {
        "languages": [(code, languages.name(code)) for code in codes],
        "sections": scored,
        "whole": [articles.whole(sections, code) for code in codes],
        "target": target_grade(),
        "above": sum(1 for s in scored if s.above_target),
    }
