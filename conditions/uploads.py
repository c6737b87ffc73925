"""Uploaded pictures: what is accepted, how it is stored, under which name."""

import posixpath
import uuid

from django.db import models
from django.utils import timezone

#: The extension of each accepted file type.
EXTENSIONS = {"jpg": "jpg", "jpeg": "jpg", "png": "png", "webp": "webp"}


def picture_file_name(instance, filename):
    """Return a random name for a new original, never the uploader's.

    uploads/conditions/<year>/<32 hex digits>.<jpg|png|webp>: only the
    extension is kept, and it is the detected type's once the picture has
    been checked (PictureFormField).
    """
    extension = posixpath.splitext(filename)[1].lstrip(".").lower()
    if extension not in EXTENSIONS:
        raise ValueError(f"Not a checked picture: {filename!r}")
    year = timezone.now().year
    return f"uploads/conditions/{year}/{uuid.uuid4().hex}.{EXTENSIONS[extension]}"


class PictureField(models.ImageField):
    """An uploaded picture: checked, re-encoded and renamed in every form."""
