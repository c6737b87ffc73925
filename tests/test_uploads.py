"""Uploaded pictures: checked, re-encoded and renamed before they are stored.

From the side of the person uploading, through the condition's change form
in the admin (the image inline) and the real database:

1. refused with a clear message, and nothing saved (no image row, no file
   in MEDIA_ROOT/uploads): a file above the size limit, a picture of too
   many pixels (before its pixels are decoded), anything whose content is
   not a JPEG, PNG or WebP picture whatever its name, a damaged picture;
2. accepted pictures are stored encoded again, in their own format: no
   EXIF (no GPS position), comments, text chunks or appended bytes, turned
   upright, under a random name with the detected type's extension;
3. the public page shows a bounded rendition of a large upload, never the
   original's size.
"""

import io
import posixpath
import re
from pathlib import Path

import lxml.html
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import ExifTags, ImageCms, ImageFile
from PIL import Image as PILImage
from reversion.models import Version

from conditions.demo import loader
from conditions.models import Condition, Image

from .adminforms import change_form_data
from .factories import make_condition, make_user
from .test_images import (
    assert_no_metadata,
    fetch,
    figure_of,
    page_url,
    photo,
    public_files,
    published,
    staff_view,
)

NAME = re.compile(r"^uploads/conditions/\d{4}/[0-9a-f]{32}\.(jpg|png|webp)$")


