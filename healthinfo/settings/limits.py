"""Limits of uploads, texts and requests, imported by base.py."""

import os

# Uploaded pictures (conditions/uploads.py): a larger file, or a picture of
# more pixels, is refused before it is decoded. 50 megapixels takes a
# 48-megapixel phone photo; decoded, it is at most 200 MB of memory.
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
UPLOAD_MAX_PIXELS = int(os.environ.get("UPLOAD_MAX_PIXELS", "50000000"))
