"""conditions.diff.matching: SequenceMatcher's opcodes, computed fast on long texts.

Pure Python: no database, no Django. The diff's own tests (test_diff.py)
check the rendered output; these check the opcodes themselves.
"""

import random
import re
import subprocess
import sys
from difflib import SequenceMatcher
from pathlib import Path
from typing import NamedTuple

import pytest

from conditions.diff.matching import SEQUENCE_MATCHER_CELLS, opcodes

# Real text for the randomised edits.
# MedQuAD, CC BY 4.0, from NIH sources (NLM Genetics Home Reference, NCI, NIDDK).
# (1p36 deletion syndrome, abdominal adhesions, anal cancer, acquired cystic
# kidney disease; whitespace normalised, list items kept as they are.)
PARAGRAPHS = (
    "1p36 deletion syndrome is a disorder that typically causes severe "
    "intellectual disability. Most affected individuals do not speak, or speak "
    "only a few words. They may have temper tantrums, bite themselves, or "
    "exhibit other behavior problems. Most have structural abnormalities of the "
    "brain, and seizures occur in more than half of individuals with this "
    "disorder. Affected individuals usually have weak muscle tone (hypotonia) "
    "and swallowing difficulties (dysphagia).",
    "People with 1p36 deletion syndrome have a small head that is also "
    "unusually short and wide in proportion to its size (microbrachycephaly). "
    "Affected individuals also have distinctive facial features including "
    "deep-set eyes with straight eyebrows; a sunken appearance of the middle of "
    "the face (midface hypoplasia); a broad, flat nose; a long area between the "
    "nose and mouth (philtrum); a pointed chin; and ears that are low-set, "
    "rotated backwards, and abnormally shaped.",
    "People with 1p36 deletion syndrome may have vision or hearing problems. "
    "Some have abnormalities of the skeleton, heart, gastrointestinal system, "
    "kidneys, or genitalia.",
    "1p36 deletion syndrome is believed to affect between 1 in 5,000 and 1 in "
    "10,000 newborns. However, this may be an underestimate because some "
    "affected individuals are likely never diagnosed.",
    "Abdominal adhesions are bands of fibrous tissue that can form between "
    "abdominal tissues and organs. Normally, internal tissues and organs have "
    "slippery surfaces, preventing them from sticking together as the body "
    "moves. However, abdominal adhesions cause tissues and organs in the "
    "abdominal cavity to stick together.",
    "Of patients who undergo abdominal surgery, 93 percent develop abdominal "
    "adhesions.1 Surgery in the lower abdomen and pelvis, including bowel and "
    "gynecological operations, carries an even greater chance of abdominal "
    "adhesions. Abdominal adhesions can become larger and tighter as time "
    "passes, sometimes causing problems years after surgery.",
    "Signs of anal cancer include bleeding from the anus or rectum or a lump "
    "near the anus. These and other signs and symptoms may be caused by anal "
    "cancer or by other conditions. Check with your doctor if you have any of "
    "the following:",
    "- Bleeding from the anus or rectum.",
    "- Pain or pressure in the area around the anus.",
    "- Itching or discharge from the anus.",
    "- A lump near the anus.",
    "- A change in bowel habits.",
    "Acquired cystic kidney disease happens when a person's kidneys develop "
    "fluid-filled sacs, called cysts, over time. Acquired cystic kidney disease "
    "is not the same as polycystic kidney disease (PKD), another disease that "
    "causes the kidneys to develop multiple cysts.",
    "The cysts are more likely to develop in people who are on kidney dialysis. "
    "The chance of developing acquired cystic kidney disease increases with the "
    "number of years a person is on dialysis. However, the cysts are caused by "
    "CKD or kidney failure, not dialysis treatments.",
)

#: As conditions.diff.TOKEN_RE: words, single punctuation marks, whitespace.
TOKEN_RE = re.compile(r"\s+|\w+|[^\w\s]")

#: The whole text is above the size SequenceMatcher is given as it is, so the
#: anchored path runs on it with the default settings.
TEXT = "\n\n".join(PARAGRAPHS)


class Tag(NamedTuple):
    """As conditions.diff.Tag: an HTML tag among the word tokens."""

    name: str
    start: bool
    html: str


def tokens(text):
    return TOKEN_RE.findall(text)


