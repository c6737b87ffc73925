"""Benchmark readability scoring (conditions.readability).

Scores every article of the vendored demo extract (conditions/demo/library:
1,327 English MedQuAD pages, 20 Spanish MedlinePlus pages) section by
section, as a translation-progress refresh does, and prints the time per
article with a cold cache (first scoring of a text) and a warm one. The
translation report reads the stored grades and scores nothing: this is the
cost added to saving an article, and to ``score_readability`` over a whole
library. Run with ``.venv/bin/python bench/readability_speed.py``.
"""

import gzip
import json
import os
import sys
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthinfo.settings.test")

import django  # noqa: E402

django.setup()

from conditions.readability.articles import summary  # noqa: E402

DATA = ROOT / "conditions" / "demo" / "library" / "library.json.gz"


def _articles():
    data = json.loads(gzip.open(DATA).read())
    english = [
        [SimpleNamespace(body_en=body) for body in _bodies(page["sections"])]
        for page in data["pages"]
    ]
    spanish = [
        [SimpleNamespace(body_es=block) for block in page["blocks"]]
        for page in data["spanish"]
    ]
    return english, spanish


def _bodies(sections):
    # [kind, heading, body] per section.
    return [body for _kind, _heading, body in sections]


def _time(articles, language):
    start = time.perf_counter()
    for sections in articles:
        summary(sections, language)
    return (time.perf_counter() - start) / len(articles) * 1000


def main():
    english, spanish = _articles()
    words = sum(len(" ".join(s.body_en for s in a).split()) for a in english)
    print(f"{len(english)} English articles, {words / len(english):.0f} words each")
    for language, articles in (("en", english), ("es", spanish)):
        cold = _time(articles, language)
        warm = _time(articles, language)
        print(f"{language}: {cold:.2f} ms per article cold, {warm:.2f} ms warm")


if __name__ == "__main__":
    main()
