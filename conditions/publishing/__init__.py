"""Publishing: turn one approved revision into what readers see.

- snapshot: the render-ready page of a condition in a language
- publisher: publish (the source), publish_translation, unpublish
- signals: publications_changed, for caches in front of the site
"""

from .publisher import PublishError, publish, publish_translation, unpublish
from .signals import publications_changed
from .snapshot import build_snapshot

__all__ = [
    "PublishError",
    "build_snapshot",
    "publications_changed",
    "publish",
    "publish_translation",
    "unpublish",
]
