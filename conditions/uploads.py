"""Uploaded pictures: what is accepted, how it is stored, under which name.

Every picture that comes in goes through ``clean_picture()``: the admin's
image inline (any model form of a ``PictureField``) and the demo loader.
In that order, and refused with a translated message at the first failure:

1. its size in bytes: at most ``UPLOAD_MAX_BYTES``, before anything is read;
2. its type, from its first bytes and never from its name: JPEG, PNG or
   WebP only (a PDF, an HTML page, an SVG or a GIF named ``.png`` is not a
   picture here; a PNG named ``.pdf`` is a PNG);
3. its width × height, from the header: at most ``UPLOAD_MAX_PIXELS``,
   before the pixels are decoded (a small file may hold a huge picture);
4. decoded and encoded again, in the same format: what is stored is the
   picture only. EXIF (with its GPS position), XMP, comments, text chunks
   and anything appended after the image data are left behind; the EXIF
   orientation is applied, so that the picture stays upright without it;
   colours in another profile are converted to sRGB, the profile dropped.

The stored name is random (``picture_file_name``): the uploader's file name
says nothing about the file, and is never kept.
"""

import io
import posixpath
import uuid
import warnings

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

try:
    from PIL import ImageCms

    SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
except ImportError:  # Pillow built without LittleCMS: the profile is dropped
    ImageCms = SRGB = None

#: Pillow's formats that are accepted, with the stored extension and type.
#: MPO is what Pillow calls a phone's JPEG that holds more than one picture
#: (the first one is kept).
FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "MPO": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}
#: The extensions of stored originals (the names of older uploads included).
EXTENSIONS = {"jpg": "jpg", "jpeg": "jpg", "png": "png", "webp": "webp"}
JPEG_QUALITY = 90
WEBP_QUALITY = 90


def picture_file_name(instance, filename):
    """Return a random name for a new original, never the uploader's.

    uploads/conditions/<year>/<32 hex digits>.<jpg|png|webp>: only the
    extension is kept, and once the picture is cleaned it is the detected
    type's.
    """
    extension = posixpath.splitext(filename)[1].lstrip(".").lower()
    if extension not in EXTENSIONS:
        raise ValueError(f"Not a cleaned picture: {filename!r}")
    year = timezone.now().year
    return f"uploads/conditions/{year}/{uuid.uuid4().hex}.{EXTENSIONS[extension]}"


