"""An account's life after sign-up: exporting one's data, and deleting the account.

Export: `account_export_request` records a pending `AccountExport` and a task
(`export_build`) writes the zip into private storage, marks it ready for
EXPORT_TTL, and tells its owner (a notification and an email). Only the owner
downloads it (`export_for_owner`, `export_response`); a beat task purges the
expired ones.

Deletion: `account_delete` checks the password and, at once, makes the account
inactive (which the visibility module treats as gone everywhere), makes its
password unusable and revokes its tokens. A task (`account_erase`) then
removes everything, one idempotent step at a time, and the user row last.
"""

from accounts.lifecycle.deletion import PASSWORD_TRIES, account_delete, account_erase, is_being_deleted
from accounts.lifecycle.export import (
    EXPORT_TTL,
    account_export_request,
    export_build,
    export_documents,
    export_for_owner,
    export_response,
    exports_purge,
    latest_export,
    ready_export,
    write_export,
)

__all__ = [
    "EXPORT_TTL", "PASSWORD_TRIES", "account_delete", "account_erase", "account_export_request", "export_build",
    "export_documents", "export_for_owner", "export_response", "exports_purge", "is_being_deleted", "latest_export",
    "ready_export", "write_export",
]  # fmt: skip
