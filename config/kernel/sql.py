"""Helpers for the few hand-written queries on hot paths."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import contextmanager
from functools import cache

from django.db.models import Count, Model, OuterRef, Subquery, Value
from django.db.models.base import ModelState
from django.db.models.fields.files import FileDescriptor
from django.db.models.functions import Coalesce
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, post_save, pre_init, pre_save
from psycopg_pool import ConnectionPool


def any_of(column: str, ids: Sequence[int]) -> tuple[str, list]:
    """`column` (a bigint) is one of `ids`, as one array parameter.

    The array keeps the query text the same whatever the list's length, so it
    is prepared once and never re-parsed for placeholders; it is sent as the
    array's text, which psycopg writes several times faster than a list (40 µs
    a query for 20 ids).
    """
    return f"{column} = ANY(%s::bigint[])", [id_array(ids)]


def id_array(ids: Sequence[int]) -> str:
    """`ids` as the text of a PostgreSQL array, for a `%s::bigint[]` parameter (see any_of)."""
    return "{" + ",".join(str(int(value)) for value in ids) + "}"


def one_value(sql: str, params: Sequence = ()):
    """The first column of the first row a hand-written query returns, or None when it returns no row."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if row else None


@contextmanager
def planned_each_time():
    """Statements run inside are never prepared, so PostgreSQL plans each for its own parameters.

    Everything else is prepared after a few runs (settings: `prepare_threshold`)
    and then runs on a generic plan. A search must not: the plan for a word in
    every tenth post (walk the newest posts) is not the plan for a rare one
    (look it up in the text index), and a generic plan is one or the other.
    Usable as a decorator.
    """
    from django.db import connections

    saved = []
    try:
        for connection in connections.all():  # the replica too, where searches read
            connection.ensure_connection()
            raw = connection.connection
            if hasattr(raw, "prepare_threshold"):
                saved.append((raw, raw.prepare_threshold))
                raw.prepare_threshold = None
        yield
    finally:
        for raw, threshold in saved:
            raw.prepare_threshold = threshold


@cache
def _exists_sql(model, keys: tuple[str, ...]) -> str:
    where = " AND ".join(f"{model._meta.get_field(key).column} = %s" for key in keys)
    return f"SELECT 1 FROM {model._meta.db_table} WHERE {where} LIMIT 1"  # noqa: S608 - names from the model


def row_exists(model, **where) -> bool:
    """Whether a `model` row has fields equal to `where`: `.filter(**where).exists()` without building a query.

    On the write paths (a follow, a like's notification) the ORM's compiling of
    one such check cost more CPU than PostgreSQL's answering it.
    """
    return one_value(_exists_sql(model, tuple(where)), list(where.values())) is not None


def unique_or_none(queryset):
    """The one row a unique lookup finds, or None: `.first()` without its ORDER BY.

    Ordering makes Django's compiler hash every selected column, which on a
    wide row cost more CPU than running the query; a unique lookup needs no order.
    """
    return next(iter(queryset[:1]), None)


@cache
def _select_sql(model, parent: str | None, keys: tuple[str, ...]) -> tuple[str, list]:
    """The statement and, per model in it, the shape of its part of a row."""
    own = model._meta.concrete_fields
    parts = [RowShape(model, own, [f.attname for f in own])]
    columns, source = [f"c.{f.column}" for f in own], f"{model._meta.db_table} c"
    if parent is not None:
        link = model._meta.get_field(parent)
        theirs = link.related_model._meta.concrete_fields
        parts.append(RowShape(link.related_model, theirs, [f.attname for f in theirs]))
        columns += [f"p.{f.column}" for f in theirs]
        source += f" JOIN {link.related_model._meta.db_table} p ON p.{link.target_field.column} = c.{link.column}"
    where = " AND ".join(f"c.{model._meta.get_field(key).column} = %s" for key in keys)
    return f"SELECT {', '.join(columns)} FROM {source} WHERE {where}", parts  # noqa: S608 - names from the models


def select_rows(model, parent: str | None = None, **where) -> list:
    """Rows of `model` whose fields equal `where`, each with its `parent` (a required foreign key) loaded.

    What `model.objects.select_related(parent).filter(**where)` gives, in SQL
    written once per shape: on the hottest paths (the token of every API call,
    the person or post an action names) Django spent more CPU building and
    compiling those queries than on all the rest of the request
    (docs/PERFORMANCE.md, "Compiling queries").
    """
    from django.db import connections, router

    connection = connections[router.db_for_read(model)]  # the primary, unless a GET may read it from the replica
    sql, parts = _select_sql(model, parent, tuple(where))
    with connection.cursor() as cursor:
        cursor.execute(sql, list(where.values()))
        rows = cursor.fetchall()
    found = []
    for row in rows:
        objects, at = [], 0
        for shape in parts:
            objects.append(shape.build(row[at : at + len(shape.fields)], connection))
            at += len(shape.fields)
        if parent is not None:
            setattr(objects[0], parent, objects[1])
        found.append(objects[0])
    return found


