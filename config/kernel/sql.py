"""Helpers for the few hand-written queries on hot paths."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from psycopg_pool import ConnectionPool


def any_of(column: str, values: Sequence) -> tuple[str, list]:
    """`column` is one of `values`, as one array parameter.

    The array keeps the query text the same whatever the list's length, so it
    is prepared once and never re-parsed for placeholders.
    """
    return f"{column} = ANY(%s)", [list(values)]


def insert_once(model, **values) -> bool:
    """Inserts a row unless one with the same unique values is there already: True if it is new.

    One `INSERT ... ON CONFLICT DO NOTHING RETURNING` instead of get_or_create's
    SELECT, savepoint and INSERT (a like or follow clicked twice is no error).
    Values are field names (`user_id=...`); the conflict may be on any unique
    constraint of the table.
    """
    from django.db import connection

    columns = [model._meta.get_field(name).column for name in values]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "  # noqa: S608 - names from the model
            f"VALUES ({', '.join(['%s'] * len(columns))}) ON CONFLICT DO NOTHING RETURNING 1",
            list(values.values()),
        )
        return cursor.fetchone() is not None


def counted(model, key: str, by: str):
    """How many `model` rows by active accounts point at the outer row through `key` (0 when none)."""
    rows = model.objects.filter(**{key: OuterRef("pk"), f"{by}__is_active": True})
    return Coalesce(Subquery(rows.order_by().values(key).annotate(n=Count("*")).values("n")), Value(0))


def check_pooled_connection(conn) -> None:
    """The connection pool's check of each connection before handing it out (settings: pool "check").

    A connection whose backend died (a failover, a restart, `pg_terminate_backend`)
    fails it and is replaced. psycopg_pool waits 1 s, then 2 s... between failed
    checks within one checkout, so after every backend was terminated a request
    would sleep through the pool's dead connections one by one (3 s measured). So
    the first dead one has the pool check all its idle connections at once.
    """
    try:
        ConnectionPool.check_connection(conn)
    except Exception:
        pool = getattr(conn, "_pool", None)  # psycopg_pool's, set while the connection is handed out
        if pool is not None:
            pool.check()
        raise
