"""Publication checks: what must be true of a revision before it is approved.

Each check reads one revision (``RevisionContent``, never the working copy)
and returns its reasons: ``Reason(check, language, params)``, made into a
sentence in the reader's language by ``describe``. ``check_revision`` runs
the registry; ``enforce`` refuses an approval with the whole list;
``refresh`` stores what the live and pending revisions of articles fail
(``PublicationCheckResult``) for the editors' list and the daily run.

A medical approval publishes the source language: every approval check
runs on it, with the source language's texts. A translation approval
publishes one language's texts: only the checks of texts in that language
(alternative text, links) run, in that language.
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .. import languages as site_languages
from ..fields import hrefs
from ..models import (
    Condition,
    ConditionReference,
    Contributor,
    Image,
    Publication,
    PublicationCheckResult,
    Reference,
    ReviewRequest,
    Section,
)
from ..versioning import RevisionContent
from .transitions import TransitionError


@dataclass(frozen=True)
class Reason:
    """Why a revision fails one check, in data: made into text by `describe`."""

    check: str
    language: str = ""
    params: tuple = ()

    def as_dict(self):
        return {"check": self.check, "language": self.language, "params": self.params}

    @classmethod
    def from_dict(cls, data):
        params = tuple(tuple(pair) for pair in data.get("params", ()))
        return cls(data["check"], data.get("language", ""), params)

    def __str__(self):
        return describe(self)


@dataclass
class Candidate:
    """A revision of an article as it would be (or is) published."""

    content: RevisionContent
    condition_id: int
    languages: list
    #: The source language's checks run (a medical approval or publication).
    source: bool = True
    #: The approving reviewer's credentials; None when not known yet.
    reviewer_credentials: str | None = None
    next_review_on: datetime.date | None = None
    today: datetime.date = field(default_factory=lambda: timezone.localdate())

    def children(self, model):
        return self.content.children(model, self.condition_id)

    @property
    def condition(self):
        return self.content.condition(self.condition_id)


@dataclass(frozen=True)
class Check:
    function: object
    message: object
    #: Runs when a change is approved (else only in the daily run and list).
    approval: bool = True
    #: Concerns the texts of one language: runs for a translation too.
    per_language: bool = False
    #: Its result changes with the date alone: re-run every day.
    daily: bool = False


def _image_label(image):
    source = settings.SOURCE_LANGUAGE
    for name in ("alt_text", "caption"):
        text = getattr(image, f"{name}_{source}", "") or ""
        if text:
            return text
    return image.credit or str(image.file)


def _images(candidate):
    return enumerate(candidate.children(Image), start=1)


def alt_text(candidate):
    """Images without alternative text in a language being published."""
    for language in candidate.languages:
        for number, image in _images(candidate):
            if not (getattr(image, f"alt_text_{language}", "") or "").strip():
                params = (("number", number), ("image", _image_label(image)))
                yield Reason("alt_text", language, params)


def licence_expired(candidate):
    """Images whose licence has expired."""
    for number, image in _images(candidate):
        expires = image.licence_expires
        if expires and expires < candidate.today:
            params = (
                ("number", number),
                ("image", _image_label(image)),
                ("date", expires.isoformat()),
            )
            yield Reason("licence_expired", "", params)


def licence_expires_before_review(candidate):
    """Images whose licence runs out before the article's next review."""
    review = candidate.next_review_on
    for number, image in _images(candidate):
        expires = image.licence_expires
        if expires and review and candidate.today <= expires < review:
            params = (
                ("number", number),
                ("image", _image_label(image)),
                ("date", expires.isoformat()),
                ("review", review.isoformat()),
            )
            yield Reason("licence_expires_before_review", "", params)


def references(candidate):
    """An article that cites no references."""
    if not candidate.children(ConditionReference):
        yield Reason("references")


def reference_identifiers(candidate):
    """Cited references with none of DOI, PMID or URL."""
    cited = candidate.content.objects[Reference]
    for number, citation in enumerate(candidate.children(ConditionReference), 1):
        reference = cited.get(citation.reference_id)
        if reference is None:
            continue
        if not (reference.doi or reference.pmid or reference.url):
            params = (("number", number), ("reference", reference.title))
            yield Reason("reference_identifiers", "", params)


