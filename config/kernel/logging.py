"""Log records that say which request (and which Celery task) they belong to.

`RequestIdFilter` sits on the console handler (settings.LOGGING), so every
record that reaches it, from any logger, gets `request_id`: the id that
`RequestContextMiddleware` gave the request (echoed as X-Request-ID), or in a
Celery task the id of the request that queued it (config/celery.py carries it
in the task's headers). Inside a task the record also gets `task_id` and
`task_name`. `LOG_FORMAT=json` writes one JSON object a line with
python-json-logger; `plain` is for people reading a terminal.
"""

from __future__ import annotations

import logging

from celery import current_task
from django.http import HttpRequest
from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

from config.kernel.request_context import request_id


class RequestIdFilter(logging.Filter):
    """Adds `request_id` (None outside any request) and, inside a Celery task, `task_id` and `task_name`."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            found = request_id.get()
            if found is None:
                # django.request logs some 4xx/5xx answers after the middleware has
                # finished; the request it passes along still has its id.
                found = getattr(getattr(record, "request", None), "id", None)
            record.request_id = found if isinstance(found, str) else None
        task = current_task
        if task and task.request.id is not None and not hasattr(record, "task_id"):
            record.task_id, record.task_name = task.request.id, task.name
        return True


class JsonFormatter(_JsonFormatter):
    """One JSON object a line: timestamp, level, logger, message, request_id, then any extras."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fmt", ["levelname", "name", "message", "request_id"])
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        kwargs.setdefault("timestamp", True)
        super().__init__(*args, **kwargs)

    def add_fields(self, log_record, record, message_dict) -> None:
        super().add_fields(log_record, record, message_dict)
        request = log_record.get("request")
        if isinstance(request, HttpRequest):  # django.request passes the request itself
            log_record["request"] = {"method": request.method, "path": request.path}


class PlainFormatter(logging.Formatter):
    """The usual one-line format; a record from outside any request shows `-` for its id."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        found = getattr(record, "request_id", None)
        record.request_id = found or "-"
        try:
            return super().formatMessage(record)
        finally:
            record.request_id = found
