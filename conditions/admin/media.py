"""Uploaded originals, shown to staff only.

Originals live in the default storage, which nothing serves to readers:
the public sees only the renditions that publication makes
(conditions/publishing/renditions.py). The admin shows originals (the image
inline's link, the review screen's before and after pictures) through this
view, because the default storage's URLs point here (``ORIGINALS_URL`` in
the settings).

Anyone who is not logged-in staff is sent to the login page (the admin's
own rule for every screen); staff without the view permission on
conditions get 403; a name that is not a picture in the storage gets 404.
"""

import mimetypes
import posixpath

from django.core.exceptions import PermissionDenied, SuspiciousFileOperation
from django.http import FileResponse, Http404

from ..models import Image


def original_view(model_admin, request, name):
    if not request.user.is_authenticated:
        raise Http404
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    content_type, encoding = mimetypes.guess_type(name)
    if (
        encoding
        or not content_type
        or not content_type.startswith("image/")
        or content_type == "image/svg+xml"
    ):
        raise Http404
    storage = Image._meta.get_field("file").storage
    try:
        handle = storage.open(name, "rb")
    except (OSError, SuspiciousFileOperation, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle, content_type=content_type, filename=posixpath.basename(name)
    )
    # Private: no shared cache keeps it; never run as a document.
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
