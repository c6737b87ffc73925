"""Size caps, from the side of the person refused.

Every text field has a maximum length (rich-text bodies:
RICH_TEXT_MAX_CHARS), an XLIFF file a maximum size (XLIFF_MAX_BYTES, the
upload cap), a request a maximum body (REQUEST_MAX_BYTES, and
DATA_UPLOAD_MAX_MEMORY_SIZE for its form fields). Each limit is refused
with a message that names the field or the file and the limit, and the
database is left exactly as it was.
"""

import io
import tracemalloc

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from reversion.models import Revision, Version

from conditions import translations, workflow, xliff
from conditions.demo import loader
from conditions.models import (
    Condition,
    FieldTranslation,
    Publication,
    ReviewComment,
    ReviewRequest,
    Section,
)

from .adminforms import change_form_data
from .factories import make_author, make_condition, make_translator, publish_now
from .test_translations import translated, workspace_data, workspace_url
from .test_xliff import read

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def too_long_body(limit=None):
    """Return a body one character longer than the cap, as the editor sends it."""
    limit = limit or settings.RICH_TEXT_MAX_CHARS
    return "<p>" + "a" * (limit - len("<p></p>") + 1) + "</p>"


def plain(text):
    """Return text with the no-break spaces of file sizes as plain spaces."""
    return text.replace("\xa0", " ")


def state():
    """Everything an editor's or a translator's save could change."""
    return {
        "revisions": Revision.objects.count(),
        "versions": Version.objects.count(),
        "requests": list(ReviewRequest.objects.values_list("pk", "state")),
        "comments": ReviewComment.objects.count(),
        "records": FieldTranslation.objects.count(),
        "conditions": list(
            Condition.objects.order_by("pk").values_list(
                "title_es", "summary_en", "summary_es", "also_called_es"
            )
        ),
        "sections": list(
            Section.objects.order_by("pk").values_list("body_en", "body_es")
        ),
    }


@pytest.fixture
def demo(db):
    loader.load_accounts()
    loader.load_content()
    return Condition.objects.get(slug_en="focal-dystonia")


@pytest.fixture
def editor(client, demo):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="admin"))
    return client


def change_url(condition):
    return reverse("admin:conditions_condition_change", args=[condition.pk])


def section_errors(response, field):
    """Return the errors of the first section's field in the change form."""
    sections = next(
        i.formset
        for i in response.context["inline_admin_formsets"]
        if i.formset.prefix == "sections"
    )
    return sections.forms[0].errors.get(field, [])


# ------------------------------------------------------------ admin forms


def test_a_body_above_the_cap_is_refused_in_the_admin_and_nothing_changes(editor, demo):
    url = change_url(demo)
    data = change_form_data(editor.get(url))
    data["sections-0-body_es"] = too_long_body()
    data["title_es"] = "Distonía focal (revisada)"  # not saved either
    before = state()

    response = editor.post(url, data)

    assert response.status_code == 200
    limit = f"{settings.RICH_TEXT_MAX_CHARS:,}"
    length = f"{settings.RICH_TEXT_MAX_CHARS + 1:,}"
    (message,) = section_errors(response, "body_es")
    assert message == (
        f"This text is too long: {length} characters of HTML, and at most "
        f"{limit} are allowed. Split it into several sections."
    )
    assert message in response.content.decode()
    assert state() == before


def test_a_body_at_the_cap_is_saved(editor, demo):
    url = change_url(demo)
    data = change_form_data(editor.get(url))
    body = too_long_body()[: -len("a</p>")] + "</p>"
    assert len(body) == settings.RICH_TEXT_MAX_CHARS
    data["sections-0-body_es"] = body

    response = editor.post(url, data)

    assert response.status_code == 302
    assert demo.sections.order_by("position").first().body_es == body