def sequence_matcher(a, b):
    return SequenceMatcher(None, a, b, autojunk=False).get_opcodes()


def equal_tokens(ops):
    return sum(i2 - i1 for tag, i1, i2, _j1, _j2 in ops if tag == "equal")


def assert_valid(a, b, ops):
    """The opcodes are contiguous, cover both sequences, carry the tag their
    ranges call for, never put two equal runs side by side, and applied to
    ``a`` give ``b``."""
    i = j = 0
    rebuilt = []
    previous = None
    for tag, i1, i2, j1, j2 in ops:
        assert (i1, j1) == (i, j), ops
        assert i1 <= i2 and j1 <= j2 and (i1 < i2 or j1 < j2), ops
        if tag == "equal":
            assert a[i1:i2] == b[j1:j2]
            assert previous != "equal", ops
            rebuilt.extend(a[i1:i2])
        else:
            kinds = {(True, True): "replace", (True, False): "delete"}
            assert tag == kinds.get((i2 > i1, j2 > j1), "insert"), ops
            rebuilt.extend(b[j1:j2])
        previous = tag
        i, j = i2, j2
    assert (i, j) == (len(a), len(b))
    assert rebuilt == b


def sentences(paragraph):
    return re.split(r"(?<=[.:]) ", paragraph)


WORDS = sorted(set(re.findall(r"[A-Za-z]+", TEXT)))
SENTENCES = [s for p in PARAGRAPHS for s in sentences(p)]


def edited(rng, paragraphs, edits):
    """Apply random reviewer-like edits: words replaced, deleted, inserted or
    given a comma; sentences deleted, inserted or moved; paragraphs moved."""
    doc = [sentences(p) for p in paragraphs]
    for _ in range(edits):
        op = rng.choice("rrrrdicSSMP")
        p = rng.randrange(len(doc))
        s = rng.randrange(len(doc[p]))
        if op in "rdic":
            words = doc[p][s].split(" ")
            w = rng.randrange(len(words))
            if op == "r":
                words[w] = rng.choice(WORDS)
            elif op == "d" and len(words) > 1:
                del words[w]
            elif op == "i":
                words.insert(w, rng.choice(WORDS))
            elif op == "c":
                words[w] += ","
            doc[p][s] = " ".join(words)
        elif op == "S" and len(doc[p]) > 1 and rng.random() < 0.5:
            del doc[p][s]
        elif op == "S":
            doc[p].insert(s, rng.choice(SENTENCES))
        elif op == "M" and len(doc[p]) > 1:
            moved = doc[p].pop(s)
            q = rng.randrange(len(doc))
            doc[q].insert(rng.randrange(len(doc[q]) + 1), moved)
        elif op == "P" and len(doc) > 2:
            doc.insert(rng.randrange(len(doc)), doc.pop(p))
    return [" ".join(p) for p in doc]


