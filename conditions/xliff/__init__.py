"""XLIFF 1.2 exchange of translations with CAT tools (Trados, memoQ, Phrase,
OmegaT).

- exporter: the units of articles that need translating, as an XLIFF file
- importer: check a translated file as a whole, then save and submit it
- format: what the files look like (namespaces, notes, source hashes)
"""

from .exporter import (
    NothingToExport,
    conditions_needing,
    conditions_published,
    export,
    export_filename,
    export_units,
    stream,
)
from .format import XLIFF_NS
from .importer import ImportReport, import_file, parse, size_error

__all__ = [
    "ImportReport",
    "NothingToExport",
    "XLIFF_NS",
    "conditions_needing",
    "conditions_published",
    "export",
    "export_filename",
    "export_units",
    "import_file",
    "parse",
    "size_error",
    "stream",
]
