"""What accounts announces to the apps above it (connected in config/wiring.py)."""

from config.kernel.hooks import Hook

# Sessions or tokens changed: live sockets must check theirs once this commits.
# keep_session: the key of the session that made the change; moved_session: (old key, new key).
credentials_changed = Hook("accounts.credentials_changed", arguments=("user_id", "keep_session", "moved_session"))
privacy_changed = Hook("accounts.privacy_changed", arguments=("user", "is_private"))
# Raises ServiceError for an unknown notification type, which rolls the whole update back.
notification_prefs_set = Hook("accounts.notification_prefs_set", arguments=("user", "preferences"))

# --- the account's data: deletion and export (accounts.lifecycle) -----------------------------

# Inside account_delete's transaction: the account has just become inactive and its deletion is queued.
deletion_asked = Hook("accounts.deletion_asked", arguments=("user",))

# The erase task, before the user row goes: each receiver removes that app's data of `user`, in
# its own transactions, idempotently (a task that stops halfway runs them all again).
erase_user = Hook("accounts.erase_user", arguments=("user",))

# Building the data export: each receiver returns [(file name, JSON document), ...] for the zip and
# may add media with `files.add(...)`. A dict for a file another receiver wrote is merged into it.
export_user = Hook("accounts.export_user", arguments=("user", "files"))

# An export was built and is ready to download (inside the transaction that marks it ready).
export_ready = Hook("accounts.export_ready", arguments=("user",))
