"""Helpers for the few hand-written queries on hot paths."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from psycopg_pool import ConnectionPool


def any_of(column: str, values: Sequence) -> tuple[str, list]:
    """`column` is one of `values`, as one array parameter.

    The array keeps the query text the same whatever the list's length, so it
    is prepared once and never re-parsed for placeholders.
    """
    return f"{column} = ANY(%s)", [list(values)]


@cache
def _select_with_parent_sql(model, relation: str, keys: tuple[str, ...]) -> tuple[str, list, list, list, list]:
    parent_field = model._meta.get_field(relation)
    parent = parent_field.related_model
    own, theirs = model._meta.concrete_fields, parent._meta.concrete_fields
    sql = (
        f"SELECT {', '.join(f'c.{f.column}' for f in own)}, {', '.join(f'p.{f.column}' for f in theirs)} "  # noqa: S608
        f"FROM {model._meta.db_table} c JOIN {parent._meta.db_table} p ON p.{parent_field.target_field.column} = "
        f"c.{parent_field.column} WHERE {' AND '.join(f'c.{model._meta.get_field(k).column} = %s' for k in keys)}"
    )  # names from the models
    return sql, list(own), [f.attname for f in own], list(theirs), [f.attname for f in theirs]


def select_with_parent(model, relation: str, **where) -> list:
    """Rows of `model` whose columns equal `where`, each with its `relation` (a required foreign key) loaded.

    What `model.objects.select_related(relation).filter(**where)` gives, in SQL
    written once per shape: on the hottest paths (the token of every API call,
    the post every like names) Django spent more CPU compiling that query than
    on all the rest of the request (docs/PERFORMANCE.md, "Compiling queries").
    """
    from django.db import connection

    sql, own, own_names, theirs, their_names = _select_with_parent_sql(model, relation, tuple(where))
    with connection.cursor() as cursor:
        cursor.execute(sql, list(where.values()))
        rows = cursor.fetchall()
    found = []
    for row in rows:
        values = [_from_db(field, value, connection) for field, value in zip(own + theirs, row, strict=True)]
        child = model.from_db(connection.alias, own_names, values[: len(own)])
        setattr(child, relation, model._meta.get_field(relation).related_model.from_db(
            connection.alias, their_names, values[len(own) :]
        ))  # fmt: skip
        found.append(child)
    return found


def _from_db(field, value, connection):
    # What the ORM does with a column's value (JSON columns arrive as text, for one).
    return field.from_db_value(value, None, connection) if hasattr(field, "from_db_value") else value


def insert_once(model, **values) -> int | None:
    """Inserts a row unless one with the same unique values is there already: the new row's pk, else None.

    One `INSERT ... ON CONFLICT DO NOTHING RETURNING` instead of get_or_create's
    SELECT, savepoint and INSERT (a like or follow clicked twice is no error).
    Values are field names (`user_id=...`); the conflict may be on any unique
    constraint or unique index of the table, partial ones included.
    """
    from django.db import connection

    columns = [model._meta.get_field(name).column for name in values]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "  # noqa: S608 - names from the model
            f"VALUES ({', '.join(['%s'] * len(columns))}) ON CONFLICT DO NOTHING RETURNING {model._meta.pk.column}",
            list(values.values()),
        )
        row = cursor.fetchone()
    return row[0] if row else None


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
