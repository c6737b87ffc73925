"""Import MedlinePlus health-topics XML (the NLM's daily public file).

An English topic and the Spanish topic its ``language-mapped-topic`` names
become one article in two languages: title, also-called names, the summary
(a "definition" section, sanitised, and its first sentences as the plain
summary), MeSH descriptor, groups (as categories), related topics (once they
are imported too) and the topic pages as references.

The file is read as a stream, twice: a first pass checks the whole file and
notes where each topic is (its id, language, pair, line and bytes); the
second builds one English topic at a time and reads its Spanish pair from
where the first pass found it. Memory holds one topic, not the file.

This module reads; ``medlineplus_apply`` writes the articles: drafts, a
revision by the importing user. A re-import of a topic (``ImportedRecord``
source "medlineplus", key = the English topic id) updates that article (a
new revision) when the topic changed, and never publishes it.
"""

import datetime
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import defusedxml
from defusedxml.ElementTree import DefusedXMLParser
from django.utils.translation import gettext as _

from ..fields import SUMMARY_MAX_CHARS, sanitize_html
from . import base

SOURCE = "medlineplus"
ROOT = "health-topics"
TOPIC = "health-topic"
#: MedlinePlus "language" attribute → the site's language code.
LANGUAGES = {"English": "en", "Spanish": "es"}
#: MedlinePlus groups that are body systems; every other group is a specialty
#: (or a population, a kind of care…): Category.Kind.SPECIALTY.
BODY_SYSTEM_GROUPS = {
    "blood, heart and circulation",
    "bones, joints and muscles",
    "brain and nerves",
    "digestive system",
    "ear, nose and throat",
    "endocrine system",
    "eyes and vision",
    "immune system",
    "kidneys and urinary system",
    "lungs and breathing",
    "mouth and teeth",
    "skin, hair and nails",
    "female reproductive system",
    "male reproductive system",
}
DATE_FORMAT = "%m/%d/%Y"


@dataclass(slots=True)
class Place:
    """Where the first pass found a topic."""

    language: str
    mapped: str
    line: int
    start: int
    end: int


@dataclass
class Topic:
    """One health-topic, as the importer uses it."""

    id: str
    title: str
    url: str
    language: str
    line: int
    created: str = ""
    also_called: list = field(default_factory=list)
    summary_html: str = ""
    groups: list = field(default_factory=list)  # [(id, name, url)]
    mesh: list = field(default_factory=list)
    related: list = field(default_factory=list)
    mapped: str = ""

    def as_data(self):
        """Return what the digest covers (not where it was in the file)."""
        return {k: v for k, v in self.__dict__.items() if k != "line"}


@dataclass
class Pair:
    """An English topic and its Spanish topic (or None): one article."""

    english: Topic | None
    spanish: Topic | None
    generated: datetime.date | None

    @property
    def key(self):
        return self.english.id if self.english else self.spanish.id

    def digest(self):
        return base.digest(
            {
                "en": self.english.as_data() if self.english else None,
                "es": self.spanish.as_data() if self.spanish else None,
            }
        )


# ------------------------------------------------------------------ parsing


