"""Duplicate references: the same DOI, the same PMID or a near-identical title.

Detection reads three short columns of every reference once and works in
memory: identifiers are grouped exactly (once normalised), and titles are
compared by the sorted-neighbourhood method (each title with the next few in
alphabetical order, then the same on the reversed titles), so that a typo at
either end is still found, in O(n) comparisons rather than O(n²).
"""

import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from ..models import Reference

#: Two titles at least this similar (difflib's ratio) are the same work.
TITLE_SIMILARITY = 0.93
#: Shorter titles ("Dystonia.") must match exactly once normalised.
MIN_FUZZY_LENGTH = 20
#: How many following titles, in sorted order, each title is compared with.
WINDOW = 12

DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
NOT_WORD = re.compile(r"[\W_]+")
NUMBER = re.compile(r"\d+")

DOI, PMID, TITLE = "doi", "pmid", "title"


def normalise_doi(doi):
    """Return a DOI without resolver prefix, in lower case (DOIs ignore case)."""
    return DOI_PREFIX.sub("", (doi or "").strip()).strip().lower()


def normalise_pmid(pmid):
    """Return a PMID as digits without leading zeros."""
    return (pmid or "").strip().lstrip("0")


def normalise_title(title):
    """Return a title without case, accents, punctuation or extra spaces."""
    text = unicodedata.normalize("NFKD", title or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return NOT_WORD.sub(" ", text.casefold()).strip()


def similar_titles(first, second):
    """Return True if two normalised titles are near-identical."""
    if first == second:
        return bool(first)
    if min(len(first), len(second)) < MIN_FUZZY_LENGTH:
        return False
    if NUMBER.findall(first) != NUMBER.findall(second):
        return False  # "… in 2019" and "… in 2020", part 1 and part 2
    matcher = SequenceMatcher(None, first, second, autojunk=False)
    return (
        matcher.real_quick_ratio() >= TITLE_SIMILARITY
        and matcher.quick_ratio() >= TITLE_SIMILARITY
        and matcher.ratio() >= TITLE_SIMILARITY
    )


@dataclass
class DuplicateGroup:
    """References found to be the same work, and why (doi, pmid, title)."""

    ids: list
    reasons: set = field(default_factory=set)
    references: list = field(default_factory=list)

    @property
    def key(self):
        return "-".join(str(pk) for pk in self.ids)


class _Groups:
    """Union-find over reference ids, remembering why two were joined."""

    def __init__(self):
        self.parent = {}
        self.reasons = {}

    def find(self, pk):
        self.parent.setdefault(pk, pk)
        root = pk
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[pk] != root:  # path compression
            self.parent[pk], pk = root, self.parent[pk]
        return root

    def join(self, first, second, reason):
        a, b = sorted((self.find(first), self.find(second)))
        reasons = self.reasons.setdefault(a, set())
        if a != b:
            self.parent[b] = a
            reasons.update(self.reasons.pop(b, set()))
        reasons.add(reason)

    def groups(self):
        members = {}
        for pk in list(self.parent):
            members.setdefault(self.find(pk), []).append(pk)
        for root, ids in members.items():
            yield DuplicateGroup(sorted(ids), self.reasons.get(root, set()))


def _join_equal(groups, rows, key, reason):
    seen = {}
    for row in rows:
        value = key(row)
        if value:
            if value in seen:
                groups.join(seen[value], row["pk"], reason)
            else:
                seen[value] = row["pk"]


def _distinct_identifiers(a, b):
    """Return True if two references carry different DOIs or different PMIDs."""
    return (a["doi"] and b["doi"] and a["doi"] != b["doi"]) or (
        a["pmid"] and b["pmid"] and a["pmid"] != b["pmid"]
    )


def _join_similar_titles(groups, rows):
    for order in (lambda r: r["title"], lambda r: r["title"][::-1]):
        ranked = sorted((r for r in rows if r["title"]), key=order)
        for index, row in enumerate(ranked):
            for other in ranked[index + 1 : index + 1 + WINDOW]:
                if _distinct_identifiers(row, other):
                    continue  # an erratum or another edition: not the same work
                if similar_titles(row["title"], other["title"]):
                    groups.join(row["pk"], other["pk"], TITLE)


def find_duplicates(queryset=None):
    """Return the groups of duplicate references, as ``DuplicateGroup`` (ids only).

    One query, whatever the number of references.
    """
    queryset = Reference.objects.all() if queryset is None else queryset
    return group_duplicates(
        queryset.values_list("pk", "doi", "pmid", "title").iterator(chunk_size=2000)
    )


def group_duplicates(references):
    """Return the groups of duplicates among (id, doi, pmid, title) tuples."""
    rows = [
        {
            "pk": pk,
            "doi": normalise_doi(doi),
            "pmid": normalise_pmid(pmid),
            "title": normalise_title(title),
        }
        for pk, doi, pmid, title in references
    ]
    groups = _Groups()
    _join_equal(groups, rows, lambda r: r["doi"], DOI)
    _join_equal(groups, rows, lambda r: r["pmid"], PMID)
    _join_similar_titles(groups, rows)
    return sorted(groups.groups(), key=lambda group: group.ids)


def load_references(groups):
    """Fill each group's ``references`` (with citation counts) in one query."""
    from .usage import with_citation_counts

    ids = [pk for group in groups for pk in group.ids]
    found = with_citation_counts(Reference.objects.filter(pk__in=ids)).in_bulk()
    for group in groups:
        group.references = [found[pk] for pk in group.ids if pk in found]
    return groups
