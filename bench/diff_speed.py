"""Benchmark the word-level diff of one long field: new matcher against old.

For sections of 1,000, 3,000 and 6,000 words of real text, with one word
replaced every ~60 words, a few sentences inserted and deleted and (in the
rich text) a few words made bold, prints the median time of a whole
``conditions.diff.diff_text`` and ``diff_html`` call with the new matcher
(``conditions.diff.matching.opcodes``) and with the old one (SequenceMatcher
over the whole token lists), the old one up to 3,000 words by default as it takes
seconds beyond. Run with ``.venv/bin/python bench/diff_speed.py``;
BENCH_RUNS (default 7), BENCH_OLD_RUNS (3), BENCH_OLD_UP_TO (3000) and
BENCH_SIZES ("1000,3000,6000") change what is measured.

Both algorithms go through the real functions: the old one is measured by
putting SequenceMatcher in the place of the matcher in
``conditions.diff.words``.

The text: the paragraphs of MedQuAD (CC BY 4.0, from NIH sources: NLM
Genetics Home Reference, NCI, NIDDK) from $HEALTHLIB_DATA/medquad
(default /work/shared/data/medquad), in file order; where that folder is
absent, the few paragraphs quoted in tests/test_diff_matching.py, repeated
(a harder case: no word then occurs once).
"""

import json
import os
import random
import re
import statistics
import sys
import time
from contextlib import contextmanager
from difflib import SequenceMatcher
from pathlib import Path
from typing import NamedTuple
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthinfo.settings.test")

import django  # noqa: E402

django.setup()

from conditions import diff  # noqa: E402
from conditions.diff import richtext  # noqa: E402
from conditions.diff import words as word_diff  # noqa: E402

DATA_DIR = Path(os.environ.get("HEALTHLIB_DATA", "/work/shared/data")) / "medquad"
RUNS = int(os.environ.get("BENCH_RUNS", "7"))
OLD_RUNS = int(os.environ.get("BENCH_OLD_RUNS", "3"))
OLD_UP_TO = int(os.environ.get("BENCH_OLD_UP_TO", "3000"))
SIZES = tuple(
    int(s) for s in os.environ.get("BENCH_SIZES", "1000,3000,6000").split(",")
)

#: One word replaced about every this many words.
WORDS_PER_EDIT = 60
#: Sentences inserted, sentences deleted, words made bold (rich text only),
#: spread evenly through the section.
SENTENCES_INSERTED = 3
SENTENCES_DELETED = 3
WORDS_MADE_BOLD = 3


class Row(NamedTuple):
    words: int
    tokens: int  # of the old plain text
    html_tokens: int  # of the old rich text
    edits: int
    text_ms: float
    html_ms: float
    old_text_ms: float | None
    old_html_ms: float | None


def paragraphs():
    """Prose paragraphs (source, list) of real text, whitespace normalised."""
    found = []
    if DATA_DIR.is_dir():
        for path in sorted(DATA_DIR.glob("*.json")):
            page = json.loads(path.read_text(encoding="utf-8"))
            for section in page.get("mainEntityOfPage", []):
                for part in section.get("mainEntityOfPage", []):
                    for html in re.findall(r"<p>(.*?)</p>", part.get("text", ""), re.S):
                        text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
                        if len(text.split()) >= 20:  # prose, not list items
                            found.append(text)
        if found:
            return f"MedQuAD ({DATA_DIR})", found
    sys.path.insert(0, str(ROOT / "tests"))
    from test_diff_matching import PARAGRAPHS

    return "tests/test_diff_matching.py, repeated", list(PARAGRAPHS)


def section(source, words):
    """The first paragraphs of ``source`` (repeated if need be) that reach
    ``words`` words, each a list of sentences."""
    out, count, index = [], 0, 0
    while count < words:
        paragraph = source[index % len(source)]
        out.append(re.split(r"(?<=[.!?]) ", paragraph))
        count += len(paragraph.split())
        index += 1
    return out


