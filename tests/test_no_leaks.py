"""Nothing that is not live reaches a reader, on any public address.

One library, three kinds of text that must never be shown: a draft edit of
a live article (words and a new picture), an article that was never
published, and an article that was published and then taken down. Every
public address a reader or a machine can reach is crawled from the home
pages, the sitemap, the feeds, robots.txt and the API, plus searches and
type-ahead suggestions for each secret word; none may carry a secret word,
an original upload, or a picture that is not live. The taken-down
article's pictures are deleted from the public area.
"""

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.utils.text import slugify

from conditions import versioning, workflow
from conditions.models import Category, Condition, Image, Section

from .factories import make_condition, make_user, png_file, publish_now

SECRETS = {
    "draft": ("Quokkadraft", "Quokkaborrador"),
    "never": ("Quokkanever", "Quokkanunca"),
    "gone": ("Quokkagone", "Quokkaretirado"),
}
WORDS = [word for pair in SECRETS.values() for word in pair]
#: Addresses in HTML attributes, and quoted strings in JSON and XML.
ADDRESS = re.compile(
    r'(?:href|src|srcset|content)="([^"]+)"'
    r'|"(https?://[^"]+|/[^"\s]*)"'
    r"|<loc>([^<]+)</loc>"
)
#: Addresses that are not public pages (assets are fine to skip).
SKIP = ("/admin/", "/static/", "/i18n/")
MAX_PAGES = 400


@pytest.fixture(autouse=True)
def _own_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def public_files():
    root = Path(settings.MEDIA_ROOT) / "public"
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def category(name_en, name_es):
    return Category.objects.create(
        kind="body_system",
        name_en=name_en,
        name_es=name_es,
        slug_en=slugify(name_en),
        slug_es=slugify(name_es),
    )


def secret_article(english, spanish, *, slug, colour):
    """An article whose every text carries the secret words, with a picture."""
    condition = make_condition(
        title_en=f"{english} syndrome",
        title_es=f"Síndrome {spanish}",
        slug_en=slug,
        slug_es=f"{slug}-es",
        sections=2,
        images=0,
    )
    Condition.objects.filter(pk=condition.pk).update(
        summary_en=f"About {english}.",
        summary_es=f"Sobre {spanish}.",
        also_called_en=f"{english} disease",
        also_called_es=f"Enfermedad {spanish}",
    )
    Section.objects.filter(condition=condition).update(
        body_en=f"<p>{english} text.</p>", body_es=f"<p>Texto {spanish}.</p>"
    )
    Image.objects.create(
        condition=condition,
        section_kind="symptoms",
        file=png_file(f"{slug}.png", size=(700, 500), colour=colour),
        alt_text_en=f"{english} picture",
        alt_text_es=f"Imagen {spanish}",
        credit=f"{english} credit",
        position=0,
    )
    condition.refresh_from_db()
    return condition


def addresses(body):
    for match in ADDRESS.finditer(body):
        for value in (match.group(1) or match.group(2) or match.group(3)).split(","):
            value = value.strip().split(" ")[0]
            parts = urlsplit(value)
            if parts.scheme and parts.netloc not in (
                urlsplit(settings.SITE_URL).netloc,
                "testserver",
            ):
                continue
            if parts.path.startswith("/"):
                yield parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(client, start):
    """Every public address reachable from `start`: {address: body}."""
    seen, queue = {}, [(address, "start") for address in start]
    while queue and len(seen) < MAX_PAGES:
        address, linked_from = queue.pop(0)
        if address in seen or address.startswith(SKIP):
            continue
        response = client.get(address)
        # Every address a page links to answers (a search may find nothing).
        assert response.status_code in (200, 301, 302), (address, linked_from)
        if response.status_code in (301, 302):
            queue.append((response["Location"], address))
            seen[address] = ""
            continue
        if address.startswith(settings.MEDIA_URL):
            seen[address] = ""  # a picture: checked against the live ones
            continue
        body = b"".join(response) if response.streaming else response.content
        seen[address] = body.decode("utf-8", "replace")
        # (The OpenAPI description's paths are relative to the API's root.)
        if response.status_code == 200 and not address.endswith("openapi.json"):
            queue.extend(
                (a, address) for a in addresses(seen[address]) if a not in seen
            )
    return seen


