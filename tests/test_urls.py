"""Reference and link addresses: full http(s) URLs, nothing that ends a quote.

A reference's URL with a quote, an angle bracket, whitespace or another
scheme is refused with a message; a rich-text link with such an address
keeps its words and loses its href, wherever the text comes in (admin,
translator workspace, XLIFF) and again at publication. ``check_urls`` lists
what was stored before these checks.
"""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from conditions import translations, xliff
from conditions.fields import sanitize_html
from conditions.models import Condition, Publication, Reference, Section

from .adminforms import change_form_data
from .factories import make_condition, make_reference, make_translator, publish_now
from .test_translations import translate, translated
from .test_xliff import read

pytestmark = pytest.mark.django_db

UNSAFE = "A web address cannot contain quotes, angle brackets (< >) or spaces"
NOT_WEB = "Enter a full web address starting with http:// or https://."

BAD_URLS = [
    ('https://example.org/a"onmouseover="alert(1)', UNSAFE),
    ("https://example.org/<script>alert(1)</script>", UNSAFE),
    ("https://example.org/a>b", UNSAFE),
    ("https://example.org/a<b", UNSAFE),
    ("https://example.org/it's", UNSAFE),
    ("https://example.org/a b", UNSAFE),
    ("https://example.org/a\tb", UNSAFE),
    ("https://example.org/a\nb", UNSAFE),
    ("https://example.org/a`b", UNSAFE),
    ("javascript:alert(1)", NOT_WEB),
    ("JavaScript:alert(document.cookie)", NOT_WEB),
    ('javascript:alert("x")', UNSAFE),
    ("data:text/html,hello", NOT_WEB),
    ("ftp://example.org/file", NOT_WEB),
    ("//example.org/page", NOT_WEB),
    ("/en/conditions/focal-dystonia/", NOT_WEB),
]
GOOD_URLS = [
    "https://pubmed.ncbi.nlm.nih.gov/29086067/",
    "http://example.org",
    "https://example.org/a%22b%3Cc%3E?q=a%20b&lang=es#section-2",
    "https://en.wikipedia.org/wiki/Crohn%27s_disease",
]


# ------------------------------------------------------------- references


