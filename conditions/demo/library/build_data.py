"""Rebuild the vendored extract (library.json.gz) from the shared data folder.

The generator (``manage.py generate_library``) reads only the extract, so a
fresh clone or CI needs no copy of the data. To rebuild it:

    .venv/bin/python conditions/demo/library/build_data.py [/path/to/data]
    # or: .venv/bin/python manage.py generate_library --rebuild-data [--data-dir …]

The default data folder is /work/shared/data (or $HEALTHLIB_DATA). It reads:

- medquad/*.json: 1,311 condition pages (NHS-content-API shape). Kept: the
  name, source URL and organisation, alternate names, the description (as
  the summary) and the sections, each mapped to a Section kind.
- medlineplus/medline_topic_summaries.json and mplus_topics_2012-07-21.xml:
  the English summaries of health conditions become single-overview pages;
  the Spanish summaries become the pool of sample Spanish text.

Only the standard library is used, so the script runs without Django. The
output is deterministic (sorted input, gzip mtime 0): rebuilding from the same
data gives the same bytes.
"""

import gzip
import html
import json
import os
import re
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "library.json.gz"
DEFAULT_DATA_DIR = Path(os.environ.get("HEALTHLIB_DATA", "/work/shared/data"))
FORMAT_VERSION = 1

#: Longest section body kept (characters of HTML), cut at a block boundary.
#: A few NCI sections run to 28,000 characters; the cap keeps the extract and
#: a 10,000-article database compact without changing the page's shape.
MAX_SECTION_CHARS = 5000

#: MedQuAD section heading -> (Section kind, heading kept on the page).
#: An empty heading means the kind's standard heading ("Treatment").
HEADINGS = {
    "Overview": ("definition", ""),
    "Genetic changes": ("causes", "Genetic changes"),
    "Causes": ("causes", ""),
    "Risk factors": ("risk_factors", ""),
    "Symptoms": ("symptoms", ""),
    "Diagnosis": ("diagnosis", ""),
    "Treatment": ("treatment", ""),
    "Prevention": ("prevention", ""),
    # NIDDK's "Eating, diet, and nutrition" pages, labelled so by MedQuAD.
    "Things to consider": ("living_with", ""),
    "How common it is": ("other", "How common it is"),
    "Inheritance": ("other", "Inheritance"),
    "Stages": ("other", "Stages"),
    "Outlook": ("other", "Outlook"),
    "Complications": ("other", "Complications"),
    "Research": ("other", "Research"),
}

#: Sub-headings inside a section that start advice on getting care: the
#: blocks from there on become a "when to see a doctor" section.
SEEK_CARE = re.compile(r"(?i)^(seek (help|immediate care)|when to seek medical care)")
CALL_DOCTOR = re.compile(
    r"(?i)^(call your (health ?care provider|doctor)|see your doctor|"
    r"get medical help)"
)

#: MedlinePlus English summaries that are health conditions (the others, such
#: as "Tsunamis" or "First Aid", are not condition articles).
MEDLINEPLUS_CONDITIONS = {
    "Bacterial Infections",
    "Bowel Incontinence",
    "Celiac Disease",
    "Crohn's Disease",
    "High Blood Pressure",
    "Legionnaires' Disease",
    "Measles",
    "Myositis",
    "Obesity",
    "Parathyroid Disorders",
    "Restless Legs",
    "Scars",
    "Tetanus",
    "Trigeminal Neuralgia",
    "Tuberculosis",
}

#: Other names of the Spanish sample topics (the JSON file has none; the
#: XML's "Dolor abdominal" has its own). Written for this sample, from the
#: names the summaries themselves use where they give one.
SPANISH_ALSO_CALLED = {
    "Acidez estomacal": ["Pirosis", "Agruras"],
    "Arterioesclerosis": ["Endurecimiento de las arterias"],
    "Chequeo médico del bebé": ["Control del niño sano"],
    "Cáncer en el embarazo": ["Cáncer durante el embarazo"],
    "Embarazo de adolescentes": ["Embarazo en la adolescencia"],
    "Enfermedades de la médula espinal": ["Trastornos de la médula espinal"],
    "Enfermedades del páncreas": ["Trastornos del páncreas"],
    "Enfermedades del tejido conectivo": ["Trastornos del tejido conjuntivo"],
    "Escanografía nuclear": ["Gammagrafía", "Medicina nuclear"],
    "Feocromocitoma": ["Tumor de la glándula suprarrenal"],
    "Infertilidad en la mujer": ["Infertilidad femenina"],
    "Medicinas para la tos y el resfrío": ["Antitusivos", "Descongestionantes"],
    "Problemas sexuales en las mujeres": ["Disfunción sexual femenina"],
    "Prolapso de la válvula mitral": ["PVM"],
    "Quiropráctica": ["Quiropraxia"],
    "Residencias con atención personalizada": ["Vida asistida"],
    "Ruido": ["Pérdida de audición por ruido"],
    "Síndrome de muerte infantil súbita": ["SMIS", "Muerte en la cuna"],
    "Tos": ["Tos aguda", "Tos crónica"],
}