class _Topics:
    """Parser target that builds each <health-topic>, nothing above it."""

    def __init__(self, path, *, fragment=False):
        self.path = path
        self.expat = None
        self.fragment = fragment
        self.root = None
        self.stack = []
        self.done = []
        self.text = []
        self.last = None
        self.tail = False
        self.current = None  # (id or title, line) of the topic being read

    def start(self, tag, attrs):
        line = self.expat.CurrentLineNumber
        if self.root is None:
            if tag != ROOT:
                raise base.ImportFailure(
                    _(
                        "this is not a MedlinePlus health-topics file: its root "
                        "element is <%(tag)s>, not <%(root)s>."
                    )
                    % {"tag": tag, "root": ROOT},
                    file=self.path,
                    line=line,
                )
            self.root = dict(attrs)
            return
        self._flush()
        if not self.stack:
            if tag != TOPIC:
                raise base.ImportFailure(
                    _("unknown element <%(tag)s>: a file holds <%(topic)s> only.")
                    % {"tag": tag, "topic": TOPIC},
                    file=self.path,
                    line=line,
                )
            self.current = (attrs.get("id") or attrs.get("title") or "", line)
            self.start_byte = self.expat.CurrentByteIndex
        element = ET.Element(tag, attrs)
        if self.stack:
            self.stack[-1].append(element)
        self.stack.append(element)
        self.last, self.tail = element, False

    def end(self, tag):
        self._flush()
        if not self.stack:
            return
        element = self.stack.pop()
        self.last, self.tail = element, True
        if not self.stack:
            line = self.current[1]
            self.done.append((element, line, self.start_byte, self._end_byte()))
            self.current = None

    def _end_byte(self):
        return self.expat.CurrentByteIndex

    def data(self, text):
        if self.stack:
            self.text.append(text)

    def _flush(self):
        if self.text and self.last is not None:
            text = "".join(self.text)
            if self.tail:
                self.last.tail = text
            else:
                self.last.text = text
        self.text = []

    def close(self):
        return None


def _parse(path, source, *, target, chunks):
    """Feed chunks to a defused parser; yield each topic as it is complete."""
    parser = DefusedXMLParser(
        target=target, forbid_dtd=False, forbid_entities=True, forbid_external=True
    )
    target.expat = parser.parser
    for data in chunks:
        try:
            if data:
                parser.feed(data)
            else:
                parser.close()
        except defusedxml.EntitiesForbidden as error:
            raise base.ImportFailure(
                _(
                    "the file declares an XML entity (“%(name)s”); entities are "
                    "refused because they can read other files or expand "
                    "without end."
                )
                % {"name": error.name},
                file=path,
                line=target.expat.CurrentLineNumber,
            ) from None
        except defusedxml.ExternalReferenceForbidden:
            raise base.ImportFailure(
                _("the file refers to an external resource, which is refused."),
                file=path,
                line=target.expat.CurrentLineNumber,
            ) from None
        except ET.ParseError as error:
            record = target.current[0] if target.current else None
            raise base.ImportFailure(
                _("the XML is not well-formed (%(error)s); is the file complete?")
                % {"error": error},
                file=path,
                record=record,
                line=error.position[0] if error.position else None,
            ) from None
        yield from target.done
        target.done.clear()
        if not data:
            return


def _chunks(source):
    while data := source.read(base.CHUNK):
        yield data
    yield b""


def _index(path):
    """First pass: check the whole file; return ({id: Place}, generated date)."""
    places = {}
    target = _Topics(path)
    base.progress_stage(f"{Path(path).name} 1/2")
    with base.open_input(path) as source:
        for element, line, start, end in _parse(
            path, source, target=target, chunks=_chunks(source)
        ):
            topic_id = _required(element, "id", path, line)
            language = _language(element, path, line)
            mapped = element.find("language-mapped-topic")
            if topic_id in places:
                raise base.ImportFailure(
                    _("topic id %(id)s appears twice (first at line %(line)s).")
                    % {"id": topic_id, "line": places[topic_id].line},
                    file=path,
                    record=topic_id,
                    line=line,
                )
            places[topic_id] = Place(
                language,
                (mapped.get("id") or "").strip() if mapped is not None else "",
                line,
                start,
                end,
            )
    if target.root is None:
        raise base.ImportFailure(_("the file is empty."), file=path)
    generated = (target.root.get("date-generated") or "").split(" ")[0]
    return places, _date(generated, path, None, None) if generated else None


def _read_place(path, place):
    """Parse the one topic at a place the first pass found."""
    with open(path, "rb") as source:
        source.seek(place.start)
        data = source.read(place.end - place.start)
    target = _Topics(path, fragment=True)
    # The fragment is parsed alone: its lines are counted from its own.
    chunks = [f"<{ROOT}>".encode(), data, f"</{TOPIC}></{ROOT}>".encode(), b""]
    topics = list(_parse(path, None, target=target, chunks=chunks))
    element = topics[0][0]
    return _topic(element, path, place.line)


