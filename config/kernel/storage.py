"""Where private files (direct-message images) live: no public URL reaches them.

Locally they sit under PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT, and a view that
checks access streams them. With S3 they go under a private prefix and that
view redirects to a URL signed for a few minutes.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages


class PrivateFileSystemStorage(FileSystemStorage):
    def __init__(self, **options):
        options.pop("base_url", None)
        super().__init__(base_url=None, **options)

    # Read from settings every time (not cached) so tests can point it elsewhere.
    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no URL; serve them through a view that checks access.")


def private_storage():
    return storages["private"]


def is_local(storage) -> bool:
    return isinstance(storage, FileSystemStorage)
