"""Refuse a request body larger than the site accepts, before it is read."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class RequestSizeLimitMiddleware:
    """Answer 413 to a request body above the caps of settings/limits.py.

    REQUEST_MAX_BYTES caps the whole body (files included) and
    DATA_UPLOAD_MAX_MEMORY_SIZE the form fields: both are refused from the
    Content-Length, before a byte of the body is read, except the form
    fields of a multipart body, which Django counts as it parses them (its
    RequestDataTooBig is answered here as the same 413, not a bare 400). A
    body sent without a Content-Length (chunked) is never read by Django; the
    web server in front caps it too (nginx: client_max_body_size).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body then
        limit = settings.REQUEST_MAX_BYTES
        if limit is not None and length > limit:
            return self._too_large(request, length, limit, files=True)
        form_limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if (
            form_limit is not None
            and length > form_limit
            and not _is_multipart(request)
        ):
            return self._too_large(request, length, form_limit, files=False)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method == "POST" and _is_multipart(request):
            try:
                request.POST  # noqa: B018  (parsed now, as CSRF would next)
            except RequestDataTooBig:
                return self._too_large(
                    request,
                    None,
                    settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
                    files=False,
                )
        return None

    def _too_large(self, request, length, limit, *, files):
        # Before LocaleMiddleware: answer in the language it would choose.
        language = translation.get_language_from_request(request, check_path=True)
        with translation.override(language):
            if files:
                size, limit = _sizes(length, limit)
                message = _(
                    "The request is too large (%(size)s): the site accepts at "
                    "most %(limit)s at once, files included. Send fewer or "
                    "smaller files."
                ) % {"size": size, "limit": limit}
            else:
                message = _(
                    "The form is too large: the site accepts at most %(limit)s "
                    "of text at once. Shorten the longest texts and send it "
                    "again."
                ) % {"limit": filesizeformat(limit)}
        return HttpResponse(
            message, status=413, content_type="text/plain; charset=utf-8"
        )


def _sizes(size, limit):
    """Return two sizes as people read them (in bytes if they read the same)."""
    shown = filesizeformat(size), filesizeformat(limit)
    if shown[0] == shown[1]:
        shown = tuple(
            ngettext("%(size)d byte", "%(size)d bytes", n) % {"size": n}
            for n in (size, limit)
        )
    return shown


def _is_multipart(request):
    return request.META.get("CONTENT_TYPE", "").startswith("multipart/")
