"""Diffs for reviewers: what changed, word by word and field by field.

- matching: the sequence matcher (near-linear on long texts)
- words: tokens and the word-level diff of plain text
- richtext: the tag-aware diff of rich text
- revisions: field-by-field comparison of two revisions (per language)
- changes, images: what a comparison returns
"""

from .changes import ADDED, CHANGED, REMOVED, UNCHANGED, FieldChange, RevisionDiff
from .revisions import compare_revisions
from .richtext import clean_diff_html, diff_html
from .words import diff_text

__all__ = [
    "ADDED",
    "CHANGED",
    "REMOVED",
    "UNCHANGED",
    "FieldChange",
    "RevisionDiff",
    "clean_diff_html",
    "compare_revisions",
    "diff_html",
    "diff_text",
]