def read_records(path):
    """Yield a Pair for each English topic (with its Spanish pair, if any).

    A Spanish topic whose English topic is not in the file is yielded alone
    (and refused: an article starts in the source language).
    """
    places, generated = _index(path)
    target = _Topics(path)
    base.progress_stage(f"{Path(path).name} 2/2")
    with base.open_input(path) as source:
        for element, line, _start, _end in _parse(
            path, source, target=target, chunks=_chunks(source)
        ):
            topic = _topic(element, path, line)
            other = places.get(topic.mapped)
            if topic.language == "en":
                spanish = None
                if other is not None and other.language == "es":
                    spanish = _read_place(path, other)
                yield Pair(topic, spanish, generated)
            elif other is None or other.language != "en":
                yield Pair(None, topic, generated)


def _required(element, name, path, line):
    value = (element.get(name) or "").strip()
    if not value:
        raise base.ImportFailure(
            _("a health-topic has no “%(name)s”, which is required.") % {"name": name},
            file=path,
            record=element.get("id") or element.get("title"),
            line=line,
        )
    return value


def _language(element, path, line):
    value = (element.get("language") or "").strip()
    if value not in LANGUAGES:
        raise base.ImportFailure(
            _("unknown language “%(language)s” (expected English or Spanish).")
            % {"language": value},
            file=path,
            record=element.get("id"),
            line=line,
        )
    return LANGUAGES[value]


def _date(value, path, record, line):
    try:
        return datetime.datetime.strptime(value.strip(), DATE_FORMAT).date()
    except ValueError:
        raise base.ImportFailure(
            _("“%(value)s” is not a date as MM/DD/YYYY.") % {"value": value},
            file=path,
            record=record,
            line=line,
        ) from None


def _text(element):
    return " ".join("".join(element.itertext()).split())


def _topic(element, path, line):
    """Return the Topic of a <health-topic>, or refuse it naming what is missing."""
    topic_id = _required(element, "id", path, line)
    created = (element.get("date-created") or "").strip()
    if created:
        created = _date(created, path, topic_id, line).isoformat()
    mapped = element.find("language-mapped-topic")
    summary = element.find("full-summary")
    return Topic(
        id=topic_id,
        title=" ".join(_required(element, "title", path, line).split()),
        url=_required(element, "url", path, line),
        language=_language(element, path, line),
        line=line,
        created=created,
        also_called=[t for e in element.findall("also-called") if (t := _text(e))],
        summary_html=(
            sanitize_html(" ".join((summary.text or "").split()))
            if summary is not None
            else ""
        ),
        groups=[
            ((g.get("id") or "").strip(), _text(g), (g.get("url") or "").strip())
            for g in element.findall("group")
            if _text(g)
        ],
        mesh=[
            d.get("id")
            for d in element.findall("mesh-heading/descriptor")
            if d.get("id")
        ],
        related=[
            r.get("id").strip() for r in element.findall("related-topic") if r.get("id")
        ],
        mapped=(mapped.get("id") or "").strip() if mapped is not None else "",
    )


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.blocks = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("p", "ul", "ol", "li", "br", "h2", "h3"):
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def plain_summary(html, limit=SUMMARY_MAX_CHARS):
    """Return the first sentences of a rich text's first paragraph, ≤ limit."""
    reader = _Text()
    reader.feed(html)
    blocks = [" ".join(b.split()) for b in "".join(reader.parts).split("\n")]
    first = next((b for b in blocks if b), "")
    summary = ""
    for sentence in SENTENCE_END.split(first):
        candidate = f"{summary} {sentence}".strip()
        if len(candidate) > limit:
            break
        summary = candidate
        if len(summary) >= 160:  # a meta description's length is enough
            break
    return summary or first[: limit - 1].rstrip() + "…" if first else ""