def reviewer_credentials(candidate):
    """An approving reviewer without credentials."""
    if candidate.reviewer_credentials is not None and not (
        candidate.reviewer_credentials.strip()
    ):
        yield Reason("reviewer_credentials")


def linked_articles(html):
    """Return the (language, slug) of each article page that html links to."""
    site = urlsplit(settings.SITE_URL)
    found = []
    for href in filter(None, hrefs(html)):
        address = urlsplit(href.strip())
        if address.netloc and (address.scheme, address.netloc) != (
            site.scheme,
            site.netloc,
        ):
            continue
        if address.scheme not in ("", "http", "https"):
            continue
        path = address.path
        language = path.strip("/").split("/", 1)[0]
        if language not in site_languages.codes():
            continue
        with translation.override(language):
            try:
                match = resolve(path)
            except Resolver404:
                continue
        if match.view_name == "library:article":
            found.append((href, language, match.kwargs["slug"]))
    return found


def _links(candidate):
    """Return [(language of the text, href, language, slug)] in the revision."""
    found = []
    for language in candidate.languages:
        for section in candidate.children(Section):
            body = getattr(section, f"body_{language}", "") or ""
            for href, target, slug in linked_articles(body):
                found.append((language, href, target, slug))
    return found


def article_links(candidate, published=None):
    """Links in a language's text to an article that is not published."""
    links = _links(candidate)
    if not links:
        return
    if published is None:
        published = _published_slugs({(t, s) for _l, _h, t, s in links})
    own = candidate.condition
    for language, href, target, slug in links:
        if (target, slug) in published:
            continue
        if own is not None and getattr(own, f"slug_{target}", None) == slug:
            continue  # a link to itself: published with it
        yield Reason("article_links", language, (("address", href),))


def _published_slugs(pairs):
    """Return the (language, slug) pairs among these that are live."""
    if not pairs:
        return set()
    rows = Publication.objects.current().filter(
        slug__in={slug for _language, slug in pairs},
        language__in={language for language, _slug in pairs},
    )
    return set(rows.values_list("language", "slug")) & set(pairs)


def required_sections(candidate):
    """Section kinds that settings require and the article lacks."""
    kinds = {section.kind for section in candidate.children(Section)}
    for kind in settings.PUBLICATION_REQUIRED_SECTIONS:
        if kind not in kinds:
            yield Reason("required_sections", "", (("kind", kind),))


def review_overdue(candidate):
    """A published article whose next review date has passed."""
    review = candidate.next_review_on
    if review and review < candidate.today:
        yield Reason("review_overdue", "", (("date", review.isoformat()),))


#: Every check by name, in the order reasons are listed.
CHECKS = {
    "alt_text": Check(
        alt_text,
        _("Image %(number)s (“%(image)s”) has no alternative text in %(language)s."),
        per_language=True,
    ),
    "licence_expired": Check(
        licence_expired,
        _("The licence of image %(number)s (“%(image)s”) expired on %(date)s."),
        daily=True,
    ),
    "licence_expires_before_review": Check(
        licence_expires_before_review,
        _(
            "The licence of image %(number)s (“%(image)s”) expires on %(date)s, "
            "before the next review on %(review)s."
        ),
        daily=True,
    ),
    "references": Check(references, _("The article cites no references.")),
    "reference_identifiers": Check(
        reference_identifiers,
        _("Reference %(number)s (“%(reference)s”) has no DOI, PMID or URL."),
    ),
    "reviewer_credentials": Check(
        reviewer_credentials,
        _("The approving reviewer has no credentials to show on the page."),
    ),
    "article_links": Check(
        article_links,
        _(
            "The %(language)s text links to %(address)s, which is not a "
            "published article."
        ),
        per_language=True,
    ),
    "required_sections": Check(
        required_sections,
        _("The article has no “%(kind)s” section, which every article needs."),
    ),
    "review_overdue": Check(
        review_overdue,
        _("The medical review was due on %(date)s."),
        approval=False,
        daily=True,
    ),
}