def edit(old, spare, rng):
    """Return the edited copy of ``old`` (paragraphs of sentences), the
    number of edits, and the (paragraph, sentence) places whose last word is
    made bold in the new rich text."""
    new = [list(p) for p in old]
    vocabulary = sorted({w for p in old for s in p for w in s.split() if w.isalpha()})
    edits = 0

    def gap():
        return rng.randint(WORDS_PER_EDIT // 2, WORDS_PER_EDIT * 3 // 2)

    countdown = gap()
    for paragraph in new:
        for s, sentence in enumerate(paragraph):
            words = sentence.split(" ")
            for w in range(len(words)):
                countdown -= 1
                if countdown == 0:
                    words[w] = rng.choice(vocabulary)
                    edits += 1
                    countdown = gap()
            paragraph[s] = " ".join(words)
    # One sentence edit per paragraph, in paragraphs spread through the
    # section, so that no edit moves the place of another.
    kinds = ["delete", "insert", "bold"]
    count = SENTENCES_DELETED + SENTENCES_INSERTED + WORDS_MADE_BOLD
    bold = set()
    for k in range(count):
        p = (k + 1) * len(new) // (count + 1)
        s = len(new[p]) // 2
        kind = kinds[k % 3]
        if kind == "delete" and len(new[p]) > 1:
            del new[p][s]
        elif kind == "insert":
            new[p].insert(s, rng.choice(spare))
        elif kind == "bold":
            bold.add((p, s))
        else:
            continue
        edits += 1
    return new, edits, bold


def as_text(doc):
    return "\n\n".join(" ".join(p) for p in doc)


def as_html(doc, bold=()):
    """<p> paragraphs; the first two words of every fourth paragraph bold
    (in both versions) and the last word of the sentences at ``bold``."""
    html = []
    for p, paragraph in enumerate(doc):
        sentences = []
        for s, sentence in enumerate(paragraph):
            if (p, s) in bold:
                head, _space, last = sentence.rpartition(" ")
                sentence = f"{head} <strong>{last}</strong>".lstrip()
            sentences.append(sentence)
        text = " ".join(sentences)
        if p % 4 == 0:
            first, second, rest = (text.split(" ", 2) + ["", ""])[:3]
            text = f"<strong>{first} {second}</strong> {rest}"
        html.append(f"<p>{text}</p>")
    return "".join(html)


def old_opcodes(a, b):
    return SequenceMatcher(None, a, b, autojunk=False).get_opcodes()


@contextmanager
def algorithm(new):
    """Make conditions.diff use the new matcher (new=True) or the old one."""
    if new:
        yield
    else:
        with mock.patch.object(word_diff, "match", old_opcodes):
            yield


def median_ms(function, *args, runs, warm_up=True):
    if warm_up:
        function(*args)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function(*args)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def run(sizes=SIZES, *, runs=RUNS, old_up_to=OLD_UP_TO, old_runs=OLD_RUNS):
    """Return one Row per size (words); the old algorithm's columns are None
    above ``old_up_to`` words."""
    _source, source = paragraphs()
    rows = []
    for words in sizes:
        rng = random.Random(words)
        old = section(source, words)
        spare = [s for p in section(source[::-1], 2000) for s in p]
        new, edits, bold = edit(old, spare, rng)
        text_pair = as_text(old), as_text(new)
        html_pair = as_html(old), as_html(new, bold)
        with algorithm(new=True):
            text_ms = median_ms(diff.diff_text, *text_pair, runs=runs)
            html_ms = median_ms(diff.diff_html, *html_pair, runs=runs)
        old_text_ms = old_html_ms = None
        if words <= old_up_to:
            with algorithm(new=False):
                old_text_ms, old_html_ms = (
                    median_ms(function, *pair, runs=old_runs, warm_up=False)
                    for function, pair in (
                        (diff.diff_text, text_pair),
                        (diff.diff_html, html_pair),
                    )
                )
        rows.append(
            Row(
                words=sum(len(s.split()) for p in old for s in p),
                tokens=len(word_diff.tokenize_text(text_pair[0])),
                html_tokens=len(richtext.tokenize_html(html_pair[0])),
                edits=edits,
                text_ms=text_ms,
                html_ms=html_ms,
                old_text_ms=old_text_ms,
                old_html_ms=old_html_ms,
            )
        )
    return rows


def main():
    source, _paragraphs = paragraphs()
    print(f"Text: {source}.")
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(
        f"Median of {RUNS} runs (new), {OLD_RUNS} (old), in ms, wall clock; "
        f"{os.cpu_count()} CPUs, load average {load}."
    )
    print(
        f"{'words':>6} {'tokens':>6} {'html tok':>8} {'edits':>5} "
        f"{'text new':>9} {'html new':>9} {'text old':>9} {'html old':>9}"
    )

    def ms(value):
        return f"{value:>9.1f}" if value is not None else f"{'-':>9}"

    for row in run():
        print(
            f"{row.words:>6} {row.tokens:>6} {row.html_tokens:>8} {row.edits:>5} "
            f"{ms(row.text_ms)} {ms(row.html_ms)} "
            f"{ms(row.old_text_ms)} {ms(row.old_html_ms)}"
        )


if __name__ == "__main__":
    main()