@override_settings(RICH_TEXT_MAX_CHARS=500)
def test_the_body_cap_is_a_setting(editor, demo):
    url = change_url(demo)
    data = change_form_data(editor.get(url))
    data["sections-0-body_en"] = too_long_body(500)

    response = editor.post(url, data)

    assert response.status_code == 200
    assert "at most 500 are allowed" in section_errors(response, "body_en")[0]


@pytest.mark.parametrize(
    "field,limit",
    [("summary_es", 1000), ("also_called_en", 2000), ("summary_en", 1000)],
)
def test_plain_texts_above_their_cap_are_refused_in_the_admin(
    editor, demo, field, limit
):
    url = change_url(demo)
    data = change_form_data(editor.get(url))
    data[field] = "x" * (limit + 1)
    before = state()

    response = editor.post(url, data)

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors[field] == [
        f"Ensure this value has at most {limit} characters (it has {limit + 1})."
    ]
    assert f'maxlength="{limit}"' in str(form[field])  # the browser stops there
    assert state() == before


def test_the_disclaimer_is_capped(editor, demo):
    from conditions.models import Disclaimer

    disclaimer = Disclaimer.objects.get()
    url = reverse("admin:conditions_disclaimer_change", args=[disclaimer.pk])
    data = change_form_data(editor.get(url))
    data["text_en"] = "x" * 5001

    response = editor.post(url, data)

    assert response.status_code == 200
    assert "at most 5000 characters" in response.content.decode()
    assert Disclaimer.objects.get().text_en == disclaimer.text_en


# ------------------------------------------------------ translator workspace


def test_a_body_above_the_cap_is_refused_in_the_translator_workspace(client):
    condition = translated()
    translator = make_translator("es")
    client.force_login(translator)
    body = condition.sections.order_by("position").first()
    key = translations.unit_key(Section, body.pk, "body")
    data = workspace_data(client, condition, {key: too_long_body()})
    before = state()

    response = client.post(workspace_url(condition), data)

    assert response.status_code == 200
    errors = response.context["form"].errors[f"unit:{key}"]
    assert errors == [
        f"This text is too long: {settings.RICH_TEXT_MAX_CHARS + 1:,} characters "
        f"of HTML, and at most {settings.RICH_TEXT_MAX_CHARS:,} are allowed. "
        "Split it into several sections."
    ]
    assert state() == before


def test_a_summary_above_the_cap_is_refused_in_the_translator_workspace(client):
    condition = translated()
    client.force_login(make_translator("es"))
    key = translations.unit_key(Condition, condition.pk, "summary")
    data = workspace_data(client, condition, {key: "y" * 1001})
    before = state()

    response = client.post(workspace_url(condition), data)

    assert response.status_code == 200
    assert response.context["form"].errors[f"unit:{key}"] == [
        "Ensure this value has at most 1000 characters (it has 1001)."
    ]
    assert state() == before


def test_saving_a_translation_outside_a_form_names_the_field_and_the_limit():
    condition = translated()
    key = translations.unit_key(Condition, condition.pk, "summary")
    before = state()

    with pytest.raises(ValidationError) as error:
        translations.save_translation(
            condition, language="es", values={key: "y" * 1001}, user=make_translator()
        )

    assert error.value.messages == [
        "Summary: Ensure this value has at most 1000 characters (it has 1001)."
    ]
    assert state() == before


# ------------------------------------------------------------------ XLIFF


def test_an_xliff_file_above_the_cap_is_refused_by_the_command_unread(tmp_path):
    make_translator("es", "traductora")
    path = tmp_path / "huge.xlf"
    path.write_bytes(b"\0" * (settings.XLIFF_MAX_BYTES + 1))  # not even XML
    before = state()

    tracemalloc.start()
    try:
        with pytest.raises(CommandError) as error:
            call_command("import_xliff", str(path), "--user", "traductora")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert plain(str(error.value)) == (
        "huge.xlf: The file is too large (20971521 bytes): an XLIFF import "
        "accepts at most 20971520 bytes. Export fewer articles at a time."
    )
    assert peak < MB  # the 20 MB were never read
    assert state() == before


