"""Publishing: turn one approved revision into what readers see.

- snapshot: the render-ready page of a condition in a language
- publisher: publish (the source), publish_translation, unpublish

What readers see changing is announced with the read model's
``publication_changed`` signal (conditions/models/publication.py), inside
the publishing transaction; the public side (library/) listens.
"""

from .publisher import PublishError, publish, publish_translation, unpublish
from .snapshot import build_snapshot

__all__ = [
    "PublishError",
    "build_snapshot",
    "publish",
    "publish_translation",
    "unpublish",
]
