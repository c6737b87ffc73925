"""The working copy: conditions and their parts, as editors change them."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, router
from django.db.models import Exists, OuterRef
from django.db.models.functions import Cast
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from ..fields import (
    ALSO_CALLED_MAX_CHARS,
    DISCLAIMER_MAX_CHARS,
    SUMMARY_MAX_CHARS,
    RichTextField,
    text_field_options,
    validate_web_url,
)
from ..uploads import PictureField, picture_file_name

DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
PMID_RE = re.compile(r"^[1-9]\d{0,8}$")


def validate_doi(value):
    """Refuse anything that is not a bare DOI such as 10.1007/s11910-017-0806-2."""
    if not DOI_RE.match(value):
        raise ValidationError(
            _(
                "Enter a DOI such as 10.1000/xyz123: it starts with “10.”, "
                "has no “doi:” prefix and no spaces."
            ),
            code="invalid_doi",
        )


def validate_pmid(value):
    """Refuse anything that is not a PubMed identifier (1 to 9 digits)."""
    if not PMID_RE.match(value):
        raise ValidationError(
            _("Enter a PubMed ID: digits only, such as 29086067."),
            code="invalid_pmid",
        )


class Category(models.Model):
    class Kind(models.TextChoices):
        BODY_SYSTEM = "body_system", _("Body system")
        SPECIALTY = "specialty", _("Specialty")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, allow_unicode=False)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name


class Contributor(models.Model):
    """A person credited on pages; an account may be linked to sign reviews."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributor",
        verbose_name=_("account"),
        help_text=_("A medical reviewer's approvals are signed with this profile."),
    )
    name = models.CharField(_("name"), max_length=200)
    credentials = models.CharField(
        _("credentials"),
        max_length=100,
        blank=True,
        help_text=_("Degrees and licences shown after the name, e.g. MD, RN, MA."),
    )

    class Meta:
        verbose_name = _("contributor")
        verbose_name_plural = _("contributors")
        ordering = ["name"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        """Return the name with credentials, as printed on the page."""
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


class Reference(models.Model):
    """A structured citation, reusable across conditions."""

    authors = models.CharField(
        _("authors"),
        max_length=500,
        blank=True,
        help_text=_("NLM style: “Carrechio M, Mencacci NE”; use “et al” after six."),
    )
    title = models.CharField(_("title"), max_length=500)
    container = models.CharField(
        _("journal or website"),
        max_length=300,
        blank=True,
        help_text=_("Journal abbreviation (Curr Neurol Neurosci Rep) or site name."),
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    volume = models.CharField(_("volume"), max_length=20, blank=True)
    issue = models.CharField(_("issue"), max_length=20, blank=True)
    pages = models.CharField(_("pages"), max_length=40, blank=True)
    doi = models.CharField(
        _("DOI"), max_length=200, blank=True, validators=[validate_doi]
    )
    pmid = models.CharField(
        _("PMID"), max_length=12, blank=True, validators=[validate_pmid]
    )
    url = models.CharField(
        _("URL"), max_length=500, blank=True, validators=[validate_web_url]
    )
    accessed = models.DateField(_("date accessed"), null=True, blank=True)
    # What `check_references` found at the URL: not content, never versioned.
    link_status = models.PositiveSmallIntegerField(
        _("link status"), null=True, blank=True, editable=False
    )
    link_checked_at = models.DateTimeField(
        _("link checked"), null=True, blank=True, editable=False
    )
    link_final_url = models.CharField(
        _("redirected to"), max_length=500, blank=True, editable=False
    )
    link_error = models.CharField(
        _("link error"), max_length=200, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("reference")
        verbose_name_plural = _("references")
        ordering = ["authors", "title"]

    def __str__(self):
        return self.format_nlm()

    def format_nlm(self):
        """Return the citation in the NLM/AMA style, in the active language."""
        parts = []
        if self.authors:
            parts.append(_end(self.authors))
        parts.append(_end(self.title))
        if self.container:
            parts.append(_end(self.container))
        if self.year:
            source = str(self.year)
            if self.volume:
                source += f";{self.volume}"
                if self.issue:
                    source += f"({self.issue})"
            if self.pages:
                source += f":{self.pages}"
            parts.append(_end(source))
        if self.doi:
            parts.append(f"doi:{self.doi}")
        if self.pmid:
            parts.append(f"PMID: {self.pmid}.")
        if self.url:
            parts.append(_("Available at: %(url)s.") % {"url": self.url})
        if self.accessed:
            # Translators: PHP-style date format of an NLM "Accessed" date.
            accessed = date_format(self.accessed, pgettext("NLM date", "F j, Y"))
            parts.append(_("Accessed %(date)s.") % {"date": accessed})
        return " ".join(parts)


def _end(text):
    """Return text ending in exactly one period (or its own ?/!)."""
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else f"{text}."


#: Columns of a condition that only workflow transitions write.
WORKFLOW_FIELDS = ("status", "expire_at")


class ConditionQuerySet(models.QuerySet):
    def with_changes_requested(self):
        return self.filter(status=Condition.Status.CHANGES_REQUESTED)

    def drafts_of(self, user):
        """Return unpublished work (draft or returned) that the user has edited."""
        from django.contrib.contenttypes.models import ContentType
        from reversion.models import Version

        # One query whatever the size of the library, on reversion's index
        # (db, content type, object id): object_id is text.
        edited = Version.objects.filter(
            # The alias the versions were saved with (a write, not a read).
            db=router.db_for_write(Condition),
            content_type=ContentType.objects.get_for_model(Condition),
            object_id=Cast(OuterRef("pk"), models.CharField()),
            revision__user=user,
        )
        return self.filter(
            Exists(edited),
            status__in=[Condition.Status.DRAFT, Condition.Status.CHANGES_REQUESTED],
        )


class Condition(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        SCHEDULED = "scheduled", _("Approved, scheduled")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        help_text=_("The address of the page in this language, e.g. focal-dystonia."),
    )
    also_called = models.TextField(
        _("also called"),
        blank=True,
        **text_field_options(ALSO_CALLED_MAX_CHARS),
        help_text=_("Other names readers may know it by, one per line."),
    )
    summary = models.TextField(
        _("summary"),
        blank=True,
        **text_field_options(SUMMARY_MAX_CHARS),
        help_text=_("One or two plain sentences; used as the meta description."),
    )
    categories = models.ManyToManyField(
        Category, blank=True, related_name="conditions", verbose_name=_("categories")
    )
    related = models.ManyToManyField(
        "self",
        blank=True,
        symmetrical=False,
        related_name="+",
        verbose_name=_("related conditions"),
    )
    mesh_id = models.CharField(
        _("MeSH descriptor"), max_length=20, blank=True, help_text="e.g. D020821"
    )
    icd10 = models.CharField(_("ICD-10 code"), max_length=20, blank=True)
    review_interval_days = models.PositiveIntegerField(
        _("review interval (days)"),
        null=True,
        blank=True,
        help_text=_(
            "Days from a medical review to the next one. Leave empty for the "
            "site's default."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last edited"), auto_now=True)
    # Workflow state: changed only by conditions.workflow.transitions (an
    # UPDATE of these columns), never by a save of the working copy, and
    # never versioned.
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        editable=False,
    )
    expire_at = models.DateTimeField(
        _("expires at"), null=True, blank=True, editable=False
    )

    objects = ConditionQuerySet.as_manager()

    class Meta:
        verbose_name = _("condition")
        verbose_name_plural = _("conditions")
        permissions = [
            ("submit_condition", _("Can submit a change for medical review")),
            ("review_condition", _("Can approve or return a medical review")),
            ("unpublish_condition", _("Can unpublish and archive")),
            ("schedule_condition", _("Can set when an article expires")),
        ]

    def __str__(self):
        return getattr(self, f"title_{settings.SOURCE_LANGUAGE}") or f"#{self.pk}"

    def save(self, *args, **kwargs):
        # A save of the working copy never writes the workflow state: a
        # transition committed meanwhile (by another person) must stand.
        if (
            not self._state.adding
            and kwargs.get("update_fields") is None
            and not kwargs.get("force_insert")
        ):
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name not in WORKFLOW_FIELDS
            ]
        super().save(*args, **kwargs)

    def clean(self):
        """Refuse a slug that another condition already uses in that language."""
        errors = {}
        for code, _name in settings.LANGUAGES:
            value = getattr(self, f"slug_{code}", "")
            if not value:
                continue
            clash = Condition.objects.filter(**{f"slug_{code}": value})
            if self.pk:
                clash = clash.exclude(pk=self.pk)
            if clash.exists():
                errors[f"slug_{code}"] = _("Another condition already uses this slug.")
        if errors:
            raise ValidationError(errors)


class Section(models.Model):
    class Kind(models.TextChoices):
        DEFINITION = "definition", _("Definition")
        CAUSES = "causes", _("Causes")
        RISK_FACTORS = "risk_factors", _("Risk factors")
        SYMPTOMS = "symptoms", _("Symptoms")
        DIAGNOSIS = "diagnosis", _("Diagnosis")
        TREATMENT = "treatment", _("Treatment")
        PREVENTION = "prevention", _("Prevention")
        LIVING_WITH = "living_with", _("Living with")
        WHEN_TO_SEE_A_DOCTOR = "when_to_see_doctor", _("When to see a doctor")
        OTHER = "other", _("Other (free section)")

    condition = models.ForeignKey(
        Condition, on_delete=models.CASCADE, related_name="sections"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    heading = models.CharField(
        _("heading"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty to use the standard heading for the kind."),
    )
    body = RichTextField(_("body"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["position", "id"]

    def __str__(self):
        return self.get_kind_display()

    def clean(self):
        """Require a heading for a free section in the source language."""
        source = settings.SOURCE_LANGUAGE
        if self.kind == self.Kind.OTHER and not getattr(self, f"heading_{source}"):
            raise ValidationError(
                {f"heading_{source}": _("A free section needs its own heading.")}
            )


#: Section kinds as schema.org health aspects (the NHS website content API's
#: modules), for the public API and the JSON-LD import and export.
HEALTH_ASPECTS = {
    Section.Kind.DEFINITION: "OverviewHealthAspect",
    Section.Kind.CAUSES: "CausesHealthAspect",
    Section.Kind.RISK_FACTORS: "RisksOrComplicationsHealthAspect",
    Section.Kind.SYMPTOMS: "SymptomsHealthAspect",
    Section.Kind.TREATMENT: "TreatmentsHealthAspect",
    Section.Kind.PREVENTION: "PreventionHealthAspect",
    Section.Kind.LIVING_WITH: "LivingWithHealthAspect",
    Section.Kind.WHEN_TO_SEE_A_DOCTOR: "SeeDoctorHealthAspect",
}


class ConditionReference(models.Model):
    """A reference cited by a condition, at a position in its list."""

    condition = models.ForeignKey(
        Condition, on_delete=models.CASCADE, related_name="condition_references"
    )
    reference = models.ForeignKey(
        Reference,
        on_delete=models.PROTECT,
        related_name="citations",
        verbose_name=_("reference"),
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("cited reference")
        verbose_name_plural = _("references")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["condition", "reference"], name="unique_citation"
            )
        ]

    def __str__(self):
        return str(self.reference)


class Image(models.Model):
    condition = models.ForeignKey(
        Condition, on_delete=models.CASCADE, related_name="images"
    )
    section_kind = models.CharField(
        _("shown with section"),
        max_length=30,
        choices=Section.Kind.choices,
        blank=True,
        help_text=_("The image follows the first section of this kind."),
    )
    # The uploaded original: private (the default storage is never served
    # to readers). Publication makes the public renditions (PublicImage).
    # Checked and re-encoded when uploaded, stored under a random name.
    file = PictureField(_("file"), upload_to=picture_file_name)
    alt_text = models.CharField(
        _("alternative text"),
        max_length=500,
        help_text=_("What the picture shows, for readers who cannot see it."),
    )
    caption = models.CharField(_("caption"), max_length=500, blank=True)
    credit = models.CharField(
        _("credit / copyright line"),
        max_length=300,
        help_text=_("e.g. Copyright © Nucleus Medical Media, Inc."),
    )
    licence = models.CharField(_("licence"), max_length=200, blank=True)
    licence_expires = models.DateField(_("licence expires"), null=True, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ["position", "id"]

    def __str__(self):
        return self.alt_text


class PublicImage(models.Model):
    """The public renditions of one original picture, and who shows them.

    Made at publication (conditions/publishing/renditions.py) under names
    derived from the original's bytes, so that every publication showing
    the same picture (both languages, later versions of the article, other
    articles) shares the files. ``publications`` are the live publications
    that show them: when none is left, the files are removed.
    """

    #: Hash of the original's bytes (and of the rendition settings).
    digest = models.CharField(max_length=64, unique=True)
    #: {"webp": [{"name", "width", "height"}…], "fallback": {"name", "width",
    #: "height", "type"}}: names in the public storage.
    renditions = models.JSONField(default=dict)
    publications = models.ManyToManyField(
        "conditions.Publication", related_name="+", blank=True
    )

    class Meta:
        verbose_name = _("public image renditions")
        verbose_name_plural = _("public image renditions")

    def __str__(self):
        return self.digest


class ConditionContributor(models.Model):
    class Role(models.TextChoices):
        # The medical reviewer is not a role typed in here: the page's
        # "reviewed by" comes from the approval of the published revision.
        AUTHOR = "author", _("Author")
        ILLUSTRATOR = "illustrator", _("Illustrator")

    condition = models.ForeignKey(
        Condition, on_delete=models.CASCADE, related_name="condition_contributors"
    )
    contributor = models.ForeignKey(
        Contributor,
        on_delete=models.PROTECT,
        related_name="contributions",
        verbose_name=_("contributor"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("contributor")
        verbose_name_plural = _("contributors")
        ordering = ["position", "id"]

    def __str__(self):
        return f"{self.contributor} ({self.get_role_display()})"


class Disclaimer(models.Model):
    """The medical disclaimer printed under every article (one row)."""

    text = models.TextField(_("text"), **text_field_options(DISCLAIMER_MAX_CHARS))

    class Meta:
        verbose_name = _("disclaimer")
        verbose_name_plural = _("disclaimer")

    def __str__(self):
        return str(_("Disclaimer"))
