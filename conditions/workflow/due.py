"""Articles due for medical review: the dashboard's groups and the digest.

What is due is read from the live source-language publications (their
``next_review_on`` is what readers see as "Next review due"). The people
responsible for an article are its last approving medical reviewer (of an
approval or a re-confirmation) and its authors who have an account.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ..models import ConditionContributor, Publication, ReviewRequest
from .notifications import send_logged

#: key -> (label, first day after today, last day after today); None: open.
GROUPS = {
    "overdue": (gettext_lazy("Overdue"), None, -1),
    "within_30": (gettext_lazy("Due within 30 days"), 0, 30),
    "within_90": (gettext_lazy("Due within 90 days"), 31, 90),
}


def window(key, today):
    """Return the filter of a group's next-review dates, seen from `today`."""
    _label, first, last = GROUPS[key]
    bounds = {"next_review_on__lte": today + timedelta(days=last)}
    if first is not None:
        bounds["next_review_on__gte"] = today + timedelta(days=first)
    return Q(**bounds)


def due_for_review(key=None, *, today=None):
    """Return the live source publications due in a group (all three if None).

    Soonest (most overdue) first, each annotated with ``reviewer_id``: the
    account of the last medical reviewer who approved or re-confirmed it.
    """
    today = today or timezone.localdate()
    dates = (
        window(key, today)
        if key
        else Q(next_review_on__lte=today + timedelta(days=GROUPS["within_90"][2]))
    )
    last_decision = ReviewRequest.objects.filter(
        condition_id=OuterRef("condition_id"),
        language=settings.SOURCE_LANGUAGE,
        state=ReviewRequest.State.PUBLISHED,
    ).order_by("-decided_at", "-pk")
    return (
        Publication.objects.current()
        .in_language(settings.SOURCE_LANGUAGE)
        .filter(dates)
        .annotate(reviewer_id=Subquery(last_decision.values("decided_by_id")[:1]))
        .order_by("next_review_on", "title", "pk")
    )


@dataclass
class Due:
    """One article due for review, with the people responsible for it."""

    publication: Publication
    group: str
    reviewer: object = None
    authors: list = field(default_factory=list)

    @property
    def admin_url(self):
        return reverse(
            "admin:conditions_condition_change",
            args=[self.publication.condition_id],
        )

    @property
    def responsible(self):
        """Return the accounts responsible: the reviewer, then the authors."""
        people = [self.reviewer] if self.reviewer else []
        return people + [a for a in self.authors if a not in people]


def group_of(next_review_on, today):
    """Return the group key of a next-review date (None: not due yet)."""
    for key, (_label, first, last) in GROUPS.items():
        days = (next_review_on - today).days
        if (first is None or days >= first) and days <= last:
            return key
    return None


def with_people(publications, *, today=None):
    """Return Due rows for publications: two queries for the people, in all.

    Only active accounts count: a reviewer who left is no one's contact.
    """
    today = today or timezone.localdate()
    publications = list(publications)
    ids = {p.reviewer_id for p in publications if p.reviewer_id}
    users = get_user_model().objects.filter(is_active=True).in_bulk(ids)
    authors = {}
    for link in (
        ConditionContributor.objects.filter(
            condition_id__in=[p.condition_id for p in publications],
            role=ConditionContributor.Role.AUTHOR,
            contributor__user__is_active=True,
        )
        .select_related("contributor__user")
        .order_by("position", "pk")
    ):
        authors.setdefault(link.condition_id, []).append(link.contributor.user)
    return [
        Due(
            publication=p,
            group=group_of(p.next_review_on, today),
            reviewer=users.get(p.reviewer_id),
            authors=authors.get(p.condition_id, []),
        )
        for p in publications
    ]


def digests(*, today=None, chunk=500):
    """Return {user: [Due, …]}: each responsible person's articles due.

    Reads the due publications in chunks (a fixed number of queries per
    chunk), so a large library is not held in one list of rows twice.
    """
    today = today or timezone.localdate()
    by_person = {}
    queryset = due_for_review(today=today)
    ids = list(queryset.values_list("pk", flat=True))
    for start in range(0, len(ids), chunk):
        rows = queryset.filter(pk__in=ids[start : start + chunk])
        for due in with_people(rows, today=today):
            for person in due.responsible:
                by_person.setdefault(person, []).append(due)
    return by_person


def digest_mail(person, dues):
    """Return (subject, body) of a person's weekly list of articles due."""
    subject = ngettext(
        "%(count)s article due for medical review",
        "%(count)s articles due for medical review",
        len(dues),
    ) % {"count": len(dues)}
    lines = [
        _(
            "These articles you reviewed or wrote are due for medical review. "
            "Review each one: submit a change, or re-confirm it unchanged "
            "(“Reviewed, no changes”) on its page."
        )
    ]
    site = settings.SITE_URL.rstrip("/")
    for key, (label, _first, _last) in GROUPS.items():
        group = [due for due in dues if due.group == key]
        if not group:
            continue
        lines += ["", f"{label} ({len(group)})"]
        for due in group:
            lines.append(
                _("- %(title)s: next review due %(date)s")
                % {
                    "title": due.publication.title,
                    "date": due.publication.next_review_on.isoformat(),
                }
            )
            lines.append(f"  {site}{due.admin_url}")
    lines += ["", _("All articles due: %(url)s") % {"url": site + dashboard_url()}]
    return subject, "\n".join(lines)


def dashboard_url():
    return reverse("admin:conditions_condition_due_for_review")


def send_digest(person, dues):
    """Mail a person their articles due; return False if the mail failed."""
    subject, body = digest_mail(person, dues)
    return send_logged(subject, body, [person.email], about=dashboard_url())
