"""The pictures of a changed image, for the reviewer to see what they approve."""

from dataclasses import dataclass

from django.core.files.images import get_image_dimensions
from django.utils.formats import date_format

from ..languages import local_name
from .changes import plain


@dataclass
class ImageView:
    """One version of an image, as a reviewer must see it to approve it."""

    url: str
    name: str
    width: int | None
    height: int | None
    #: (language code, language name, text): the source language's first,
    #: then the language under review when it is another.
    alt_texts: list[tuple[str, str, str]]
    #: The language of the alternative text and caption shown (a code).
    language: str
    alt: str
    alt_language: str
    caption: str
    credit: str


@dataclass
class ImagePictures:
    """An image before and after the change (None: added, or removed)."""

    before: ImageView | None
    after: ImageView | None

    @property
    def sides(self):
        """[("before", ImageView), ("after", ImageView)], without the missing."""
        return [
            (kind, view)
            for kind, view in (("before", self.before), ("after", self.after))
            if view is not None
        ]


def file_name(image):
    if image is None or not image.file:
        return ""
    return image.file.name.rsplit("/", 1)[-1]


def image_view(image, source, language):
    """Return what the reviewer sees of one version of an image (or None).

    ``image`` is the version a revision stored: its file is the one that
    revision refers to (a replaced file stays in the storage).
    """
    if image is None or not image.file:
        return None
    languages = [source] if language == source else [source, language]
    alt_texts = [
        (code, local_name(code), plain(getattr(image, f"alt_text_{code}", "")))
        for code in languages
    ]
    alt = plain(getattr(image, f"alt_text_{language}", ""))
    caption = plain(getattr(image, f"caption_{language}", ""))
    width, height = _image_size(image.file)
    return ImageView(
        # The default storage's URL of an original is the admin's staff-only
        # view (conditions/admin/media.py): originals are never public.
        url=image.file.url,
        name=file_name(image),
        width=width,
        height=height,
        alt_texts=alt_texts,
        language=language,
        # An untranslated alternative text: the source's describes the image.
        alt=alt or alt_texts[0][2],
        alt_language=language if alt else source,
        caption=caption,
        credit=plain(image.credit),
    )


def _image_size(file):
    """Return the (width, height) of a stored image, or (None, None).

    Reads only the start of the file. A file that cannot be read (gone from
    the storage, not an image) leaves the size to the stylesheet; the review
    screen still shows everything else.
    """
    try:
        with file.storage.open(file.name, "rb") as handle:
            width, height = get_image_dimensions(handle)
    except Exception:  # whatever the storage backend raises
        return None, None
    return width, height


def image_value(image, name):
    if image is None:
        return ""
    if name == "licence_expires":
        return date_format(image.licence_expires) if image.licence_expires else ""
    if name == "section_kind":
        return str(image.get_section_kind_display()) if image.section_kind else ""
    return plain(getattr(image, name))