def random_case(seed, max_tokens):
    """Old and new token lists: paragraphs of the text up to about
    ``max_tokens`` tokens, from a random start, and a few random edits."""
    rng = random.Random(seed)
    start = rng.randrange(len(PARAGRAPHS))
    chosen, size = [], 0
    for paragraph in PARAGRAPHS[start:] + PARAGRAPHS[:start]:
        size += len(tokens(paragraph)) + 1
        if size > max_tokens and chosen:
            break
        chosen.append(paragraph)
    new = edited(rng, chosen, rng.randint(1, max(2, size // 60)))
    return tokens("\n\n".join(chosen)), tokens("\n\n".join(new))


# -- shape ----------------------------------------------------------------


@pytest.mark.parametrize(
    "a, b",
    [
        ([], []),
        ([], ["new", " ", "words"]),
        (["old", " ", "words"], []),
        (["same", " ", "words"], ["same", " ", "words"]),
        (["a", " ", "b"], ["c", " ", "d"]),
    ],
)
def test_edge_cases_match_sequence_matcher(a, b):
    assert opcodes(a, b) == sequence_matcher(a, b)
    assert_valid(a, b, opcodes(a, b, cells=0))


@pytest.mark.parametrize("cells", [0, 400, SEQUENCE_MATCHER_CELLS])
@pytest.mark.parametrize("seed", range(40))
def test_opcodes_cover_both_sides_and_rebuild_the_new_text(seed, cells):
    a, b = random_case(seed, max_tokens=1000)
    assert_valid(a, b, opcodes(a, b, cells=cells))


@pytest.mark.parametrize("seed", [7, 8, 9])
def test_repeated_text_without_unique_words_is_still_matched(seed):
    # Two copies of the text: no word occurs once, so the gaps are matched
    # through rare words (the histogram step), along the diagonal: a run of
    # the first copy is not matched with the same run in the second copy,
    # which would leave most of the text unmatched (SequenceMatcher does
    # that with seed 8: 979 tokens equal of 1,967).
    old = list(PARAGRAPHS) * 2
    new = edited(random.Random(seed), old, 8)
    a, b = tokens("\n\n".join(old)), tokens("\n\n".join(new))
    ops = opcodes(a, b)
    assert_valid(a, b, ops)
    assert equal_tokens(ops) >= equal_tokens(sequence_matcher(a, b))
    assert equal_tokens(ops) > 0.95 * len(a)


def test_html_tags_mixed_with_words():
    def html_tokens(paragraphs):
        out = []
        for paragraph in paragraphs:
            out.append(Tag("p", True, "<p>"))
            for token in tokens(paragraph):
                if token == "syndrome":
                    out += [Tag("strong", True, "<strong>"), token]
                    out.append(Tag("strong", False, "</strong>"))
                else:
                    out.append(" " if token.isspace() else token)
            out.append(Tag("p", False, "</p>"))
        return out

    a = html_tokens(PARAGRAPHS)
    b = html_tokens([*PARAGRAPHS[:3], PARAGRAPHS[4], PARAGRAPHS[3], *PARAGRAPHS[5:]])
    b[b.index("intellectual")] = "profound"
    ops = opcodes(a, b)
    assert_valid(a, b, ops)
    kinds = ["equal", "replace", "equal", "delete", "equal", "insert", "equal"]
    assert [op[0] for op in ops] == kinds
    # The shorter of the two paragraphs that swapped places is the one shown
    # as moved, whole, from its <p> to its </p>.
    _tag, i1, i2, _j1, _j2 = ops[3]
    _tag, _i1, _i2, j1, j2 = ops[5]
    assert a[i1:i2] == b[j1:j2] == html_tokens([PARAGRAPHS[3]])


# -- quality against SequenceMatcher ----------------------------------------


def short_size(seed):
    return 60 + (seed * 37) % 300


@pytest.mark.parametrize("seed", range(150))
def test_short_texts_diff_exactly_as_sequence_matcher(seed):
    # Under 500 tokens a side, the input goes to SequenceMatcher as it is:
    # the opcodes (and so the equal tokens) are exactly today's.
    a, b = random_case(seed, max_tokens=short_size(seed))
    assert len(a) < 500 and len(b) < 500
    assert opcodes(a, b) == sequence_matcher(a, b)


#: Largest share of the old tokens the anchored path may mark equal less than
#: SequenceMatcher in one case (measured: 4.7% at worst over 300 cases).
TOLERANCE = 0.05


def shown_equal(a, ops):
    """Equal tokens a reviewer sees as unchanged: conditions.diff folds an
    equal run of whitespace alone between two changes into the replacement."""
    return sum(
        i2 - i1
        for index, (tag, i1, i2, _j1, _j2) in enumerate(ops)
        if tag == "equal"
        and not (0 < index < len(ops) - 1 and all(t.isspace() for t in a[i1:i2]))
    )


@pytest.mark.parametrize(
    "max_tokens, cells, cases",
    [
        # Short texts forced through the anchored path (gaps over 20 x 20
        # tokens are anchored; smaller ones go to SequenceMatcher).
        (250, 400, 120),
        (499, 400, 120),
        # The whole text (~1,000 tokens) with the default settings.
        (2000, SEQUENCE_MATCHER_CELLS, 40),
    ],
)
def test_anchored_path_keeps_as_many_equal_tokens(max_tokens, cells, cases):
    """In each case at most TOLERANCE of the old tokens fewer are equal than
    with SequenceMatcher, and over all cases at least as many are shown
    unchanged.

    The cases that lose a few tokens are of two kinds: where SequenceMatcher
    zigzags through a rewritten sentence (replace, " ", replace, " the ",
    ...) the anchored path shows one replacement, and where two passages
    swapped places the two keep a different one in place. The single spaces
    of a zigzag are not shown as unchanged anyway, hence the second measure.
    """
    ours = theirs = 0
    for seed in range(cases):
        a, b = random_case(seed, max_tokens)
        new, old = opcodes(a, b, cells=cells), sequence_matcher(a, b)
        assert_valid(a, b, new)
        assert equal_tokens(new) >= equal_tokens(old) - TOLERANCE * len(a), seed
        ours += shown_equal(a, new)
        theirs += shown_equal(a, old)
    assert ours >= theirs


# -- what reviewers see -----------------------------------------------------


def test_word_replaced_in_a_sentence():
    for old in (PARAGRAPHS[0], TEXT):  # SequenceMatcher's size; anchored
        new = old.replace("affected individuals do not", "affected children do not")
        a, b = tokens(old), tokens(new)
        at = a.index("individuals")
        assert opcodes(a, b) == [
            ("equal", 0, at, 0, at),
            ("replace", at, at + 1, at, at + 1),
            ("equal", at + 1, len(a), at + 1, len(b)),
        ]


def test_sentence_inserted_is_shown_whole():
    sentence = "Hearing loss is common. "
    a = tokens(TEXT)
    b = tokens(
        TEXT.replace("Some have abnormalities", sentence + "Some have abnormalities")
    )
    at = a.index("Some")
    ops = opcodes(a, b)
    assert ops == [
        ("equal", 0, at, 0, at),
        ("insert", at, at, at, at + len(tokens(sentence))),
        ("equal", at, len(a), at + len(tokens(sentence)), len(b)),
    ]
    assert "".join(b[ops[1][3] : ops[1][4]]) == sentence


def test_moved_paragraph_is_deleted_and_inserted_whole():
    # The third paragraph (51 tokens) moves before the second (163): the
    # shorter one is shown as moved, the longer one stays, and the deletion
    # and the insertion each cover the paragraph exactly, not a rotation of
    # it that starts mid-sentence (as SequenceMatcher's would).
    moved = [PARAGRAPHS[0], PARAGRAPHS[2], PARAGRAPHS[1], *PARAGRAPHS[3:]]
    a, b = tokens(TEXT), tokens("\n\n".join(moved))
    ops = opcodes(a, b)
    assert [op[0] for op in ops] == ["equal", "insert", "equal", "delete", "equal"]
    paragraph = PARAGRAPHS[2] + "\n\n"
    _tag, _i1, _i2, j1, j2 = ops[1]
    assert "".join(b[j1:j2]) == paragraph
    _tag, i1, i2, _j1, _j2 = ops[3]
    assert "".join(a[i1:i2]) == paragraph
    assert "".join(b[: ops[1][3]]) == PARAGRAPHS[0] + "\n\n"


def test_whitespace_and_frequent_words_never_anchor():
    # Nothing in common but spaces and "the": one replacement, where
    # SequenceMatcher zigzags (replace, " the ", replace, ...).
    a = tokens(" the ".join(f"old{n}" for n in range(600)))
    b = tokens(" the ".join(f"new{n}" for n in range(600)))
    assert len(a) * len(b) > SEQUENCE_MATCHER_CELLS
    assert opcodes(a, b) == [("replace", 0, len(a), 0, len(b))]
    assert len(sequence_matcher(a[:200], b[:200])) == 100  # the zigzag


def test_result_does_not_depend_on_hash_seed():
    script = (
        "import sys\n"
        "import django\n"
        "django.setup()\n"
        "sys.path.insert(0, 'tests')\n"
        "from test_diff_matching import random_case\n"
        "from conditions.diff.matching import opcodes\n"
        "for seed in range(5):\n"
        "    a, b = random_case(seed, 2000)\n"
        "    print(opcodes(a, b, cells=400))\n"
    )
    root = Path(__file__).resolve().parent.parent
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=root,
            env={
                "PYTHONHASHSEED": str(seed),
                "PATH": "",
                "DJANGO_SETTINGS_MODULE": "healthinfo.settings.test",
            },
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in (1, 2)
    }
    assert len(outputs) == 1 and outputs.pop().count("equal") > 5
