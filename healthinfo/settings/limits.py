"""Limits of uploads, texts and requests, imported by base.py."""

import os

# Uploaded pictures (conditions/uploads.py): a larger file, or a picture of
# more pixels, is refused before it is decoded. 50 megapixels takes a
# 48-megapixel phone photo; decoded, it is at most 200 MB of memory.
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
UPLOAD_MAX_PIXELS = int(os.environ.get("UPLOAD_MAX_PIXELS", "50000000"))

# -- texts, XLIFF files and requests (issue 9, part 6) --
# A rich-text body (a section's, in each language) holds at most this many
# characters of HTML: about 15,000 words, where the longest real section
# (NCI) has 28,000 characters. Read when a text is checked: no migration.
# The plain texts have fixed caps (conditions/fields.py).
RICH_TEXT_MAX_CHARS = int(os.environ.get("RICH_TEXT_MAX_CHARS", "100000"))
# An XLIFF file, uploaded in the admin or given to import_xliff, is refused
# above this size before it is read or parsed: the file upload cap.
XLIFF_MAX_BYTES = int(os.environ.get("XLIFF_MAX_BYTES", str(UPLOAD_MAX_BYTES)))
# The form fields of one request, files not counted (Django's
# DATA_UPLOAD_MAX_MEMORY_SIZE): room for dozens of rich-text bodies at the
# cap. Above it the request is answered 413 (healthinfo/middleware.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(
    os.environ.get("FORM_MAX_BYTES", str(10 * 1024 * 1024))
)
# A whole request body (its Content-Length), files included: above it the
# request is answered 413 before it is read (healthinfo/middleware.py).
# Room for two files at the cap and a full form.
REQUEST_MAX_BYTES = int(
    os.environ.get(
        "REQUEST_MAX_BYTES",
        str(2 * max(UPLOAD_MAX_BYTES, XLIFF_MAX_BYTES) + DATA_UPLOAD_MAX_MEMORY_SIZE),
    )
)