ORGANISATIONS = {"GHR": "ghr", "NIDDK": "niddk", "CancerGov": "nci"}

_SPANISH_WORDS = re.compile(r"(?i)\b(el|los|las|del|una|es|que|por|para|con)\b")
_ENGLISH_WORDS = re.compile(r"(?i)\b(the|is|are|of|and|your|with|that|can)\b")
_FUNCTION_WORDS = {
    "a",
    "an",
    "and",
    "by",
    "includes",
    "is",
    "may",
    "of",
    "or",
    "perform",
    "the",
    "to",
    "with",
}


def _space(text):
    return re.sub(r"\s+", " ", text).strip()


def _sentence_case(name):
    """Capitalise a name whose first word is all lower case (GHR's style).

    "myostatin-related muscle hypertrophy" becomes "Myostatin-related muscle
    hypertrophy"; "aHUS" or "von Willebrand disease" are left as they are.
    """
    first = name.split(" ", 1)[0]
    acronym = len(first) > 1 and first[1].isupper()  # aHUS, mTOR
    if first[:1].islower() and not acronym and first not in ("von", "de"):
        return name[0].upper() + name[1:]
    return name


def _plain(fragment):
    """Return the text of an HTML fragment, entities decoded."""
    return _space(html.unescape(re.sub(r"<[^>]+>", " ", fragment)))


def _is_subheading(text):
    """Return True for a short title-like paragraph ("Targeted therapy")."""
    words = text.split()
    return (
        0 < len(text) <= 60
        and len(words) <= 8
        and text[0].isupper()
        and not re.search(r"[.:?!;,]$", text)
        and "," not in text
        and not text.startswith("-")
        and words[-1].lower() not in _FUNCTION_WORDS
    )


def medquad_blocks(markup):
    """Split MedQuAD's paragraph soup into blocks: h3, p and ul.

    MedQuAD flattens lists into paragraphs starting "- " (sometimes several
    items in one paragraph) and sub-headings into short paragraphs; turn them
    back into lists and level-3 headings.
    """
    blocks = []
    items = []

    def flush():
        if items:
            blocks.append(("ul", items.copy()))
            items.clear()

    for raw in re.findall(r"<p>(.*?)</p>", markup, flags=re.S):
        text = _space(raw)
        if not text or text == "-":
            continue
        if text.startswith("-"):
            for item in re.split(r"\s+-\s+", text.lstrip("- ")):
                if item.strip(" -"):
                    items.append(item.strip(" -"))
            continue
        flush()
        intro, colon, rest = text.partition(": - ")
        if colon:  # "These resources address …: - Gene Review: … - …"
            blocks.append(("p", intro + ":"))
            items.extend(i.strip(" -") for i in re.split(r"\s+-\s+", rest))
            flush()
            continue
        if _is_subheading(_plain(text)):
            blocks.append(("h3", text))
        else:
            blocks.append(("p", text))
    flush()
    merged = []
    for block in blocks:  # a list split over two paragraphs is one list
        if merged and block[0] == "ul" and merged[-1][0] == "ul":
            merged[-1] = ("ul", merged[-1][1] + block[1])
        else:
            merged.append(block)
    return merged


def render(blocks):
    parts = []
    for tag, value in blocks:
        if tag == "ul":
            parts.append("<ul>" + "".join(f"<li>{i}</li>" for i in value) + "</ul>")
        else:
            parts.append(f"<{tag}>{value}</{tag}>")
    return "".join(parts)