def test_an_xliff_upload_above_the_cap_is_refused_in_the_admin(client):
    client.force_login(make_translator("es"))
    upload = io.BytesIO(b"<" * (settings.XLIFF_MAX_BYTES + 1))
    upload.name = "huge.xlf"
    before = state()

    response = client.post(
        reverse("admin:conditions_condition_xliff_import"), {"file": upload}
    )

    assert response.status_code == 200
    assert [plain(e) for e in response.context["form"].errors["file"]] == [
        "The file is too large (20971521 bytes): an XLIFF import accepts at "
        "most 20971520 bytes. Export fewer articles at a time."
    ]
    assert response.context["report"] is None  # never parsed
    assert state() == before


def test_the_xliff_cap_is_the_upload_cap_and_a_setting(tmp_path):
    assert settings.XLIFF_MAX_BYTES == settings.UPLOAD_MAX_BYTES
    make_translator("es", "traductora")
    path = tmp_path / "small.xlf"
    path.write_bytes(b"x" * 1000)
    with override_settings(XLIFF_MAX_BYTES=1000):
        # At the cap, the file is read: it is refused as what it is.
        with pytest.raises(CommandError, match="not well-formed XML"):
            call_command("import_xliff", str(path), "--user", "traductora")
        path.write_bytes(b"x" * 1001)
        with pytest.raises(CommandError, match="too large"):
            call_command("import_xliff", str(path), "--user", "traductora")


class Stream:
    """A file of unknown size (a pipe): only read() is known."""

    def __init__(self, size):
        self.left, self.read_bytes = size, 0

    def read(self, n=-1):
        n = self.left if n is None or n < 0 else min(n, self.left)
        self.left -= n
        self.read_bytes += n
        return b"<a>" if self.read_bytes == n and n >= 3 else b" " * n


@override_settings(XLIFF_MAX_BYTES=100_000)
def test_a_stream_of_unknown_size_is_read_no_further_than_the_cap():
    stream = Stream(10 * MB)

    report = xliff.import_file(stream, user=make_translator("es"))

    assert report.rejected
    assert [plain(str(p)) for p in report.problems] == [
        "The file is larger than 97.7 KB, the most an XLIFF import accepts. "
        "Export fewer articles at a time."
    ]
    assert stream.read_bytes <= 100_000 + 64 * 1024


@pytest.fixture
def article():
    """A live English article, not yet translated into Spanish."""
    condition = make_condition(
        sections=2, references=1, images=0, title_es="", slug_es=""
    )
    publish_now(condition, translate=False)
    return Condition.objects.get(pk=condition.pk)


def exported(condition, targets):
    """Return the article's XLIFF with targets filled in by a CAT tool."""
    store, units = read(xliff.export([condition], "es"))
    for key, text in targets.items():
        units[key].target = text
    return bytes(store)


def test_an_xliff_file_with_a_body_above_the_cap_is_refused_whole(article):
    translator = make_translator("es", "traductora")
    body = translations.unit_key(Section, article.sections.first().pk, "body")
    summary = translations.unit_key(Condition, article.pk, "summary")
    data = exported(article, {summary: "Un resumen.", body: too_long_body()})
    before = state()

    report = xliff.import_file(data, user=translator, filename="big.xlf")

    assert report.rejected and not report.applied
    (problem,) = [str(p) for p in report.problems]
    assert problem.startswith(f"condition/{article.pk} ({article}) {body}: ")
    assert problem.endswith(
        "Section “Definition”: body: This text is too long: "
        f"{settings.RICH_TEXT_MAX_CHARS + 1:,} characters of HTML, and at most "
        f"{settings.RICH_TEXT_MAX_CHARS:,} are allowed. Split it into several "
        "sections."
    )
    # The summary in the same file, valid on its own, is not applied either.
    assert state() == before