@pytest.mark.django_db
def test_no_draft_unpublished_or_withdrawn_text_or_picture_on_any_public_address(
    client, django_capture_on_commit_callbacks
):
    nerves = category("Brain and nerves", "Cerebro y nervios")
    editor = make_user(groups=["Editors"])
    with django_capture_on_commit_callbacks(execute=True):
        live = make_condition(
            title_en="Focal Dystonia",
            slug_en="focal-dystonia",
            slug_es="distonia-focal",
            images=1,
        )
        live.categories.add(nerves)
        publish_now(live)
    live_files = set(public_files())
    with django_capture_on_commit_callbacks(execute=True):
        gone = secret_article(*SECRETS["gone"], slug="gone", colour=(10, 200, 10))
        gone.categories.add(nerves)
        publish_now(gone)
    gone_files = set(public_files()) - live_files
    assert live_files and gone_files  # both had public renditions

    # Taken down: its text and its pictures go.
    with django_capture_on_commit_callbacks(execute=True):
        workflow.unpublish(gone, user=editor, reason="Withdrawn advice")
    assert set(public_files()) == live_files

    with django_capture_on_commit_callbacks(execute=True):
        # Never published, in the same category.
        never = secret_article(*SECRETS["never"], slug="never", colour=(200, 10, 200))
        never.categories.add(nerves)
        versioning.save_revision(never, user=editor, comment="Draft")
        # A draft edit of the live article: words everywhere and a new picture.
        english, spanish = SECRETS["draft"]
        Condition.objects.filter(pk=live.pk).update(
            title_en=f"Focal Dystonia {english}",
            title_es=f"Distonía focal {spanish}",
            summary_en=f"{english} summary.",
            also_called_en=f"{english} alias",
        )
        Section.objects.filter(condition=live).update(
            body_en=f"<p>{english} body.</p>", body_es=f"<p>{spanish} cuerpo.</p>"
        )
        Image.objects.create(
            condition=live,
            section_kind="causes",
            file=png_file("draft.png", size=(640, 480), colour=(250, 250, 0)),
            alt_text_en=f"{english} picture",
            credit=f"{english} credit",
            position=5,
        )
        live.refresh_from_db()
        versioning.save_revision(live, user=editor, comment="Draft edit")
        workflow.submit(live, user=editor, note="Please review")

    # Drafts make no public file.
    assert set(public_files()) == live_files

    start = ["/en/", "/es/", "/sitemap.xml", "/robots.txt", "/en/feed/", "/es/feed/"]
    start += ["/api/v1/", "/api/v1/conditions/", "/api/v1/categories/"]
    start += ["/api/v1/conditions/?language=es", "/api/v1/conditions/focal-dystonia/"]
    # Searches for the words around the secret ones (each secret text has
    # them): a result from a secret text would show its secret word.
    around = ["syndrome", "síndrome", "disease", "enfermedad", "text", "texto"]
    around += ["summary", "alias", "body", "cuerpo", "picture", "Focal", "Quokka"]
    for word in around:
        for language in ("en", "es"):
            start += [f"/{language}/search/?q={word}"]
            start += [f"/{language}/search/suggest/?q={word[:4]}"]
    pages = crawl(client, start)

    kinds = {
        "article": "/en/conditions/focal-dystonia/",
        "Spanish article": "/es/conditions/distonia-focal/",
        "letter": "/en/a-z/f/",
        "category": "/en/categories/brain-and-nerves/",
        "Spanish category": "/es/categories/cerebro-y-nervios/",
        "API document": "/api/v1/conditions/focal-dystonia/",
        "search": "/en/search/?q=Focal",
        "suggestions": "/en/search/suggest/?q=Foca",
        "feed": "/en/feed/",
        "Spanish feed": "/es/feed/",
    }
    for kind, address in kinds.items():
        assert "Focal" in pages.get(address, "") or "Distonía" in pages.get(
            address, ""
        ), f"the crawl did not reach the {kind} ({address})"
    assert "/en/conditions/focal-dystonia/" in pages["/sitemap.xml"]
    assert len(pages) > 50, sorted(pages)

    for address, body in pages.items():
        for word in WORDS:
            assert word not in body, (word, address)
        assert "uploads/" not in body, address
        assert settings.ORIGINALS_URL not in body, address
    for slug in ("/en/conditions/gone/", "/es/conditions/gone-es/"):
        assert client.get(slug).status_code == 404
    for slug in ("/en/conditions/never/", "/api/v1/conditions/never/"):
        assert client.get(slug).status_code == 404

    # A search for a secret word finds nothing (the page repeats the query).
    for word in WORDS:
        for language in ("en", "es"):
            results = client.get(f"/{language}/search/", {"q": word})
            assert results.context["found"].total == 0, (language, word)
            suggested = client.get(f"/{language}/search/suggest/", {"q": word})
            assert json.loads(suggested.content)["suggestions"] == [], word

    # Every picture a reader is shown is a live rendition, and exists.
    shown = {
        address.removeprefix(settings.PUBLIC_MEDIA_URL)
        for address in pages
        if address.startswith(settings.MEDIA_URL)
    }
    assert shown and shown <= live_files
    for address in shown:
        assert client.get(settings.PUBLIC_MEDIA_URL + address).status_code == 200
    # The taken-down article's renditions are gone from the disk.
    assert not gone_files & set(public_files())
    listed = json.loads(client.get("/api/v1/conditions/").content)
    assert "focal-dystonia" in json.dumps(listed) and "gone" not in json.dumps(listed)
