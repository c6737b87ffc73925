"""What this site's XLIFF 1.2 files look like: shared by export and import."""

XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
#: The "from" of the notes this site writes.
NOTE_FROM = "healthinfo"
#: extradata="sha256:<hex>": the hash of the exported source text.
HASH_PREFIX = "sha256:"
