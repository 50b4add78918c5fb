"""Sessions in the database with a Redis cache in front, that keep working when Redis is away.

Django's cached_db backend already survives cache errors when loading and
saving, but not when checking whether a new key exists (every login), when
deleting (every logout), nor when caching a session just read from the
database. Here those fall back to the database too.
"""

from __future__ import annotations

import logging

from django.contrib.sessions.backends import cached_db, db
from redis.exceptions import RedisError

logger = logging.getLogger("django.contrib.sessions")


class SessionStore(cached_db.SessionStore):
    def load(self):
        try:
            data = self._cache.get(self.cache_key)
        except Exception:  # as Django's: an unreadable cache means "not cached"
            data = None
        if data is not None:
            return data
        stored = self._get_session_from_db()
        if not stored:
            return {}
        data = self.decode(stored.session_data)
        try:
            self._cache.set(self.cache_key, data, self.get_expiry_age(expiry=stored.expire_date))
        except RedisError:
            logger.warning("Session cache unavailable; served from the database", exc_info=True)
        return data

    def exists(self, session_key):

        try:
            return super().exists(session_key)
        except RedisError:
            logger.warning("Session cache unavailable; checking the database", exc_info=True)
            return db.SessionStore.exists(self, session_key)

    def delete(self, session_key=None):
        try:
            super().delete(session_key)
        except RedisError:  # the database row went first; a stale cache entry expires by itself
            logger.warning("Session cache unavailable; deleted from the database only", exc_info=True)