def enabled():
    """Return the names of the checks switched on in settings."""
    chosen = getattr(settings, "PUBLICATION_CHECKS", None)
    if chosen is None:
        return list(CHECKS)
    unknown = set(chosen) - set(CHECKS)
    if unknown:
        raise ValueError(f"Unknown publication checks: {', '.join(sorted(unknown))}")
    return [name for name in CHECKS if name in chosen]


def describe(reason):
    """Return the reason as a sentence in the active language."""
    params = dict(reason.params)
    for key in ("date", "review"):
        if key in params:
            day = datetime.date.fromisoformat(params[key])
            params[key] = date_format(day, "DATE_FORMAT")
    if "kind" in params:
        kind = params["kind"]
        params["kind"] = (
            Section.Kind(kind).label if kind in Section.Kind.values else kind
        )
    if reason.language:
        params["language"] = site_languages.name(reason.language)
    return str(CHECKS[reason.check].message) % params


def check_revision(candidate, *, names=None, approval=True, published=None):
    """Return the reasons the candidate fails the enabled checks (a list)."""
    reasons = []
    for name in enabled() if names is None else names:
        check = CHECKS[name]
        if approval and not check.approval:
            continue
        if not candidate.source and not check.per_language:
            continue
        if name == "article_links":
            found = check.function(candidate, published)
        else:
            found = check.function(candidate)
        reasons.extend(found)
    return reasons


class PublicationCheckError(TransitionError):
    """The revision fails publication checks: ``reasons`` lists every one."""

    def __init__(self, reasons):
        self.reasons = list(reasons)
        super().__init__(
            "\n".join(
                [str(_("This revision cannot be approved yet:"))]
                + [f"- {reason}" for reason in self.reasons]
            )
        )

    def as_html(self):
        """Return the message as a heading and a list, one reason per line."""
        return format_html(
            '{}<ul class="check-reasons">{}</ul>',
            _("This revision cannot be approved yet:"),
            format_html_join("", "<li>{}</li>", ((str(r),) for r in self.reasons)),
        )


def candidate_for(request, *, reviewer=None, next_review_on=None):
    """Return the Candidate of a review request's revision.

    ``reviewer`` is the user approving it; for an approval already decided
    (scheduled) the credentials it recorded are used.
    """
    credentials = None
    if reviewer is not None:
        credentials = (
            Contributor.objects.filter(user=reviewer)
            .values_list("credentials", flat=True)
            .first()
        ) or ""
    elif request.state == ReviewRequest.State.APPROVED:
        credentials = request.reviewer_credentials
    content = RevisionContent(request.revision)
    source = not request.is_translation
    if source and next_review_on is None:
        next_review_on = request.next_review_on or _default_next_review(
            content, request.condition_id
        )
    return Candidate(
        content=content,
        condition_id=request.condition_id,
        languages=[request.language],
        source=source,
        reviewer_credentials=credentials if source else None,
        next_review_on=next_review_on if source else None,
    )


def _default_next_review(content, condition_id):
    condition = content.condition(condition_id)
    days = getattr(condition, "review_interval_days", None) or (
        settings.REVIEW_INTERVAL_DAYS
    )
    return timezone.localdate() + datetime.timedelta(days=days)


def reasons_for(request, *, reviewer, next_review_on=None):
    """Return why approving this request now would be refused by the checks."""
    if not enabled():
        return []  # nothing to read
    candidate = candidate_for(request, reviewer=reviewer, next_review_on=next_review_on)
    return check_revision(candidate)


def enforce(request, *, reviewer, next_review_on=None):
    """Refuse (PublicationCheckError) an approval whose revision fails a check."""
    reasons = reasons_for(request, reviewer=reviewer, next_review_on=next_review_on)
    if reasons:
        raise PublicationCheckError(reasons)


# -- Stored results: the editors' list and the daily run ---------------------


