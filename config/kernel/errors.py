"""The one domain error type services raise.

Views turn it into a form error or a flash message; the API turns it into
`{"error": ..., "fields": ...}` with `status`.
"""

from __future__ import annotations


class ServiceError(Exception):
    status = 400

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        fields: dict[str, list[str]] | None = None,
        status: int | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.fields = dict(fields or {})
        if field:
            self.fields.setdefault(field, [message])
        if status is not None:
            self.status = status
        self.retry_after = retry_after
        self.codes: dict[str, set[str]] = {}  # a form's error codes by field, when made from a form

    @classmethod
    def from_form(cls, form, *, rename: dict[str, str] | None = None) -> ServiceError:
        """Build from an invalid Django form, renaming form fields to API names."""
        rename = rename or {}
        fields: dict[str, list[str]] = {}
        codes: dict[str, set[str]] = {}
        message = ""
        for name, errors in form.errors.as_data().items():
            messages = [text for error in errors for text in error.messages]
            api_name = rename.get(name, name)
            codes.setdefault(api_name, set()).update(error.code or "" for error in errors)
            if name == "__all__":
                message = message or messages[0]
                continue
            fields[api_name] = messages
            message = message or messages[0]
        error = cls(message or "Invalid input.", fields=fields)
        error.codes = codes
        return error


class NotFound(ServiceError):
    status = 404


class Forbidden(ServiceError):
    status = 403


class Conflict(ServiceError):
    status = 409