def cap(blocks, limit=MAX_SECTION_CHARS):
    """Keep whole blocks up to `limit` characters (at least one block)."""
    kept, size = [], 0
    for block in blocks:
        length = len(render([block]))
        if kept and size + length > limit:
            break
        kept.append(block)
        size += length
    while len(kept) > 1 and kept[-1][0] == "h3":  # no dangling sub-heading
        kept.pop()
    return kept


def sentences(text):
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z¿¡ÁÉÍÓÚÑ])", text) if s]


def summary_from(description, fallback):
    """Return whole sentences of MedQuAD's description (cut at 160 characters).

    The description is the page's opening text cut off with "..."; drop the
    cut-off sentence, and NCI's "Key Points-" or NIDDK's "What is …?" lead-in.
    When no whole sentence is left, use the first sentence of `fallback`.
    """
    text = _space(html.unescape(description))
    text = re.sub(r"^Key Points-\s*", "", text)
    text = re.sub(r"^What (is|are) [^?]{1,80}\?\s*", "", text)
    text = re.sub(r"(?<=[.!?])-\s*", " ", text)  # NCI's "….- Next point"
    truncated = text.endswith("...")
    parts = sentences(text.removesuffix("..."))
    if truncated and parts:
        parts = parts[:-1]
    summary = " ".join(parts).strip()
    if len(summary) < 40 or re.search(r":\s*-", summary):
        candidates = [s for s in sentences(fallback) if len(s) >= 40 and s[-1] != "?"]
        summary = (candidates or [fallback])[0]
    return summary


def read_medquad(folder):
    pages = []
    for path in sorted(folder.glob("*.json")):
        page = json.loads(path.read_text(encoding="utf-8"))
        sections = []
        for element in sorted(page["mainEntityOfPage"], key=lambda e: e["position"]):
            kind, heading = HEADINGS.get(
                element["headline"], ("other", element["headline"])
            )
            markup = "".join(part["text"] for part in element["mainEntityOfPage"])
            blocks = medquad_blocks(markup)
            for index, (tag, value) in enumerate(blocks):
                if index and tag == "h3" and SEEK_CARE.match(_plain(value)):
                    care = blocks[index + 1 :]
                    blocks = blocks[:index]
                    if care:
                        sections.append(("when_to_see_doctor", "", cap(care)))
                    break
            if blocks:
                sections.append((kind, heading, cap(blocks)))
        # A when-to-see-a-doctor part goes after the section it came from.
        ordered = [s for s in sections if s[0] != "when_to_see_doctor"]
        ordered += [s for s in sections if s[0] == "when_to_see_doctor"]
        if not ordered:
            continue
        name = _sentence_case(_space(page["name"]))
        alternates = []
        for other in page["about"].get("alternateName") or []:
            other = _sentence_case(_space(html.unescape(other)))
            if other and other.lower() != name.lower() and other not in alternates:
                alternates.append(other)
        pages.append(
            {
                "name": name,
                "url": page["url"],
                "source": ORGANISATIONS.get(page["copyrightHolder"]["name"], "ghr"),
                "also_called": alternates,
                "summary": summary_from(
                    page["description"], _plain(render(ordered[0][2]))
                ),
                "mesh": "",
                "sections": [[k, h, render(b)] for k, h, b in ordered],
            }
        )
    return pages


def medlineplus_blocks(markup):
    """Return the blocks (p, ul) of a MedlinePlus summary, links unwrapped.

    The closing paragraph in bold italics names the contributing agency; it
    is a credit, not part of the text.
    """
    markup = re.sub(r"</?a\b[^>]*>", "", markup)
    markup = re.sub(r"\s+", " ", markup)
    blocks = []
    for match in re.finditer(r"<(p|ul)( [^>]*)?>(.*?)</\1>", markup, flags=re.S):
        tag, attributes, inner = match.groups()
        if attributes and "font-weight" in attributes:
            continue
        if tag == "ul":
            items = [
                _space(i) for i in re.findall(r"<li>(.*?)</li>", inner, flags=re.S)
            ]
            items = [i for i in items if i]
            if items:
                blocks.append(("ul", items))
        elif _space(inner):
            blocks.append(("p", _space(inner)))
    return blocks


