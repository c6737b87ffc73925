"""Generate a library of realistic articles through the real editorial workflow.

Each article is built from a real page of the vendored extract (MedQuAD and
MedlinePlus, see README.md), written into the working copy, saved as a
revision by the author account, submitted, approved by a medical reviewer
(another account, signing with a contributor profile), then translated,
submitted and approved per language: exactly what the admin does, through
the same functions. Only the creation of the working-copy rows is batched
(bulk inserts, one transaction per batch of articles).

The translated text is real Spanish health text (MedlinePlus summaries in
Spanish) but it is NOT a translation of the article it is attached to: it
is there to try the site at scale only.
"""

import datetime
import random
import time
from collections import Counter, defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db import transaction

# ---- The app's entry points, all imported here and nowhere else: update this
# block if they move. Used: workflow.submit, approve, request_changes,
# submit_translation, note_edit (what an admin save calls after an edit: a
# published article becomes a draft again); translations.units and
# save_translation; save_revision; loader.load_accounts; the models.
from conditions import translations, workflow
from conditions.demo import loader
from conditions.models import (
    Category,
    Condition,
    ConditionContributor,
    ConditionReference,
    Contributor,
    Image,
    Publication,
    Reference,
    ReviewRequest,
    Section,
)
from conditions.translations import progress as translation_progress
from conditions.versioning import save_revision

# ---- end of the app's entry points.
from . import illustrations, vocabulary
from .planning import (
    CHANGES_REQUESTED,
    DEFAULT_MIX,
    DRAFT,
    EDITED,
    KEYWORDS,
    KIND_LABELS,
    OUTDATED_TRANSLATION,
    PENDING_REVIEW,
    PENDING_TRANSLATION,
    PUBLISHED,
    RELATED_PER_ARTICLE,
    RELATED_POOL,
    GenerationError,
    Names,
    Plan,
    load_data,
    plain,
    plan_kinds,
    revised_summary,
)

__all__ = [
    "CHANGES_REQUESTED",
    "DEFAULT_MIX",
    "DRAFT",
    "EDITED",
    "KIND_LABELS",
    "OUTDATED_TRANSLATION",
    "PENDING_REVIEW",
    "PENDING_TRANSLATION",
    "PUBLISHED",
    "GenerationError",
    "Generator",
    "summary",
]