def _subjects(condition_ids):
    """Yield (condition id, revision id, Candidate fields) of what to check.

    The live publication of each language and the pending or scheduled
    request of each language.
    """
    source = settings.SOURCE_LANGUAGE
    live = Publication.objects.current().filter(condition_id__in=condition_ids)
    for row in live.values(
        "condition_id",
        "language",
        "revision_id",
        "reviewer_credentials",
        "next_review_on",
    ):
        is_source = row["language"] == source
        yield (
            row["condition_id"],
            row["revision_id"],
            {
                "languages": [row["language"]],
                "source": is_source,
                "reviewer_credentials": row["reviewer_credentials"]
                if is_source
                else None,
                "next_review_on": row["next_review_on"] if is_source else None,
            },
            True,
        )
    waiting = ReviewRequest.objects.filter(
        condition_id__in=condition_ids,
        state__in=[ReviewRequest.State.PENDING, ReviewRequest.State.APPROVED],
    )
    for row in waiting.values(
        "condition_id",
        "language",
        "revision_id",
        "state",
        "reviewer_credentials",
        "next_review_on",
    ):
        is_source = row["language"] == source
        decided = row["state"] == ReviewRequest.State.APPROVED
        yield (
            row["condition_id"],
            row["revision_id"],
            {
                "languages": [row["language"]],
                "source": is_source,
                "reviewer_credentials": row["reviewer_credentials"]
                if is_source and decided
                else None,
                "next_review_on": row["next_review_on"] if is_source else None,
            },
            False,
        )


def evaluate(condition_ids, *, today=None):
    """Return {condition id: [Reason…]} for the live and waiting revisions."""
    today = today or timezone.localdate()
    subjects = list(_subjects(condition_ids))
    contents = RevisionContent.many({revision for _c, revision, _f, _l in subjects})
    candidates = []
    for condition_id, revision_id, fields, is_live in subjects:
        candidate = Candidate(
            content=contents[revision_id],
            condition_id=condition_id,
            today=today,
            **fields,
        )
        if not is_live and candidate.source and candidate.next_review_on is None:
            candidate.next_review_on = _default_next_review(
                candidate.content, condition_id
            )
        candidates.append((candidate, is_live))
    targets = {
        (target, slug)
        for candidate, _live in candidates
        for _language, _href, target, slug in _links(candidate)
    }
    published = _published_slugs(targets)
    results = {pk: [] for pk in condition_ids}
    for candidate, is_live in candidates:
        reasons = check_revision(candidate, approval=not is_live, published=published)
        for reason in reasons:
            if reason not in results[candidate.condition_id]:
                results[candidate.condition_id].append(reason)
    return results


def refresh(condition_ids, *, today=None):
    """Store what each article fails now; forget the articles that pass.

    Returns {condition id: [Reason…]} of the failing ones.
    """
    condition_ids = list(condition_ids)
    results = evaluate(condition_ids, today=today)
    failing = {pk: reasons for pk, reasons in results.items() if reasons}
    now = timezone.now()
    PublicationCheckResult.objects.filter(condition_id__in=condition_ids).exclude(
        condition_id__in=list(failing)
    ).delete()
    existing = set(
        PublicationCheckResult.objects.filter(
            condition_id__in=list(failing)
        ).values_list("condition_id", flat=True)
    )
    rows = [
        PublicationCheckResult(
            condition_id=pk,
            reasons=[reason.as_dict() for reason in reasons],
            checked_at=now,
        )
        for pk, reasons in failing.items()
    ]
    PublicationCheckResult.objects.bulk_create(
        [row for row in rows if row.condition_id not in existing]
    )
    PublicationCheckResult.objects.bulk_update(
        [row for row in rows if row.condition_id in existing],
        ["reasons", "checked_at"],
    )
    return failing


def refresh_condition(sender=None, *, condition_id, **kwargs):
    """Refresh one article's stored result (a receiver of publication_changed)."""
    refresh([condition_id])


def failing():
    """Return the stored results of articles in review, scheduled or published."""
    return (
        PublicationCheckResult.objects.filter(
            condition__status__in=[
                Condition.Status.IN_REVIEW,
                Condition.Status.SCHEDULED,
                Condition.Status.PUBLISHED,
            ]
        )
        .select_related("condition")
        .order_by("condition_id")
    )


def reasons_of(result):
    """Return the Reasons stored in a PublicationCheckResult."""
    return [Reason.from_dict(data) for data in result.reasons]