def medlineplus_page(title, url, markup, also_called=(), mesh=""):
    blocks = medlineplus_blocks(markup)
    sections = []
    for tag, value in blocks:
        if tag == "p" and CALL_DOCTOR.match(_plain(value)):
            sections.append(["when_to_see_doctor", "", [(tag, value)]])
        elif sections and (sections[-1][0] == "when_to_see_doctor" and tag == "ul"):
            sections[-1][2].append((tag, value))
        elif sections and sections[-1][0] == "definition":
            sections[-1][2].append((tag, value))
        else:
            sections.append(["definition", "", [(tag, value)]])
    return {
        "name": title,
        "url": url,
        "source": "medlineplus",
        "also_called": list(also_called),
        "summary": sentences(_plain(render(blocks[:1])))[0],
        "mesh": mesh,
        "sections": [[k, h, render(b)] for k, h, b in sections],
    }


def is_spanish(markup):
    text = _plain(markup)
    return len(_SPANISH_WORDS.findall(text)) > len(_ENGLISH_WORDS.findall(text))


def read_medlineplus(folder):
    """Return (English condition pages, Spanish sample texts)."""
    english, spanish = [], []
    summaries = json.loads(
        (folder / "medline_topic_summaries.json").read_text(encoding="utf-8")
    )
    for title in sorted(summaries):
        markup = summaries[title]
        if is_spanish(markup):
            blocks = medlineplus_blocks(markup)
            spanish.append(
                {
                    "title": title,
                    "also_called": SPANISH_ALSO_CALLED.get(title, []),
                    "summary": sentences(_plain(render(blocks[:1])))[0],
                    "blocks": [render([b]) for b in blocks],
                }
            )
        elif title in MEDLINEPLUS_CONDITIONS:
            slug = re.sub(r"[^a-z]", "", title.lower())
            url = f"https://www.nlm.nih.gov/medlineplus/{slug}.html"
            english.append(medlineplus_page(title, url, markup))
    tree = ElementTree.parse(folder / "mplus_topics_2012-07-21.xml")
    for topic in tree.getroot().iter("health-topic"):
        markup = topic.findtext("full-summary") or ""
        title = _space(topic.get("title"))
        names = [_space(e.text) for e in topic.iter("also-called")]
        if topic.get("language") == "Spanish":
            blocks = medlineplus_blocks(markup)
            spanish.append(
                {
                    "title": title,
                    "also_called": names,
                    "summary": sentences(_plain(render(blocks[:1])))[0],
                    "blocks": [render([b]) for b in blocks],
                }
            )
        else:
            mesh = topic.find("mesh-heading/descriptor")
            names += [
                _space(e.text).capitalize()
                for e in topic.iter("see-reference")
                if "," not in e.text and _space(e.text) not in names
            ]
            english.append(
                medlineplus_page(
                    title,
                    topic.get("url"),
                    markup,
                    also_called=[n for n in names if n.lower() != title.lower()],
                    mesh=mesh.get("id") if mesh is not None else "",
                )
            )
    spanish.sort(key=lambda t: t["title"])
    return english, spanish


def build(data_dir=DEFAULT_DATA_DIR, output=OUTPUT):
    """Write the extract and return (path, pages, Spanish texts, bytes)."""
    data_dir = Path(data_dir)
    if not (data_dir / "medquad").is_dir():
        raise FileNotFoundError(f"No medquad/ folder in {data_dir}")
    pages = read_medquad(data_dir / "medquad")
    english, spanish = read_medlineplus(data_dir / "medlineplus")
    pages = sorted(pages + english, key=lambda p: (p["name"].lower(), p["url"]))
    extract = {
        "format": FORMAT_VERSION,
        "credits": [
            "MedQuAD, CC BY 4.0, from NIH sources "
            "(NLM Genetics Home Reference, NCI, NIDDK)",
            "Courtesy of MedlinePlus from the National Library of Medicine",
        ],
        "pages": pages,
        "spanish": spanish,
    }
    payload = json.dumps(extract, ensure_ascii=False, separators=(",", ":"))
    with open(output, "wb") as raw:
        with gzip.GzipFile(
            filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9
        ) as fh:
            fh.write(payload.encode("utf-8"))
    return Path(output), len(pages), len(spanish), Path(output).stat().st_size


def main(argv):
    data_dir = Path(argv[1]) if len(argv) > 1 else DEFAULT_DATA_DIR
    path, pages, spanish, size = build(data_dir)
    print(f"{path}: {pages} pages, {spanish} Spanish texts, {size / 1e6:.2f} MB")


if __name__ == "__main__":
    main(sys.argv)