def clean_picture(file):
    """Return the uploaded picture `file` checked and encoded again.

    Raises ValidationError when it is too large, not a JPEG, PNG or WebP
    picture, has too many pixels or cannot be decoded. The result is an
    in-memory upload named ``picture.<jpg|png|webp>`` after its type.
    """
    limit = settings.UPLOAD_MAX_BYTES
    if file.size > limit:
        raise ValidationError(
            _("This file is %(size)s; a picture may be at most %(limit)s."),
            code="file_too_large",
            params={"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
        )
    file.seek(0)
    with warnings.catch_warnings():
        # The pixel limit below is this module's; Pillow's own warning
        # (above 89 megapixels) would only repeat it.
        warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
        try:
            # Only these decoders look at the file (MPO comes through JPEG's).
            source = PILImage.open(file, formats=["JPEG", "PNG", "WEBP"])
        except (UnidentifiedImageError, SyntaxError, ValueError, OSError):
            raise _not_a_picture() from None
        except PILImage.DecompressionBombError:
            raise _too_many_pixels(None) from None
        with source:
            if source.format not in FORMATS:
                raise _not_a_picture()
            if source.width * source.height > settings.UPLOAD_MAX_PIXELS:
                raise _too_many_pixels(source.size)
            extension, content_type = FORMATS[source.format]
            try:
                picture = _plain(ImageOps.exif_transpose(source))
            except Exception:  # decoders fail on hostile input in many ways
                raise ValidationError(
                    _(
                        "This picture could not be read: the file is damaged or "
                        "incomplete."
                    ),
                    code="unreadable_picture",
                ) from None
    lossless = extension == "webp" and _lossless_webp(file)
    data = _encode(picture, extension, lossless=lossless)
    return InMemoryUploadedFile(
        io.BytesIO(data),
        field_name=getattr(file, "field_name", None),
        name=f"picture.{extension}",
        content_type=content_type,
        size=len(data),
        charset=None,
    )


def _not_a_picture():
    return ValidationError(
        _(
            "This file is not a JPEG, PNG or WebP picture, whatever its name "
            "says. Save it in one of these formats and upload it again."
        ),
        code="invalid_picture_type",
    )


def _too_many_pixels(size):
    limit = _megapixels(settings.UPLOAD_MAX_PIXELS)
    if size is None:  # Pillow's own bomb guard refused it first
        return ValidationError(
            _(
                "This picture has too many pixels; a picture may have at most "
                "%(limit)s megapixels. Make it smaller and upload it again."
            ),
            code="too_many_pixels",
            params={"limit": limit},
        )
    width, height = size
    return ValidationError(
        _(
            "This picture is %(width)s × %(height)s pixels (%(megapixels)s "
            "megapixels); a picture may have at most %(limit)s megapixels. Make "
            "it smaller and upload it again."
        ),
        code="too_many_pixels",
        params={
            "width": width,
            "height": height,
            "megapixels": _megapixels(width * height),
            "limit": limit,
        },
    )


def _megapixels(pixels):
    """Return a number of pixels in megapixels, one decimal unless whole."""
    return number_format(pixels / 10**6, decimal_pos=1 if pixels % 10**6 else 0)


def _lossless_webp(file):
    """Tell whether a WebP file's first image is lossless (a VP8L chunk)."""
    file.seek(12)
    while header := file.read(8):
        if len(header) < 8:
            break
        kind, size = header[:4], int.from_bytes(header[4:], "little")
        if kind in (b"VP8L", b"VP8 "):
            return kind == b"VP8L"
        if kind == b"ANMF":  # an animation's frame: its image chunks follow
            file.seek(16, io.SEEK_CUR)
            continue
        file.seek(size + size % 2, io.SEEK_CUR)
    return False


def _plain(picture):
    """Return the decoded picture in sRGB, with no metadata but transparency."""
    transparency = picture.info.get("transparency")
    icc = picture.info.get("icc_profile")
    if picture.mode == "CMYK" or (
        icc and SRGB is not None and picture.mode in ("RGB", "RGBA", "P", "PA")
    ):
        picture = _to_srgb(picture, icc)
        transparency = None  # carried by the alpha channel, if any
    # Nothing of the original's metadata is saved with it: Pillow writes
    # some of what ``info`` holds (a JPEG comment, a PNG's colour profile).
    picture.info = {}
    if transparency is not None:
        picture.info["transparency"] = transparency
    return picture


def _to_srgb(picture, icc):
    """Return an RGB (RGBA) copy in sRGB: colours converted by the profile."""
    alpha = None
    if picture.mode in ("RGBA", "PA") or (
        picture.mode == "P" and "transparency" in picture.info
    ):
        alpha = picture.convert("RGBA").getchannel("A")
    source = picture if picture.mode in ("RGB", "CMYK") else picture.convert("RGB")
    rgb = None
    if icc and SRGB is not None:
        try:
            rgb = ImageCms.profileToProfile(
                source,
                ImageCms.ImageCmsProfile(io.BytesIO(icc)),
                SRGB,
                outputMode="RGB",
            )
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            rgb = None  # a profile that does not fit: the colours as they are
    if rgb is None:
        rgb = source.convert("RGB")
    if alpha is not None:
        rgb.putalpha(alpha)
    return rgb


def _encode(picture, extension, *, lossless):
    buffer = io.BytesIO()
    if extension == "jpg":
        if picture.mode not in ("L", "RGB"):
            picture = picture.convert("RGB")
        picture.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
    elif extension == "png":
        picture.save(buffer, "PNG")
    else:
        if picture.mode not in ("RGB", "RGBA"):
            mode = "RGBA" if picture.has_transparency_data else "RGB"
            picture = picture.convert(mode)
        if lossless:
            picture.save(buffer, "WEBP", lossless=True)
        else:
            picture.save(buffer, "WEBP", quality=WEBP_QUALITY)
    return buffer.getvalue()


class PictureFormField(forms.ImageField):
    """A picture upload, cleaned by ``clean_picture()``."""

    # The uploader's name says nothing (the type comes from the content),
    # and the cleaned file's name is this module's.
    default_validators = []

    def to_python(self, data):
        file = forms.FileField.to_python(self, data)
        if file is None:
            return None
        return clean_picture(file)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if "accept" in attrs:
            types = {content_type for _ext, content_type in FORMATS.values()}
            attrs["accept"] = ",".join(sorted(types))
        return attrs


class PictureField(models.ImageField):
    """An uploaded picture: checked, re-encoded and renamed in every form."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PictureFormField, **kwargs})