def test_an_xliff_summary_above_the_cap_is_refused_by_the_command_dry_run(
    article, tmp_path
):
    make_translator("es", "traductora")
    summary = translations.unit_key(Condition, article.pk, "summary")
    path = tmp_path / "long.xlf"
    path.write_bytes(exported(article, {summary: "z" * 1001}))
    before = state()

    with pytest.raises(CommandError) as error:
        call_command("import_xliff", str(path), "--user", "traductora", "--dry-run")

    assert (
        f"{summary}: Summary: Ensure this value has at most 1000 characters "
        "(it has 1001)."
    ) in str(error.value)
    assert state() == before


# ---------------------------------------------------------------- requests


@override_settings(REQUEST_MAX_BYTES=200_000)
def test_a_request_above_the_request_cap_is_answered_413_and_nothing_saved(
    editor, demo
):
    url = change_url(demo)
    data = change_form_data(editor.get(url))
    data["sections-0-body_es"] = "<p>" + "b" * 250_000 + "</p>"
    before = state()

    response = editor.post(url, data)

    assert response.status_code == 413
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = plain(response.content.decode())
    assert text.startswith("The request is too large (")
    assert "the site accepts at most 195.3 KB at once, files included" in text
    assert state() == before


def test_an_upload_above_the_request_cap_is_answered_413(client):
    client.force_login(make_translator("es"))
    upload = io.BytesIO(b"x" * 2000)
    upload.name = "x.xlf"
    with override_settings(REQUEST_MAX_BYTES=1000):
        response = client.post(
            reverse("admin:conditions_condition_xliff_import"), {"file": upload}
        )
    assert response.status_code == 413
    assert "files included" in response.content.decode()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100_000)
def test_form_fields_above_the_form_cap_are_answered_413(editor, demo):
    url = change_url(demo)
    data = change_form_data(editor.get(url))
    data["sections-0-body_es"] = "<p>" + "c" * 150_000 + "</p>"
    before = state()

    # multipart (the admin's forms): counted by Django as it parses
    response = editor.post(url, data)
    assert response.status_code == 413
    assert plain(response.content.decode()) == (
        "The form is too large: the site accepts at most 97.7 KB of text at "
        "once. Shorten the longest texts and send it again."
    )
    # url-encoded: refused from its Content-Length
    from urllib.parse import urlencode

    response = editor.post(
        url, urlencode(data), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    assert state() == before


def test_the_default_caps_fit_together():
    """A file at the upload cap, with a full form, passes the request cap."""
    assert settings.REQUEST_MAX_BYTES > (
        max(settings.UPLOAD_MAX_BYTES, settings.XLIFF_MAX_BYTES)
        + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    )
    # A form of bodies at the cap (UTF-8, two languages) fits the form cap.
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE > 2 * 3 * settings.RICH_TEXT_MAX_CHARS


# --------------------------------------------------- notes, comments, reasons


def test_a_change_note_above_its_cap_is_refused_and_nothing_is_submitted():
    condition = make_condition(sections=1, references=1, images=0)
    before = state()
    with pytest.raises(workflow.TransitionError) as error:
        workflow.submit(condition, user=make_author(), note="n" * 2001)
    assert str(error.value) == (
        "change note: Ensure this value has at most 2000 characters (it has 2001)."
    )
    assert state() == before


def test_an_unpublish_reason_above_its_cap_is_refused_in_the_admin(editor, demo):
    live = Publication.objects.current().filter(condition=demo).count()
    assert live
    response = editor.post(
        reverse("admin:conditions_condition_workflow", args=[demo.pk, "unpublish"]),
        {"reason": "r" * 1001},
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert (
        "reason for withdrawal: Ensure this value has at most 1000 characters "
        "(it has 1001)." in messages
    )
    assert Publication.objects.current().filter(condition=demo).count() == live
