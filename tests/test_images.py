"""Pictures: originals stay private, publication makes public renditions.

1. An uploaded original is never served to readers: not at any /media/
   address (in the test settings, and in dev's, which serve the public
   area only), only through the admin's staff view, to staff who may view
   articles.
2. Publication makes WebP renditions at a few widths and a JPEG (or PNG)
   fallback, bounded whatever the original's size, upright, without
   metadata; the page shows them with srcset, sizes, width and height of a
   rendition, never the original.
3. Files are shared (by content) between languages, publications and
   articles, and removed after the commit when no live publication shows
   them any more.
4. The review screen and the admin still show the originals, through the
   staff view.

Real uploads, real publications through the workflow, pages and files
fetched with the test client.
"""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest
from django.conf import settings
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import ExifTags, ImageDraw
from PIL import Image as PILImage

from conditions import versioning, workflow
from conditions.models import Condition, Image, Publication

from .factories import (
    make_author,
    make_condition,
    make_reviewer,
    make_user,
    publish_now,
    translate_now,
)

ROOT = Path(__file__).resolve().parent.parent

RED, BLUE = (220, 30, 30), (30, 30, 220)


@pytest.fixture(autouse=True)
def _own_media_root(settings, tmp_path):
    """Each test has its own MEDIA_ROOT, so the public area starts empty."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


# Helpers ----------------------------------------------------------------


def photo(name="photo.jpg", size=(1600, 1200), *, orientation=6, mark=0):
    """A JPEG as a phone takes it: EXIF orientation, GPS position, camera.

    Stored sideways: its left half is red, its right half blue; the EXIF
    orientation 6 says to turn it a quarter clockwise, so that upright the
    red half is on top. `mark` makes the bytes of two photos differ.
    """
    picture = PILImage.new("RGB", size, BLUE)
    draw = ImageDraw.Draw(picture)
    draw.rectangle((0, 0, size[0] // 2 - 1, size[1] - 1), fill=RED)
    draw.rectangle((size[0] - 8, 0, size[0] - 1, 7), fill=(mark % 256, 200, 0))
    exif = PILImage.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "Test Camera Co"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (40.0, 26.0, 46.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (79.0, 58.0, 56.0)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=90, exif=exif, comment=b"shot at home")
    data = buffer.getvalue()
    # What the test relies on: the upload does carry a GPS position.
    assert PILImage.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def png(name="drawing.png", size=(40, 30), *, mode="RGB", color=(200, 80, 80)):
    buffer = io.BytesIO()
    PILImage.new(mode, size, color).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def article_with(upload, **fields):
    """A draft article (English and Spanish) whose one image is `upload`."""
    condition = make_condition(sections=2, references=1, images=0, **fields)
    image = Image.objects.create(
        condition=condition,
        section_kind="definition",
        file=upload,
        alt_text_en="A hand with cramped fingers",
        alt_text_es="Una mano con los dedos contraídos",
        caption_en="Writer's cramp",
        caption_es="Calambre del escribiente",
        credit="Copyright © Test Illustrators",
    )
    return condition, image


def published(condition, callbacks, **kwargs):
    with callbacks(execute=True):
        return publish_now(condition, **kwargs)


def unpublish(condition, callbacks):
    editor = make_user(groups=["Editors"])
    with callbacks(execute=True):
        workflow.unpublish(
            Condition.objects.get(pk=condition.pk), user=editor, reason="Withdrawn"
        )


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return body(response)


def only(items):
    assert len(items) == 1, items
    return items[0]


def figure_of(client, url):
    """Return what the page's one figure says about its picture."""
    response = Client().get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    figure = only(lxml.html.fromstring(html).xpath("//article//figure"))
    # (libxml2 does not know <source> is void: search the whole figure.)
    source = only(figure.xpath(".//picture//source"))
    img = only(figure.xpath(".//picture//img"))
    srcset = []
    for candidate in source.get("srcset").split(","):
        address, width = candidate.split()
        assert width.endswith("w")
        srcset.append((address, int(width[:-1])))
    return {
        "html": html,
        "type": source.get("type"),
        "sizes": source.get("sizes"),
        "srcset": srcset,
        "src": img.get("src"),
        "width": int(img.get("width")),
        "height": int(img.get("height")),
        "alt": img.get("alt"),
        "loading": img.get("loading"),
    }


def public_path(url):
    """The file in the public area behind a public address."""
    assert url.startswith(settings.PUBLIC_MEDIA_URL), url
    return Path(storages["public"].path(url[len(settings.PUBLIC_MEDIA_URL) :]))