class Generator:
    def __init__(self, *, seed=1, mix=None, batch_size=50, data=None):
        self.rng = random.Random(seed)
        self.mix = dict(DEFAULT_MIX if mix is None else mix)
        self.batch_size = batch_size
        self.data = data or load_data()
        self.source = settings.SOURCE_LANGUAGE
        self.pools = {"es": self.data["spanish"]}
        self.languages = []
        self.skipped_languages = []
        for language, _name in settings.LANGUAGES:
            if language == self.source:
                continue
            if language in self.pools:
                self.languages.append(language)
            else:
                self.skipped_languages.append(language)
        self._scores = {}
        self.timings = Counter()

    # -- Set-up: accounts, people, categories, references, files -------------

    def prepare(self):
        if self.source != "en":
            raise GenerationError(
                "The generated articles are in English: the source language "
                f"must be en (settings.SOURCE_LANGUAGE is {self.source!r})."
            )
        loader.load_accounts()
        User = get_user_model()
        users = {u.username: u for u in User.objects.all()}
        needed = ["author", *vocabulary.REVIEWER_PROFILES]
        for language in self.languages:
            needed += [f"translator_{language}", f"translation_reviewer_{language}"]
        missing = [name for name in needed if name not in users]
        if missing:
            raise GenerationError(f"Missing accounts: {', '.join(missing)}.")
        self.author = users["author"]
        self.reviewers = {}
        for username, (name, credentials) in vocabulary.REVIEWER_PROFILES.items():
            # Approval is refused without a profile with credentials: link
            # the demo's (as load_demo does), or create it.
            user = users[username]
            profile = Contributor.objects.filter(user=user).first()
            if profile is None:
                profile = Contributor.objects.filter(name=name, user=None).first()
                profile = profile or Contributor(name=name, credentials=credentials)
                profile.user = user
                profile.credentials = profile.credentials or credentials
                profile.save()
            elif not profile.credentials:
                raise GenerationError(
                    f"The contributor profile of {username!r} has no credentials: "
                    "add them (Contributors) so that approvals can be signed."
                )
            self.reviewers[username] = user
        self.translators = {
            language: users[f"translator_{language}"] for language in self.languages
        }
        self.translation_reviewers = {
            language: users[f"translation_reviewer_{language}"]
            for language in self.languages
        }
        self.people = {
            "author": [self._person(*p) for p in vocabulary.AUTHORS],
            "illustrator": [self._person(*p) for p in vocabulary.ILLUSTRATORS],
        }
        self.categories = {}
        for key, row in vocabulary.CATEGORIES.items():
            category = Category.objects.filter(
                **{f"slug_{self.source}": row["slug"][self.source]}
            ).first()
            if category is None:
                category = Category(kind=row["kind"])
                for language, _name in settings.LANGUAGES:
                    setattr(category, f"name_{language}", row["name"].get(language, ""))
                    setattr(category, f"slug_{language}", row["slug"].get(language, ""))
                category.save()
            self.categories[key] = category
        self.shared_references = {
            key: self._reference(**row)
            for key, row in vocabulary.SHARED_REFERENCES.items()
        }
        self.page_references = {}
        self.files = illustrations.ensure_files(default_storage)
        self.names = {
            language: Names(language) for language in [self.source, *self.languages]
        }
        self.related_pool = defaultdict(list)
        through = Condition.categories.through
        for condition_id, category_id in (
            through.objects.filter(
                category_id__in=[c.pk for c in self.categories.values()]
            )
            .order_by("-condition_id")
            .values_list("condition_id", "category_id")[: RELATED_POOL * 30]
        ):
            pool = self.related_pool[category_id]
            if len(pool) < RELATED_POOL:
                pool.append(condition_id)

    def _person(self, name, credentials):
        person = Contributor.objects.filter(name=name).first()
        if person is None:
            person = Contributor.objects.create(name=name, credentials=credentials)
        return person

    def _reference(self, *, title, container, url, **fields):
        # Matched as the demo loader matches them: title, container, URL.
        reference = Reference.objects.filter(
            title=title, container=container, url=url
        ).first()
        if reference is None:
            reference = Reference(title=title, container=container, url=url, **fields)
            if url and not reference.accessed:
                reference.accessed = datetime.date.today()
            reference.full_clean()
            reference.save()
        return reference

    def _page_reference(self, page):
        key = page["url"]
        if key not in self.page_references:
            self.page_references[key] = self._reference(
                title=page["name"],
                container=vocabulary.SOURCE_SITES[page["source"]],
                url=page["url"],
            )
        return self.page_references[key]

    # -- Planning ------------------------------------------------------------

    def _categories_for(self, index):
        """Return the category keys of a page: body systems and specialties."""
        if index in self._scores:
            return self._scores[index]
        page = self.data["pages"][index]
        title = page["name"].lower()
        text = " ".join(
            [page["summary"], *(plain(s[2]) for s in page["sections"][:2])]
        ).lower()[:4000]
        scores = {
            key: 5 * len(pattern.findall(title)) + len(pattern.findall(text))
            for key, pattern in KEYWORDS.items()
        }
        systems = sorted(
            (k for k, r in vocabulary.CATEGORIES.items() if r["kind"] == "body_system"),
            key=lambda k: -scores[k],
        )
        best = systems[0] if scores[systems[0]] >= 2 else "whole-body"
        chosen = [best]
        second = systems[1]
        if best != "whole-body" and scores[second] >= max(3, scores[best] / 2):
            chosen.append(second)
        specialties = {
            vocabulary.CATEGORIES[k]["specialty"]
            for k in chosen
            if vocabulary.CATEGORIES[k]["specialty"]
        }
        if page["source"] in vocabulary.SOURCE_SPECIALTY:
            specialties.add(vocabulary.SOURCE_SPECIALTY[page["source"]])
        for key in ("infectious-diseases", "sleep-medicine", "oncology"):
            if scores[key] >= 3:
                specialties.add(key)
        chosen += sorted(specialties)
        self._scores[index] = chosen
        return chosen

    def _illustration_for(self, page, categories):
        for key in categories:
            if key in vocabulary.ILLUSTRATION_FOR_CATEGORY:
                return vocabulary.ILLUSTRATION_FOR_CATEGORY[key]
        return vocabulary.ILLUSTRATION_FOR_SOURCE.get(page["source"], "body")

    def plan(self, count):
        """Decide every article (page, names, people, kind) before writing."""
        pages = self.data["pages"]
        order = list(range(len(pages)))
        self.rng.shuffle(order)
        kinds = plan_kinds(count, self.mix, self.rng)
        reviewers = sorted(self.reviewers)
        plans = []
        for number, kind in enumerate(kinds):
            index = order[number % len(order)]
            page = pages[index]
            title, slug = self.names[self.source].take(page["name"])
            categories = self._categories_for(index)
            reviewer = self.rng.choice(reviewers)
            plan = Plan(
                kind=kind,
                page=page,
                title=title,
                slug=slug,
                categories=categories,
                illustration=self._illustration_for(page, categories),
                author=self.rng.randrange(len(self.people["author"])),
                illustrator=self.rng.randrange(len(self.people["illustrator"])),
                reviewer=reviewer,
                second_reviewer=next(r for r in reviewers if r != reviewer)
                if len(reviewers) > 1
                else reviewer,
                note=self.rng.choice(vocabulary.SUBMIT_NOTES),
                change_request=self.rng.choice(vocabulary.CHANGE_REQUESTS),
            )
            for language in self.languages:
                plan.targets[language] = self._target(language, page)
            plans.append(plan)
        return plans

    def _target(self, language, page):
        """Return the sample text that fills every unit in `language`.

        Real text in that language (MedlinePlus summaries), but about another
        topic: not a translation of the page.
        """
        pool = self.pools[language]
        first = self.rng.randrange(len(pool))
        sample = pool[first]
        title, slug = self.names[language].take(sample["title"])
        wanted = len(page["sections"])
        # A list stays with the paragraph that introduces it.
        chunks = []
        offset = 0
        while len(chunks) < wanted:
            for block in pool[(first + offset) % len(pool)]["blocks"]:
                if block.startswith("<ul>") and chunks:
                    chunks[-1] += block
                else:
                    chunks.append(block)
            offset += 1
        bodies, start = [], 0
        for position in range(wanted):
            size = len(chunks) // wanted + (1 if position < len(chunks) % wanted else 0)
            bodies.append("".join(chunks[start : start + size]))
            start += size
        return {
            "title": title,
            "slug": slug,
            "also_called": "\n".join(sample["also_called"]),
            "summary": sample["summary"],
            "bodies": bodies,
        }

    # -- Writing -------------------------------------------------------------

    def run(self, count, progress=None):
        """Generate `count` articles; return the plans, in creation order."""
        started = time.perf_counter()
        self.prepare()
        plans = self.plan(count)
        self.timings["prepare"] += time.perf_counter() - started
        for start in range(0, len(plans), self.batch_size):
            batch = plans[start : start + self.batch_size]
            # One transaction per batch; translation progress refreshed once
            # per batch, for all its articles together, at its end.
            with transaction.atomic(), translation_progress.batch():
                tick = time.perf_counter()
                self._create_working_copies(batch)
                self.timings["working copies"] += time.perf_counter() - tick
                for plan in batch:
                    self._workflow(plan)
                    if progress is not None:
                        progress.update(1)
            for plan in batch:  # keep memory flat over 10,000 articles
                plan.sections, plan.image, plan.targets = [], None, {}
        return plans

    def _create_working_copies(self, batch):
        source = self.source
        conditions = []
        for plan in batch:
            page = plan.page
            plan.condition = Condition(
                mesh_id=page.get("mesh", ""),
                **{
                    f"title_{source}": plan.title,
                    f"slug_{source}": plan.slug,
                    f"also_called_{source}": "\n".join(page["also_called"]),
                    f"summary_{source}": page["summary"],
                },
            )
            conditions.append(plan.condition)
        Condition.objects.bulk_create(conditions)

        sections, images, citations, credits, tags, links = [], [], [], [], [], []
        categories = self.categories
        for plan in batch:
            condition = plan.condition
            for position, (kind, heading, body) in enumerate(
                plan.page["sections"], start=1
            ):
                section = Section(
                    condition=condition,
                    kind=kind,
                    position=position,
                    **{f"heading_{source}": heading, f"body_{source}": body},
                )
                plan.sections.append(section)
                sections.append(section)
            texts = vocabulary.ILLUSTRATIONS[plan.illustration]
            plan.image = Image(
                condition=condition,
                section_kind=plan.page["sections"][0][0],
                file=self.files[plan.illustration],
                credit=vocabulary.ILLUSTRATION_CREDIT,
                licence=vocabulary.ILLUSTRATION_LICENCE,
                position=1,
                **{
                    f"alt_text_{source}": texts["alt"][source],
                    f"caption_{source}": texts["caption"][source],
                },
            )
            images.append(plan.image)
            references = [self._page_reference(plan.page)] + [
                self.shared_references[key]
                for key in vocabulary.SOURCE_REFERENCES[plan.page["source"]]
            ]
            for position, reference in enumerate(references, start=1):
                citations.append(
                    ConditionReference(
                        condition=condition, reference=reference, position=position
                    )
                )
            credits += [
                ConditionContributor(
                    condition=condition,
                    contributor=self.people["author"][plan.author],
                    role=ConditionContributor.Role.AUTHOR,
                    position=1,
                ),
                ConditionContributor(
                    condition=condition,
                    contributor=self.people["illustrator"][plan.illustrator],
                    role=ConditionContributor.Role.ILLUSTRATOR,
                    position=2,
                ),
            ]
            category_ids = [categories[key].pk for key in plan.categories]
            tags += [
                Condition.categories.through(
                    condition_id=condition.pk, category_id=category_id
                )
                for category_id in category_ids
            ]
            # Related: recent articles of the same body system.
            pool = self.related_pool[category_ids[0]]
            for other in self.rng.sample(pool, min(RELATED_PER_ARTICLE, len(pool))):
                links.append(
                    Condition.related.through(
                        from_condition_id=condition.pk, to_condition_id=other
                    )
                )
            for category_id in category_ids:
                pool = self.related_pool[category_id]
                pool.insert(0, condition.pk)
                del pool[RELATED_POOL:]
        Section.objects.bulk_create(sections)
        Image.objects.bulk_create(images)
        ConditionReference.objects.bulk_create(citations)
        ConditionContributor.objects.bulk_create(credits)
        Condition.categories.through.objects.bulk_create(tags)
        Condition.related.through.objects.bulk_create(links)

    def _timed(self, name, function, *args, **kwargs):
        tick = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            self.timings[name] += time.perf_counter() - tick

    def _workflow(self, plan):
        """Take one article through the workflow as far as its kind goes."""
        condition = plan.condition
        timed = self._timed
        timed(
            "save_revision",
            save_revision,
            condition,
            user=self.author,
            comment=f"New article from {plan.page['url']}",
        )
        if plan.kind == DRAFT:
            return
        request = timed(
            "submit", workflow.submit, condition, user=self.author, note=plan.note
        )
        if plan.kind == PENDING_REVIEW:
            return
        reviewer = self.reviewers[plan.reviewer]
        if plan.kind == CHANGES_REQUESTED:
            timed(
                "request_changes",
                workflow.request_changes,
                request,
                user=reviewer,
                comment_text=plan.change_request,
            )
            return
        timed("approve", workflow.approve, request, user=reviewer)
        for language in self.languages:
            self._translate(plan, language, approve=plan.kind != PENDING_TRANSLATION)
        if plan.kind in (EDITED, OUTDATED_TRANSLATION):
            self._revise(plan)
            if plan.kind == EDITED:
                workflow.note_edit(
                    condition, user=self.author, comment=vocabulary.REVISION_NOTE
                )
                return
            request = timed(
                "submit",
                workflow.submit,
                condition,
                user=self.author,
                note=vocabulary.REVISION_NOTE,
            )
            timed(
                "approve",
                workflow.approve,
                request,
                user=self.reviewers[plan.second_reviewer],
            )

    def _translate(self, plan, language, *, approve):
        condition = plan.condition
        target = plan.targets[language]
        translator = self.translators[language]
        headings = vocabulary.HEADINGS.get(language, {})
        sections = {s.pk: i for i, s in enumerate(plan.sections)}
        illustration = vocabulary.ILLUSTRATIONS[plan.illustration]
        values = {}
        for unit in self._timed("units", translations.units, condition, language):
            if unit.model is Condition:
                text = target[unit.field]
            elif unit.model is Section:
                index = sections[unit.pk]
                if unit.field == "body":
                    text = target["bodies"][index]
                else:
                    text = headings.get(unit.source, unit.source)
            else:
                text = illustration[
                    "alt" if unit.field == "alt_text" else "caption"
                ].get(language, "")
            if text:
                values[unit.key] = text
        self._timed(
            "save_translation",
            translations.save_translation,
            condition,
            language=language,
            values=values,
            user=translator,
            comment=f"Translation ({language}) from sample text",
        )
        request = self._timed(
            "submit_translation",
            workflow.submit_translation,
            condition,
            language=language,
            user=translator,
            note=vocabulary.TRANSLATION_NOTE.format(language=language),
        )
        if approve:
            self._timed(
                "approve_translation",
                workflow.approve,
                request,
                user=self.translation_reviewers[language],
            )

    def _revise(self, plan):
        """Edit the source again: the author rewrites the summary."""
        condition = plan.condition
        condition.refresh_from_db()
        column = f"summary_{self.source}"
        setattr(condition, column, revised_summary(plan.page, plan.page["summary"]))
        condition.save(update_fields=[column, "updated_at"])
        self._timed(
            "save_revision",
            save_revision,
            condition,
            user=self.author,
            comment=vocabulary.REVISION_NOTE,
        )


def summary(plans):
    """Return counts of what was generated: by kind, status and publication."""
    ids = [p.condition.pk for p in plans]
    result = {
        "kinds": Counter(p.kind for p in plans),
        "status": Counter(),
        "live": Counter(),
        "outdated": Counter(),
        "pending": Counter(),
    }
    for start in range(0, len(ids), 2000):  # SQLite limits query parameters
        chunk = ids[start : start + 2000]
        live = Publication.objects.current().filter(condition_id__in=chunk)
        result["status"].update(
            Condition.objects.filter(pk__in=chunk).values_list("status", flat=True)
        )
        result["live"].update(live.values_list("language", flat=True))
        result["outdated"].update(
            live.filter(outdated_since__isnull=False).values_list("language", flat=True)
        )
        result["pending"].update(
            ReviewRequest.objects.pending()
            .filter(condition_id__in=chunk)
            .values_list("language", flat=True)
        )
    return result
