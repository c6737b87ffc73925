"""Make the search test sample (run once; its output is committed).

    .venv/bin/python tests/data/search/make_sample.py [DATA_DIR]

Picks, with a fixed seed, 60 MedQuAD pages that have queries in
DATA_DIR/medquad/queries.tsv (default /work/shared/data) plus a few named
below, and 20 more pages as distractors, all from the vendored extract
conditions/demo/library/library.json.gz; writes pages.txt (their names:
the tests load the pages themselves from the extract) and queries.tsv (every
query of the chosen pages).
"""

import gzip
import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXTRACT = HERE.parents[2] / "conditions" / "demo" / "library" / "library.json.gz"
#: Pages the tests name (a misspelled title, the demo's subjects).
ALWAYS = ["Achondroplasia", "Alport syndrome", "Breast Cancer", "Type 1 diabetes"]
TARGETS = 60
DISTRACTORS = 20


def main(data_dir):
    with gzip.open(EXTRACT, "rt", encoding="utf-8") as fh:
        pages = [page["name"] for page in json.load(fh)["pages"]]
    rows = [
        line.rstrip("\n").split("\t")
        for line in open(Path(data_dir) / "medquad" / "queries.tsv", encoding="utf-8")
        if line.strip()
    ]
    in_extract = {name.casefold(): name for name in pages}
    with_queries = sorted(
        {in_extract[p.casefold()] for _q, p in rows if p.casefold() in in_extract}
    )
    rng = random.Random(20261201)
    targets = [name for name in ALWAYS if name in with_queries]
    targets += rng.sample(
        [name for name in with_queries if name not in targets], TARGETS - len(targets)
    )
    others = rng.sample([name for name in pages if name not in targets], DISTRACTORS)
    chosen = {name.casefold() for name in targets}
    (HERE / "pages.txt").write_text(
        "\n".join(sorted(targets + others, key=str.casefold)) + "\n", encoding="utf-8"
    )
    with open(HERE / "queries.tsv", "w", encoding="utf-8") as out:
        for query, page in rows:
            if page.casefold() in chosen:
                out.write(f"{query}\t{page}\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data")