def public_files():
    root = Path(storages["public"].location)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def addresses(figure):
    return [url for url, _ in figure["srcset"]] + [figure["src"]]


def page_url(condition, language="en"):
    return Publication.objects.live(condition, language).get_absolute_url()


def staff_view(name):
    return reverse("admin:conditions_condition_original", args=[name])


# 1. Originals are private ------------------------------------------------


@pytest.mark.django_db
def test_a_draft_picture_is_not_reachable_by_readers(client):
    upload = photo()
    original = upload.read()
    condition, image = article_with(photo())
    name = image.file.name

    assert name.startswith("uploads/conditions/")
    assert (Path(settings.MEDIA_ROOT) / name).read_bytes() == original
    # Its storage address is the staff view, which sends readers to log in.
    assert image.file.url == staff_view(name)
    response = client.get(image.file.url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert original not in body(response)
    # No /media/ address serves it, nor the folder it is in.
    for url in (
        settings.MEDIA_URL + name,
        settings.PUBLIC_MEDIA_URL + name,
        settings.PUBLIC_MEDIA_URL + "../" + name,
        settings.PUBLIC_MEDIA_URL + "%2E%2E/" + name,
        settings.MEDIA_URL + name.rsplit("/", 1)[0] + "/",
        settings.PUBLIC_MEDIA_URL,
    ):
        response = client.get(url)
        # 400: a path that leaves the public area is refused outright.
        assert response.status_code in (400, 404), url
        assert original not in body(response)
    # A draft has no public file at all.
    assert public_files() == []


@pytest.mark.django_db
def test_the_staff_view_shows_an_original_to_staff_who_may_view_articles(tmp_path):
    upload = photo()
    original = upload.read()
    _condition, image = article_with(photo())
    url = staff_view(image.file.name)

    # Logged in, but not staff: the admin's login page, as for any screen.
    reader = make_user("reader")
    reader.is_staff = False
    reader.save()
    client = Client()
    client.force_login(reader)
    response = client.get(url)
    assert response.status_code == 302
    assert original not in body(response)
    # Staff without the permission to view articles: refused.
    client.force_login(make_user("staff-without-permission"))
    response = client.get(url)
    assert response.status_code == 403
    assert original not in body(response)
    # A medical reviewer (may view articles): the original, kept private.
    client.force_login(make_reviewer())
    response = client.get(url)
    assert response.status_code == 200
    assert body(response) == original
    assert response["Content-Type"] == "image/jpeg"
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    # Nothing outside the uploads, and only pictures.
    (tmp_path / "secret.png").write_bytes(original)
    (Path(settings.MEDIA_ROOT) / "notes.txt").write_text("private")
    for name in ("../secret.png", "notes.txt", "uploads/missing.png"):
        assert client.get(staff_view(name)).status_code == 404, name


DEV_CHECK = """
import json, os, sys
import django
django.setup()
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve

root = settings.MEDIA_ROOT
for name in ("uploads/conditions/2026/x.jpg", "conditions/library/heart.png",
             "public/images/ab/abc-320.webp"):
    path = os.path.join(root, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(b"picture bytes")
statuses = {}
client = Client(HTTP_HOST="localhost")
for url in sys.argv[1:]:
    try:
        resolve(url)
    except Resolver404:
        statuses[url] = "unrouted"
        continue
    statuses[url] = client.get(url).status_code
print(json.dumps({"serve": settings.SERVE_PUBLIC_MEDIA, "statuses": statuses}))
"""


def run_settings(module, tmp_path, urls):
    environment = {
        **{k: v for k, v in os.environ.items() if k not in ("REDIS_URL",)},
        "DJANGO_SETTINGS_MODULE": module,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        # What production requires to start (healthinfo/settings/prod.py).
        "DJANGO_SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "localhost",
        "SITE_URL": "https://health.example.org",
        "EMAIL_URL": "consolemail://",
        "DEFAULT_FROM_EMAIL": "library@example.org",
    }
    result = subprocess.run(
        [sys.executable, "-c", DEV_CHECK, *urls],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_dev_serves_the_public_area_only_and_production_none_of_it(tmp_path):
    public = "/media/public/images/ab/abc-320.webp"
    private = [
        "/media/uploads/conditions/2026/x.jpg",
        "/media/conditions/library/heart.png",
        "/media/public/../uploads/conditions/2026/x.jpg",
        "/media/public/%2E%2E/uploads/conditions/2026/x.jpg",
    ]

    dev = run_settings("healthinfo.settings.dev", tmp_path / "dev", [public, *private])
    assert dev["serve"] is True
    assert dev["statuses"][public] == 200
    for url in private:
        assert dev["statuses"][url] in (400, 404, "unrouted"), url

    # In production the web server serves MEDIA_ROOT/public/ (README).
    prod = run_settings("healthinfo.settings.prod", tmp_path / "prod", [public])
    assert prod == {"serve": False, "statuses": {public: "unrouted"}}


# 2. Publication makes public renditions ------------------------------------


def assert_no_metadata(data):
    picture = PILImage.open(io.BytesIO(data))
    assert not picture.getexif()
    assert "exif" not in picture.info and "comment" not in picture.info
    for marker in (b"Exif", b"EXIF", b"GPS", b"Test Camera", b"shot at home", b"XMP"):
        assert marker not in data, marker


@pytest.mark.django_db
def test_publication_makes_webp_renditions_at_bounded_widths_without_metadata(
    client, django_capture_on_commit_callbacks
):
    condition, image = article_with(photo())
    published(condition, django_capture_on_commit_callbacks)

    figure = figure_of(client, page_url(condition))

    # Upright (the EXIF orientation applied): 1200 × 1600, so the widths
    # are those of WIDTHS, with the heights of a portrait picture.
    assert [width for _, width in figure["srcset"]] == [320, 640, 1024]
    assert figure["type"] == "image/webp"
    assert figure["sizes"]
    for url, width in figure["srcset"]:
        data = fetch(client, url)
        assert data[:4] == b"RIFF" and data[8:12] == b"WEBP", url
        picture = PILImage.open(io.BytesIO(data))
        assert picture.format == "WEBP"
        assert picture.size == (width, round(width * 1600 / 1200))
        assert_no_metadata(data)
        rgb = picture.convert("RGB")
        top = rgb.getpixel((width // 2, picture.height // 8))
        bottom = rgb.getpixel((width // 2, picture.height * 7 // 8))
        assert top[0] > 150 and top[2] < 100, top  # red on top
        assert bottom[2] > 150 and bottom[0] < 100, bottom  # blue below
    # The <img>: the JPEG fallback, at the largest rendition's size.
    data = fetch(client, figure["src"])
    assert data[:3] == b"\xff\xd8\xff"
    fallback = PILImage.open(io.BytesIO(data))
    assert fallback.format == "JPEG"
    assert fallback.size == (figure["width"], figure["height"]) == (1024, 1365)
    assert_no_metadata(data)
    assert figure["alt"] == "A hand with cramped fingers"
    assert figure["loading"] == "lazy"
    # The page never names the original.
    assert image.file.name not in figure["html"]
    assert settings.ORIGINALS_URL not in figure["html"]
    assert "/uploads/" not in figure["html"]
    # The Spanish page shows the same files.
    spanish = figure_of(client, page_url(condition, "es"))
    assert addresses(spanish) == addresses(figure)
    assert spanish["alt"] == "Una mano con los dedos contraídos"
    # What is in the public area is what the pages show, and nothing else.
    assert public_files() == sorted(public_path(url) for url in addresses(figure))


@pytest.mark.django_db
def test_a_huge_original_is_published_only_as_bounded_renditions(
    client, django_capture_on_commit_callbacks
):
    # 12,000 pixels wide, with transparency: the fallback is a PNG.
    condition, image = article_with(
        png("panorama.png", (12000, 800), mode="RGBA", color=(30, 120, 60, 128))
    )
    published(condition, django_capture_on_commit_callbacks)

    figure = figure_of(client, page_url(condition))

    assert [width for _, width in figure["srcset"]] == [320, 640, 1024]
    assert (figure["width"], figure["height"]) == (1024, 68)
    data = fetch(client, figure["src"])
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert PILImage.open(io.BytesIO(data)).size == (1024, 68)
    assert PILImage.open(io.BytesIO(data)).mode == "RGBA"
    for path in public_files():
        with PILImage.open(path) as picture:
            assert picture.width <= 1024 and picture.height <= 2048, path
    assert len(public_files()) == 4


@pytest.mark.django_db
def test_a_small_original_is_never_enlarged(client, django_capture_on_commit_callbacks):
    condition, _image = article_with(png("small.png", (480, 320)))
    published(condition, django_capture_on_commit_callbacks)

    figure = figure_of(client, page_url(condition))

    assert [width for _, width in figure["srcset"]] == [320, 480]
    assert (figure["width"], figure["height"]) == (480, 320)
    assert fetch(client, figure["src"])[:3] == b"\xff\xd8\xff"


# 3. Shared files, removed when nothing live shows them ----------------------


@pytest.mark.django_db
def test_unpublishing_removes_the_renditions_unless_another_live_page_shows_them(
    client, django_capture_on_commit_callbacks
):
    # Two articles whose pictures are the same file uploaded twice.
    first, _ = article_with(photo("a.jpg", mark=7))
    second, _ = article_with(photo("b.jpg", mark=7))
    published(first, django_capture_on_commit_callbacks)
    published(second, django_capture_on_commit_callbacks)
    urls = addresses(figure_of(client, page_url(first)))
    assert addresses(figure_of(client, page_url(second))) == urls
    second_url = page_url(second)

    unpublish(first, django_capture_on_commit_callbacks)

    # Still shown by the second article: kept.
    assert addresses(figure_of(client, second_url)) == urls
    for url in urls:
        assert public_path(url).is_file()
        fetch(client, url)

    unpublish(second, django_capture_on_commit_callbacks)

    assert client.get(second_url).status_code == 404
    for url in urls:
        assert not public_path(url).exists()
        assert client.get(url).status_code == 404
    assert public_files() == []


@pytest.mark.django_db
def test_a_replaced_picture_gets_new_renditions_and_the_old_go_when_unused(
    client, django_capture_on_commit_callbacks
):
    condition, image = article_with(photo(mark=1))
    published(condition, django_capture_on_commit_callbacks)
    old = addresses(figure_of(client, page_url(condition)))
    times = {url: public_path(url).stat().st_mtime_ns for url in old}

    # Published again with the same picture: the same files, not rewritten.
    condition.title_en = "Focal Dystonia (updated)"
    condition.save()
    published(condition, django_capture_on_commit_callbacks, translate=False)
    assert addresses(figure_of(client, page_url(condition))) == old
    assert {url: public_path(url).stat().st_mtime_ns for url in old} == times

    # A new file: new renditions for the English page. The Spanish page
    # (not translated again yet) still shows the old picture: kept.
    image.file = photo("new.jpg", mark=2)
    image.save()
    published(condition, django_capture_on_commit_callbacks, translate=False)
    new = addresses(figure_of(client, page_url(condition)))
    assert set(new).isdisjoint(old)
    assert addresses(figure_of(client, page_url(condition, "es"))) == old
    assert all(public_path(url).is_file() for url in old + new)

    # The Spanish page moves to the new picture: the old files go.
    with django_capture_on_commit_callbacks(execute=True):
        translate_now(Condition.objects.get(pk=condition.pk))
    assert addresses(figure_of(client, page_url(condition, "es"))) == new
    assert not any(public_path(url).exists() for url in old)
    assert public_files() == sorted(public_path(url) for url in new)


# 4. Staff still see the originals -----------------------------------------


@pytest.mark.django_db
def test_the_review_screen_shows_the_originals_through_the_staff_view(
    django_capture_on_commit_callbacks,
):
    author = make_author()
    first, second = photo("before.jpg", mark=3), photo("after.jpg", mark=4)
    before_bytes, after_bytes = first.read(), second.read()
    first.seek(0)
    condition, image = article_with(first)
    published(condition, django_capture_on_commit_callbacks, user=author)
    old_name = image.file.name
    image.file = second
    image.save()
    workflow.note_edit(Condition.objects.get(pk=condition.pk), user=author)
    versioning.save_revision(condition, user=author, comment="New picture")
    request = workflow.submit(condition, user=author, note="New picture")

    reviewer = Client()
    reviewer.force_login(make_reviewer())
    response = reviewer.get(
        reverse("admin:conditions_reviewrequest_review", args=[request.pk])
    )
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content.decode())

    def picture(kind):
        figure = only(page.xpath(f"//figure[contains(@class, 'diff-image-{kind}')]"))
        return only(figure.xpath("./img")).get("src")

    assert picture("before") == staff_view(old_name)
    assert picture("after") == staff_view(image.file.name)
    assert fetch(reviewer, picture("before")) == before_bytes
    assert fetch(reviewer, picture("after")) == after_bytes
    # Not to anyone else.
    assert Client().get(picture("after")).status_code == 302

    # The admin's image inline links the original through the same view.
    editor = Client()
    editor.force_login(make_user(groups=["Editors"]))
    response = editor.get(
        reverse("admin:conditions_condition_change", args=[condition.pk])
    )
    html = response.content.decode()
    assert f'href="{staff_view(image.file.name)}"' in html
    assert fetch(editor, staff_view(image.file.name)) == after_bytes
