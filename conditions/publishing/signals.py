"""What publishing tells the rest of the site."""

from django.dispatch import Signal

#: Sent after commit with the public URLs whose content changed, so that a
#: CDN or any other cache in front of the site can purge them.
publications_changed = Signal()