class RowShape:
    """How rows of `fields` (whose attnames are `names`) become `model` instances, worked out once.

    Made once per shape (at import, or with a cached statement): looking the
    shape up for every row, by hashing its fields (each a Python-level
    `__hash__`), cost a home page more than building the instances.
    """

    __slots__ = ("converted", "fields", "model", "names")

    def __init__(self, model, fields: Sequence, names: Sequence[str]):
        self.model, self.fields, self.names = model, tuple(fields), tuple(names)
        # The fields whose database value the ORM converts (JSON arrives as text, for one).
        self.converted = tuple(i for i, field in enumerate(self.fields) if hasattr(field, "from_db_value"))

    def build(self, values: Sequence, connection):
        """The instance the ORM would build from a row's `values`.

        Built without `Model.__init__` where that changes nothing: a page of
        cards makes some 60 instances, and `__init__` (a setattr per field
        through the descriptors, two signals) was a third of the API's Python
        time. Fields left out are deferred, as `from_db` leaves them.
        """
        model, values = self.model, list(values)
        for i in self.converted:
            values[i] = self.fields[i].from_db_value(values[i], None, connection)
        if pre_init.receivers or post_init.receivers or not _plainly_built(model):
            return model.from_db(connection.alias, self.names, values)
        made = model.__new__(model)
        made._state = state = ModelState()
        state.adding, state.db = False, connection.alias
        made.__dict__.update(zip(self.names, values, strict=True))
        return made


# Descriptors whose __set__ on a new instance only stores the value (the image one also
# updates dimension fields, but only when replacing an earlier value).
_STORING_DESCRIPTORS = (DeferredAttribute, FileDescriptor)


@cache
def _plainly_built(model) -> bool:
    """Whether `from_db` for `model` amounts to storing the values: Django's own `__init__`
    and `from_db`, and no field whose descriptor does more than store on assignment."""
    if model.__init__ is not Model.__init__ or model.from_db.__func__ is not Model.from_db.__func__:
        return False
    for field in model._meta.concrete_fields:
        found = next((k.__dict__[field.attname] for k in model.__mro__ if field.attname in k.__dict__), None)
        if found is not None and not isinstance(found, _STORING_DESCRIPTORS):
            return False
    return True


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


@cache
def _insert_sql(model) -> tuple[str, tuple]:
    fields = tuple(model._meta.concrete_fields)
    columns = ", ".join(field.column for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    return f"INSERT INTO {model._meta.db_table} ({columns}) VALUES ({placeholders})", fields  # noqa: S608


def _plainly_inserted(model) -> bool:
    """Whether `save(force_insert=True)` amounts to one INSERT of the fields' values: no model
    inheritance, no save signals, no `save` of its own, nothing the database fills in."""
    meta = model._meta
    return (
        not meta.parents
        and not pre_save.has_listeners(model)
        and not post_save.has_listeners(model)
        and model.save is Model.save
        and all(not field.generated and not field.has_db_default() for field in meta.concrete_fields)
    )


def insert_instance(instance) -> None:
    """`instance.save(force_insert=True)`, in SQL written once per model, for an instance whose key
    is already set (Chirp's ids are made in Python, config/kernel/ids.py).

    Django's save builds and compiles the INSERT each time: a seventh of posting's CPU
    (docs/PERFORMANCE.md, "Timestamps, the reader's row, routes, and posting's task"). Fields are prepared as Django
    prepares them (`pre_save`, `get_db_prep_save`), unsaved related objects are refused
    as Django refuses them, and anything that makes a save more than that (see
    `_plainly_inserted`) takes Django's way.
    """
    from django.db import connections, router

    model = type(instance)
    if instance.pk is None or not _plainly_inserted(model):
        instance.save(force_insert=True)
        return
    instance._prepare_related_fields_for_save(operation_name="save")
    using = router.db_for_write(model, instance=instance)
    connection = connections[using]
    sql, fields = _insert_sql(model)
    values = [field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
    instance._state.adding, instance._state.db = False, using


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
