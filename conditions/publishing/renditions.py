"""Public renditions of pictures: made at publication, removed when unused.

Pictures live in two storage areas (healthinfo/settings/base.py):

- the **default storage** holds the uploaded originals. It is private:
  nothing serves it to readers, in dev or in production; staff see an
  original through the admin (conditions/admin/media.py).
- the **public storage** (``STORAGES["public"]``, MEDIA_ROOT/public/ at
  PUBLIC_MEDIA_URL) holds only what publication makes of an original: WebP
  renditions at the widths of ``WIDTHS`` that the original reaches (for
  ``srcset``), and one JPEG fallback (PNG when the picture has transparency)
  at the largest of them. None is wider than ``max(WIDTHS)`` nor taller
  than ``MAX_HEIGHT``, whatever the original's size. They carry no metadata
  (EXIF with its GPS position, XMP, comments; colours are converted to
  sRGB) and are turned upright as the EXIF orientation says.

Names are content-addressed: ``images/ab/<digest>-<width>.webp``, where the
digest hashes the original's bytes and the rendition settings. Every
publication that shows the same picture (both languages, the next version
of the article, another article) shares the files; publishing again makes
nothing new; a draft's picture has no public file until it is published;
a replaced file gets new names.

``PublicImage`` (one row per digest) records the files and the live
publications that show them: the links are brought up to date inside the
publishing transaction (on ``publication_changed``), and after the commit
the files that no live publication shows any more are deleted (unpublished,
or replaced).

Concurrency: a publication may reuse files that a removal is about to
delete. Publications hold a shared lock (PostgreSQL advisory lock; SQLite
has one writer at a time) from the moment they look at the files until
they commit, and a removal holds it exclusively, so a removal sees every
publication that reused the files, and a publication after a removal makes
the files again.
"""

import hashlib
import io
import logging
import os
import warnings
from functools import partial

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
from django.db import connections, router, transaction
from django.utils.functional import cached_property
from PIL import Image as PILImage
from PIL import ImageOps

from ..models import Publication, publication_changed
from ..models.content import PublicImage

try:
    from PIL import ImageCms

    SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
except ImportError:  # Pillow built without LittleCMS: colours left as they are
    ImageCms = SRGB = None

logger = logging.getLogger(__name__)

#: The widths of the WebP renditions (``srcset``); the largest one the
#: original reaches is also the size of the fallback and of the page's
#: ``<img width height>``.
WIDTHS = (320, 640, 1024)
#: No rendition is taller (a very tall original is scaled down to fit).
MAX_HEIGHT = 2048
WEBP_QUALITY = 80
JPEG_QUALITY = 82
FOLDER = "images"
#: Changing how renditions are made changes every name: bump it when the
#: encoding changes without a change of the numbers above.
VERSION = 1
_SETTINGS = f"renditions {VERSION} {WIDTHS} {MAX_HEIGHT} {WEBP_QUALITY} {JPEG_QUALITY}"
#: The PostgreSQL advisory lock between publications and removals.
LOCK_KEY = 0x52454E44  # "REND"


class PublicStorage(FileSystemStorage):
    """The public area: MEDIA_ROOT/public/ at PUBLIC_MEDIA_URL.

    Like Django's FileSystemStorage, it follows MEDIA_ROOT at run time unless
    OPTIONS give a ``location``. In production the web server (or object
    storage behind the CDN) serves this folder, and nothing else of
    MEDIA_ROOT; ``STORAGES["public"]`` may name any storage backend.
    """

    @cached_property
    def base_location(self):
        return self._value_or_setting(
            self._location, os.path.join(settings.MEDIA_ROOT, "public")
        )

    @cached_property
    def base_url(self):
        url = self._value_or_setting(self._base_url, settings.PUBLIC_MEDIA_URL)
        return url if url.endswith("/") else url + "/"


def public_storage():
    return storages["public"]