@pytest.fixture(autouse=True)
def _own_media_root(settings, tmp_path):
    """Each test has its own MEDIA_ROOT, so uploads/ starts empty."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def editor(db):
    client = Client()
    client.force_login(make_user(groups=["Editors"]))
    return client


@pytest.fixture
def condition(db):
    """An article that already has one picture (uploads/ is not empty)."""
    return make_condition(sections=1, references=1, images=1)


# Helpers ----------------------------------------------------------------


def encoded(picture, kind, **options):
    buffer = io.BytesIO()
    picture.save(buffer, kind, **options)
    return buffer.getvalue()


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def a_png(size=(40, 30), mode="RGB", color=(200, 80, 80), **options):
    return encoded(PILImage.new(mode, size, color), "PNG", **options)


def change_url(condition):
    return reverse("admin:conditions_condition_change", args=[condition.pk])


def state(condition):
    """What a refused upload must leave as it was."""
    return {
        "images": sorted(Image.objects.values_list("pk", "file")),
        "files": uploaded_files(),
        "revisions": Version.objects.get_for_object(condition).count(),
        "title": Condition.objects.get(pk=condition.pk).title_en,
    }


def post_picture(client, condition, file):
    """Post the change form with `file` as a new picture of the article.

    The response remembers the state before (``response.before``).
    """
    url = change_url(condition)
    data = change_form_data(client.get(url))
    index = int(data["images-TOTAL_FORMS"])
    data["images-TOTAL_FORMS"] = str(index + 1)
    prefix = f"images-{index}-"
    data.update(
        {
            f"{prefix}file": file,
            f"{prefix}position": "1",
            f"{prefix}section_kind": "",
            f"{prefix}alt_text_en": "A hand with cramped fingers",
            f"{prefix}alt_text_es": "Una mano con los dedos contraídos",
            f"{prefix}credit": "Copyright © Test Illustrators",
            "change_note": "Added a picture",
        }
    )
    before = state(condition)
    response = client.post(url, data)
    response.before = before
    return response


def uploaded_files():
    root = Path(settings.MEDIA_ROOT) / "uploads"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def stored(response, condition):
    """Return the one picture the post added, and its stored bytes."""
    assert response.status_code == 302, errors(response)
    known = [pk for pk, _file in response.before["images"]]
    image = Image.objects.exclude(pk__in=known).get(condition=condition)
    with image.file.open("rb") as handle:
        return image, handle.read()


def errors(response):
    """The messages the change form shows next to the fields."""
    page = lxml.html.fromstring(response.content.decode())
    items = page.xpath("//ul[@class='errorlist']/li")
    # (Sizes are written with a no-break space: "20.0\xa0MB".)
    return [item.text_content().replace("\xa0", " ") for item in items]


def assert_refused(response, message, condition):
    assert response.status_code == 200
    assert any(message in error for error in errors(response)), errors(response)
    assert response.before["files"], "the article's own picture is there"
    assert state(condition) == response.before


# 1. Refused, and nothing saved ---------------------------------------------


def test_the_default_limits_take_a_phone_photo_and_refuse_a_30_mb_file(
    editor, condition
):
    assert settings.UPLOAD_MAX_BYTES == 20 * 1024 * 1024
    assert settings.UPLOAD_MAX_PIXELS == 50_000_000
    # A real PNG header, then 30 MB: refused on its size, before it is read.
    data = a_png() + bytes(30 * 1024 * 1024)

    response = post_picture(editor, condition, upload("scan.png", data))

    assert_refused(
        response, "This file is 30.0 MB; a picture may be at most 20.0 MB.", condition
    )


def test_a_file_above_the_configured_size_is_refused(editor, condition, settings):
    settings.UPLOAD_MAX_BYTES = 100 * 1024
    noise = PILImage.effect_noise((300, 300), 100).convert("RGB")
    data = encoded(noise, "PNG")
    assert len(data) > 100 * 1024

    response = post_picture(editor, condition, upload("noise.png", data))

    assert_refused(response, "a picture may be at most 100.0 KB.", condition)


def test_a_picture_of_too_many_pixels_is_refused_before_it_is_decoded(
    editor, condition, monkeypatch
):
    # 144 megapixels of one colour: a 170 KB file.
    data = a_png((12000, 12000), mode="L", color=200)
    assert len(data) < 1024 * 1024
    decoded = []
    real_load = ImageFile.ImageFile.load

    def load(picture):
        decoded.append(picture.size)
        return real_load(picture)

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)

    response = post_picture(editor, condition, upload("poster.png", data))

    assert_refused(
        response,
        "This picture is 12000 × 12000 pixels (144 megapixels); a picture may "
        "have at most 50 megapixels.",
        condition,
    )
    assert decoded == []


def test_the_pixel_limit_is_configurable(editor, condition, settings):
    settings.UPLOAD_MAX_PIXELS = 1_000_000

    response = post_picture(
        editor, condition, upload("wide.png", a_png((1001, 1000), mode="L", color=9))
    )

    assert_refused(response, "a picture may have at most 1 megapixels", condition)


NOT_A_PICTURE = "This file is not a JPEG, PNG or WebP picture, whatever its name says."
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.mark.parametrize(
    "name,data,content_type",
    [
        (
            "leaflet.png",
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
            "image/png",
        ),
        ("photo.jpg", b"<!DOCTYPE html><script>alert(1)</script>", "image/jpeg"),
        ("icon.png", SVG, "image/png"),
        ("drawing.webp", SVG, "image/webp"),
        ("animation.gif", encoded(PILImage.new("RGB", (8, 8)), "GIF"), "image/gif"),
        ("scan.tiff", encoded(PILImage.new("RGB", (8, 8)), "TIFF"), "image/tiff"),
        ("empty.jpg", b"\xff\xd8\xff", "image/jpeg"),
    ],
    ids=[
        "pdf-as-png",
        "html-as-jpg",
        "svg-as-png",
        "svg-as-webp",
        "gif",
        "tiff",
        "jpeg-header-only",
    ],
)
def test_a_file_that_is_not_a_jpeg_png_or_webp_picture_is_refused(
    editor, condition, name, data, content_type
):
    response = post_picture(editor, condition, upload(name, data, content_type))

    assert_refused(response, NOT_A_PICTURE, condition)


def test_a_damaged_picture_is_refused(editor, condition):
    noise = PILImage.effect_noise((400, 400), 80).convert("RGB")
    data = encoded(noise, "JPEG")

    response = post_picture(
        editor, condition, upload("cut.jpg", data[: len(data) // 2])
    )

    assert_refused(
        response,
        "This picture could not be read: the file is damaged or incomplete.",
        condition,
    )


# 2. Accepted: encoded again, under a random name ----------------------------


def test_a_phone_photo_is_stored_upright_without_exif_gps_or_comment(editor, condition):
    file = photo("IMG_2041 at home.jpg")  # EXIF orientation 6, GPS, a comment

    image, data = stored(post_picture(editor, condition, file), condition)

    assert image.file.name.endswith(".jpg")
    assert data[:3] == b"\xff\xd8\xff"
    assert_no_metadata(data)
    picture = PILImage.open(io.BytesIO(data))
    assert picture.format == "JPEG"
    assert not picture.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert "icc_profile" not in picture.info
    # Upright: stored sideways 1600 × 1200 with orientation 6, now 1200 × 1600
    # with the red half on top.
    assert picture.size == (1200, 1600)
    top, bottom = picture.getpixel((600, 200)), picture.getpixel((600, 1400))
    assert top[0] > 150 and top[2] < 100, top
    assert bottom[2] > 150 and bottom[0] < 100, bottom


def test_the_stored_name_is_random_and_never_the_uploaders(editor, condition):
    names = []
    for _attempt in range(2):
        image, _data = stored(
            post_picture(editor, condition, photo("Jane Doe - biopsy.JPEG")),
            condition,
        )
        names.append(image.file.name)

    for name in names:
        assert NAME.match(name), name
        assert "jane" not in name.lower() and "biopsy" not in name.lower()
    assert names[0] != names[1]
    assert {path.name for path in uploaded_files()} >= {
        posixpath.basename(name) for name in names
    }


def test_a_png_with_html_appended_is_stored_without_the_appended_bytes(
    editor, condition
):
    html = b"<html><body><script>alert(document.cookie)</script></body></html>"
    data = a_png() + html

    image, saved = stored(
        post_picture(editor, condition, upload("chart.png", data)), condition
    )

    assert NAME.match(image.file.name) and image.file.name.endswith(".png")
    assert b"<script" not in saved and b"html" not in saved
    assert saved.endswith(b"IEND\xaeB`\x82")  # the PNG ends with its last chunk
    assert PILImage.open(io.BytesIO(saved)).getpixel((0, 0)) == (200, 80, 80)


def test_a_png_named_pdf_is_stored_as_a_png_and_shown_to_staff_as_one(
    editor, condition
):
    """The type comes from the content: the name, and its extension, go."""
    data = a_png()

    image, saved = stored(
        post_picture(editor, condition, upload("report.pdf", data, "application/pdf")),
        condition,
    )

    assert NAME.match(image.file.name) and image.file.name.endswith(".png")
    assert PILImage.open(io.BytesIO(saved)).format == "PNG"
    response = editor.get(staff_view(image.file.name))
    assert response["Content-Type"] == "image/png"


def test_png_text_chunks_and_colour_profiles_are_not_kept(editor, condition):
    from PIL import PngImagePlugin

    text = PngImagePlugin.PngInfo()
    text.add_text("Author", "Jane Doe, 12 Elm Street")
    text.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>GPS here</x:xmpmeta>")
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = a_png(mode="RGBA", color=(200, 10, 10, 128), pnginfo=text, icc_profile=srgb)

    _image, saved = stored(
        post_picture(editor, condition, upload("x.png", data)), condition
    )

    for chunk in (b"tEXt", b"iTXt", b"zTXt", b"iCCP", b"eXIf"):
        assert chunk not in saved, chunk
    assert b"Jane Doe" not in saved and b"xmpmeta" not in saved
    picture = PILImage.open(io.BytesIO(saved))
    assert picture.mode == "RGBA"
    assert picture.getpixel((0, 0)) == (200, 10, 10, 128)


@pytest.mark.parametrize(
    "kind,options,extension,chunk",
    [
        ("JPEG", {"quality": 95}, "jpg", None),
        ("PNG", {}, "png", None),
        ("WEBP", {"lossless": True}, "webp", b"VP8L"),
        ("WEBP", {"quality": 70}, "webp", b"VP8 "),
    ],
    ids=["jpeg", "png", "lossless-webp", "lossy-webp"],
)
def test_a_picture_keeps_its_format(editor, condition, kind, options, extension, chunk):
    exif = PILImage.Exif()
    exif[ExifTags.Base.Make] = "Test Camera Co"
    data = encoded(
        PILImage.new("RGB", (64, 48), (20, 140, 60)), kind, exif=exif, **options
    )
    assert b"Test Camera Co" in data

    image, saved = stored(
        post_picture(editor, condition, upload(f"picture.{extension}", data)),
        condition,
    )

    assert image.file.name.endswith(f".{extension}")
    assert PILImage.open(io.BytesIO(saved)).format == kind
    assert b"Test Camera Co" not in saved and b"Exif" not in saved
    if chunk:
        assert chunk in saved[12:40]


def test_the_file_input_asks_for_the_accepted_types(editor, condition):
    html = editor.get(change_url(condition)).content.decode()
    assert 'accept="image/jpeg,image/png,image/webp"' in html


def test_the_demo_pictures_go_through_the_same_checks(db):
    loader.load_accounts()
    loader.load_content()

    images = Image.objects.all()
    assert images
    for image in images:
        assert NAME.match(image.file.name), image.file.name
        with image.file.open("rb") as handle:
            assert_no_metadata(handle.read())


# 3. The page shows a bounded rendition ---------------------------------------


def test_a_large_upload_is_shown_as_a_bounded_rendition(
    editor, client, django_capture_on_commit_callbacks
):
    condition = make_condition(sections=1, references=1, images=0)
    # Under the pixel limit (16 megapixels), far taller than a rendition.
    data = a_png((2000, 8000), mode="RGB", color=(30, 120, 60))
    image, _saved = stored(
        post_picture(editor, condition, upload("tall.png", data)), condition
    )
    published(
        Condition.objects.get(pk=condition.pk), django_capture_on_commit_callbacks
    )

    figure = figure_of(client, page_url(condition))

    # Scaled to the rendition's height limit (2048), never 2000 × 8000.
    assert (figure["width"], figure["height"]) == (512, 2048)
    assert [width for _, width in figure["srcset"]] == [320, 512]
    fallback = PILImage.open(io.BytesIO(fetch(client, figure["src"])))
    assert fallback.size == (512, 2048)
    for path in public_files():
        with PILImage.open(path) as picture:
            assert picture.width <= 1024 and picture.height <= 2048, path
    assert image.file.name not in figure["html"]
