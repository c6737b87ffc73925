"""Readability (conditions/readability/, docs/readability.md)."""

# The school grade a section should not be above. Sections above it are
# flagged to authors, reviewers and translators; nothing is refused.
READABILITY_TARGET_GRADE = 8