def publish(file):
    """Return the public renditions of an original (an ImageField's file).

    Makes those that are missing. The result goes into the publication's
    snapshot: ``url``, ``type``, ``width`` and ``height`` of the fallback
    (the page's ``<img>``), ``srcset`` ([{url, width}] of the WebP
    renditions, narrowest first) and ``digest``. Returns None, and logs an
    error, when the original cannot be read as a picture. Called inside the
    publishing transaction.
    """
    try:
        digest = _digest(file.storage, file.name)
    except OSError:
        logger.error("The picture %s cannot be read: it is not published.", file.name)
        return None
    _hold(exclusive=False)
    row, _created = PublicImage.objects.get_or_create(digest=digest)
    if not _complete(row.renditions):
        try:
            renditions, files = _render(file.storage, file.name, digest)
        except (OSError, ValueError, SyntaxError, PILImage.DecompressionBombError):
            logger.exception(
                "The picture %s cannot be made into renditions: it is not published.",
                file.name,
            )
            return None
        # A failure to write (a full disk…) fails the publication.
        for name, data in files.items():
            _write(name, data)
        row.renditions = renditions
        row.save(update_fields=["renditions"])
    return _public(row)


def files_of(renditions):
    """Return the names of a PublicImage's renditions in the public storage."""
    names = [r["name"] for r in renditions.get("webp", [])]
    if renditions.get("fallback"):
        names.append(renditions["fallback"]["name"])
    return names


def collect(image_ids):
    """Delete the renditions of these PublicImages that nothing live shows.

    Runs after the commit of a change of publications. It never undoes the
    change: a failure is logged, and the files are left in place.
    """
    try:
        with transaction.atomic(using=router.db_for_write(PublicImage)):
            _hold(exclusive=True)
            unused = list(
                PublicImage.objects.filter(pk__in=image_ids).exclude(
                    publications__is_current=True
                )
            )
            storage = public_storage()
            for row in unused:
                # Deleted while the lock is held: a publication that comes
                # next finds no row and makes the files again.
                for name in files_of(row.renditions):
                    storage.delete(name)
            PublicImage.objects.filter(pk__in=[row.pk for row in unused]).delete()
    except Exception:
        logger.exception("Could not remove the unused renditions of %s", image_ids)


def _digest(storage, name):
    digest = hashlib.sha256(_SETTINGS.encode())
    with storage.open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()[:40]


def _hold(*, exclusive):
    """Take the lock between publications (shared) and removals (exclusive).

    Held until the end of the current transaction.
    """
    connection = connections[router.db_for_write(PublicImage)]
    if connection.vendor == "postgresql":
        mode = "" if exclusive else "_shared"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT pg_advisory_xact_lock{mode}(%s)", [LOCK_KEY])
    else:
        # SQLite lets one transaction write at a time: becoming the writer
        # (a statement that writes nothing) waits for the one in progress.
        PublicImage.objects.filter(digest="").update(renditions={})


def _complete(renditions):
    names = files_of(renditions)
    if not (renditions.get("webp") and renditions.get("fallback")):
        return False
    storage = public_storage()
    return all(storage.exists(name) for name in names)


def _public(row):
    storage = public_storage()
    fallback = row.renditions["fallback"]
    return {
        "url": storage.url(fallback["name"]),
        "type": fallback["type"],
        "width": fallback["width"],
        "height": fallback["height"],
        "srcset": [
            {"url": storage.url(r["name"]), "width": r["width"]}
            for r in row.renditions["webp"]
        ],
        "digest": row.digest,
    }


def sizes(width, height):
    """Return the (width, height) of each rendition of a picture, narrowest first.

    One per width of WIDTHS, scaled down to fit MAX_HEIGHT too, and never
    larger than the picture: a picture narrower than a width of WIDTHS has a
    rendition at its own size instead.
    """
    found = {}
    for target in WIDTHS:
        scale = min(1, target / width, MAX_HEIGHT / height)
        found.setdefault(max(1, round(width * scale)), max(1, round(height * scale)))
    return sorted(found.items())


def _render(storage, name, digest):
    """Make the renditions of an original, in memory.

    Returns their description (PublicImage.renditions) and {name: bytes}.
    """
    with warnings.catch_warnings():
        # Large pictures are expected here; Pillow still refuses the absurd
        # ones (DecompressionBombError, above twice MAX_IMAGE_PIXELS).
        warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
        with storage.open(name, "rb") as handle, PILImage.open(handle) as source:
            # A JPEG far larger than needed is decoded at a fraction of its
            # size (never below the largest rendition's).
            source.draft(None, (max(WIDTHS), max(WIDTHS)))
            picture = _clean(ImageOps.exif_transpose(source))
    geometry = sizes(*picture.size)
    scaled = {}
    current = picture
    for width, height in reversed(geometry):  # each from the next larger one
        if current.size != (width, height):
            current = current.resize(
                (width, height), PILImage.Resampling.LANCZOS, reducing_gap=3.0
            )
        scaled[width] = current
    prefix = f"{FOLDER}/{digest[:2]}/{digest}"
    files = {}
    webp = []
    for width, height in geometry:
        webp_name = f"{prefix}-{width}.webp"
        files[webp_name] = _encode(
            scaled[width], "WEBP", quality=WEBP_QUALITY, method=6
        )
        webp.append({"name": webp_name, "width": width, "height": height})
    width, height = geometry[-1]
    if scaled[width].mode == "RGBA":
        kind, fallback_name = "image/png", f"{prefix}-{width}.png"
        files[fallback_name] = _encode(scaled[width], "PNG", optimize=True)
    else:
        kind, fallback_name = "image/jpeg", f"{prefix}-{width}.jpg"
        files[fallback_name] = _encode(
            scaled[width], "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True
        )
    fallback = {"name": fallback_name, "width": width, "height": height, "type": kind}
    return {"webp": webp, "fallback": fallback}, files


