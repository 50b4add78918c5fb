"""What accounts announces to the apps above it (connected in config/wiring.py)."""

from config.kernel.hooks import Hook

# Sessions or tokens changed: live sockets must check theirs once this commits.
# keep_session: the key of the session that made the change; moved_session: (old key, new key).
credentials_changed = Hook("accounts.credentials_changed", arguments=("user_id", "keep_session", "moved_session"))
privacy_changed = Hook("accounts.privacy_changed", arguments=("user", "is_private"))
# Raises ServiceError for an unknown notification type, which rolls the whole update back.
notification_prefs_set = Hook("accounts.notification_prefs_set", arguments=("user", "preferences"))
