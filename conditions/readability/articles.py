"""The readability of an article: each section's body, in each language.

The screens score one article at a time (the change form from the saved
working copy, the review screen from the revision under review); the
translation report reads ``summary()``, stored in each article's
``TranslationProgress`` row when the row is refreshed.
"""

from dataclasses import dataclass, field

from ..languages import source
from ..models import Section
from .scoring import Score, score, target_grade


@dataclass
class SectionReadability:
    """One section: its name and its ``Score`` per language (in order)."""

    pk: int
    kind: str
    name: str
    scores: list = field(default_factory=list)

    @property
    def above_target(self):
        return any(s.above_target for s in self.scores)


def sections(sections, languages):
    """Return a ``SectionReadability`` per section, scored in each language.

    ``sections`` are Section objects (from the database or a revision), in
    their order.
    """
    return [
        SectionReadability(
            pk=section.pk,
            kind=section.kind,
            name=_name(section),
            scores=[
                score(getattr(section, f"body_{code}", ""), code) for code in languages
            ],
        )
        for section in sections
    ]


def for_condition(condition, languages):
    """Return the sections of an article's saved working copy, scored."""
    return sections(list(condition.sections.all()), languages)


def for_revision(content, condition_id, languages):
    """Return the sections of an article as a revision holds them, scored.

    ``content`` is a ``versioning.RevisionContent``.
    """
    return sections(content.children(Section, condition_id), languages)


def whole(sections, language):
    """Return the ``Score`` of all the sections' bodies read as one text."""
    return score(
        " ".join(getattr(s, f"body_{language}", "") or "" for s in sections), language
    )


def summary(sections, language):
    """Return what the translation report shows of an article in a language.

    ``{"whole": Score.as_dict(), "grades": [grade of each scored section]}``,
    stored in a JSON column. The grades are kept rather than a count above
    the target, so that a change of the target needs no recomputation.
    """
    scores = [score(getattr(s, f"body_{language}", ""), language) for s in sections]
    return {
        "whole": whole(sections, language).as_dict(),
        "grades": [s.grade for s in scores if s.scored],
    }


def stored(data, language):
    """Return (whole-article ``Score``, sections above target, sections scored)."""
    data = data or {}
    grades = data.get("grades", [])
    return (
        Score.from_dict(language, data.get("whole")),
        sum(1 for grade in grades if grade > target_grade()),
        len(grades),
    )


def _name(section):
    heading = getattr(section, f"heading_{source()}", "")
    return heading or str(section.get_kind_display())