@pytest.mark.parametrize("url,message", BAD_URLS)
def test_a_reference_url_that_is_not_a_plain_web_address_is_refused(
    admin_client, url, message
):
    data = {"title": "Dystonias fact sheet", "url": url}

    response = admin_client.post(reverse("admin:conditions_reference_add"), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["url"][0].startswith(message)
    assert not Reference.objects.exists()


@pytest.mark.parametrize("url,message", BAD_URLS)
def test_the_model_refuses_them_too(url, message):
    with pytest.raises(ValidationError) as error:
        Reference(title="A fact sheet", url=url).full_clean()
    assert error.value.message_dict["url"][0].startswith(message)


@pytest.mark.parametrize("url", GOOD_URLS)
def test_a_plain_web_address_is_accepted(admin_client, url):
    data = {"title": "Dystonias fact sheet", "url": url}
    response = admin_client.post(reverse("admin:conditions_reference_add"), data)
    assert response.status_code == 302
    assert Reference.objects.get().url == url


def test_a_changed_reference_keeps_its_old_url_when_the_new_one_is_refused(
    admin_client,
):
    reference = make_reference(url="https://example.org/ok")
    url = reverse("admin:conditions_reference_change", args=[reference.pk])
    data = change_form_data(admin_client.get(url))
    data["url"] = 'https://example.org/"><script>alert(1)</script>'

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["url"][0].startswith(UNSAFE)
    assert Reference.objects.get(pk=reference.pk).url == "https://example.org/ok"


# ------------------------------------------------------- rich-text links


@pytest.mark.parametrize(
    "href",
    [
        "https://example.org/&quot;onmouseover=&quot;alert(1)",
        "https://example.org/&lt;script&gt;",
        "https://example.org/a b",
        "https://example.org/a&#9;b",
        "https://example.org/it's",
        "javascript:alert(1)",
        "java&#9;script:alert(1)",
        "data:text/html,hello",
        "vbscript:msgbox(1)",
        "//evil.example/page",
        "/\\evil.example/page",
        "/a b",
        "/x&quot;onclick=&quot;1",
        "relative/page",
        "#anchor",
        "mailto:someone@example.org?subject=a b",
    ],
)
def test_a_link_with_an_unsafe_address_keeps_its_words_but_not_its_href(href):
    html = f'<p>Read <a href="{href}" title="more">the fact sheet</a>.</p>'
    assert sanitize_html(html) == '<p>Read <a title="more">the fact sheet</a>.</p>'


@pytest.mark.parametrize(
    "href,kept",
    [
        ("https://medlineplus.gov/dystonia.html", None),
        ("http://example.org/a%22b?x=1#y", None),
        ("mailto:info@example.org", None),
        ("/en/conditions/tremor/", None),  # another article of this site
        ("  https://example.org/x\n", "https://example.org/x"),  # ends trimmed
    ],
)
def test_a_link_with_a_plain_address_is_kept(href, kept):
    html = f'<p><a href="{href}">link</a></p>'
    assert sanitize_html(html) == f'<p><a href="{kept or href}">link</a></p>'


@pytest.fixture
def editor(client):
    from django.contrib.auth import get_user_model

    from conditions.demo import loader

    loader.load_accounts()
    loader.load_content()
    client.force_login(get_user_model().objects.get(username="admin"))
    return client


def test_links_saved_in_the_admin_lose_unsafe_addresses(editor):
    condition = Condition.objects.get(slug_en="focal-dystonia")
    url = reverse("admin:conditions_condition_change", args=[condition.pk])
    data = change_form_data(editor.get(url))
    data["sections-0-body_en"] = (
        '<p><a href="https://example.org/&quot;&gt;&lt;script&gt;">bad</a> and '
        '<a href="https://medlineplus.gov/">good</a></p>'
    )

    response = editor.post(url, data)

    assert response.status_code == 302
    body = condition.sections.order_by("position").first().body_en
    assert body == '<p><a>bad</a> and <a href="https://medlineplus.gov/">good</a></p>'


def test_links_saved_in_the_translator_workspace_lose_unsafe_addresses(client):
    condition = translated()
    client.force_login(make_translator("es"))
    section = condition.sections.order_by("position").first()
    key = translations.unit_key(Section, section.pk, "body")

    translate(
        client,
        condition,
        {key: '<p><a href="https://example.org/a b">mal</a> texto</p>'},
    )

    section.refresh_from_db()
    assert section.body_es == "<p><a>mal</a> texto</p>"


def test_links_imported_from_xliff_lose_unsafe_addresses():
    condition = make_condition(
        sections=1, references=1, images=0, title_es="", slug_es=""
    )
    publish_now(condition, translate=False)
    section = condition.sections.get()
    key = translations.unit_key(Section, section.pk, "body")
    store, units = read(xliff.export([condition], "es"))
    units[key].target = "<p><a href='javascript:alert(1)'>mal</a> texto</p>"
    units[translations.unit_key(Condition, condition.pk, "title")].target = "Título"
    units[translations.unit_key(Condition, condition.pk, "slug")].target = "titulo"

    report = xliff.import_file(bytes(store), user=make_translator("es"))

    assert report.applied, report.as_text()
    section.refresh_from_db()
    assert section.body_es == "<p><a>mal</a> texto</p>"


def test_a_bad_link_stored_before_the_checks_is_never_published(client):
    condition = make_condition(sections=1, references=1, images=0, title_es="")
    bad = 'https://example.org/"onmouseover="alert(1)'
    Section.objects.filter(condition=condition).update(
        body_en=f"<p><a href='{bad}'>bad link</a></p>"
    )

    (publication,) = publish_now(Condition.objects.get(pk=condition.pk))

    assert publication.snapshot["sections"][0]["html"] == "<p><a>bad link</a></p>"
    page = client.get(publication.get_absolute_url()).content.decode()
    assert "bad link" in page
    assert "onmouseover" not in page


# -------------------------------------------------------------- check_urls


def run_check_urls():
    """Run check_urls; return (exit status, stdout lines, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("check_urls", stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue().splitlines(), str(error)
    return 0, out.getvalue().splitlines(), err.getvalue()


def test_check_urls_exits_0_on_a_clean_library():
    condition = make_condition(references=2)
    Reference.objects.update(url="https://example.org/ok")
    publish_now(condition)

    status, lines, summary = run_check_urls()

    assert status == 0
    assert lines == []
    assert summary.strip() == (
        "0 unsafe addresses (checked: references 2, sections 7, live publications 2)."
    )


def test_check_urls_lists_bad_values_stored_before_the_checks_and_exits_1():
    condition = make_condition(sections=2, references=1)
    publish_now(condition)
    reference = Reference.objects.get()
    section = condition.sections.order_by("position").first()
    # Stored without validation, as before these checks existed.
    Reference.objects.filter(pk=reference.pk).update(
        url='https://example.org/"><script>'
    )
    Section.objects.filter(pk=section.pk).update(
        body_es='<p><a href="javascript:alert(1)">x</a></p>'
    )
    live = Publication.objects.current().get(condition=condition, language="en")
    live.snapshot["sections"][1]["html"] = '<p><a href="/a b">y</a></p>'
    live.snapshot["references"][0]["url"] = "https://example.org/a b"
    Publication.objects.filter(pk=live.pk).update(snapshot=live.snapshot)

    status, lines, summary = run_check_urls()

    assert status == 1
    assert lines == [
        f"reference\t{reference.pk}\turl\t'https://example.org/\"><script>'",
        f"section\t{section.pk}\tbody_es\t'javascript:alert(1)'",
        f"publication\t{live.pk}\tsections[1].html\t'/a b'",
        f"publication\t{live.pk}\treferences[0].url\t'https://example.org/a b'",
    ]
    assert summary == (
        "4 unsafe addresses (checked: references 1, sections 2, live publications 2)."
    )
    # Nothing is changed: the editors correct them.
    assert Reference.objects.get().url == 'https://example.org/"><script>'
