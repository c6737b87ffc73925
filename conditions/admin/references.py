"""The references' evidence screens: where each is used, its link, duplicates
(with merging) and broken links. ``ReferenceEvidenceMixin`` adds them to the
reference admin (library.ReferenceAdmin)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from ..evidence import duplicates, links, merge, usage
from ..models import Reference

PER_PAGE = 50
GROUPS_PER_PAGE = 25
LINK_FIELDS = ["link_status", "link_checked_at", "link_final_url", "link_error"]


def _article_link(condition):
    return format_html(
        '<a href="{}">{}</a> ({})',
        reverse("admin:conditions_condition_change", args=[condition.pk]),
        str(condition),
        condition.get_status_display(),
    )


def link_state(reference):
    """Return what the last link check found, in words."""
    if reference.link_checked_at is None:
        return _("not checked") if reference.url else ""
    if reference.link_error:
        return reference.link_error
    if reference.link_final_url:
        return _("%(status)s, redirected to %(url)s") % {
            "status": reference.link_status,
            "url": reference.link_final_url,
        }
    return str(reference.link_status)


class ReferenceEvidenceMixin:
    """Citation counts, where used, link checks, duplicates and broken links."""

    change_list_template = "admin/conditions/reference/change_list.html"

    def get_queryset(self, request):
        return usage.with_citation_counts(super().get_queryset(request))

    def get_list_display(self, request):
        return [*super().get_list_display(request), "cited_by", "link"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None:
            fieldsets += [
                (_lazy("Where used"), {"fields": ["where_used"]}),
                (_lazy("Link check"), {"fields": LINK_FIELDS}),
            ]
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            readonly += [f for f in ["where_used", *LINK_FIELDS] if f not in readonly]
        return readonly

    def cited_by(self, reference):
        return reference.citation_count

    cited_by.short_description = _lazy("cited by")
    cited_by.admin_order_field = "citation_count"

    def link(self, reference):
        return link_state(reference)

    link.short_description = _lazy("link")
    link.admin_order_field = "link_status"

    def where_used(self, reference):
        citations = list(usage.citations_of(reference))
        if not citations:
            return _("Not cited by any article.")
        items = format_html_join(
            "",
            "<li>{}</li>",
            ((_article_link(c.condition),) for c in citations),
        )
        return format_html('<ul class="where-used">{}</ul>', items)

    where_used.short_description = _lazy("articles citing it")

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "duplicates/",
                wrap(self.duplicates_view),
                name="conditions_reference_duplicates",
            ),
            path(
                "broken-links/",
                wrap(self.broken_links_view),
                name="conditions_reference_broken_links",
            ),
            *super().get_urls(),
        ]

    def _context(self, request, title):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
        }

    def duplicates_view(self, request):
        """List groups of duplicate references; editors merge them (POST)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            return self._merge(request)
        groups = duplicates.find_duplicates()
        page = Paginator(groups, GROUPS_PER_PAGE).get_page(request.GET.get("page"))
        shown = duplicates.load_references(list(page))
        reasons = {
            duplicates.DOI: _("same DOI"),
            duplicates.PMID: _("same PMID"),
            duplicates.TITLE: _("near-identical title"),
        }
        context = {
            **self._context(request, _("Duplicate references")),
            "groups": [
                {
                    "key": group.key,
                    "reasons": ", ".join(reasons[r] for r in sorted(group.reasons)),
                    "references": [
                        (reference, link_state(reference))
                        for reference in group.references
                    ],
                }
                for group in shown
                if len(group.references) > 1
            ],
            "page": page,
            "count": len(groups),
            "can_merge": merge.can_merge(request.user),
        }
        return TemplateResponse(
            request, "admin/conditions/reference/duplicates.html", context
        )

    def _merge(self, request):
        if not merge.can_merge(request.user):
            raise PermissionDenied
        keep = get_object_or_404(Reference, pk=request.POST.get("keep", ""))
        try:
            others = [int(pk) for pk in request.POST.get("group", "").split("-")]
            changed = merge.merge_references(
                keep=keep, others=others, user=request.user
            )
        except (ValueError, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(
                request,
                ngettext(
                    "References merged into “%(title)s”; %(count)s article changed.",
                    "References merged into “%(title)s”; %(count)s articles changed.",
                    len(changed),
                )
                % {"title": keep.title, "count": len(changed)},
            )
        return HttpResponseRedirect(request.get_full_path())

    def broken_links_view(self, request):
        """List the references whose last link check failed, with their articles."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        references = usage.with_citing_articles(
            links.broken().order_by("-link_checked_at", "pk")
        )
        page = Paginator(references, PER_PAGE).get_page(request.GET.get("page"))
        context = {
            **self._context(request, _("Broken reference links")),
            "rows": [
                {
                    "reference": reference,
                    "problem": link_state(reference),
                    "articles": [
                        _article_link(citation.condition)
                        for citation in reference.citations.all()
                    ],
                }
                for reference in page
            ],
            "page": page,
        }
        return TemplateResponse(
            request, "admin/conditions/reference/broken_links.html", context
        )
