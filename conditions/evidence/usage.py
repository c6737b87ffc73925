"""Where a reference is used: the articles that cite it."""

from django.db.models import Count, Prefetch

from ..models import ConditionReference, Reference


def with_citation_counts(queryset=None):
    """Return references annotated with ``citation_count`` (in the same query)."""
    queryset = Reference.objects.all() if queryset is None else queryset
    return queryset.annotate(citation_count=Count("citations", distinct=True))


def citations_of(reference):
    """Return the citations of a reference with their articles, by title."""
    return (
        ConditionReference.objects.filter(reference=reference)
        .select_related("condition")
        .order_by("condition_id")
    )


def with_citing_articles(queryset):
    """Prefetch each reference's citations and their articles (one more query)."""
    return queryset.prefetch_related(
        Prefetch(
            "citations",
            queryset=ConditionReference.objects.select_related("condition").order_by(
                "condition_id"
            ),
        )
    )