def _clean(picture):
    """Return the picture in RGB (RGBA if it has transparency), sRGB, no metadata."""
    icc = picture.info.get("icc_profile")
    alpha = None
    if picture.mode in ("RGBA", "LA", "PA", "RGBa") or (
        picture.mode == "P" and "transparency" in picture.info
    ):
        alpha = picture.convert("RGBA").getchannel("A")
        if alpha.getextrema() == (255, 255):
            alpha = None  # an alpha channel that hides nothing
    if picture.mode in ("I", "I;16", "I;16B", "I;16L", "I;16N"):
        # 16-bit grey: keep the high byte.
        picture = picture.convert("I").point(lambda v: v / 256).convert("L")
    rgb = None
    if icc and SRGB is not None:
        if picture.mode == "LA":
            source = picture.getchannel("L")
        elif picture.mode in ("RGB", "CMYK", "L"):
            source = picture
        else:
            source = picture.convert("RGB")
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
        rgb = picture.convert("RGB")
    if alpha is not None:
        rgb.putalpha(alpha)
    # Nothing of the original's metadata goes with it (EXIF and its GPS
    # position, XMP, comments, text chunks, the colour profile).
    rgb.info = {}
    return rgb


def _encode(picture, kind, **options):
    picture.info = {}
    buffer = io.BytesIO()
    picture.save(buffer, kind, **options)
    return buffer.getvalue()


def _write(name, data):
    """Save `data` under `name` in the public storage, unless it is there."""
    storage = public_storage()
    if not storage.exists(name):
        saved = storage.save(name, ContentFile(data))
        if saved != name:  # written meanwhile by another publication
            storage.delete(saved)


def _publications_changed(sender, condition_id, languages, **kwargs):
    """Link the article's live publications to the pictures they show.

    Inside the publishing transaction. The pictures that lose their last
    link are collected after the commit.
    """
    Link = PublicImage.publications.through
    live = dict(
        Publication.objects.current()
        .filter(condition_id=condition_id)
        .values_list("pk", "snapshot")
    )
    shown = {pk: _digests(snapshot) for pk, snapshot in live.items()}
    ids = dict(
        PublicImage.objects.filter(
            digest__in={d for digests in shown.values() for d in digests}
        ).values_list("digest", "pk")
    )
    wanted = {
        (ids[digest], pk)
        for pk, digests in shown.items()
        for digest in digests
        if digest in ids
    }
    existing = {
        (image_id, publication_id): pk
        for pk, image_id, publication_id in Link.objects.filter(
            publication__condition_id=condition_id
        ).values_list("pk", "publicimage_id", "publication_id")
    }
    stale = [key for key in existing if key not in wanted]
    if stale:
        Link.objects.filter(pk__in=[existing[key] for key in stale]).delete()
        transaction.on_commit(
            partial(collect, sorted({image_id for image_id, _ in stale})),
            using=router.db_for_write(PublicImage),
        )
    Link.objects.bulk_create(
        [
            Link(publicimage_id=image_id, publication_id=publication_id)
            for image_id, publication_id in wanted
            if (image_id, publication_id) not in existing
        ],
        ignore_conflicts=True,
    )


def _digests(snapshot):
    return {
        image["digest"]
        for section in (snapshot or {}).get("sections", [])
        for image in section.get("images", [])
        if image.get("digest")
    }


# Publications change only through publishing/publisher.py, which imports
# this module (through snapshot.py): the receivers are connected whenever a
# publication can change.
publication_changed.connect(_publications_changed, dispatch_uid="renditions")
